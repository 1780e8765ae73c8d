#!/usr/bin/env bash
# The main job on a spec (default: the reference spec): validate, generate CDK, draw diagrams, build the
# docs pages, then verify an emulated AWS account (the generated templates deployed into a local moto server;
# scripts/demo-account.sh): once clean, once after a deliberate change, so you see both a clean report and a
# real finding.
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

OUT=generated PYTHON="$PYTHON" ./scripts/demo-account.sh "$SPEC"
printf '\n\033[1mDone.\033[0m Outputs: generated/cdk.out, generated/diagrams, docs/architecture, '
printf 'generated/verify-demo.json (drift overlay: generated/diagrams/overlay/*.png).\n'
