# chibot developer tasks. `make` (no target) prints this help.
#
#   make test ARGS='tests/support -q'      # extra pytest arguments (PYTEST_ARGS works too)
#   make run ARGS='--help'                 # ARGS is also passed to run / play / bench
#   make .venv PYTHON=/opt/py311/bin/python3   # choose the interpreter for a new .venv

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed

# Interpreter used to *create* the venv: python3.11 if it actually runs, else python3.
# (Recursive variable: only evaluated when the venv has to be (re)built.)
PYTHON ?= $(shell python3.11 -c '' >/dev/null 2>&1 && echo python3.11 || echo python3)

ARGS        ?=
PYTEST_ARGS ?=

.PHONY: help venv .venv run play test lint bench clean

help: ## show this help
	@echo 'chibot make targets:'
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_. -]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Extra arguments: ARGS='...' (for test, PYTEST_ARGS works too), e.g."
	@echo "  make test ARGS='tests/support -q -k sqlite'"

venv .venv: $(STAMP) ## create/update .venv (python -m venv + pip install -c requirements.lock -e '.[dev]')

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found; install Python >= 3.11 or run 'make PYTHON=/path/to/python3.11 ...'" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: $(PYTHON) is $$($(PYTHON) -V 2>&1); chibot needs Python >= 3.11 (run 'make PYTHON=/path/to/python3.11 ...')" >&2; exit 1; }
	@if [ -e $(VENV) ] && ! $(BIN)/python -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
	  echo "$(VENV) is broken or uses Python < 3.11: recreating it"; rm -rf $(VENV); fi
	@if [ ! -e $(BIN)/python ]; then echo "creating $(VENV) with $$($(PYTHON) -V 2>&1)"; \
	  $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

run: $(STAMP) ## run the bot (chibot run)
	$(BIN)/chibot run $(ARGS)

play: $(STAMP) ## play in the terminal (chibot play)
	$(BIN)/chibot play $(ARGS)

test: $(STAMP) ## run pytest (SQLite + PostgreSQL); extra args via ARGS / PYTEST_ARGS
	$(BIN)/pytest $(PYTEST_ARGS) $(ARGS)

lint: $(STAMP) ## ruff, the import contracts (lint-imports) and the type checker (mypy)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP) ## chat benchmark (chibot bench chat)
	$(BIN)/chibot bench chat $(ARGS)

clean: ## remove .venv, caches and build output (keeps data/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
