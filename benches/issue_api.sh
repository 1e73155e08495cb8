#!/usr/bin/env bash
# Times the whole path through the API on this machine: upload an N-row results file, issue, wait for
# the job, download the ZIP. Runs the release binary on a fresh SQLite database (or DATABASE_URL).
# Usage: benches/issue_api.sh [N=1000] [RUNS=3]    prints one line per run and the median.
set -euo pipefail
N=${1:-1000}
RUNS=${2:-3}
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/gramota-target}
cargo build --release -q
BIN=$CARGO_TARGET_DIR/release/gramota
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export GRAMOTA_DATA_DIR=$WORK/data GRAMOTA_BIND=127.0.0.1:18089 GRAMOTA_RATE_LIMIT_PER_MINUTE=0 RUST_LOG=warn
TOKEN=$($BIN token create --org bench-center --name-ru "Центр дополнительного образования" | tail -1)
$BIN serve & SERVER=$!
API=http://127.0.0.1:18089/api/v1
for _ in $(seq 50); do curl -sf http://127.0.0.1:18089/healthz >/dev/null && break; sleep 0.1; done

python3 - "$N" > "$WORK/results.csv" <<'PY'
import sys
surnames = ["Сейтқали", "Әбілқайыров", "Нұрланұлы", "Жұмабеков", "Құдайбергенов", "Өтегенов", "Ғабитов", "Үсенов", "Іскаков", "Ким"]
given = ["Айгерім", "Аружан", "Ерасыл", "Нұрсұлтан", "Әсем", "Ғалым", "Ұлжан", "Өмірзақ", "Іңкәр", "Дәулет"]
awards = ["1 место", "2 место", "3 место", "Гран-при", "Участник", "Диплом I степени"]
print("ФИО,Организация,Регион,Руководитель,Номинация,Место")
for i in range(int(sys.argv[1])):
    print(f"{surnames[i % 10]} {given[i // 10 % 10]} {i},СОШ №{i % 40 + 1},Павлодарская область,Ахметова Г.С.,Экология,{awards[i % 6]}")
PY

now() { date +%s.%N; }
times=()
for run in $(seq "$RUNS"); do
  CID=$(curl -sf -X POST $API/competitions -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Республиканский конкурс, прогон $run\",\"ends_on\":\"2026-11-20\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
  t0=$(now)
  curl -sf -X POST $API/competitions/$CID/results -H "Authorization: Bearer $TOKEN" --data-binary @"$WORK/results.csv" >/dev/null
  t1=$(now)
  JOB=$(curl -sf -X POST $API/competitions/$CID/issue -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys;print(json.load(sys.stdin)["job_id"])')
  while :; do
    STATE=$(curl -sf $API/jobs/$JOB -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys;print(json.load(sys.stdin)["state"])')
    [ "$STATE" = done ] && break
    [ "$STATE" = failed ] && { echo "job failed"; exit 1; }
    sleep 0.05
  done
  t2=$(now)
  curl -sf -o "$WORK/documents.zip" $API/competitions/$CID/documents.zip -H "Authorization: Bearer $TOKEN"
  t3=$(now)
  total=$(python3 -c "print(f'{$t3-$t0:.2f}')")
  times+=("$total")
  python3 -c "
n=$N; up=$t1-$t0; iss=$t2-$t1; z=$t3-$t2
print(f'run $run: {n} documents: upload {up:.2f} s, issue {iss:.2f} s ({n/iss:.0f} PDFs/s), zip {z:.2f} s ({$(stat -c %s "$WORK/documents.zip")/1e6:.1f} MB), total {up+iss+z:.2f} s')"
done
joined=$(IFS=,; echo "${times[*]}")
python3 -c "import statistics;print(f'median total for $N documents: {statistics.median([$joined]):.2f} s')"
