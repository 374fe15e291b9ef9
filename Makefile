# Two commands for a fresh machine (see README.md):
#   make demo   set up .venv, build the graph in the embedded engine, answer "which VCs backed which startups"
#   make test   set up .venv with the test tools, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test setup setup-test

$(BIN)/soyaku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(BIN)/soyaku

demo: setup
	$(BIN)/soyaku build
	$(BIN)/soyaku query vc-backed-startups

setup-test: setup
	npm ci --silent --prefix tools/cypher-lint
	scripts/install-chromium

test: setup-test
	$(BIN)/python -m pytest
