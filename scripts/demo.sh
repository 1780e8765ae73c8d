#!/usr/bin/env bash
# The main job on a spec (default: the reference spec): validate, generate CDK, draw diagrams, build the
# docs pages, then verify an emulated AWS account (a local moto server holding the system as deployed):
# once clean, once after a deliberate change, so you see both a clean report and a real finding.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
SPEC="${1:-specs/reference.yaml}"
archkit() { "$PYTHON" -m archkit "$@"; }

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "archkit validate $SPEC"
archkit validate "$SPEC"
step "archkit generate  (CDK cloud assembly -> generated/cdk.out)"
archkit generate --spec "$SPEC" --out generated
step "archkit diagram   (7 views -> generated/diagrams)"
archkit diagram --spec "$SPEC" --view all --out generated/diagrams
step "archkit docs      (architecture pages -> docs/architecture)"
archkit docs --spec "$SPEC"

step "archkit verify --static   (compliance rules on the spec alone, no account)"
archkit verify --static --spec "$SPEC"

step "archkit emulate   (a local moto server holding the system as deployed; no AWS account needed)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
PORT="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ENDPOINT="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
archkit emulate --spec "$SPEC" --port "$PORT" >"$LOG" 2>&1 &
EMULATOR=$!
trap 'kill $EMULATOR 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 240); do
  grep -q "emulator ready" "$LOG" && break
  kill -0 "$EMULATOR" 2>/dev/null || { cat "$LOG"; echo "the emulator did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "emulator ready" "$LOG" || { cat "$LOG"; echo "the emulator did not get ready in 120 s" >&2; exit 1; }
grep "emulator ready" "$LOG"

step "archkit verify --endpoint-url $ENDPOINT   (the account as deployed: expect a clean report)"
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT"

step "archkit emulate --change pitr-off   (someone turns point-in-time recovery off behind the spec's back)"
archkit emulate --spec "$SPEC" --change pitr-off --endpoint-url "$ENDPOINT"

step "archkit verify again   (expect the finding, exit code 1; JSON report in generated/verify-demo.json)"
set +e
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT"
code=$?
archkit verify --spec "$SPEC" --endpoint-url "$ENDPOINT" --format json --output generated/verify-demo.json >/dev/null
set -e
if [ "$code" -ne 1 ]; then
  echo "expected verify to report the change (exit 1), got exit $code" >&2
  exit 1
fi
archkit diagram --spec "$SPEC" --view all --format png,svg --overlay generated/verify-demo.json \
  --out generated/diagrams/overlay
printf '\n\033[1mDone.\033[0m Outputs: generated/cdk.out, generated/diagrams, docs/architecture, '
printf 'generated/verify-demo.json (drift overlay: generated/diagrams/overlay/*.png).\n'
