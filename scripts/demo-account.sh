#!/usr/bin/env bash
# The account part of the demo: deploy the generated templates into a local emulator (`archkit emulate`),
# verify it clean, change it behind the spec's back, verify again (the finding, exit 1) and draw the findings
# onto every view. Everything it starts is stopped when it exits, however it exits.
#   scripts/demo-account.sh [SPEC]      (OUT=generated: reads $OUT/cdk.out, writes $OUT/verify-demo.json)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
SPEC="${1:-specs/reference.yaml}"
OUT="${OUT:-generated}"
archkit() { "$PYTHON" -m archkit "$@"; }
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "archkit emulate   (the generated templates deployed into a local moto server; no AWS account needed)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
LOG="$(mktemp)"
EMULATOR=""
stop_emulator() {
  if [ -n "$EMULATOR" ] && kill -0 "$EMULATOR" 2>/dev/null; then
    kill "$EMULATOR" 2>/dev/null || true
    wait "$EMULATOR" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap stop_emulator EXIT
trap 'exit 130' INT TERM
# The emulator is the Python process itself (not a shell function in a subshell), so $! is the process that
# holds the server, and stopping it stops the server.
"$PYTHON" -m archkit emulate --spec "$SPEC" --cdk-out "$OUT/cdk.out" --port 0 >"$LOG" 2>&1 &
EMULATOR=$!
for _ in $(seq 1 600); do
  grep -q "^emulator ready: " "$LOG" && break
  kill -0 "$EMULATOR" 2>/dev/null || { cat "$LOG"; echo "the emulator did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "^emulator ready: " "$LOG" || { cat "$LOG"; echo "the emulator did not get ready in 300 s" >&2; exit 1; }
cat "$LOG"
ENDPOINT="$(sed -n 's/^emulator ready: //p' "$LOG")"

step "archkit verify --endpoint-url $ENDPOINT   (the account as deployed: expect a clean report)"
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT"

step "archkit emulate --change pitr-off   (someone turns point-in-time recovery off behind the spec's back)"
archkit emulate --spec "$SPEC" --change pitr-off --endpoint-url "$ENDPOINT"

step "archkit verify again   (expect the finding, exit code 1; JSON report in $OUT/verify-demo.json)"
set +e
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT"
code=$?
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT" --format json --output "$OUT/verify-demo.json" >/dev/null
set -e
if [ "$code" -ne 1 ]; then
  echo "expected verify to report the change (exit 1), got exit $code" >&2
  exit 1
fi
archkit diagram --spec "$SPEC" --view all --format png,svg --overlay "$OUT/verify-demo.json" \
  --out "$OUT/diagrams/overlay"
