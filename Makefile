# Ceasefire Timeline. `make run` serves the app with the seed data; `make test` runs every test.
# Both set up everything they need (virtualenv, packages, browser) on a fresh machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SEED := fixtures/ceasefire-2025-03.json
export DJANGO_SETTINGS_MODULE := ceasefire.settings
# Tests run with production settings (DEBUG off), which need a secret key.
TEST_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-only-not-a-secret

.PHONY: run serve-prod bench test test-sqlite test-postgres test-redis lint format admin browser gettext check-migrations clean

# $(call apt-install,COMMAND,PACKAGE,WHAT NEEDS IT): Debian's PACKAGE when COMMAND is missing
# and we are root; otherwise say what will fail.
define apt-install
	@command -v $(1) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's $(2) for $(3)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(1) is missing and cannot be installed here (needs root and apt): $(3) will fail."; \
	  fi; }
endef

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

## run: migrate the local SQLite database, load the seed once, serve on 127.0.0.1:8000
run: $(VENV)/.installed-run
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py import_timeline $(SEED) --if-empty
	@echo
	@DJANGO_DEBUG=true $(BIN)/python manage.py demo_editor
	@echo "Timeline: http://$(HOST):$(PORT)/    Admin: http://$(HOST):$(PORT)/admin/"
	@echo
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

## serve-prod: the same app under gunicorn with production settings (DEBUG off,
## WhiteNoise compressed manifest storage), a fresh random secret key each run
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
PROD_ENV = DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
serve-prod: $(VENV)/.installed-run
	$(PROD_ENV) $(BIN)/python manage.py migrate --no-input
	$(PROD_ENV) $(BIN)/python manage.py import_timeline $(SEED) --if-empty
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	@echo "Production settings on http://$(HOST):$(PORT)/ with $(WORKERS) gunicorn workers"
	$(PROD_ENV) $(BIN)/gunicorn ceasefire.wsgi -b $(HOST):$(PORT) -w $(WORKERS)

## bench: benchmarks at 1,000, 10,000 and 100,000 events and at the seed, on SQLite and on a
## throwaway PostgreSQL with a throwaway Redis, then docs/performance.md (about 15 minutes on 2 cores);
## then drafting events from the two articles, into docs/drafting.md
bench: $(VENV)/.installed-dev browser
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; } || \
	  echo "wrk is missing and cannot be installed here (needs root and apt): no load test."
	$(BIN)/python benchmarks/run.py --browser --load --load-seconds 60 --out benchmarks/results-sqlite.json
	$(BIN)/python scripts/with_postgres.py $(BIN)/python scripts/with_redis.py \
	  $(BIN)/python benchmarks/run.py --browser --load --load-seconds 60 --out benchmarks/results-postgres.json
	$(BIN)/python benchmarks/report.py benchmarks/results-sqlite.json benchmarks/results-postgres.json > docs/performance.md
	@echo "Wrote docs/performance.md"
	$(BIN)/python benchmarks/drafting.py --update docs/drafting.md

## admin: create your own superuser for /admin/
admin: $(VENV)/.installed-run
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser

## test: the whole suite on SQLite (browser tests included), then on a throwaway PostgreSQL,
## then on PostgreSQL with a throwaway Redis as the shared cache
test: test-sqlite test-postgres test-redis

test-sqlite: $(VENV)/.installed-dev browser gettext tests_js/node_modules/.installed check-migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/pytest

test-postgres: $(VENV)/.installed-dev gettext tests_js/node_modules/.installed
	$(TEST_ENV) $(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not browser" -p no:randomly

test-redis: $(VENV)/.installed-dev gettext tests_js/node_modules/.installed
	$(TEST_ENV) $(BIN)/python scripts/with_postgres.py $(BIN)/python scripts/with_redis.py \
	  $(BIN)/pytest -m "not browser" -p no:randomly

check-migrations: $(VENV)/.installed-dev
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

## browser: Debian's Chromium for the Playwright tests (installed when missing and we are root)
browser:
	$(call apt-install,chromium,chromium,the browser tests)

## gettext: xgettext for the test that every message in the code is in the catalogues
gettext:
	$(call apt-install,xgettext,gettext,the translation test)

# TimelineJS3 and axe-core from npm, pinned in tests_js/package-lock.json, for the
# test that renders /timelinejs.json with TimelineJS and the accessibility tests
# (test-only, never shipped to users).
tests_js/node_modules/.installed: tests_js/package.json tests_js/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the TimelineJS consumer and accessibility tests (tests_js/): install Node.js with npm (apt-get install npm) and run make test again."; exit 1; }
	cd tests_js && npm ci --no-audit --no-fund
	touch $@

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
