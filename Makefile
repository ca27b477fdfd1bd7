# Precursor Exchange: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The name-comparison modules mypyc compiles and the index's C kernels (setup.py): rebuilt
# whenever one of them changes, since an editable install imports the compiled module, not the
# edited source, beside it.
COMPILED_SOURCES := $(addprefix src/precx/screening/matching/,alignment.py word_similarity.py compare.py name_parts.py _kernels.c)
COMPILED_STAMP := $(VENV)/.compiled
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench install install-dev sysdeps browser translations clean

# PyICU (under normality and rigour, for transliteration) compiles against Debian's ICU.
sysdeps:
	@if ! pkg-config --exists icu-i18n 2>/dev/null; then \
	  echo "installing Debian's ICU headers for PyICU"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config >/dev/null; \
	fi

$(STAMP): pyproject.toml setup.py mypyc.ini
	@$(MAKE) --no-print-directory sysdeps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	PRECX_PURE_PYTHON=1 $(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): $(STAMP) pyproject.toml
	PRECX_PURE_PYTHON=1 $(BIN)/pip install -q -e '.[dev]'
	touch $@

# The installs above skip the compilation (a minute or two each); this one does it, once.
$(COMPILED_STAMP): $(STAMP) $(COMPILED_SOURCES)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(STAMP) $(COMPILED_STAMP)

install-dev: $(DEV_STAMP) $(COMPILED_STAMP) browser

# Web tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: $(STAMP) $(COMPILED_STAMP)
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

bench: $(DEV_STAMP) $(COMPILED_STAMP)
	$(BIN)/python -m bench

# Regenerate the message catalog from the code and templates, then merge it into Russian.
translations: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k Message --project=precx \
	    -o src/precx/web/translations/messages.pot src/precx
	$(BIN)/pybabel update -i src/precx/web/translations/messages.pot \
	    -d src/precx/web/translations -l ru --no-fuzzy-matching

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache build
	find src -name '*.so' -delete
