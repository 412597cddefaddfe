# The two quick-start commands: `make run` (demo on SQLite) and `make test` (whole suite).
# Python 3.11 or newer; 3.11 is the version CI and the benchmarks use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# config/settings/base.py is production (DEBUG off, SECRET_KEY required); the local commands use
# the development settings. The tests choose their own (pyproject.toml: config.settings.test).
HOST ?= 127.0.0.1
PORT ?= 8000
# Sign-in, signing and message links are built on SITE_URL: by default the address `make run`
# serves, so `make run PORT=8101` prints links to port 8101. A SITE_URL of your own still wins.
SITE_URL ?= http://$(HOST):$(PORT)
MANAGE := DJANGO_SETTINGS_MODULE=config.settings.dev SITE_URL=$(SITE_URL) $(PY) manage.py
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=docs --ignore=build

.PHONY: run test setup demo graph screenshots messages lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) demo

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest

graph: setup
	$(MANAGE) graph_transitions -o docs/workflow.png applications.Application
	rm -f docs/workflow

# Screenshots of the main screens at desktop and phone width, taken by the browser journeys.
screenshots: setup
	EIGENWIJS_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser

# Refresh the Dutch catalogue after changing texts (needs GNU gettext), then translate what is new.
messages: setup
	$(MANAGE) makemessages -l nl --no-obsolete --no-location $(MESSAGES_IGNORE)
	$(MANAGE) compilemessages -l nl --ignore=.venv

lint: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
