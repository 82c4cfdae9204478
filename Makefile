# Yuntu 云图 — everyday commands.
#   make demo           install, build a demo district, run the task worker and the web server
#   make test           ruff, migrations check, the whole suite (browser tests included) on SQLite
#   make test-postgres  the same suite on PostgreSQL (DATABASE_URL below)
#   make bench | lint | stop | clean
#   make prod-local     the production topology on 127.0.0.1 (PostgreSQL, gunicorn ×2, worker, scheduler)
#   make load           a mixed staff/resident load against prod-local (LOAD_SECONDS, default 120)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/yuntu_test
DEMO_ADDR ?= 127.0.0.1:8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WORKER_PID := var/db_worker.pid
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings_test
# The suite runs on every core (pytest-xdist; each worker has its own test database).
# TEST_WORKERS=0 runs it in one process; YUNTU_TEST_AT=2027-01-01T00:20+08:00 runs it at that moment.
TEST_WORKERS ?= auto

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.PHONY: install demo worker stop test test-postgres browser documents postgres bench lint clean prod-local prod-local-stop load

## Install: each step reruns only when its inputs are newer than its stamp.
install: $(VENV)/.installed node_modules/.installed var/vendor/versions.json documents

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

var/vendor/versions.json: node_modules/.installed scripts/build_static.py
	$(PYTHON) scripts/build_static.py
	mkdir -p var/static var/media

## Demo: DEBUG so that runserver serves static files; rerunning reuses the database and the worker.
demo: export DEBUG := true
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --scale district
	$(PY) manage.py demo_ledger
	$(PY) manage.py demo_voices
	$(PY) manage.py demo_campaigns
	$(PY) manage.py demo_grassroots
	$(PY) manage.py demo_venues
	$(PY) manage.py demo_lectures
	$(PY) manage.py demo_claims
	$(PY) manage.py demo_publicity
	$(PY) manage.py demo_orglife
	$(PY) manage.py rollups_rebuild   # the figures' roll-ups, after the bulk-written demo records
	$(PY) manage.py tallies_refresh   # the figures' tallies, after the roll-ups
	$(PY) manage.py demo_briefings   # last: its issued briefings freeze the other modules' figures
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore='.venv' --ignore='node_modules' --ignore='var'; \
	else echo "msgfmt not found: skipping compilemessages (apt-get install gettext)"; fi
	@$(MAKE) --no-print-directory worker
	@$(PY) manage.py demo --scale district | tail -n 14   # the logins again, just above the server's output
	$(PY) manage.py runserver $(DEMO_ADDR)

worker:
	@mkdir -p var
	@if [ -f $(WORKER_PID) ] && ps -p "$$(cat $(WORKER_PID))" -o args= 2>/dev/null | grep -q "manage.py worker"; then \
		echo "task worker already running (pid $$(cat $(WORKER_PID)))"; \
	else \
		nohup $(PY) manage.py worker >> var/db_worker.log 2>&1 & echo $$! > $(WORKER_PID); \
		echo "task worker started (pid $$(cat $(WORKER_PID)); log var/db_worker.log; 'make stop' ends it)"; \
	fi

stop:
	@if [ -f $(WORKER_PID) ] && ps -p "$$(cat $(WORKER_PID))" -o args= 2>/dev/null | grep -q "manage.py worker"; then \
		kill "$$(cat $(WORKER_PID))" && echo "task worker stopped"; \
	fi
	@rm -f $(WORKER_PID)

## Quality gate.
test: install browser lint
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

test-postgres: install browser postgres
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# Browser tests use Debian's chromium (never a browser downloaded by Playwright) and Noto CJK fonts.
browser:
	@[ "$$(dpkg -s chromium fonts-noto-cjk 2>/dev/null | grep -c '^Status: install ok installed')" = 2 ] || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; }

# Briefings as PDF: WeasyPrint draws with Debian's Pango and embeds the Noto CJK fonts.
DOCUMENT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
documents:
	@[ "$$(dpkg -s $(DOCUMENT_PACKAGES) 2>/dev/null | grep -c '^Status: install ok installed')" = 3 ] || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DOCUMENT_PACKAGES); }

postgres:
	@bash scripts/ensure_postgres.sh

bench: install postgres
	$(PY) bench/run.py

## Production topology on this machine (docs/deploy.md §7), and a bounded mixed load against it.
LOAD_SECONDS ?= 120
prod-local: install postgres
	bash scripts/prod_local.sh

prod-local-stop:
	bash scripts/prod_local.sh stop

load: install
	$(PY) bench/mixed_load.py --seconds $(LOAD_SECONDS)

## Removes what the build made; keeps .venv and the demo database (rm -rf .venv var for a full reset).
clean: stop
	rm -rf node_modules var/vendor var/static test-results .ruff_cache .pytest_cache *.egg-info
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
