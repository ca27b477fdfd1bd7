# Precursor Exchange: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench install install-dev sysdeps browser translations clean

# PyICU (under normality and rigour, for transliteration) compiles against Debian's ICU.
sysdeps:
	@if ! pkg-config --exists icu-i18n 2>/dev/null; then \
	  echo "installing Debian's ICU headers for PyICU"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

install-dev: $(DEV_STAMP) browser

# Web tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: $(STAMP)
	$(BIN)/precx db upgrade
	$(BIN)/precx catalog load
	$(BIN)/precx demo --if-new
	$(BIN)/precx serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install-dev
	$(BIN)/python tests/run.py

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

# Regenerate the message catalog from the code and templates, then merge it into Russian.
translations: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --project=precx \
	    -o src/precx/web/translations/messages.pot src/precx
	$(BIN)/pybabel update -i src/precx/web/translations/messages.pot \
	    -d src/precx/web/translations -l ru --no-fuzzy-matching

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
