#!/usr/bin/env python3
"""End to end at national scale, through the HTTP API of a real `gramota serve` (release build).

Creates a competition, uploads an N-row results file (CSV, Kazakh and Russian names), issues, waits
for the job, downloads the ZIP and the combined print PDF, then loads the public verification page
with wrk. Prints one JSON line per measurement, with the server's peak RSS (VmHWM) at each step and
the disk the issued documents take.

    benches/scale.py [--rows N] [--postgres] [--wrk-seconds S]

Needs: a release binary (`cargo build --release`; GRAMOTA_BIN overrides the path), wrk for the
verification load, psql for --postgres (a fresh database is created at 127.0.0.1:5432 and dropped).
"""

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SURNAMES = ["Сейтқали", "Әбілқайырова", "Иванов", "Нұрланұлы", "Жақсыбекова", "Ким", "Оспанов",
            "Петрова", "Төлегенова", "Серікбаев", "Құдайбергенов", "Смагулова", "Ахметов", "Байжанова"]
NAMES = ["Айгерім", "Ерасыл", "Пётр", "Аружан", "Нұрсұлтан", "Ольга", "Дәулет", "Мария", "Інжу", "Санжар",
         "Әлия", "Ғалым", "Қуаныш", "Өмірзақ", "Ұлжан", "Үміт", "Һарун", "Іңкәр", "Анна", "Тимур"]
# Enough distinct people for 100,000 rows: the same person twice in one nomination and age group is
# refused as a repeated row.
SURNAMES += [root + ending for root in ("Есім", "Мұқан", "Тұрсын", "Ержан", "Қасым", "Бекмұхамбет", "Сидор",
                                       "Жұмабай", "Рахым", "Сәрсенбай") for ending in ("ов", "ова")]
AGE_GROUPS = ["7–8 лет", "9–10 лет", "11–12 лет", "13–14 лет", "15–16 лет", "17–18 лет"]
PATRONYMICS = ["Нұрланқызы", "Серікұлы", "Иванович", "Болатқызы", "", "Ерланұлы", "Сергеевна"]
SCHOOLS = [f"СОШ №{n}" for n in range(1, 120)] + ["Гимназия №1", "Лицей №5", "НИШ ФМН"]
REGIONS = ["Павлодарская область", "г. Алматы", "г. Астана", "Костанайская область",
           "Туркестанская область", "Абайская область", "Жетісу облысы"]
NOMINATIONS = ["Экология", "Техника", "Математика", "Информатика", "Биология", "Химия", "Физика", "История"]
AWARDS = ["1 место", "2 место", "3 место", "Диплом II степени", "Участник", "Участник", "Участник"]


def results_csv(rows, seed=7):
    people = len(SURNAMES) * len(NAMES) * len(PATRONYMICS) * len(NOMINATIONS) * len(AGE_GROUPS)
    if rows > people // 2:
        sys.exit(f"at most {people // 2} distinct rows can be made")
    rng = random.Random(seed)
    lines = ["ФИО,Организация,Регион,Руководитель,Номинация,Возрастная категория,Место"]
    seen = set()
    while len(lines) <= rows:
        holder = " ".join(p for p in (rng.choice(SURNAMES), rng.choice(NAMES), rng.choice(PATRONYMICS)) if p)
        nomination, age_group = rng.choice(NOMINATIONS), rng.choice(AGE_GROUPS)
        if (holder, nomination, age_group) in seen:
            continue
        seen.add((holder, nomination, age_group))
        supervisor = f"{rng.choice(SURNAMES)} {rng.choice('АБГДЕКМНОС')}.{rng.choice('АБГДЕКМНОС')}."
        lines.append(",".join([holder, rng.choice(SCHOOLS), rng.choice(REGIONS), supervisor, nomination, age_group,
                               rng.choice(AWARDS)]))
    return ("\n".join(lines) + "\n").encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rss:
    """Samples the server's resident memory; VmHWM is the kernel's own peak."""

    def __init__(self, pid):
        self.pid, self.samples, self.running = pid, [], True
        threading.Thread(target=self.run, daemon=True).start()

    def field(self, name):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def run(self):
        while self.running:
            try:
                self.samples.append(self.field("VmRSS"))
            except OSError:
                return
            time.sleep(0.05)

    def peak_mb(self):
        return round(self.field("VmHWM"), 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--design", default="classic")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/gramota-target")
    binary = os.environ.get("GRAMOTA_BIN", os.path.join(target, "release", "gramota"))
    work = tempfile.mkdtemp(prefix="gramota-scale-", dir=os.environ.get("SCALE_DIR", "/var/tmp"))
    port = free_port()
    env = dict(os.environ, GRAMOTA_DATA_DIR=work, GRAMOTA_BIND=f"127.0.0.1:{port}",
               GRAMOTA_PUBLIC_URL=f"http://127.0.0.1:{port}", GRAMOTA_MAX_ROWS=str(max(args.rows, 100_000)),
               GRAMOTA_MAX_UPLOAD_BYTES=str(256 << 20), GRAMOTA_RATE_LIMIT_PER_MINUTE="100000000",
               RUST_LOG="warn")
    database = None
    if args.postgres:
        database = f"gramota_scale_{os.getpid()}"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                        f"CREATE DATABASE {database}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    backend = "postgresql" if args.postgres else "sqlite"
    server = None
    try:
        token = subprocess.run([binary, "token", "create", "--org", "scale", "--name-ru",
                                "Республиканский центр дополнительного образования", "--city", "Астана"],
                               env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        rss = Rss(server.pid)

        def call(method, path, body=None, content_type="application/json"):
            request = urllib.request.Request(base + path, data=body, method=method, headers={
                "Authorization": f"Bearer {token}", "Content-Type": content_type})
            try:
                with urllib.request.urlopen(request, timeout=600) as response:
                    return json.loads(response.read() or b"null")
            except urllib.error.HTTPError as e:
                sys.exit(f"{method} {path}: {e.code} {e.read()[:2000].decode(errors='replace')}")

        def download(path):
            request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
            size = 0
            with urllib.request.urlopen(request, timeout=3600) as response:
                while chunk := response.read(1 << 20):
                    size += len(chunk)
            return size

        def report(step, seconds, **more):
            print(json.dumps({"backend": backend, "rows": args.rows, "step": step, "seconds": round(seconds, 2),
                              **more, "server_peak_rss_mb": rss.peak_mb()}, ensure_ascii=False), flush=True)

        competition = call("POST", "/api/v1/competitions", json.dumps({
            "title": "Республиканская олимпиада «Жас зерттеуші»", "language": "ru",
            "ends_on": "2026-11-20", "design": args.design}).encode())["id"]
        csv = results_csv(args.rows)
        started = time.monotonic()
        imported = call("POST", f"/api/v1/competitions/{competition}/results", csv, "text/csv")
        uploaded = time.monotonic()
        report("upload", uploaded - started, bytes=len(csv), imported=imported.get("imported"))
        job = call("POST", f"/api/v1/competitions/{competition}/issue")["job_id"]
        while True:
            state = call("GET", f"/api/v1/jobs/{job}")
            if state["state"] in ("done", "failed", "cancelled"):
                break
            time.sleep(0.2)
        issued = time.monotonic()
        stored = sum(os.path.getsize(os.path.join(folder, name))
                     for folder, _, names in os.walk(os.path.join(work, "documents")) for name in names)
        report("issue", issued - uploaded, state=state["state"], documents=state.get("done"),
               pdfs_per_s=round(state.get("done", 0) / max(issued - uploaded, 1e-9), 1),
               stored_mb=round(stored / 1e6, 1))
        zip_bytes = download(f"/api/v1/competitions/{competition}/documents.zip")
        zipped = time.monotonic()
        report("zip", zipped - issued, bytes=zip_bytes)
        report("upload_to_zip", zipped - started, target_s=15 if args.rows <= 10_000 else None)
        print_bytes = download(f"/api/v1/competitions/{competition}/documents.pdf")
        printed = time.monotonic()
        pages = state.get("done", 0)  # every paper, letters of gratitude included
        report("print_pdf", printed - zipped, bytes=print_bytes, pages=pages,
               pages_per_s=round(pages / max(printed - zipped, 1e-9), 1))
        page = call("GET", f"/api/v1/competitions/{competition}/documents?limit=2000")
        codes = [d["code"] for d in page]
        if shutil.which("wrk") and args.wrk_seconds > 0:
            script = os.path.join(work, "codes.lua")
            with open(script, "w") as f:
                f.write("local codes = {" + ",".join(f'"{c}"' for c in codes) + "}\n")
                f.write("request = function() return wrk.format('GET', '/v/' .. codes[math.random(#codes)]) end\n")
            out = subprocess.run(["wrk", "-t2", "-c32", f"-d{args.wrk_seconds}s", "--latency", "-s", script, base],
                                 check=True, capture_output=True, text=True).stdout
            rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
            p99 = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("99%"))
            non2xx = next((line.split()[-1] for line in out.splitlines() if "Non-2xx" in line), "0")
            report("verify_page_wrk", args.wrk_seconds, requests_per_s=rps, p99=p99, non_2xx=int(non2xx),
                   distinct_codes=len(codes))
        rss.running = False
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
        if database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f"DROP DATABASE IF EXISTS {database}"])


if __name__ == "__main__":
    main()
