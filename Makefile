# needling: two commands do all set-up on a fresh machine.
#   make run    the main job
#   make test   the whole suite, with ruff, import-linter and the documentation build
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: run test lint bench browser-deps axe-deps pdf-deps clean demo docs schemathesis messages compile-messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(MAKE) compile-messages
	touch $(STAMP)

# Texts and translations (gettext): `make messages` extracts every marked text from the Python sources and
# the templates (and the named assumptions' names and reasoning, listed first by needling.report.assumption_texts)
# into needling.pot and merges it into each language's .po (new texts get an empty msgstr
# there, which the tests refuse in Swedish until it is translated); compiling to .mo happens at install.
LOCALE := src/needling/i18n/locale
BABEL := $(BIN)/python -m babel.messages.frontend
messages:
	$(BIN)/python -m needling.report.assumption_texts
	$(BABEL) -q extract -F babel.cfg -k translate:2 -k translate_plural:2,3 -k N_ -k NP_:1c,2 -k translate_in_context:2c,3 --no-location -w 120 \
	  --sort-output --project needling -c TRANSLATORS: -o $(LOCALE)/needling.pot src
	$(BABEL) -q update -i $(LOCALE)/needling.pot -d $(LOCALE) -D needling -w 120 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m needling.i18n.build tidy

compile-messages:
	$(BIN)/python -m needling.i18n.build compile

# Debian's Chromium and ChromeDriver for the browser tests (a browser download would fail here).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium chromium-driver; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium chromium-driver; fi; \
	fi

# axe-core (the accessibility rules the browser tests inject into every page) from the npm registry, kept in
# .cache/axe; Node.js and npm from Debian when missing.
AXE_DIR := .cache/axe
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
axe-deps: $(AXE_JS)
$(AXE_JS):
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q nodejs npm; \
	  else sudo apt-get update -q && sudo apt-get install -y -q nodejs npm; fi; \
	fi
	mkdir -p $(AXE_DIR)
	npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund --no-package-lock axe-core@4

# The system libraries WeasyPrint lays out PDFs with (Pango, HarfBuzz) and a font, from Debian.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@if ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $(PDF_PACKAGES); \
	  else sudo apt-get update -q && sudo apt-get install -y -q $(PDF_PACKAGES); fi; \
	fi

# The clinic service at http://127.0.0.1:8000 on var/needling.db (created, migrated and seeded on first run).
run: $(STAMP) pdf-deps
	$(BIN)/needling serve --host 127.0.0.1 --port 8000

demo: $(STAMP)
	$(BIN)/needling demo --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict -p needling.evidence -p needling.parameters -p needling.models -p needling.simulation

# The documentation site, offline, warnings as errors; the gallery's scripts run during the build.
docs: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m sphinx -E -W --keep-going -q -b html docs docs/_build/html

test: $(STAMP) browser-deps axe-deps pdf-deps lint docs
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The API against its OpenAPI document: 200 examples per operation, every phase, SQLite and PostgreSQL
# (make test runs a few examples per operation); prints requests, failures and seconds per database.
SCHEMATHESIS_EXAMPLES ?= 200
schemathesis: $(STAMP)
	NEEDLING_SCHEMATHESIS_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) $(BIN)/python -m pytest -q -s \
	  tests/clinic/test_schemathesis.py

clean:
	rm -rf $(VENV) $(OUT) .cache .pytest_cache .ruff_cache docs/_build docs/generated docs/auto_examples
