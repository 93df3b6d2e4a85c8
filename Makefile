# Set-up is two commands on a fresh clone: `make generate`, then `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: generate test check bench lint clean

# The venv is rebuilt whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

generate: $(VENV)/.installed
	$(BIN)/specgen generate

check: $(VENV)/.installed
	$(BIN)/specgen check

# Node tools of tests/test_prism.py (Prism, swagger2openapi), pinned by package-lock.json:
# reinstalled only when node_modules is missing or the lock file changed. Without npm the
# Prism tests skip (and fail under CI).
NPM := $(shell command -v npm 2>/dev/null)
NODE_TOOLS := $(if $(NPM),node_modules/.installed)

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

test: $(VENV)/.installed $(NODE_TOOLS)
	@$(if $(NPM),,echo "npm not found: tests/test_prism.py will skip (or fail, under CI)")
	$(BIN)/python -m pytest

# Timings live here, never in tests: prints a table, writes benchmarks/results.json.
# BENCH_ARGS="--quick --only stripe" runs a part, once (see benchmarks/run.py --help).
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check generator templates/runtime tests benchmarks
	$(BIN)/mypy --strict generator templates/runtime

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
