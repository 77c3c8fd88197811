# Two commands for a newcomer: `make run` and `make test`. Everything they need is installed here.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTEST_WORKERS ?= 2

.PHONY: install run test lint bench openapi clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

## Serve the register, wegwijzer and referrals on http://127.0.0.1:8000 (embedded SQLite database).
run: install
	$(VENV)/bin/stelsel serve --host 127.0.0.1 --port 8000

## Install test tools (PostgreSQL, Chromium, npm packages) and run every test: lint, types and
## import contracts included.
test: install
	bash scripts/ensure-test-tools.sh
	$(VENV)/bin/ruff check stelsel tests bench scripts
	$(VENV)/bin/ruff format --check stelsel tests bench scripts
	$(VENV)/bin/mypy stelsel
	$(VENV)/bin/lint-imports
	STELSEL_TEST_POSTGRES_URL="$$(bash scripts/ensure-postgres.sh)" \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q -m "not e2e" --durations=25
	STELSEL_TEST_POSTGRES_URL="$$(bash scripts/ensure-postgres.sh)" \
	  $(VENV)/bin/pytest -q -m e2e -p no:xdist

lint: install
	$(VENV)/bin/ruff check stelsel tests bench scripts
	$(VENV)/bin/ruff format --check stelsel tests bench scripts
	$(VENV)/bin/mypy stelsel
	$(VENV)/bin/lint-imports

## Benchmarks: print latency and throughput figures (targets live in the issues).
bench: install
	bash scripts/ensure-test-tools.sh
	STELSEL_TEST_POSTGRES_URL="$$(bash scripts/ensure-postgres.sh)" $(PY) bench/run.py

## Write the OpenAPI document to docs/openapi.json.
openapi: install
	$(PY) -m stelsel.openapi > docs/openapi.json

clean:
	rm -rf $(VENV) node_modules stelsel.db
