# Two entry points: `make play` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: play test lint bench clean

$(BIN)/motorplay: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

play: $(BIN)/motorplay
	$(BIN)/motorplay play $(ARGS)

test: $(BIN)/motorplay
	$(BIN)/ruff check tracking levels game clinic tests benchmarks docs
	$(BIN)/lint-imports
	$(BIN)/mypy tracking levels clinic
	$(BIN)/python -m pytest $(ARGS)

bench: $(BIN)/motorplay
	for script in benchmarks/bench_*.py; do $(BIN)/python -m benchmarks.$$(basename $$script .py) || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
