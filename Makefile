# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app survey_app
export FLASK_RUN_HOST ?= 127.0.0.1
export FLASK_RUN_PORT ?= 5000

.PHONY: run test setup install check lint bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "survey_app needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	# The venv module seeds setuptools 65.5.0 (known CVEs, e.g. CVE-2025-47273): upgrade it at once.
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=78.1.1'
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

## setup: create or migrate the database, load the questionnaires, compile the translations
setup: install
	$(FLASK) init-db
	$(FLASK) questionnaires load
	$(FLASK) translations compile

## run: serve on http://$FLASK_RUN_HOST:$FLASK_RUN_PORT (default 127.0.0.1:5000)
run: setup
	@echo ""
	@echo "survey_app: residents answer at http://$(FLASK_RUN_HOST):$(FLASK_RUN_PORT)/"
	@echo "  First account:  $(FLASK) users create NAME --role admin   (or staff, analyst; a password of 12+ characters)"
	@echo "  Staff log in at http://$(FLASK_RUN_HOST):$(FLASK_RUN_PORT)/staff/login (intake, kiosk); analysts too, then /results/"
	@echo "  Accounts:       $(FLASK) users list | reset-password NAME | disable NAME | enable NAME"
	@echo ""
	$(FLASK) run

## test: the whole suite (set TEST_DATABASE_URL to run it on PostgreSQL too)
test: install tests/browser/node_modules/axe-core/axe.min.js
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto}

# axe-core for the accessibility checks of the browser tests, as locked (needs npm; the
# browser tests skip anyway where Debian's Chromium is not installed).
tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package-lock.json
	-command -v npm >/dev/null && npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

## check: the questionnaires, known vulnerabilities of the installed packages, and a static security scan.
## pip-audit --strict fails (and says which) for every package it could not look up, rather than
## pass when the advisory data (PyPI's JSON API) cannot be reached.
check: install
	$(FLASK) questionnaires check
	$(PY) -m pip install --quiet -e '.[check]'
	$(PY) -m pip_audit --strict --skip-editable --progress-spinner off
	$(PY) -m bandit -q -r survey_app -ll

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
