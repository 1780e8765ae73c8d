#!/usr/bin/env bash
# Install everything archkit's development environment needs on a fresh Debian machine, at the versions the
# committed locks decide: graphviz and chromium (apt), archkit with its dev extras (pip, constrained by
# requirements-lock.txt) and the AWS CDK CLI (npm ci from requirements/node/package-lock.json).
# Idempotent: re-running installs only what is missing or what a changed lock asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
LOCK=requirements-lock.txt

# Debian packages: graphviz renders the diagrams; chromium is the real browser the docs-site test drives
# (Playwright with executable_path: browser downloads are not used).
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]} (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PYTHON" scripts/lock.py --check || { echo "fix the lock first (make lock), then run setup again" >&2; exit 1; }

# The stamp holds the digest of the lock and of the interpreter it was installed into.
stamp=".archkit-cache/setup.stamp"
want="$(cat "$LOCK" pyproject.toml | sha256sum | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.prefix)')"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PYTHON" -c "import archkit, moto, aws_cdk" 2>/dev/null; then
  echo "==> installing archkit and its dev dependencies (pinned by $LOCK)"
  pip=("$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -c "$LOCK")
  # The tools (build backend, uv) come from the lock too; no build isolation, which would fetch the newest
  # setuptools.
  "${pip[@]}" -r requirements/tools.in
  "${pip[@]}" --no-build-isolation -e ".[dev]"
  mkdir -p "$(dirname "$stamp")" && echo "$want" >"$stamp"
fi

# The peer tools (checkov) live in venvs of their own, pinned by requirements/peers/: their dependencies
# would clash with archkit's, and the peer cross-check tests run them as commands.
PYTHON="$PYTHON" scripts/setup-peers.sh

# The AWS CDK CLI (Node.js), local to the checkout: `cdk synth`/`cdk deploy` on generated/cdk.json, and
# the test that proves the CLI synthesizes the same templates as `archkit generate`.
NODE_DIR=.archkit-cache/node
CDK_CLI="$NODE_DIR/node_modules/.bin/cdk"
if [ ! -x "$CDK_CLI" ] || ! cmp -s requirements/node/package-lock.json "$NODE_DIR/package-lock.json"; then
  echo "==> installing the AWS CDK CLI (npm ci, into $NODE_DIR)"
  mkdir -p "$NODE_DIR"
  cp requirements/node/package.json requirements/node/package-lock.json "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
echo "==> ready: $("$PYTHON" -m archkit --version), $(dot -V 2>&1), cdk $("$CDK_CLI" --version 2>/dev/null | cut -d' ' -f1)"
