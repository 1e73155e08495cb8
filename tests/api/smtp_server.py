"""A real SMTP server for the delivery tests (aiosmtpd).

Every accepted message is written whole, as received, to DIR/<arrival>.eml; addresses given with
--reject are refused at RCPT with a 550 and the server's words. Prints "ready" once listening and
runs until killed.

    python3 smtp_server.py --port 2525 --dir /tmp/mail [--reject a@x.kz,b@y.kz] [--rcpt-delay-ms 30]
"""

import argparse
import asyncio
import itertools
import os
import signal
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Keeper:
    def __init__(self, directory, reject, rcpt_delay):
        self.directory = directory
        self.reject = reject
        self.rcpt_delay = rcpt_delay
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: mailbox unavailable" % address
        if self.rcpt_delay:
            # A slow server: a client killed now has a message claimed and not yet handed over.
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        name = "%d-%d-%06d" % (os.getpid(), time.time_ns(), number)
        temporary = os.path.join(self.directory, name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.directory, name + ".eml"))
        return "250 2.0.0 OK: queued as %s" % name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject", default="")
    parser.add_argument("--rcpt-delay-ms", type=int, default=0)
    # STARTTLS required, with this certificate and key, and a login required after it.
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--login", help="user:password")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    reject = {a.strip().lower() for a in args.reject.split(",") if a.strip()}
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.login:
        user, password = args.login.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok)

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller = Controller(
        Keeper(args.dir, reject, args.rcpt_delay_ms / 1000),
        hostname="127.0.0.1",
        port=args.port,
        enable_SMTPUTF8=True,
        data_size_limit=64 * 1024 * 1024,
        **options,
    )
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
