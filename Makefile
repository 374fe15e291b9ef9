# Two commands for a fresh machine (see README.md):
#   make demo   set up .venv, build the graph in the embedded engine, answer "which VCs backed which startups"
#   make test   set up .venv with the test tools, then run the whole test suite in two passes: every test but the
#               serial ones on two workers (`-n 2 --dist loadgroup`: the Neo4j tests share one worker and one Neo4j),
#               then the serial ones alone, one at a time: they time Ctrl-C, SIGTERM or a time limit to the second and
#               fail on a working product when another test shares the CPU (the `serial` marker, SERIAL in
#               tests/conftest.py). The second pass runs unless the first was interrupted (Ctrl-C) or could not
#               run (pytest exit > 1); make test fails if either pass fails.
#   make check  the unit tier only (no engine, browser or Neo4j): the inner loop, under a minute
#   make notebooks          install JupyterLab into .venv (the [notebook] extra) and open notebooks/ in it
#   make notebooks-outputs  re-run every notebook and save its outputs (tests check that they are fresh)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# setuptools prints an information notice (a UserWarning) on every editable install of a package-dir layout like
# ours ("be careful with folders ... with the same name as your package"); there is nothing to act on, so hide it.
EDITABLE := PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet -e

.PHONY: demo test check setup setup-test notebooks notebooks-outputs

$(BIN)/soyaku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(EDITABLE) ".[test]"
	touch $@

setup: $(BIN)/soyaku

demo: setup
	$(BIN)/soyaku build
	$(BIN)/soyaku query vc-backed-startups

setup-test: setup
	npm ci --silent --prefix tools/cypher-lint
	-$(BIN)/python -m soyaku.graph.neo4j_server fetch  # a real Neo4j 5 for the tests (they say so if it fails)
	scripts/install-chromium

WORKERS ?= 2

test: setup-test
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -m "not serial"; parallel=$$?; serial="not run"; \
	if [ $$parallel -le 1 ]; then $(BIN)/python -m pytest -m serial; serial="exit $$?"; fi; \
	echo "make test: parallel pass exit $$parallel, serial pass $$serial"; \
	[ $$parallel -eq 0 ] && [ "$$serial" = "exit 0" ]

check: setup
	$(BIN)/python -m pytest -m unit -q

$(BIN)/jupyter-lab: $(BIN)/soyaku
	$(EDITABLE) ".[notebook]"
	touch $@

notebooks: $(BIN)/jupyter-lab
	$(BIN)/jupyter-lab notebooks/

notebooks-outputs: setup
	$(BIN)/python notebooks/run.py
