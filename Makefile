# The two commands: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo
OUT := reports/demo

.PHONY: demo test install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(VENV)/.installed $@

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
CHROMIUM_BIN := /usr/bin/chromium
$(CHROMIUM_BIN):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(CHROMIUM_BIN)

demo: install
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	$(BIN)/workbench demo-data $(DEMO) --organisations 2000 --incoming 500 --seed 7 --hard
	$(BIN)/workbench snapshot $(DEMO)/crm --db $(DEMO)/crm.duckdb
	$(BIN)/workbench run $(DEMO)/incoming.xlsx --crm $(DEMO)/crm.duckdb --out $(OUT)
	$(BIN)/python bench/quality.py --demo $(DEMO) --out $(OUT)

test: install-test
	$(BIN)/ruff check workbench tests bench
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) $(DEMO) $(OUT) artifacts
