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

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check generator tests
	$(BIN)/mypy --strict generator

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
