#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 600): the signed-record decoder, the results file
# reader (CSV in any encoding and XLSX) and the design picture check (JPEG and PNG, seeded with
# small real pictures from fuzz/seeds). CI runs a short pass of the record decoder only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in verify_record results_file picture; do
  echo "== fuzzing $target for $SECONDS_EACH s"
  corpus=(fuzz/corpus/$target)
  mkdir -p "${corpus[0]}"
  [ -d "fuzz/seeds/$target" ] && corpus+=("fuzz/seeds/$target")
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-/var/tmp/gramota-fuzz-target} \
    cargo fuzz run --sanitizer none "$target" "${corpus[@]}" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 2>&1 | tail -n 3
done
