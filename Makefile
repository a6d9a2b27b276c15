# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The benchmark's load generator (wrk) comes from Debian's packages.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install run test check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Migrate the database (SQLite file by default), load demo data, print keys, serve with GraphiQL.
run: install
	$(PY) server.py migrate
	$(PY) server.py seed-demo
	$(PY) server.py serve --host $(HOST) --port $(PORT)

## The whole test suite (PostgreSQL too when TEST_DATABASE_URL is set).
test: install
	$(PY) -m pytest

## Static checks: formatting, lint, types; then the GraphQL-over-HTTP audit (needs Node.js).
check: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(PY) tests/audit/run_audit.py

## Benchmarks against a hand-written ceiling and PostGraphile 5, PostgreSQL and SQLite
## (bench/run.py; about 25 min). Quick look: make bench BENCH_ARGS=--quick
## npm installs PostGraphile and the Node 22 it runs on into bench/postgraphile (npm ci).
BENCH_ARGS ?= --scale
bench: install
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y wrk || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y wrk)
	@command -v npm >/dev/null || $(SUDO) apt-get install -y npm || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y npm)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache *.egg-info
