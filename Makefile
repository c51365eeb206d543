# news_etl: `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/dagster_home
INPUT ?= seeds
DATABASE ?= data/news.duckdb

.PHONY: install run test test-fast ui validate browser browser-if-possible clean cluster-test

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

## Install and run the test suite (Chromium for the web-UI test is installed when possible).
test: install browser-if-possible
	$(BIN)/python -m pytest -q

## The fast lane: no spaCy model, no Dagster run (architecture rules, tables, store, ingest, cleaning).
test-fast: install
	$(BIN)/python -m pytest -q news_etl_tests/fast

## The Dagster web UI (webserver + daemon) with the persistent DAGSTER_HOME.
ui: install
	NEWS_ETL_INPUT=$(INPUT) NEWS_ETL_DATABASE=$(DATABASE) $(BIN)/dagster dev -w workspace.yaml

validate: install
	$(BIN)/dagster definitions validate -w workspace.yaml

## Debian's Chromium for the browser tests (optional; they skip without it).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

browser-if-possible:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian chromium for the web-UI test..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
	      || echo "chromium could not be installed: the web-UI test will be skipped"; \
	  else echo "chromium is not installed (needs root: sudo make browser): the web-UI test will be skipped"; fi; }

clean:
	rm -rf $(VENV) data/*.duckdb* test-artifacts

## PostgreSQL + Redis (Debian packages) on 127.0.0.1, two Celery workers, scaleout_celery_job into a
## DuckLake catalog on PostgreSQL, compared with a one-process run; everything started is stopped.
cluster-test: install
	bash scripts/cluster_test.sh
