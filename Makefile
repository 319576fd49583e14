# Each target creates .venv and installs what it needs when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= ./ceasefire-demo.sqlite
LINTED := src tests scripts $(wildcard benchmarks)

.PHONY: demo test check bench format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ceasefire --db sqlite:///$(DEMO_DB) demo

check: $(STAMP)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: check
	$(BIN)/pytest -q -n auto --dist loadgroup --durations=15

bench: $(STAMP)
	$(BIN)/python benchmarks/import_classify.py
	$(BIN)/python benchmarks/query.py

format: $(STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
