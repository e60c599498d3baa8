# DPG Hub: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint bench fuzz clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "DPG Hub needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Run the product: embedded default (SQLite in ./var, shipped DPGA data loaded on first start)
run: $(STAMP)
	$(BIN)/dpghub serve

## Run the whole test suite: lint (ruff, import contracts), tests/core once, the rest on SQLite and on PostgreSQL
test: $(STAMP)
	scripts/test.sh

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench

## Fuzz the API with schemathesis against a live server (300 examples per operation; make test runs 20)
fuzz: $(STAMP)
	scripts/fuzz.sh 300

bench: $(STAMP)
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
