# Two entry points: `make play` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
# The order pytest runs the tests in (pytest-randomly); empty: a new random seed each run, printed, so that a failure
# that depends on the order can be run again with `make test TEST_SEED=N`.
TEST_SEED ?=

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
	$(BIN)/mypy game --check-untyped-defs
	@seed="$(TEST_SEED)"; seed="$${seed:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"; \
	echo "pytest in random order, seed $$seed (the same order again: make test TEST_SEED=$$seed)"; \
	$(BIN)/python -m pytest -p randomly --randomly-seed=$$seed $(ARGS)

bench: $(BIN)/motorplay
	for script in benchmarks/bench_*.py; do $(BIN)/python -m benchmarks.$$(basename $$script .py) || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
