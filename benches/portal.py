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
import statistics
import sys
import threading
import time
import urllib.request

from scale import results_csv
from served import Rss, Served


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


def run_once(args, postgres):
    figures = {}
    with Served("portal", postgres=postgres, env={"GRAMOTA_RATE_LIMIT_PER_MINUTE": "0"}) as s:
        def open_call(competition, **more):
            s.call("PUT", f"/api/v1/competitions/{competition}/call", {
                "published": True, "deadline": "2099-12-20T23:59:00+05:00",
                "nominations": ["Вокал", "Хореография"], "files_max": 1, "file_mb": max(5, args.file_mb + 1),
                "file_kinds": ["pdf"], **more})

        # 1. The deadline rush.
        competition = s.call("POST", "/api/v1/competitions", {"title": "Жас дарын"})["id"]
        open_call(competition)
        rss = Rss(s.server.pid)
        started = time.monotonic()
        latencies, errors = rush(s.port, competition, args.applications, args.clients, args.file_mb)
        took = time.monotonic() - started
        stored = s.call("GET", f"/api/v1/competitions/{competition}/applications")["total"]
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
        results = s.call("POST", "/api/v1/competitions", {"title": "Олимпиада", "language": "ru"})["id"]
        s.call("POST", f"/api/v1/competitions/{results}/results", results_csv(args.entries), "text/csv")
        s.issue(results, poll=0.5)
        open_call(results, results_published=True)
        # The first request builds the page (every paper read once); wrk then measures the evening.
        started = time.monotonic()
        urllib.request.urlopen(f"{s.base}/c/{results}/results", timeout=600).read()
        build_ms = round((time.monotonic() - started) * 1000, 1)
        script = os.path.join(s.work, "results.lua")
        with open(script, "w") as f:
            f.write("local surnames = {'%D0%A1%D0%B5%D0%B9%D1%82%D2%9B%D0%B0%D0%BB%D0%B8', 'Kim', "
                    "'%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2', ''}\n")
            f.write(f"request = function() local s = surnames[math.random(#surnames)] "
                    f"return wrk.format('GET', '/c/{results}/results?surname=' .. s) end\n")
        figures["results_page"] = {"entries": args.entries, "first_request_ms": build_ms,
                                   **s.wrk(script, args.wrk_seconds)}
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
    backend = "postgresql" if args.postgres else "sqlite"
    for run in range(args.runs):
        figures = run_once(args, args.postgres)
        for step, values in figures.items():
            print(json.dumps({"backend": backend, "run": run + 1, "step": step, **values}, ensure_ascii=False),
                  flush=True)


if __name__ == "__main__":
    main()
