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
import sys
import time

from served import Rss, Served

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--design", default="classic")
    args = ap.parse_args()
    env = {"GRAMOTA_MAX_ROWS": str(max(args.rows, 100_000)), "GRAMOTA_MAX_UPLOAD_BYTES": str(256 << 20),
           "GRAMOTA_RATE_LIMIT_PER_MINUTE": "100000000"}
    with Served("scale", postgres=args.postgres, env=env,
                name_ru="Республиканский центр дополнительного образования", city="Астана") as s:
        rss = Rss(s.server.pid)

        def report(step, seconds, **more):
            print(json.dumps({"backend": s.backend, "rows": args.rows, "step": step, "seconds": round(seconds, 2),
                              **more, "server_peak_rss_mb": rss.peak_mb()}, ensure_ascii=False), flush=True)

        competition = s.call("POST", "/api/v1/competitions", {
            "title": "Республиканская олимпиада «Жас зерттеуші»", "language": "ru",
            "ends_on": "2026-11-20", "design": args.design})["id"]
        csv = results_csv(args.rows)
        started = time.monotonic()
        imported = s.call("POST", f"/api/v1/competitions/{competition}/results", csv, "text/csv")
        uploaded = time.monotonic()
        report("upload", uploaded - started, bytes=len(csv), imported=imported.get("imported"))
        state = s.issue(competition)
        issued = time.monotonic()
        stored = sum(os.path.getsize(os.path.join(folder, name))
                     for folder, _, names in os.walk(os.path.join(s.work, "documents")) for name in names)
        report("issue", issued - uploaded, state=state["state"], documents=state.get("done"),
               pdfs_per_s=round(state.get("done", 0) / max(issued - uploaded, 1e-9), 1),
               stored_mb=round(stored / 1e6, 1))
        zip_bytes = s.download(f"/api/v1/competitions/{competition}/documents.zip")
        zipped = time.monotonic()
        report("zip", zipped - issued, bytes=zip_bytes)
        report("upload_to_zip", zipped - started, target_s=15 if args.rows <= 10_000 else None)
        print_bytes = s.download(f"/api/v1/competitions/{competition}/documents.pdf")
        printed = time.monotonic()
        pages = state.get("done", 0)  # every paper, letters of gratitude included
        report("print_pdf", printed - zipped, bytes=print_bytes, pages=pages,
               pages_per_s=round(pages / max(printed - zipped, 1e-9), 1))
        page = s.call("GET", f"/api/v1/competitions/{competition}/documents?limit=2000")
        codes = [d["code"] for d in page]
        if shutil.which("wrk") and args.wrk_seconds > 0:
            script = os.path.join(s.work, "codes.lua")
            with open(script, "w") as f:
                f.write("local codes = {" + ",".join(f'"{c}"' for c in codes) + "}\n")
                f.write("request = function() return wrk.format('GET', '/v/' .. codes[math.random(#codes)]) end\n")
            report("verify_page_wrk", args.wrk_seconds, **s.wrk(script, args.wrk_seconds),
                   distinct_codes=len(codes))
        rss.running = False


if __name__ == "__main__":
    main()
