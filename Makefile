# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app survey_app
export FLASK_RUN_HOST ?= 127.0.0.1
export FLASK_RUN_PORT ?= 5000

TOOLS ?= .venv-tools
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test setup install install-test check check-static lock lint bench clean

# Installs come from the lock files in requirements/ (exact versions, every file's sha256):
# run.txt for the server, test.txt for the same versions plus the test tools. Two installs
# a month apart are the same; a package whose file changed on the index fails to install.
$(VENV)/.venv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "survey_app needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	# The venv module seeds setuptools 65.5.0 (known CVEs, e.g. CVE-2025-47273): upgrade it at once.
	$(PIP_INSTALL) --upgrade pip 'setuptools>=78.1.1'
	@touch $@

# The app itself goes in editable and without dependencies: the lock brought them all.
$(VENV)/.installed: requirements/run.txt pyproject.toml | $(VENV)/.venv
	$(PIP_INSTALL) --require-hashes --no-deps -r requirements/run.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(PIP_INSTALL) --require-hashes --no-deps -r requirements/test.txt
	$(PY) -m pip check
	@touch $@

## install: the server's packages only (requirements/run.txt)
install: $(VENV)/.installed

## install-test: the server's packages and the test tools (requirements/test.txt)
install-test: $(VENV)/.installed-test

# pip-tools (make lock) and bandit (make check) in a venv of their own, from their own lock.
$(TOOLS)/.installed: requirements/tools.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/tools.txt
	@touch $@

## lock: pin again what pyproject.toml asks for (kept pins stay; LOCK_FLAGS=--upgrade takes the
## newest releases its ranges allow). The test lock is solved first, with the test tools; the
## server's lock takes its versions, so the server runs what the tests ran. Needs PyPI; 10-25 minutes.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-find-links --no-emit-index-url $(LOCK_FLAGS)
lock: $(TOOLS)/.installed
	$(PIP_COMPILE) --extra test -o requirements/test.txt pyproject.toml
	$(PIP_COMPILE) -c requirements/test.txt -o requirements/run.txt pyproject.toml
	$(PIP_COMPILE) -o requirements/tools.txt requirements/tools.in

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
test: install-test tests/browser/node_modules/axe-core/axe.min.js
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto}

# axe-core for the accessibility checks of the browser tests, as locked (needs npm; the
# browser tests skip anyway where Debian's Chromium is not installed).
tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package-lock.json
	-command -v npm >/dev/null && npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

## check: the questionnaires, a static security scan (bandit, medium and up) and the known
## vulnerabilities of every locked release (requirements/audit.py, from PyPI's JSON API). The
## audit fails when a release has a known vulnerability, and also, naming them, for releases
## whose data it could not fetch: it never passes on missing data.
check: check-static
	$(PYTHON) requirements/audit.py $(LOCKS)

LOCKS := requirements/run.txt requirements/test.txt requirements/tools.txt

## check-static: the questionnaires and bandit only (no network)
check-static: install $(TOOLS)/.installed
	$(FLASK) questionnaires check
	$(TOOLS)/bin/bandit -q -r survey_app -ll

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .hypothesis
