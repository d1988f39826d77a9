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

.PHONY: run test test-sqlite test-postgres lint format admin editor browser check-migrations clean

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

## admin: create your own superuser for /admin/
admin: $(VENV)/.installed-run
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser

## test: the whole suite on SQLite (browser tests included), then on a throwaway PostgreSQL
test: test-sqlite test-postgres

test-sqlite: $(VENV)/.installed-dev browser check-migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/pytest

test-postgres: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not browser" -p no:randomly

check-migrations: $(VENV)/.installed-dev
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

## browser: Debian's Chromium for the Playwright tests (installed when missing and we are root)
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and cannot be installed here (needs root and apt): the browser tests will fail."; \
	  fi; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
