# bilgiislem developer and CI entry points. Every target bootstraps its own tools:
# uv comes from PyPI into .tools/, the locked dependencies into .venv/ (stack-notes §1).
#
#   make run      migrate, load the Karasu demo, serve on $(PORT) with the task consumer
#   make test     SQLite suite (with Chromium browser tests), then PostgreSQL suite
#   make lint     ruff, deploy checks, migrations up to date, import contracts
#   make bench    benchmarks/bench_*.py on a throwaway SQLite database
#   make messages makemessages (tr, en) + compilemessages
#   make clean    remove .venv, .tools, var/ and caches

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
UV_VERSION := 0.13.9
# pytest-xdist workers: the number of cores, at most 2 (the machines have 2).
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 2 ] && n=2; echo $$n)

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
export PYTHONDONTWRITEBYTECODE := 1

UV := .tools/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
SYNC_STAMP := .venv/.uv-sync-stamp

# Dummy values so the production settings import for `check --deploy` (never used to serve).
LINT_ENV := DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=lint-only-9fK2xQv7Lm4Rz8Tb3Nw6Yp1Hs5Jd0Gc7Ve2Ua9Xk4Qm8Zr3Lt6Wn1Bf5Hy0Ps \
	ALLOWED_HOSTS=bilgiislem.example.org

.PHONY: help sync run test test-sqlite test-postgres system-packages lint bench messages clean

help:
	@sed -n 's/^#   //p' Makefile

# --- bootstrap -------------------------------------------------------------------------------

$(UV):
	@echo "==> bootstrapping uv $(UV_VERSION) into .tools/"
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Re-synced only when the lock (or pyproject, or uv itself) is newer than the stamp.
$(SYNC_STAMP): uv.lock pyproject.toml $(UV)
	@echo "==> uv sync --locked"
	$(UV) sync --locked
	@touch $@

sync: $(SYNC_STAMP)

# --- run -------------------------------------------------------------------------------------

run: export DJANGO_SETTINGS_MODULE := config.settings.dev
run: $(SYNC_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_organization
	$(MANAGE) load_demo
	$(MANAGE) load_file_plan
	$(MANAGE) servicedesk_setup
	$(MANAGE) servicedesk_demo
	$(MANAGE) assets_demo
	$(MANAGE) correspondence_demo_pki
	@echo
	@echo "  bilgiislem: http://127.0.0.1:$(PORT)/"
	@echo "  demo logins (password: demo):"
	@echo "    baskan, baskan.yardimcisi, mudur, sef, memur, kalem, arsiv, yaziisleri"
	@echo "  background tasks (reminders, device checks, nightly fixity): huey, log in var/huey.log"
	@echo
	@# The task consumer runs beside the server and stops with it.
	$(MANAGE) run_huey --quiet --logfile var/huey.log & huey=$$!; \
	trap 'kill $$huey 2>/dev/null || true' EXIT; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# --- test ------------------------------------------------------------------------------------

system-packages:
	scripts/ensure-system-packages.sh chromium softhsm2

# pytest's exit code 5 ("no tests collected") counts as a failure.
test: $(SYNC_STAMP) system-packages
	@rc=0; \
	echo "==> pytest on SQLite (-n $(JOBS))"; \
	env -u DATABASE_URL .venv/bin/pytest -n $(JOBS) || rc=1; \
	echo "==> pytest on PostgreSQL 15 (-n $(JOBS), not browser)"; \
	scripts/with-postgres.sh .venv/bin/pytest -n $(JOBS) -m "not browser" || rc=1; \
	if [ $$rc -ne 0 ]; then echo "==> make test: FAILED"; else echo "==> make test: OK"; fi; \
	exit $$rc

test-sqlite: $(SYNC_STAMP) system-packages
	env -u DATABASE_URL .venv/bin/pytest -n $(JOBS) $(PYTEST_ARGS)

test-postgres: $(SYNC_STAMP)
	scripts/with-postgres.sh .venv/bin/pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS)

# --- lint ------------------------------------------------------------------------------------

lint: $(SYNC_STAMP)
	@rc=0; \
	echo "==> ruff check"; .venv/bin/ruff check . || rc=1; \
	echo "==> ruff format --check"; .venv/bin/ruff format --check . || rc=1; \
	echo "==> manage.py check --deploy (production settings)"; \
	env -u DATABASE_URL $(LINT_ENV) $(MANAGE) check --deploy --fail-level WARNING || rc=1; \
	echo "==> makemigrations --check"; \
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.dev \
		$(MANAGE) makemigrations --check --dry-run || rc=1; \
	echo "==> lint-imports"; PYTHONPATH=src .venv/bin/lint-imports || rc=1; \
	if [ $$rc -ne 0 ]; then echo "==> make lint: FAILED"; else echo "==> make lint: OK"; fi; \
	exit $$rc

# --- bench -----------------------------------------------------------------------------------

bench: $(SYNC_STAMP)
	env -u DATABASE_URL $(PY) benchmarks/run.py $(BENCH)
	@case "$(BENCH)" in ""|*registry*) \
		echo "# registry numbering on PostgreSQL"; \
		scripts/with-postgres.sh $(PY) benchmarks/numbering_postgres.py;; esac

# --- translations ----------------------------------------------------------------------------

I18N_IGNORE := --ignore=.venv --ignore=.tools --ignore=var --ignore=node_modules

messages: $(SYNC_STAMP)
	scripts/ensure-system-packages.sh gettext
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) makemessages -l tr -l en $(I18N_IGNORE)
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) compilemessages $(I18N_IGNORE)

# --- clean -----------------------------------------------------------------------------------

clean:
	rm -rf .venv .tools var .pytest_cache .ruff_cache .import_linter_cache
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
