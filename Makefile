# The two quick-start commands: `make run` (demo on SQLite) and `make test` (whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
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
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest

graph: setup
	$(PY) manage.py graph_transitions -o docs/workflow.png applications.Application
	rm -f docs/workflow

# Screenshots of the main screens at desktop and phone width, taken by the browser journeys.
screenshots: setup
	EIGENWIJS_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser

# Refresh the Dutch catalogue after changing texts (needs GNU gettext), then translate what is new.
messages: setup
	$(PY) manage.py makemessages -l nl --no-obsolete --no-location $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l nl --ignore=.venv

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
