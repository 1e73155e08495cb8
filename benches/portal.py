#!/usr/bin/env python3
"""The competition portal under its two rushes, through a real `gramota serve` (release build).

1. The deadline rush: CLIENTS concurrent parents send APPLICATIONS applications, each with a
   FILE_MB MB PDF work, through the public form (the form's page first, for its CSRF cookie, then
   the multipart POST). Reports errors, the POST latency's median and p99, and the server's peak
   RSS (VmHWM) during the rush.
2. The evening results are published: a competition of ENTRIES issued papers, its public results
   page built by a first request (timed), then loaded with wrk, three requests in four searching a
   surname. Reports the first request's time, requests/s and p99.

    benches/portal.py [--applications 200] [--clients 50] [--file-mb 2] [--entries 10000]
                      [--wrk-seconds 10] [--postgres] [--runs 1]

Needs a release binary (`cargo build --release`; GRAMOTA_BIN overrides the path), wrk, and psql
for --postgres (a fresh database at 127.0.0.1:5432, dropped afterwards). The public rate limit is
off: a real rush comes from many addresses, a bench from one.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from scale import Rss, free_port, results_csv


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


def pdf_of(megabytes, n):
    body = b"%PDF-1.4\n% work " + str(n).encode() + b"\n"
    filler = (b"0 0 m 100 100 l S\n" * 4096)
    while len(body) < megabytes * 1024 * 1024:
        body += filler
    return body[: megabytes * 1024 * 1024 - 6] + b"\n%%EOF"


def multipart(fields, files):
    boundary = "----gramota-bench"
    out = []
    for name, value in fields:
        out.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode())
    for name, filename, data in files:
        out.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                   f"Content-Type: application/pdf\r\n\r\n".encode())
        out.append(data)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def rush(port, competition, applications, clients, file_mb):
    """Sends the applications from `clients` threads; returns (latencies, errors)."""
    latencies, errors, lock = [], [], threading.Lock()
    todo = list(range(applications))
    works = [pdf_of(file_mb, n) for n in range(8)]

    def parent():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not todo:
                    return
                n = todo.pop()
            try:
                connection.request("GET", f"/c/{competition}/apply", headers={"Accept-Language": "ru"})
                page = connection.getresponse()
                html = page.read().decode()
                cookie = page.getheader("Set-Cookie", "").split(";")[0]
                at = html.index('name="csrf" value="') + 19
                csrf = html[at:at + 64]
                body, content_type = multipart(
                    [("csrf", csrf), ("holder", f"Участник Номер{n}"), ("school", f"СОШ №{n % 90 + 1}"),
                     ("region", "г. Астана"), ("nomination", ["Вокал", "Хореография"][n % 2]),
                     ("email", f"parent{n}@family.test"), ("minor", "on"), ("guardian_name", "Родитель"),
                     ("consent", "on")],
                    [("work", f"работа-{n}.pdf", works[n % len(works)])])
                started = time.monotonic()
                connection.request("POST", f"/c/{competition}/apply", body=body, headers={
                    "Content-Type": content_type, "Cookie": cookie, "Accept-Language": "ru"})
                reply = connection.getresponse()
                text = reply.read()
                took = time.monotonic() - started
                with lock:
                    latencies.append(took)
                    if reply.status != 200 or b'id="applied"' not in text:
                        errors.append(f"{reply.status}: {text[:300]!r}")
            except Exception as e:  # a dropped connection is an error of the rush, not of the bench
                with lock:
                    errors.append(repr(e))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    threads = [threading.Thread(target=parent) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def run_once(args, binary, backend):
    work = tempfile.mkdtemp(prefix="gramota-portal-", dir=os.environ.get("SCALE_DIR", "/var/tmp"))
    port = free_port()
    env = dict(os.environ, GRAMOTA_DATA_DIR=work, GRAMOTA_BIND=f"127.0.0.1:{port}",
               GRAMOTA_PUBLIC_URL=f"http://127.0.0.1:{port}", GRAMOTA_RATE_LIMIT_PER_MINUTE="0",
               RUST_LOG="warn")
    database = None
    if args.postgres:
        database = f"gramota_portal_{os.getpid()}"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                        f"CREATE DATABASE {database}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    server = None
    figures = {}
    try:
        token = subprocess.run([binary, "token", "create", "--org", "portal", "--name-ru", "Центр «Дарын»"],
                               env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)

        def call(method, path, body=None, content_type="application/json"):
            request = urllib.request.Request(base + path, data=body, method=method, headers={
                "Authorization": f"Bearer {token}", "Content-Type": content_type})
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.loads(response.read() or b"null")

        def open_call(competition, **more):
            call("PUT", f"/api/v1/competitions/{competition}/call", json.dumps({
                "published": True, "deadline": "2099-12-20T23:59:00+05:00",
                "nominations": ["Вокал", "Хореография"], "files_max": 1, "file_mb": max(5, args.file_mb + 1),
                "file_kinds": ["pdf"], **more}).encode())

        # 1. The deadline rush.
        competition = call("POST", "/api/v1/competitions", json.dumps({"title": "Жас дарын"}).encode())["id"]
        open_call(competition)
        rss = Rss(server.pid)
        started = time.monotonic()
        latencies, errors = rush(port, competition, args.applications, args.clients, args.file_mb)
        took = time.monotonic() - started
        stored = call("GET", f"/api/v1/competitions/{competition}/applications")["total"]
        figures["rush"] = {
            "applications": args.applications, "clients": args.clients, "file_mb": args.file_mb,
            "stored": stored, "errors": len(errors), "seconds": round(took, 1),
            "post_median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "post_p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "server_peak_rss_mb": rss.peak_mb(),
        }
        rss.running = False
        if errors:
            print("first errors:", errors[:3], file=sys.stderr)

        # 2. The results page of a large competition.
        results = call("POST", "/api/v1/competitions", json.dumps({"title": "Олимпиада", "language": "ru"}).encode())["id"]
        call("POST", f"/api/v1/competitions/{results}/results", results_csv(args.entries), "text/csv")
        job = call("POST", f"/api/v1/competitions/{results}/issue")["job_id"]
        while call("GET", f"/api/v1/jobs/{job}")["state"] not in ("done", "failed", "cancelled"):
            time.sleep(0.5)
        open_call(results, results_published=True)
        # The first request builds the page (every paper read once); wrk then measures the evening.
        started = time.monotonic()
        urllib.request.urlopen(f"{base}/c/{results}/results", timeout=600).read()
        build_ms = round((time.monotonic() - started) * 1000, 1)
        script = os.path.join(work, "results.lua")
        with open(script, "w") as f:
            f.write("local surnames = {'%D0%A1%D0%B5%D0%B9%D1%82%D2%9B%D0%B0%D0%BB%D0%B8', 'Kim', "
                    "'%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2', ''}\n")
            f.write(f"request = function() local s = surnames[math.random(#surnames)] "
                    f"return wrk.format('GET', '/c/{results}/results?surname=' .. s) end\n")
        out = subprocess.run(["wrk", "-t2", "-c32", f"-d{args.wrk_seconds}s", "--latency", "-s", script, base],
                             check=True, capture_output=True, text=True).stdout
        rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
        p99 = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("99%"))
        non2xx = next((line.split()[-1] for line in out.splitlines() if "Non-2xx" in line), "0")
        figures["results_page"] = {"entries": args.entries, "first_request_ms": build_ms, "requests_per_s": rps,
                                   "p99": p99, "non_2xx": int(non2xx)}
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
        if database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f"DROP DATABASE IF EXISTS {database}"])
    return figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--applications", type=int, default=200)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--file-mb", type=int, default=2)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/gramota-target")
    binary = os.environ.get("GRAMOTA_BIN", os.path.join(target, "release", "gramota"))
    backend = "postgresql" if args.postgres else "sqlite"
    for run in range(args.runs):
        figures = run_once(args, binary, backend)
        for step, values in figures.items():
            print(json.dumps({"backend": backend, "run": run + 1, "step": step, **values}, ensure_ascii=False),
                  flush=True)


if __name__ == "__main__":
    main()
