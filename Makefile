# Two commands do everything on a fresh machine: `make demo` and `make test`.
# Both create the virtual environment .venv on first use (python3 -m venv; packages from PyPI).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= build/seeds

.PHONY: help venv demo notebook test lint typecheck pytest system-packages ontology clean

help:
	@echo "make demo      build the graph from seeds/ and print the answers of the main queries"
	@echo "make test      lint, type-check and run the whole test suite"
	@echo "make notebook  open notebooks/ in JupyterLab (installs it into .venv on first use)"
	@echo "make ontology  regenerate ontology/trialgraph.owl from the Turtle sources"
	@echo "make clean     remove build output (keeps .venv)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/trialgraph build seeds --out $(DEMO_OUT)
	@for q in pd1_combinations_measuring_pfs trial_drugs endpoints trials_by_phase; do \
		echo; $(BIN)/trialgraph query $$q --graph $(DEMO_OUT) || exit 1; done
	@echo; $(BIN)/trialgraph query combination_partners --graph $(DEMO_OUT) --param drug=camrelizumab
	@echo; $(BIN)/trialgraph query trials_by_endpoint_type --graph $(DEMO_OUT) --param endpoint_type=PFS

lint: venv
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: venv
	$(BIN)/mypy

notebook: venv
	$(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/

# rapper, serdi, Virtuoso, Chromium: the tests that need them fail (never skip) without them
system-packages:
	scripts/install-system-packages

pytest: venv system-packages
	$(BIN)/pytest -q

test: lint typecheck pytest

ontology: venv
	$(BIN)/trialgraph ontology --write

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
