#!/usr/bin/env python3
"""The pages of a large competition, as its organizer and the public open them, through a real
`gramota serve` (release build): issue 18 asks that every page answers in ≤ 50 ms p99 with 10,000
entries.

A competition of ENTRIES entries (the results file of scale.py), issued, with its call for
applications open and its results published; the organizer signs in through the login form like a
browser. Each page is then loaded with wrk for WRK_SECONDS by CONNECTIONS connections (a busy
office, not a crowd: the public pages' crowd is in scale.py and portal.py); one JSON line per page
with requests/s and p99, and a last line saying which pages missed 50 ms. --runs N repeats the whole
and prints each page's median p99 over the runs.

    benches/pages.py [--entries 10000] [--wrk-seconds 5] [--connections 8] [--postgres] [--runs 1]

Needs a release binary (`cargo build --release`; GRAMOTA_BIN overrides the path), wrk, and psql for
--postgres.
"""

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import sys
import urllib.parse
import urllib.request

from scale import results_csv
from served import Served, millis

TARGET_MS = 50.0
EMAIL, PASSWORD = "metodist@example.kz", "correct horse battery staple"


def sign_in(base):
    """The organizer's session cookie, got the way a browser gets it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/app/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrf": csrf, "email": EMAIL, "password": PASSWORD}).encode()
    opener.open(f"{base}/app/login", data=body, timeout=30).read()
    session = next((c.value for c in jar if c.name == "gramota_session"), None)
    if not session:
        sys.exit("sign-in failed: no session cookie")
    return f"gramota_session={session}"


def run_once(args):
    rows = {}
    env = {"GRAMOTA_RATE_LIMIT_PER_MINUTE": "0", "GRAMOTA_MAX_ROWS": str(max(args.entries, 10_000)),
           "GRAMOTA_MAX_UPLOAD_BYTES": str(64 << 20)}
    with Served("pages", postgres=args.postgres, env=env) as s:
        s.gramota("user", "create", "--org", "pages", "--email", EMAIL, "--role", "admin", "--name",
                  "Методист", "--password-stdin", stdin=PASSWORD + "\n")
        competition = s.call("POST", "/api/v1/competitions", {
            "title": "Областная олимпиада «Жас зерттеуші»", "language": "ru", "ends_on": "2026-11-20"})["id"]
        s.call("POST", f"/api/v1/competitions/{competition}/results", results_csv(args.entries), "text/csv")
        job = s.issue(competition, poll=0.5)
        s.call("PUT", f"/api/v1/competitions/{competition}/call", {
            "published": True, "deadline": "2099-12-20T23:59:00+05:00", "nominations": ["Экология"],
            "results_published": True})
        person = s.call("GET", "/api/v1/persons")
        person = person[0]["id"] if isinstance(person, list) and person else None
        cookie = sign_in(s.base)
        c = f"/app/competitions/{competition}"
        pages = [
            ("organizer", "/app/competitions"), ("organizer", c), ("organizer", f"{c}/edit"),
            ("organizer", f"{c}/documents"), ("organizer", f"{c}/deliveries"), ("organizer", f"{c}/bundles"),
            ("organizer", f"{c}/call"), ("organizer", f"{c}/applications"), ("organizer", f"/app/jobs/{job['id']}"),
            ("organizer", "/app/persons"), ("organizer", "/app/reports"), ("organizer", "/app/audit"),
            ("public", f"/c/{competition}"), ("public", f"/c/{competition}/results"),
        ]
        if person:
            pages.append(("organizer", f"/app/persons/{person}"))
        for who, path in pages:
            # Built once before measuring: a first request may fill a cache, as the first visitor would.
            request = urllib.request.Request(s.base + path, headers={"Cookie": cookie} if who == "organizer" else {})
            with urllib.request.urlopen(request, timeout=600) as response:
                size = len(response.read())
            script = os.path.join(s.work, "page.lua")
            with open(script, "w") as f:
                if who == "organizer":
                    f.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
                f.write('wrk.headers["Accept-Language"] = "ru"\n')
                f.write(f'request = function() return wrk.format("GET", "{path}") end\n')
            measured = s.wrk(script, args.wrk_seconds, args.connections)
            key = path.replace(competition, "{id}").replace(job["id"], "{job}")
            if person:
                key = key.replace(person, "{person}")
            rows[key] = {"who": who, "bytes": size, **measured}
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--wrk-seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    backend = "postgresql" if args.postgres else "sqlite"
    runs = []
    for run in range(args.runs):
        rows = run_once(args)
        runs.append(rows)
        for page, values in rows.items():
            print(json.dumps({"backend": backend, "run": run + 1, "page": page, **values}, ensure_ascii=False),
                  flush=True)
    medians = {page: statistics.median(millis(r[page]["p99"]) for r in runs) for page in runs[0]}
    missed = {page: round(ms, 1) for page, ms in medians.items() if ms > TARGET_MS}
    print(json.dumps({"backend": backend, "entries": args.entries, "runs": args.runs, "target_p99_ms": TARGET_MS,
                      "median_p99_ms": {p: round(ms, 1) for p, ms in medians.items()}, "missed": missed},
                     ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
