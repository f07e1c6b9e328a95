# distributor: every target bootstraps .venv itself, so a fresh machine needs only Python and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@if $(BIN)/python -m pip show mjml >/dev/null 2>&1; then \
	  echo "error: the PyPI package 'mjml' is installed beside mjml-python; run: $(BIN)/pip uninstall -y mjml && $(BIN)/pip install --force-reinstall mjml-python"; exit 1; fi
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m distributor.demo

test: $(STAMP)
	bash scripts/test-services.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	bash scripts/test-services.sh
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data .pytest_cache
