#!/usr/bin/env bash
# The peer tools archkit's suite cross-checks against, each in its own venv under .archkit-cache/peers/ and
# pinned by its own lock (requirements/peers/<tool>.lock): checkov pins many packages that must not move the
# versions of the shared environment. Idempotent: a venv is rebuilt only when its lock changed.
# Called by scripts/setup.sh; the tests marked `peers` use these venvs (skipped with a reason when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
PEERS=.archkit-cache/peers

for lock in requirements/peers/*.lock; do
  tool="$(basename "$lock" .lock)"
  venv="$PEERS/$tool"
  stamp="$venv/archkit-lock.sha256"
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$venv/bin/$tool" ]; then
    continue
  fi
  echo "==> installing $tool into $venv (pinned by $lock)"
  rm -rf "$venv"
  "$PYTHON" -m uv venv --quiet --python "$PYTHON" "$venv"
  "$PYTHON" -m uv pip install --quiet --python "$venv/bin/python" --require-hashes -r "$lock"
  echo "$want" >"$stamp"
done
