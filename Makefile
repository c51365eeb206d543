# news_etl: `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/dagster_home
INPUT ?= seeds
DATABASE ?= data/news.duckdb

.PHONY: install run test ui validate browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "news_etl needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Run the main job on seeds/ into data/news.duckdb and print a summary.
run: install
	$(BIN)/news-etl run --input $(INPUT) --database $(DATABASE)

## Install and run the test suite.
test: install
	$(BIN)/python -m pytest -q

## The Dagster web UI (webserver + daemon) with the persistent DAGSTER_HOME.
ui: install
	NEWS_ETL_INPUT=$(INPUT) NEWS_ETL_DATABASE=$(DATABASE) $(BIN)/dagster dev -w workspace.yaml

validate: install
	$(BIN)/dagster definitions validate -w workspace.yaml

## Debian's Chromium for the browser tests (optional; they skip without it).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

clean:
	rm -rf $(VENV) data/*.duckdb* test-artifacts
