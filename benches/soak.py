#!/usr/bin/env python3
"""A soak: N minutes of mixed load on a fresh release `gramota serve`, then checks that it held.

Starts the service on a fresh data folder (SQLite, or a fresh PostgreSQL database with --postgres)
with its mail going to a real SMTP server (aiosmtpd, tests/api/smtp_server.py) that this script
stops for --smtp-outage seconds twice during the run. It makes an organization, an API token, a
page account with a password and one through an invitation, then for --minutes runs at once:

- verification scans from a separate process (so the client's own work does not stretch the
  latencies it measures): GET /v/CODE pages and /api/v1/verify/CODE on issued papers, a few unknown
  codes, the published keys — paced at --verify-rate requests a second from many client addresses
  (X-Forwarded-For from a trusted proxy, as behind nginx), the bulk of the load;
- an organizer: a competition every --cycle-seconds (kk or ru), a results CSV of 200–400 rows
  (sometimes uploaded twice), an issue job followed to its end, the documents listed, one paper
  revoked and one re-issued, the documents sent by e-mail (deliveries API);
- ZIP, print-file, bundle and single-PDF downloads; page sign-ins (sign in, a page, sign out, now and
  then a wrong password); `/find` by code and surname; the e-mails' download links opened.

It records every request's status and latency and the server's RSS every 2 s, then checks: no 5xx
(503 with Retry-After — load deliberately shed — is counted apart and retried after its wait) and no
unexpected status; nothing lost (every issued paper verifies with its expected status; every queued
e-mail reached the SMTP server exactly once, counted by Message-ID — one the server went away with
between the final dot and its answer is `uncertain` and is first resent as an organizer would, with
the same Message-ID); RSS after warm-up grows less
than 10 %; p99 of verification at most 20 ms overall and in every minute (measured here, at the
client; the server's own times from its access log are printed beside); and no secret it used
(API token, passwords, session cookies, invitation and download tokens, verification codes,
surnames sent to /find) appears in the server's log. Exit status 1 when a check fails.

    benches/soak.py [--minutes 20] [--postgres] [--verify-rate 200] [--keep]

Needs: a release binary (`cargo build --release`; GRAMOTA_BIN or CARGO_TARGET_DIR say where),
python3 with aiosmtpd, psql for --postgres (postgres://postgres@127.0.0.1:5432/test is used to create
and drop a database of its own).
"""

import argparse
import collections
import datetime
import email
import email.policy
import http.client
import json
import marshal
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERIFY_KINDS = ("verify_page", "verify_api", "verify_unknown")
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

SURNAMES = ["Сейтқали", "Әбілқайырова", "Иванов", "Нұрланұлы", "Жақсыбекова", "Ким", "Оспанов", "Петрова",
            "Төлегенова", "Серікбаев", "Құдайбергенов", "Смагулова", "Ахметов", "Байжанова", "Есімова",
            "Мұқанов", "Тұрсынова", "Қасымов", "Сидорова", "Жұмабаев"]
NAMES = ["Айгерім", "Ерасыл", "Пётр", "Аружан", "Нұрсұлтан", "Ольга", "Дәулет", "Мария", "Інжу", "Санжар",
         "Әлия", "Ғалым", "Қуаныш", "Өмірзақ", "Ұлжан", "Үміт", "Іңкәр", "Анна", "Тимур"]
PATRONYMICS = ["Нұрланқызы", "Серікұлы", "Иванович", "Болатқызы", "", "Ерланұлы", "Сергеевна"]
REGIONS = ["Павлодарская область", "г. Алматы", "г. Астана", "Костанайская область", "Абайская область"]
REGIONS_KK = ["Павлодар облысы", "Алматы қ.", "Астана қ.", "Қостанай облысы", "Абай облысы", "Жетісу облысы"]
NOMINATIONS = ["Экология", "Техника", "Математика", "Информатика", "Биология", "История"]
NOMINATIONS_KK = ["Экология", "Техника", "Математика", "Информатика", "Ән", "Би"]
AGE_GROUPS = ["7–8 лет", "9–10 лет", "11–12 лет", "13–14 лет", "15–16 лет"]
AGE_GROUPS_KK = ["7–8 жас", "9–10 жас", "11–12 жас", "13–14 жас", "15–16 жас"]
AWARDS = ["1 место", "2 место", "3 место", "Диплом II степени", "Участник", "Участник", "Участник"]
AWARDS_KK = ["1 орын", "2 орын", "3 орын", "II дәрежелі диплом", "Қатысушы", "Қатысушы", "Қатысушы"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    """The nearest-rank percentile of `values` (sorted or not); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def client_address(rng):
    """A phone somewhere behind the proxy: the rate limit is per client, as in production."""
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


class Http:
    """One keep-alive connection, as a browser or an HTTP client library holds one."""

    def __init__(self, port, timeout=120):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method, path, body=None, headers=None, sink=None):
        """(status, headers, body, seconds); status 0 when no answer came. `sink(chunk)` takes a
        large body instead of keeping it."""
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                if sink is None:
                    data = response.read()
                else:
                    data = b""
                    while chunk := response.read(1 << 16):
                        sink(chunk)
                elapsed = time.perf_counter() - started
                if response.will_close:
                    self.close()
                return response.status, response.headers, data, elapsed
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                self.close()
                # A kept-alive connection the server closed while idle: ask again on a new one.
                if fresh or attempt:
                    return 0, {}, str(e).encode(), time.perf_counter() - started
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return 0, {}, str(e).encode(), time.perf_counter() - started
        return 0, {}, b"", 0.0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Recorder:
    """Every request: (seconds since the start, kind, status, milliseconds, shed, expected)."""

    def __init__(self, t0):
        self.t0, self.records, self.problems = t0, [], []

    def add(self, kind, status, seconds, headers, expected, path=""):
        shed = status == 503 and headers.get("Retry-After") is not None
        ok = status in expected
        self.records.append((time.monotonic() - self.t0, kind, status, seconds * 1000, shed, ok))
        if not ok and not shed and len(self.problems) < 50:
            self.problems.append(f"{kind} {status} {redact_path(path)}")
        return shed


def redact_path(path):
    """What the report may print of a request: no codes or tokens."""
    return re.sub(r"(/v/|/verify/|/d/|/invite/)[^/?]+", r"\1…", path.split("?")[0])


def call(http_, recorder, kind, method, path, expected=(200,), body=None, headers=None, sink=None,
         retries=5):
    """One request, recorded; a 503 with Retry-After is waited out and asked again."""
    for _ in range(retries + 1):
        status, response_headers, data, seconds = http_.request(method, path, body, headers, sink)
        shed = recorder.add(kind, status, seconds, response_headers, expected, path)
        if not shed:
            return status, response_headers, data
        time.sleep(min(float(response_headers.get("Retry-After", "1")), 10))
    return status, response_headers, data


# --- the verification load, in its own process ---------------------------------------------------

def verifier(port, codes_file, records_file, rate, threads, t0, deadline):
    """Paced scans until `deadline` (time.monotonic(), shared by the processes on Linux)."""
    codes, loaded = [], [0.0]
    lock = threading.Lock()

    def reload():
        try:
            mtime = os.path.getmtime(codes_file)
        except OSError:
            return
        if mtime != loaded[0]:
            with open(codes_file) as f:
                fresh = json.load(f)
            with lock:
                codes[:] = fresh
                loaded[0] = mtime

    reload()
    records = []
    sys.setswitchinterval(0.0005)  # a thread whose answer came waits less for the others

    def worker(n):
        rng = random.Random(n * 7919 + os.getpid())
        http_ = Http(port, timeout=30)
        interval = threads / rate
        next_at = time.monotonic() + rng.random() * interval
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            if next_at > now:
                time.sleep(next_at - now)
            # Paced, not queued: a slow answer delays this worker's next scan instead of piling up.
            next_at = max(next_at + interval, time.monotonic())
            with lock:
                code = rng.choice(codes) if codes else None
            draw = rng.random()
            lang = rng.choice(("kk", "ru", "en"))
            headers = {"X-Forwarded-For": client_address(rng), "Accept-Language": lang}
            if code is None or draw < 0.03:
                kind, expected = "verify_unknown", (404,)
                path = "/api/v1/verify/" + "".join(rng.choice(CODE_ALPHABET) for _ in range(16))
            elif draw < 0.05:
                kind, expected, path = "verify_keys", (200,), "/.well-known/gramota-keys.json"
            elif draw < 0.35:
                kind, expected, path = "verify_api", (200,), "/api/v1/verify/" + code
            else:
                kind, expected, path = "verify_page", (200,), "/v/" + code
            status, response_headers, _, seconds = http_.request("GET", path, headers=headers)
            shed = status == 503 and response_headers.get("Retry-After") is not None
            records.append((time.monotonic() - t0, kind, status, seconds * 1000, shed, status in expected))

    def reloader():
        while time.monotonic() < deadline:
            time.sleep(2)
            reload()

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    pool.append(threading.Thread(target=reloader, daemon=True))
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    with open(records_file, "wb") as f:
        marshal.dump(records, f)


# --- the service and the SMTP server -------------------------------------------------------------

class Smtp:
    """tests/api/smtp_server.py on a fixed port, stopped and started again by the soak."""

    def __init__(self, port, directory):
        self.port, self.directory, self.process = port, directory, None
        self.outages = []

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests", "api", "smtp_server.py"), "--port", str(self.port),
             "--dir", self.directory], stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "ready" not in line:
            raise SystemExit(f"the SMTP server did not start: {line!r}")

    def stop(self):
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None


class Secrets:
    """What must never appear in the server's log, by kind."""

    def __init__(self):
        self.by_kind = collections.defaultdict(set)
        self.lock = threading.Lock()

    def add(self, kind, value):
        if value:
            with self.lock:
                self.by_kind[kind].add(value)


def results_csv(number, lang, rows, rng):
    """A results file as organizers write it: Kazakh (BOM, semicolons) or Russian (commas), a third
    of the rows with the participant's e-mail, every supervisor with theirs."""
    kk = lang == "kk"
    header = (["Аты-жөні", "Мектеп", "Облыс", "Жетекшісі", "Аталым", "Жас санаты", "Орын", "Эл. пошта",
               "Жетекшінің эл. поштасы"] if kk else
              ["ФИО", "Организация", "Регион", "Руководитель", "Номинация", "Возрастная категория", "Место",
               "E-mail", "E-mail руководителя"])
    supervisors = [f"{rng.choice(SURNAMES)} {rng.choice('АБГДЕКМНОС')}.{rng.choice('АБГДЕКМНОС')}."
                   for _ in range(25)]
    supervisors = list(dict.fromkeys(supervisors))
    lines, seen = [header], set()
    while len(lines) <= rows:
        holder = " ".join(p for p in (rng.choice(SURNAMES), rng.choice(NAMES), rng.choice(PATRONYMICS)) if p)
        nomination = rng.choice(NOMINATIONS_KK if kk else NOMINATIONS)
        age_group = rng.choice(AGE_GROUPS_KK if kk else AGE_GROUPS)
        if (holder, nomination, age_group) in seen:
            continue
        seen.add((holder, nomination, age_group))
        s = rng.randrange(len(supervisors))
        row = len(lines)
        lines.append([holder, f"{'№' if not kk else ''}{rng.randrange(1, 60)} {'мектеп' if kk else 'СОШ'}",
                      rng.choice(REGIONS_KK if kk else REGIONS), supervisors[s], nomination, age_group,
                      rng.choice(AWARDS_KK if kk else AWARDS),
                      f"p{number}-{row}@soak.test" if row % 3 == 0 else "", f"s{number}-{s}@soak.test"])
    delimiter = ";" if kk else ","
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    return (("\ufeff" if kk else "") + text).encode()


class Soak:
    def __init__(self, args):
        self.args = args
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        self.binary = os.environ.get("GRAMOTA_BIN", os.path.join(target, "release", "gramota"))
        if not os.path.exists(self.binary):
            raise SystemExit(f"no release binary at {self.binary}: cargo build --release (or set GRAMOTA_BIN)")
        self.work = tempfile.mkdtemp(prefix="gramota-soak-", dir=os.environ.get("SOAK_DIR", "/var/tmp"))
        self.port, smtp_port = free_port(), free_port()
        self.mail_dir = os.path.join(self.work, "mail-received")
        self.smtp = Smtp(smtp_port, self.mail_dir)
        self.log_path = os.path.join(self.work, "serve.log")
        self.env = dict(
            os.environ, GRAMOTA_DATA_DIR=os.path.join(self.work, "data"), GRAMOTA_BIND=f"127.0.0.1:{self.port}",
            GRAMOTA_PUBLIC_URL=f"http://127.0.0.1:{self.port}", GRAMOTA_TRUSTED_PROXIES="127.0.0.1",
            GRAMOTA_SMTP_HOST="127.0.0.1", GRAMOTA_SMTP_PORT=str(smtp_port), GRAMOTA_SMTP_SECURITY="none",
            GRAMOTA_SMTP_TIMEOUT_SECONDS="10", GRAMOTA_MAIL_FROM="Дарын <noreply@soak.test>",
            GRAMOTA_MAIL_PER_MINUTE=str(args.mail_per_minute), GRAMOTA_MAIL_RETRY_SECONDS="5",
            # Every paper as a download link, so the messages carry tokens the soak opens.
            GRAMOTA_MAIL_MAX_ATTACHMENT_BYTES="1", RUST_LOG="info")
        for key in ("DATABASE_URL", "GRAMOTA_LOG_FORMAT", "GRAMOTA_RATE_LIMIT_PER_MINUTE"):
            self.env.pop(key, None)
        self.database = None
        self.server = None
        self.secrets = Secrets()
        self.t0 = time.monotonic()
        self.recorder = Recorder(self.t0)
        self.lock = threading.Lock()
        self.expected = {}  # code -> the status its verification must say
        self.findable = []  # (code, surname) of valid papers of participants
        self.competitions = []  # (id, number of documents, schools)
        self.codes_file = os.path.join(self.work, "codes.json")
        self.rss = []  # (seconds, MB)
        self.stop = threading.Event()
        self.mail_queued = threading.Event()
        self.failures = []

    # --- setup ---

    def cli(self, *arguments, stdin=None):
        done = subprocess.run([self.binary, *arguments], env=self.env, input=stdin, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise SystemExit(f"gramota {arguments[0]} failed: {done.stderr}")
        return done.stdout

    def start(self):
        if self.args.postgres:
            self.database = f"gramota_soak_{os.getpid()}"
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc"]
            subprocess.run(psql + [f"CREATE DATABASE {self.database}"], check=True)
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.database}"
        self.token = self.cli("token", "create", "--org", "soak", "--name-ru", "Областной центр детского творчества",
                              "--name-kk", "Балалар шығармашылығының облыстық орталығы",
                              "--city", "Павлодар").strip().splitlines()[-1]
        self.secrets.add("API token", self.token)
        self.password = secrets.token_urlsafe(18)
        self.secrets.add("password", self.password)
        self.cli("user", "create", "--org", "soak", "--email", "admin@soak.test", "--role", "admin", "--name",
                 "Айгүл Серікқызы", "--password-stdin", stdin=self.password + "\n")
        out = self.cli("user", "create", "--org", "soak", "--email", "metodist@soak.test", "--role", "organizer",
                       "--name", "Ерлан Бекұлы")
        self.invitation = re.search(r"/app/invite/([0-9a-f]{64})", out).group(1)
        self.secrets.add("invitation token", self.invitation)
        os.makedirs(self.mail_dir)
        self.smtp.start()
        self.log = open(self.log_path, "wb")
        self.server = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(600):
            status, _, _, _ = Http(self.port, timeout=1).request("GET", "/healthz")
            if status == 200:
                break
            if self.server.poll() is not None:
                raise SystemExit(f"gramota serve exited: see {self.log_path}")
            time.sleep(0.1)
        else:
            raise SystemExit("gramota serve did not answer /healthz")

    def accept_invitation(self):
        http_ = Http(self.port)
        jar = {}
        page = self.page(http_, jar, "invite_page", "GET", f"/app/invite/{self.invitation}")
        self.organizer_password = secrets.token_urlsafe(18)
        self.secrets.add("password", self.organizer_password)
        status = self.form(http_, jar, "invite_accept", f"/app/invite/{self.invitation}", page,
                           {"name": "Ерлан Бекұлы", "password": self.organizer_password,
                            "password_again": self.organizer_password}, (303,))
        if status != 303:
            raise SystemExit(f"the invitation was not accepted: {status}")

    # --- pages: cookies and CSRF by hand, as a browser without scripts ---

    def page(self, http_, jar, kind, method, path, expected=(200,), body=None, xff=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "Accept-Language": "ru"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if xff:
            headers["X-Forwarded-For"] = xff
        status, response_headers, data = call(http_, self.recorder, kind, method, path, expected, body, headers)
        for value in (response_headers.get_all("Set-Cookie") or []) if response_headers else []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";")[0]
            if cookie_value:
                jar[name] = cookie_value
                self.secrets.add("session cookie" if "session" in name else "CSRF cookie", cookie_value)
            else:
                jar.pop(name, None)
        return status, data

    def form(self, http_, jar, kind, path, page, fields, expected, xff=None):
        match = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page[1])
        if not match:
            self.recorder.problems.append(f"{kind}: no CSRF token in the page")
            return 0
        body = urllib.parse.urlencode({"csrf": match.group(1).decode(), **fields})
        status, _ = self.page(http_, jar, kind, "POST", path, expected, body.encode(), xff)
        return status

    # --- the organizer ---

    def api(self, http_, kind, method, path, expected=(200,), body=None, content_type="application/json",
            sink=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = content_type
        status, response_headers, data = call(http_, self.recorder, kind, method, path, expected, body, headers,
                                              sink)
        return status, response_headers, data

    def competition(self, http_, number, rng):
        lang = "kk" if number % 2 else "ru"
        title = (f"«Жас зерттеуші» облыстық байқауы №{number}" if lang == "kk"
                 else f"Областной конкурс «Юный исследователь» №{number}")
        status, _, data = self.api(http_, "competition_create", "POST", "/api/v1/competitions", (201,),
                                   json.dumps({"title": title, "language": lang, "ends_on": "2026-11-20"}).encode())
        if status != 201:
            return
        cid = json.loads(data)["id"]
        rows = rng.randint(200, 400)
        csv = results_csv(number, lang, rows, rng)
        for attempt in range(2 if number % 3 == 0 else 1):
            status, _, data = self.api(http_, "results_upload", "POST", f"/api/v1/competitions/{cid}/results",
                                       (200,), csv, "text/csv")
            if status != 200:
                return
            answer = json.loads(data)
            wanted = ("added", rows) if attempt == 0 else ("unchanged", rows)
            if answer.get(wanted[0]) != wanted[1]:
                self.failures.append(f"upload #{attempt + 1} of competition {number}: {wanted[0]}="
                                     f"{answer.get(wanted[0])}, expected {wanted[1]}")
        status, _, data = self.api(http_, "issue", "POST", f"/api/v1/competitions/{cid}/issue", (200, 201, 202))
        if status not in (200, 201, 202):
            return
        job = json.loads(data)["job_id"]
        started = time.monotonic()
        while True:
            status, _, data = self.api(http_, "job_status", "GET", f"/api/v1/jobs/{job}")
            state = json.loads(data).get("state") if status == 200 else None
            if state in ("done", "failed", "cancelled") or time.monotonic() - started > 600:
                break
            time.sleep(0.5)
        if state != "done":
            self.failures.append(f"issue job of competition {number}: {state}")
            return
        documents, path = [], f"/api/v1/competitions/{cid}/documents?limit=500"
        while path:
            status, headers, data = self.api(http_, "documents_list", "GET", path)
            if status != 200:
                return
            documents += json.loads(data)
            link = re.search(r"<([^>]+)>;\s*rel=\"next\"", headers.get("Link", ""))
            path = link.group(1) if link else None
        expected = {d["code"]: d["status"] for d in documents}
        holders = [d for d in documents if d["kind"] != "letter" and d["status"] == "valid"]
        revoked, reissued = rng.sample(holders, 2)
        status, _, _ = self.api(http_, "revoke", "POST", f"/api/v1/documents/{revoked['id']}/revoke", (200,),
                                json.dumps({"reason": "Ошибка в протоколе жюри"}).encode())
        if status == 200:
            expected[revoked["code"]] = "revoked"
        status, _, data = self.api(http_, "reissue", "POST", f"/api/v1/documents/{reissued['id']}/reissue", (201,),
                                   json.dumps({"holder": reissued["holder"] + "а"}).encode())
        if status == 201:
            expected[reissued["code"]] = "superseded"
            expected[json.loads(data)["code"]] = "valid"
        findable = [(d["code"], d["holder"].split()[0]) for d in holders
                    if expected[d["code"]] == "valid"]
        schools = sorted({d.get("school") for d in holders if d.get("school")})
        with self.lock:
            self.expected.update(expected)
            self.findable += findable
            self.competitions.append((cid, len(documents), schools))
            codes = list(self.expected)
        with open(self.codes_file + ".tmp", "w") as f:
            json.dump(codes, f)
        os.replace(self.codes_file + ".tmp", self.codes_file)
        status, _, data = self.api(http_, "deliveries_send", "POST", f"/api/v1/competitions/{cid}/deliveries",
                                   (200, 201, 202))
        if status in (200, 201, 202):
            self.mail_queued.set()

    def organizer(self, deadline):
        http_, rng, number = Http(self.port, timeout=600), random.Random(1), 1
        while time.monotonic() < deadline:
            started = time.monotonic()
            number += 1
            self.competition(http_, number, rng)
            self.stop.wait(max(0.0, started + self.args.cycle_seconds - time.monotonic()))

    def downloads(self, deadline):
        http_, rng, turn = Http(self.port, timeout=600), random.Random(2), 0
        while not self.stop.wait(self.args.download_seconds) and time.monotonic() < deadline:
            with self.lock:
                if not self.competitions:
                    continue
                cid, count, schools = rng.choice(self.competitions)
            turn += 1
            size = [0]
            sink = (lambda chunk: size.__setitem__(0, size[0] + len(chunk)))
            what = turn % 4
            if what in (0, 2):
                spool = tempfile.TemporaryFile(dir=self.work)
                query = "?folders=region" if what == 2 else (
                    "?" + urllib.parse.urlencode({"organization": rng.choice(schools)}) if schools and turn % 8 == 0
                    else "")
                status, _, _ = self.api(http_, "download_zip", "GET",
                                        f"/api/v1/competitions/{cid}/documents.zip{query}", sink=spool.write)
                if status == 200:
                    spool.seek(0)
                    try:
                        with zipfile.ZipFile(spool) as z:
                            if not z.namelist() or z.testzip() is not None:
                                self.failures.append("a damaged ZIP")
                    except zipfile.BadZipFile:
                        self.failures.append("a ZIP that does not open")
                spool.close()
            elif what == 1:
                head = bytearray()

                def keep(chunk):
                    if len(head) < 8:
                        head.extend(chunk[:8])
                    sink(chunk)
                status, _, _ = self.api(http_, "download_print", "GET",
                                        f"/api/v1/competitions/{cid}/documents.pdf", sink=keep)
                if status == 200 and not head.startswith(b"%PDF-"):
                    self.failures.append("a print file that is not a PDF")
            else:
                with self.lock:
                    code = rng.choice(self.findable)[0] if self.findable else None
                status, _, data = self.api(http_, "documents_list", "GET",
                                           f"/api/v1/competitions/{cid}/documents?limit=20")
                if status == 200 and json.loads(data):
                    document = rng.choice(json.loads(data))
                    status, _, data = self.api(http_, "download_pdf", "GET",
                                               f"/api/v1/documents/{document['id']}/pdf", (200, 404, 410))

    def sign_ins(self, deadline):
        rng, turn = random.Random(3), 0
        accounts = [("admin@soak.test", self.password), ("metodist@soak.test", self.organizer_password)]
        while not self.stop.wait(self.args.sign_in_seconds) and time.monotonic() < deadline:
            turn += 1
            http_, jar = Http(self.port), {}
            address = client_address(rng)
            login = self.page(http_, jar, "signin_form", "GET", "/app/login", xff=address)
            if turn % 5 == 0:
                wrong = secrets.token_urlsafe(12)
                self.secrets.add("password", wrong)
                self.form(http_, jar, "signin_wrong", "/app/login", login,
                          {"email": accounts[0][0], "password": wrong}, (401,), address)
                continue
            email_, password = accounts[turn % 2]
            if self.form(http_, jar, "signin", "/app/login", login, {"email": email_, "password": password},
                         (303,), address) != 303:
                continue
            listing = self.page(http_, jar, "app_page", "GET", "/app/competitions", xff=address)
            with self.lock:
                cid = rng.choice(self.competitions)[0] if self.competitions else None
            if cid:
                self.page(http_, jar, "app_page", "GET", f"/app/competitions/{cid}", xff=address)
            self.form(http_, jar, "signout", "/app/logout", listing, {}, (303,), address)
            http_.close()

    def finds(self, deadline):
        http_, rng, turn = Http(self.port), random.Random(4), 0
        while not self.stop.wait(self.args.find_seconds) and time.monotonic() < deadline:
            with self.lock:
                if not self.findable:
                    continue
                code, surname = rng.choice(self.findable)
            turn += 1
            self.secrets.add("verification code", code)
            headers = {"X-Forwarded-For": client_address(rng), "Accept-Language": "kk"}
            if turn % 7 == 0:
                wrong = rng.choice([s for s in SURNAMES if s != surname])
                query = urllib.parse.urlencode({"code": code, "surname": wrong})
                call(http_, self.recorder, "find_wrong", "GET", f"/find?{query}", (404,), headers=headers)
                continue
            self.secrets.add("surname sent to /find", surname)
            query = urllib.parse.urlencode({"code": code, "surname": surname})
            if turn % 4 == 0:
                status, _, data = call(http_, self.recorder, "find_pdf", "GET", f"/find/pdf?{query}",
                                       headers=headers)
                if status == 200 and not data.startswith(b"%PDF-"):
                    self.failures.append("/find/pdf gave something else than a PDF")
            else:
                call(http_, self.recorder, "find", "GET", f"/find?{query}", headers=headers)

    def mail_links(self, deadline):
        """Reads what the SMTP server received and opens some of the download links."""
        http_, rng, seen, waiting = Http(self.port), random.Random(5), set(), []
        while not self.stop.wait(1) and time.monotonic() < deadline:
            for name in sorted(os.listdir(self.mail_dir)):
                if not name.endswith(".eml") or name in seen:
                    continue
                seen.add(name)
                with open(os.path.join(self.mail_dir, name), "rb") as f:
                    text = body_text(f.read())
                tokens = re.findall(r"/d/([a-z2-7]{32})", text)
                for token in tokens:
                    self.secrets.add("download token", token)
                if tokens and rng.random() < 0.3:
                    waiting.append(rng.choice(tokens))
            if waiting:
                token = waiting.pop(0)
                headers = {"X-Forwarded-For": client_address(rng)}
                status, _, data = call(http_, self.recorder, "download_link", "GET", f"/d/{token}", (200,),
                                       headers=headers)
                if status == 200 and not data.startswith(b"%PDF-"):
                    self.failures.append("a download link gave something else than a PDF")

    def smtp_outages(self, deadline):
        span = deadline - time.monotonic()
        for fraction in (1 / 3, 2 / 3):
            if self.stop.wait(max(0.0, self.t0 + fraction * span - time.monotonic())):
                return
            # Right after a competition's papers are queued, so the outage catches messages in flight.
            self.mail_queued.clear()
            while not self.mail_queued.wait(1):
                if self.stop.is_set():
                    return
            time.sleep(0.5)
            begun = time.monotonic() - self.t0
            self.smtp.stop()
            self.stop.wait(self.args.smtp_outage)
            self.smtp.start()
            self.smtp.outages.append((begun, time.monotonic() - self.t0))

    def sample_rss(self):
        while not self.stop.is_set():
            try:
                with open(f"/proc/{self.server.pid}/status") as f:
                    kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
                self.rss.append((time.monotonic() - self.t0, kb / 1024))
            except (OSError, StopIteration):
                return
            time.sleep(2)

    # --- the run ---

    def run(self):
        self.start()
        self.accept_invitation()
        # The first competition before the clock starts: the scans have papers from the first second.
        self.competition(Http(self.port, timeout=600), 1, random.Random(0))
        self.recorder.records.clear()
        self.t0 = self.recorder.t0 = time.monotonic()
        self.wall0 = time.time()
        deadline = self.t0 + self.args.minutes * 60
        records_file = os.path.join(self.work, "verify-records.bin")
        scans = multiprocessing.get_context("fork").Process(
            target=verifier, args=(self.port, self.codes_file, records_file, self.args.verify_rate,
                                   self.args.verify_threads, self.t0, deadline))
        scans.start()
        workers = [threading.Thread(target=fn, args=(deadline,), daemon=True)
                   for fn in (self.organizer, self.downloads, self.sign_ins, self.finds, self.mail_links,
                              self.smtp_outages)]
        sampler = threading.Thread(target=self.sample_rss, daemon=True)
        sampler.start()
        for w in workers:
            w.start()
        while time.monotonic() < deadline:
            time.sleep(1)
            if self.server.poll() is not None:
                self.failures.append(f"gramota serve exited with {self.server.returncode} during the run")
                break
        self.stop.set()
        self.elapsed = time.monotonic() - self.t0
        scans.join()
        for w in workers:
            w.join(timeout=900)
        with open(records_file, "rb") as f:
            self.recorder.records += [tuple(r) for r in marshal.load(f)]
        print(f"load over after {self.elapsed:.0f} s; draining the outbox", flush=True)
        self.drain()
        self.report()

    def drain(self):
        http_ = Http(self.port)
        self.deliveries = []
        self.resent = 0
        give_up = time.monotonic() + self.args.drain_seconds
        while True:
            messages = []
            for cid, _, _ in self.competitions:
                status, _, data = self.api(http_, "deliveries_list", "GET", f"/api/v1/competitions/{cid}/deliveries")
                if status == 200:
                    messages += json.loads(data)["messages"]
            pending = [m for m in messages if m["state"] in ("queued", "sending")]
            uncertain = [m for m in messages if m["state"] == "uncertain"]
            if not pending and uncertain and not self.resent:
                # What an organizer does with a message the mail server may or may not have taken
                # (it went away between the final dot and its answer): send it again, same Message-ID.
                for m in uncertain:
                    status, _, _ = self.api(http_, "deliveries_resend", "POST",
                                            f"/api/v1/deliveries/{m['id']}/resend", (202,))
                    self.resent += status == 202
                continue
            if not pending or time.monotonic() > give_up:
                self.deliveries = messages
                self.drain_pending = len(pending)
                return
            time.sleep(3)

    # --- the checks ---

    def report(self):
        records = self.recorder.records
        minutes = self.elapsed / 60
        failed = list(self.failures)
        print()
        print(f"gramota soak: {self.args.minutes} min, {'PostgreSQL' if self.args.postgres else 'SQLite'}, "
              f"release binary {os.path.relpath(self.binary, ROOT) if self.binary.startswith(ROOT) else self.binary}")
        print(f"{'kind':<18}{'requests':>10}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
              f"{'5xx':>6}{'503 shed':>9}{'other':>7}")
        by_kind = collections.defaultdict(list)
        for r in records:
            by_kind[r[1]].append(r)
        errors = shed = unexpected = 0
        for kind in sorted(by_kind, key=lambda k: -len(by_kind[k])):
            rs = by_kind[kind]
            latencies = [r[3] for r in rs]
            k5xx = sum(1 for r in rs if (r[2] >= 500 or r[2] == 0) and not r[4])
            kshed = sum(1 for r in rs if r[4])
            kother = sum(1 for r in rs if not r[5] and not r[4] and not (r[2] >= 500 or r[2] == 0))
            errors, shed, unexpected = errors + k5xx, shed + kshed, unexpected + kother
            print(f"{kind:<18}{len(rs):>10}{len(rs) / self.elapsed:>8.1f}{percentile(latencies, 50):>9.1f}"
                  f"{percentile(latencies, 99):>9.1f}{max(latencies):>9.1f}{k5xx:>6}{kshed:>9}{kother:>7}")
        print(f"{'all':<18}{len(records):>10}{len(records) / self.elapsed:>8.1f}")
        if self.recorder.problems:
            print("unexpected answers (first 50):", *self.recorder.problems, sep="\n  ")

        # Verification latency, overall and minute by minute.
        scans = [r for r in records if r[1] in VERIFY_KINDS]
        latencies = [r[3] for r in scans]
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        per_minute = collections.defaultdict(list)
        for r in scans:
            per_minute[int(r[0] // 60)].append(r[3])
        server_minutes = self.server_side_by_minute()
        print("\nverification (page + API) latency by minute: client side, the server's own (access log), RSS")
        print(f"{'minute':>6}{'requests':>10}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
              f"{'server p99':>12}{'RSS MB':>9}")
        worst = (None, 0.0)
        for minute in sorted(per_minute):
            values = per_minute[minute]
            span = min(60.0, self.elapsed - minute * 60)
            if span < 30:
                continue  # a last few seconds are not a minute
            m99 = percentile(values, 99)
            if m99 > worst[1]:
                worst = (minute + 1, m99)
            server = percentile(server_minutes.get(minute, []), 99)
            rss = [mb for t, mb in self.rss if minute * 60 <= t < minute * 60 + 60]
            print(f"{minute + 1:>6}{len(values):>10}{len(values) / span:>8.1f}{percentile(values, 50):>9.2f}"
                  f"{m99:>9.2f}{max(values):>9.1f}{server if server is not None else float('nan'):>12.2f}"
                  f"{rss[-1] if rss else float('nan'):>9.1f}")
        server_p = self.server_side_latency()

        # RSS: the minute after warm-up against the last minute.
        warm = min(3.0, self.args.minutes / 4) * 60
        after_warm = [mb for t, mb in self.rss if warm <= t < warm + 60]
        last = [mb for t, mb in self.rss if self.elapsed - 60 <= t <= self.elapsed]
        rss_warm, rss_end = percentile(after_warm, 50), percentile(last, 50)
        rss_peak = max((mb for _, mb in self.rss), default=0)
        growth = (rss_end / rss_warm - 1) * 100 if rss_warm and rss_end else float("nan")

        lost_papers = self.check_papers()
        mail = self.check_mail()
        leaks = self.check_log()

        print("\nsummary")
        rows = [
            ("requests", f"{len(records)} in {self.elapsed:.0f} s ({len(records) / self.elapsed:.1f}/s); "
                         f"verification {len(scans)} ({len(scans) / self.elapsed:.1f}/s)"),
            ("5xx (and no answer)", str(errors)),
            ("503 with Retry-After (shed)", str(shed)),
            ("unexpected other status", str(unexpected)),
            ("papers issued / lost", f"{len(self.expected)} / {lost_papers}"),
            ("e-mails queued / delivered once / lost / duplicated",
             f"{mail['queued']} / {mail['once']} / {mail['lost']} / {mail['duplicated']}"
             f" (states {mail['states']}, unknown Message-IDs {mail['unknown']})"),
            ("SMTP outages (s from start) / messages retried", ", ".join(f"{a:.0f}–{b:.0f}" for a, b in self.smtp.outages)
             + f" / {mail['retried']} (at most {mail['attempts']} attempts)"),
            ("uncertain after an outage, resent as an organizer would", str(self.resent)),
            ("RSS after warm-up / end / peak", f"{rss_warm:.1f} MB / {rss_end:.1f} MB / {rss_peak:.1f} MB"
                                                 f" (growth {growth:+.1f} %)" if rss_warm and rss_end else "n/a"),
            ("verification p50 / p99", f"{p50:.2f} ms / {p99:.2f} ms (client side)" if latencies else "n/a"),
            ("verification worst minute p99", f"{worst[1]:.2f} ms (minute {worst[0]})"),
            ("verification p50 / p99 server side", server_p),
            ("secrets found in the log", f"{sum(leaks.values())} of {sum(len(v) for v in self.secrets.by_kind.values())}"
                                          f" ({', '.join(f'{k} {len(v)}' for k, v in sorted(self.secrets.by_kind.items()))})"),
        ]
        for name, value in rows:
            print(f"  {name:<52} {value}")

        checks = [
            ("no 5xx", errors == 0),
            ("no unexpected status", unexpected == 0),
            ("every paper verifies as expected", lost_papers == 0 and self.expected),
            ("every e-mail delivered exactly once", mail["ok"]),
            ("both SMTP outages happened and held messages back", len(self.smtp.outages) == 2 and mail["retried"] > 0),
            ("RSS growth after warm-up < 10 %", growth < 10),
            ("verification p99 <= 20 ms overall", p99 is not None and p99 <= 20),
            ("verification p99 <= 20 ms every minute", worst[1] <= 20),
            ("no secret in the log", not any(leaks.values())),
            ("the service ran throughout", not any("exited" in f for f in failed)),
        ]
        print()
        for name, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}")
        for f in failed:
            print(f"  FAIL  {f}")
        self.passed = all(ok for _, ok in checks) and not failed
        with open(os.path.join(self.work, "rss.csv"), "w") as f:
            f.writelines(f"{t:.1f},{mb:.1f}\n" for t, mb in self.rss)

    def server_side_by_minute(self):
        """The access log's times for the verification routes, by minute of the run."""
        minutes = collections.defaultdict(list)
        pattern = re.compile(r"^(\S+Z) .*GET (?:/v/…|/api/v1/verify/…)\S* \d{3} ([0-9.]+)ms")
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = pattern.search(line)
                if m:
                    at = datetime.datetime.fromisoformat(m.group(1)).timestamp() - self.wall0
                    minutes[int(at // 60)].append(float(m.group(2)))
        return minutes

    def server_side_latency(self):
        """The access log's own times for the verification routes (request received to response)."""
        times = []
        pattern = re.compile(r"GET (?:/v/…|/api/v1/verify/…)\S* \d{3} ([0-9.]+)ms")
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = pattern.search(line)
                if m:
                    times.append(float(m.group(1)))
        if not times:
            return "n/a"
        return f"{percentile(times, 50):.2f} ms / {percentile(times, 99):.2f} ms ({len(times)} log lines)"

    def check_papers(self):
        """Every issued paper, asked once more: its status must be the one the soak expects."""
        with self.lock:
            items = list(self.expected.items())
        lost = []

        def worker(part):
            http_, rng = Http(self.port), random.Random(len(part))
            for code, status in part:
                self.secrets.add("verification code", code)
                got, _, data, _ = http_.request("GET", "/api/v1/verify/" + code,
                                                headers={"X-Forwarded-For": client_address(rng)})
                answer = json.loads(data).get("status") if got == 200 else got
                if answer != status:
                    lost.append((status, answer))

        threads = [threading.Thread(target=worker, args=(items[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if lost:
            print("papers that did not verify as expected (expected, answer):", collections.Counter(lost))
        return len(lost)

    def check_mail(self):
        received = collections.Counter()
        for name in os.listdir(self.mail_dir):
            if name.endswith(".eml"):
                with open(os.path.join(self.mail_dir, name), "rb") as f:
                    message = email.message_from_binary_file(f, policy=email.policy.default)
                received[(message["Message-ID"] or "").strip()] += 1
        queued = {m["message_id"].strip() for m in self.deliveries}
        states = collections.Counter(m["state"] for m in self.deliveries)
        once = sum(1 for mid in queued if received[mid] == 1)
        lost = sum(1 for mid in queued if received[mid] == 0)
        duplicated = sum(1 for mid in queued if received[mid] > 1)
        unknown = sum(1 for mid in received if mid not in queued)
        retried = sum(1 for m in self.deliveries if m["attempts"] > 1)
        ok = bool(queued) and once == len(queued) and unknown == 0 and set(states) == {"sent"}
        return dict(queued=len(queued), once=once, lost=lost, duplicated=duplicated, unknown=unknown,
                    states=dict(states), ok=ok, retried=retried,
                    attempts=max((m["attempts"] for m in self.deliveries), default=0))

    def check_log(self):
        """Each secret the soak used, looked for in the whole log: the long random ones among the log's
        runs of their alphabet, the others (passwords, surnames, the API token) as they are and
        percent-encoded."""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        runs = {
            "verification code": set(re.findall(r"[0-9A-Z]{16,}", log)),
            "download token": set(re.findall(r"[a-z2-7]{32,}", log)),
            "session cookie": set(re.findall(r"[0-9a-f]{64,}", log)),
            "CSRF cookie": set(re.findall(r"[0-9a-f]{64,}", log)),
            "invitation token": set(re.findall(r"[0-9a-f]{64,}", log)),
        }
        leaks = {}
        for kind, values in self.secrets.by_kind.items():
            found = set()
            if kind in runs:
                length = len(next(iter(values)))
                windows = {run[i:i + length] for run in runs[kind] for i in range(len(run) - length + 1)}
                found = values & windows
            for value in values if kind not in runs or len(values) < 300 else ():
                variants = {value, urllib.parse.quote(value), urllib.parse.quote(value).lower(),
                            urllib.parse.quote_plus(value)}
                if any(v in log for v in variants):
                    found.add(value)
            leaks[kind] = len(found)
            if found:
                print(f"LEAK: {len(found)} {kind}(s) in {self.log_path}")
        return leaks

    def cleanup(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.smtp.stop()
        if self.database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f"DROP DATABASE IF EXISTS {self.database}"])
        if self.args.keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def body_text(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [p.get_content() for p in message.walk() if p.get_content_type() in ("text/plain", "text/html")]
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--postgres", action="store_true", help="on a fresh database at 127.0.0.1:5432")
    ap.add_argument("--verify-rate", type=float, default=200, help="verification requests a second")
    ap.add_argument("--verify-threads", type=int, default=8)
    ap.add_argument("--cycle-seconds", type=float, default=60, help="a new competition this often")
    ap.add_argument("--download-seconds", type=float, default=12)
    ap.add_argument("--sign-in-seconds", type=float, default=6)
    ap.add_argument("--find-seconds", type=float, default=0.5)
    ap.add_argument("--smtp-outage", type=float, default=20)
    ap.add_argument("--mail-per-minute", type=int, default=600)
    ap.add_argument("--drain-seconds", type=float, default=300)
    ap.add_argument("--keep", action="store_true", help="keep the data folder, the log and the mail")
    args = ap.parse_args()
    soak = Soak(args)
    soak.passed = False
    try:
        soak.run()
    finally:
        soak.cleanup()
    sys.exit(0 if soak.passed else 1)


if __name__ == "__main__":
    main()
