# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Serving needs the service extra only; the test tools come with the dev extra.
$(VENV)/.installed-service: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[service]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-service

# The web app and REST API on http://127.0.0.1:8000 (or the next free port up to 8020, which it
# prints) with the SQLite default (./var/axilla.db); the API reference is at /docs.
run: $(VENV)/.installed-service
	$(BIN)/axilla serve --host 127.0.0.1 --port 8000 --port-search 20

# Lint, the layer contracts, type checks (mypy over src/) and the whole suite. scripts/test-services.sh installs chromium and postgresql when
# missing (as root), starts a throwaway PostgreSQL cluster for the store tests and stops it after.
test: $(VENV)/.installed
	PYTHON=$(BIN)/python scripts/test-services.sh sh -c \
	  '$(BIN)/ruff check src tests benchmarks && $(BIN)/lint-imports && $(BIN)/mypy && $(BIN)/python -m pytest'

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/predict_throughput.py
	$(BIN)/python benchmarks/api_latency.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
