# The two commands of the README: `make run` (start) and `make test` (test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: run test test-fast install browser postgres oidc-provider bench wrk lint

$(BIN)/flask: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/flask

install: $(BIN)/flask

## Start the tracker on SQLite with the Elverum portfolio (first start prints the admin password).
run: install
	$(BIN)/flask --app wsgi setup
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## Run the whole suite: SQLite, PostgreSQL (when reachable) and the browser tests.
test: install browser postgres oidc-provider
	$(BIN)/lint-imports
	@# Exit code 5 (no tests collected) is not a failure of the code under test.
	$(BIN)/python -m pytest; status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$status

## Install Debian's chromium for the browser tests when it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || bash scripts/install-chromium.sh

## Install the test OpenID provider (npm package oidc-provider, pinned by its lock file) when missing.
oidc-provider:
	@if [ ! -d tests/oidc/node_modules/oidc-provider ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/oidc --no-audit --no-fund; \
		else echo "npm is missing: the single sign-on tests will be skipped (Debian: nodejs npm)"; fi; \
	fi

## Start the local PostgreSQL cluster when it is installed but stopped.
postgres:
	@bash scripts/ensure-postgres.sh

## Install Debian's wrk (the benchmarks' HTTP load generator) when it is missing (needs root or sudo).
wrk:
	@command -v wrk >/dev/null 2>&1 || bash scripts/install-wrk.sh

## Run the benchmarks (docs/benchmarks.md): HTTP with wrk, 44 against 5 000 measures, the PDFs.
bench: install wrk
	$(BIN)/python -m bench.run_all

lint: install
	$(BIN)/ruff check tracker tests bench config.py wsgi.py gunicorn.conf.py
	$(BIN)/lint-imports
