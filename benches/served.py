"""A real `gramota serve` for the benches: a fresh data folder (and, with postgres, a fresh database
at 127.0.0.1:5432, dropped afterwards), an organization with an API token, the release binary
started and awaited, and the calls the benches make of it. Shared by scale.py, portal.py and
pages.py, so each bench says only what it measures.

    with Served("scale", postgres=False, env={"GRAMOTA_MAX_ROWS": "100000"}) as s:
        competition = s.call("POST", "/api/v1/competitions", {...})["id"]
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary():
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/gramota-target")
    return os.environ.get("GRAMOTA_BIN", os.path.join(target, "release", "gramota"))


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


def wrk(base, script, seconds, connections=32):
    """Runs wrk with a Lua script against `base`: requests/s, p99 (as wrk prints it) and non-2xx."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, base],
                         check=True, capture_output=True, text=True).stdout
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    p99 = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("99%"))
    non2xx = next((line.split()[-1] for line in out.splitlines() if "Non-2xx" in line), "0")
    return {"requests_per_s": rps, "p99": p99, "non_2xx": int(non2xx)}


def millis(wrk_time):
    """wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if wrk_time.endswith(unit):
            return float(wrk_time[: -len(unit)]) * factor
    return float(wrk_time)


class Served:
    def __init__(self, org, postgres=False, env=None, name_ru="Центр «Дарын»", city=None):
        self.org, self.postgres, self.extra_env = org, postgres, env or {}
        self.name_ru, self.city = name_ru, city
        self.server, self.database = None, None

    def __enter__(self):
        self.work = tempfile.mkdtemp(prefix=f"gramota-{self.org}-", dir=os.environ.get("SCALE_DIR", "/var/tmp"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, GRAMOTA_DATA_DIR=self.work, GRAMOTA_BIND=f"127.0.0.1:{self.port}",
                        GRAMOTA_PUBLIC_URL=self.base, RUST_LOG=os.environ.get("RUST_LOG", "warn"),
                        **self.extra_env)
        if self.postgres:
            self.database = f"gramota_{self.org}_{os.getpid()}"
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f"CREATE DATABASE {self.database}"], check=True)
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.database}"
        try:
            command = [binary(), "token", "create", "--org", self.org, "--name-ru", self.name_ru]
            if self.city:
                command += ["--city", self.city]
            self.token = self.gramota(*command[1:]).strip().splitlines()[-1]
            self.server = subprocess.Popen([binary(), "serve"], env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=sys.stderr)
            for _ in range(200):
                try:
                    urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.05)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_):
        if self.server:
            self.server.terminate()
            self.server.wait()
        shutil.rmtree(self.work, ignore_errors=True)
        if self.database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f"DROP DATABASE IF EXISTS {self.database}"])

    @property
    def backend(self):
        return "postgresql" if self.postgres else "sqlite"

    def gramota(self, *args, stdin=None):
        """Runs a command of the same binary on the same data: its standard output."""
        return subprocess.run([binary(), *args], env=self.env, check=True, capture_output=True, text=True,
                              input=stdin).stdout

    def call(self, method, path, body=None, content_type="application/json"):
        """An API call with the organization's token; a dict body is sent as JSON."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            sys.exit(f"{method} {path}: {e.code} {e.read()[:2000].decode(errors='replace')}")

    def download(self, path):
        """Reads an API download to its end: its size in bytes."""
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {self.token}"})
        size = 0
        with urllib.request.urlopen(request, timeout=3600) as response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
        return size

    def issue(self, competition, poll=0.2):
        """Issues a competition's papers and waits for the job: its last state."""
        job = self.call("POST", f"/api/v1/competitions/{competition}/issue")["job_id"]
        while True:
            state = self.call("GET", f"/api/v1/jobs/{job}")
            if state["state"] in ("done", "failed", "cancelled"):
                return state
            time.sleep(poll)

    def wrk(self, script, seconds, connections=32):
        return wrk(self.base, script, seconds, connections)
