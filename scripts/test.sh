#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then the integration tests against the embedded SQLite
# and, when a PostgreSQL answers, the same integration tests against it.
# Installs the tools the tests check PDFs with (poppler-utils, qpdf, zbar-tools), strace (a test
# checks the key file is synced) and the browser the
# page tests run in (Debian's chromium) when missing, and the browser and credential tests' npm
# packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v qpdf >/dev/null || missing+=(qpdf)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
command -v chromium >/dev/null || missing+=(chromium)
command -v strace >/dev/null || missing+=(strace)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} (the tests read PDFs and QR codes with them)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The web application's browser test drives Chromium with playwright-core (no browser download:
# it uses the chromium above). Needs Node.js 18+ and npm.
if ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing nodejs and npm (the web application's browser test runs in Node.js)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
# The credential tests verify gramota's Open Badges credentials with jose and ajv, not gramota's code.
(cd tests/credentials && npm ci --no-audit --no-fund --loglevel=error)
# The delivery tests send to a real SMTP server, Python's aiosmtpd.
python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install -q aiosmtpd

echo "== tests on SQLite"
cargo test --all-targets

PG_URL=${GRAMOTA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || [ -n "${GRAMOTA_TEST_POSTGRES_URL:-}" ]; then
  echo "== integration tests on PostgreSQL ($PG_URL)"
  GRAMOTA_TEST_POSTGRES_URL="$PG_URL" cargo test --test api
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432; CI requires the PostgreSQL pass" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at 127.0.0.1:5432: skipped the PostgreSQL pass"
fi
