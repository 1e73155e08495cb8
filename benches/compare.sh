#!/usr/bin/env bash
# Renders the reference diploma of ../shared/peers/common/LAYOUT.md N times with gramota and, in
# the same run, with the peers (Typst and ReportLab, two processes each), then prints each tool's
# figures and gramota's ratio to each peer. Machines are noisy: gramota's figure is the median of
# ROUNDS rounds; run the script on an otherwise idle machine.
# Usage: benches/compare.sh [N=1000 (peers do at most 1000)] [ROUNDS=5]
set -euo pipefail
N=${1:-1000}
ROUNDS=${2:-5}
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/gramota-target}
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
WORK=${PEERS_WORK:-/tmp/peers-work}

cargo bench --bench render --no-run -q 2>/dev/null || cargo bench --bench render --no-run
echo "== peers (Typst, ReportLab) on the same page" >&2
"$PEERS/run.sh" "$N" "$WORK" | tee "$WORK/peers.jsonl"
echo "== gramota" >&2
cargo bench -q --bench render -- "$WORK/common" "$N" "$ROUNDS" | tee "$WORK/gramota.jsonl"

python3 - "$WORK/peers.jsonl" "$WORK/gramota.jsonl" <<'PY'
import json, sys
peers = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ours = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
separate = next(o for o in ours if o["mode"].startswith("separate"))
combined = next(o for o in ours if o["mode"].startswith("combined"))
kept = next(o for o in ours if o["mode"].startswith("signed PDFs kept"))
print(f"\ngramota, each signed PDF whole in a file of its own: {separate['diplomas_per_s']:.0f} PDFs/s "
      f"({separate['ms_per_diploma']:.3f} ms each, {separate['bytes_per_pdf']} bytes, peak RSS {separate['peak_rss_mb']} MB)")
print(f"gramota, each signed PDF kept as the service keeps it (the design's start once, packed, on disk): "
      f"{kept['diplomas_per_s']:.0f} PDFs/s ({kept['ms_per_diploma']:.3f} ms each, {kept['stored_bytes_per_pdf']} bytes of disk each)")
print(f"gramota, combined print PDF: {combined['pages_per_s']:.0f} pages/s ({combined['bytes_per_page']} bytes a page)")
for p in peers:
    per_pdf = p.get("total_bytes", 0) // max(p.get("n", 1), 1)
    print(f"{p['tool']:<28} {p['diplomas_per_s']:>8.1f} PDFs/s  {p['ms_per_diploma']:>7.2f} ms  {per_pdf:>8} bytes"
          f"   gramota is {separate['diplomas_per_s'] / p['diplomas_per_s']:.1f}x (own files), "
          f"{kept['diplomas_per_s'] / p['diplomas_per_s']:.1f}x (as kept)")
PY
