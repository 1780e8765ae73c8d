#!/usr/bin/env bash
# Install everything archkit needs on a fresh Debian machine: graphviz (for `dot`) and the Python package
# with its dev extras. Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if ! command -v dot >/dev/null 2>&1; then
  echo "==> installing graphviz (dot)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null
fi

stamp=".archkit-cache/setup.stamp"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || ! "$PYTHON" -c "import archkit, moto, aws_cdk" 2>/dev/null; then
  echo "==> installing archkit and its dev dependencies"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e ".[dev]"
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
# The AWS CDK CLI (Node.js), local to the checkout: `cdk synth`/`cdk deploy` on generated/cdk.json, and
# the test that proves the CLI synthesizes the same templates as `archkit generate`.
CDK_CLI=".archkit-cache/node/node_modules/.bin/cdk"
if [ ! -x "$CDK_CLI" ]; then
  echo "==> installing the AWS CDK CLI (npm, into .archkit-cache/node)"
  npm install --silent --no-audit --no-fund --prefix .archkit-cache/node aws-cdk@2.1148.1 >/dev/null
fi
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
echo "==> ready: $("$PYTHON" -m archkit --version), $(dot -V 2>&1), cdk $("$CDK_CLI" --version 2>/dev/null | cut -d' ' -f1)"
