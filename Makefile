# RRP: `make demo` serves the synthetic demo at http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NHSUK_DIST := node_modules/nhsuk-frontend/dist/nhsuk
STATIC_BUILD := build/static/nhsuk
DEMO_ENV := RRP_DEBUG=true RRP_DEMO=true

.PHONY: demo test install assets test-install lint typecheck bench clean

$(BIN)/rrp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/rrp

$(STATIC_BUILD)/nhsuk-frontend.min.css: package.json package-lock.json src/rrp/frontend/nhsuk.scss
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(STATIC_BUILD) && mkdir -p $(STATIC_BUILD)
	npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		src/rrp/frontend/nhsuk.scss $(STATIC_BUILD)/nhsuk-frontend.min.css
	cp $(NHSUK_DIST)/nhsuk-frontend.min.js $(NHSUK_DIST)/nhsuk-frontend.min.js.map $(STATIC_BUILD)/
	cp -r $(NHSUK_DIST)/assets $(STATIC_BUILD)/assets

assets: $(STATIC_BUILD)/nhsuk-frontend.min.css

demo: install assets
	$(DEMO_ENV) $(BIN)/rrp demo --addr 127.0.0.1:8000

$(VENV)/.test-installed: $(BIN)/rrp pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

test-install: $(VENV)/.test-installed assets

# Lint and type-check first (any ruff or mypy problem fails the run); then, side by side (one
# per core, tests/suites.py), the unit and integration tests on SQLite and the integration suite
# on a throwaway PostgreSQL server the test setup starts (tests without the database, and those
# marked sqlite_only, are deselected there); then the browser tests in headless Debian Chromium.
# Each step must collect tests (pytest exits 5 if not).
test: test-install
	$(BIN)/ruff check src tests benchmarks
	$(DEMO_ENV) $(BIN)/mypy src
	$(BIN)/python tests/suites.py
	$(BIN)/python -m pytest -q -m "browser"

lint: test-install
	$(BIN)/ruff check src tests benchmarks
	$(DEMO_ENV) $(BIN)/mypy src

bench: test-install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf build node_modules $(VENV) var
