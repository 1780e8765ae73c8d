# archkit — the two quick-start commands are `make demo` and `make test`; both set up first.
PYTHON ?= python3
SPEC ?= specs/reference.yaml
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test lint typecheck pytest bench regenerate lock upgrade

setup:
	@PYTHON=$(PYTHON) ./scripts/setup.sh

## The main job on the reference spec: validate, generate, diagram, docs, verify against an emulated account.
demo: setup
	@PYTHON=$(PYTHON) ./scripts/demo.sh $(SPEC)

## Lint, type-check and the whole test suite.
test: setup lint typecheck pytest

lint:
	$(PYTHON) -m ruff check src tests bench scripts
	$(PYTHON) -m ruff format --check src tests bench scripts

typecheck:
	$(PYTHON) -m mypy

pytest:
	$(PYTHON) -m pytest -n 2 --dist loadgroup -q

bench: setup
	@for b in bench/bench_*.py; do echo "==> $$b"; $(PYTHON) $$b; done

## Re-resolve requirements-lock.txt after editing dependencies in pyproject.toml (existing pins are kept).
lock:
	$(PYTHON) scripts/lock.py

## Move every pin in requirements-lock.txt to the newest release its range allows; then `make test`.
upgrade:
	$(PYTHON) scripts/lock.py --upgrade

## Refresh the committed outputs of the reference spec (generated/, docs/architecture) and the examples' pages.
regenerate: setup
	$(PYTHON) -m archkit schema --output generated/archkit.schema.json
	$(PYTHON) -m archkit generate --spec $(SPEC) --out generated
	$(PYTHON) -m archkit diagram --spec $(SPEC) --view all --out generated/diagrams
	$(PYTHON) -m archkit docs --spec $(SPEC)
	@for spec in specs/examples/*.yaml; do [ -f "$$spec" ] || continue; \
	  $(PYTHON) -m archkit docs --spec "$$spec" --out "docs/examples/$$(basename "$$spec" .yaml)" --no-reference; \
	done

## Refresh archkit diff's copy of CloudFormation's create-only properties from the installed cfn-lint.
.PHONY: refresh-create-only
refresh-create-only:
	$(PYTHON) scripts/refresh_create_only.py
