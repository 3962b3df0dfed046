# The two commands of a fresh machine: `make` (set up and build every briefing) and
# `make test`. Everything the project needs is installed from here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BRIEF := $(VENV)/bin/brief
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: all build schema setup system system-test fonts test lint format check clean fuzz bench

all: build

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# The browser tests' accessibility checker (axe-core), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system:
	@bash scripts/setup-system.sh runtime

system-test:
	@bash scripts/setup-system.sh test

# The CJK faces, extracted from the distribution's Noto CJK collections (pinned by
# SHA-256) into templates/static/fonts/cjk/ (git-ignored); quick when already there.
fonts: system $(STAMP)
	@$(PY) scripts/cjk_fonts.py

setup: system $(STAMP) fonts

build: setup schema
	$(BRIEF) build

# The fact-sheet JSON Schema for editors; committed, rewritten only when the model changed.
schema: setup
	$(BRIEF) schema --output schema/factsheet.schema.json

check: setup
	$(BRIEF) check --strict

test: system-test $(STAMP) $(NODE_STAMP) fonts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

# Property tests with many more examples than `make test` runs (minutes; not part of CI).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -m fuzz --timeout=3600

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The benchmark of bench/RESULTS.md (minutes; not part of `make test`). Smaller runs:
# make bench BENCH_ARGS="--sheets 200 --runs 3"
bench: setup
	@bash scripts/setup-system.sh bench
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	-$(BRIEF) clean
