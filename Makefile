# mincorr: `make run` sets everything up and serves the demo; `make test` sets up and runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= instance/mincorr.db
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
REALDATA ?= ../shared/realdata/petitions.jsonl

.PHONY: help install run demo test bench lint format clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "mincorr needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

# Debian packages: chromium for the browser tests, tesseract for reading scanned post, a font for PDFs.
SYSTEM_PACKAGES := chromium tesseract-ocr fonts-dejavu-core
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(VENV)/.system:
	@if command -v chromium >/dev/null && command -v tesseract >/dev/null && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; then :; \
	elif command -v apt-get >/dev/null; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	else echo "Install these packages with your system's package manager: $(SYSTEM_PACKAGES)"; exit 1; fi
	@mkdir -p $(VENV) && touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.system $(VENV)/.installed node_modules/.installed ## Set up Debian packages, the virtualenv, Python packages and GOV.UK Frontend

demo: install ## Build (or bring up to date) the demo database in $(DB)
	$(BIN)/mincorr --db $(DB) demo

run: demo ## Set up everything and serve the demo at http://$(HOST):$(PORT)/
	$(BIN)/mincorr --db $(DB) serve --host $(HOST) --port $(PORT)

test: install ## Set up everything and run the linter and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: install ## Run the benchmarks (speed, memory, real-data comparison) and print the figures
	$(BIN)/python tests/benchmarks/bench_triage.py $(if $(wildcard $(REALDATA)),--realdata $(REALDATA),)
	$(BIN)/python tests/benchmarks/bench_web.py
	$(BIN)/python tests/benchmarks/bench_campaigns.py

lint: install ## Check style (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Reformat the code (ruff)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv, node_modules and the demo database
	rm -rf $(VENV) node_modules instance
