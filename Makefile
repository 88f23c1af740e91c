# Anping: the commands people type. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# The test suite runs on the production stack: PostgreSQL and Redis on this machine.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anping
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test bench lint format messages migrations worker beat clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

## make run: the portal with demo data on SQLite, tasks in process, at http://127.0.0.1:8000/
run: $(STAMP)
	mkdir -p var staticfiles
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: lint, migrations check, translations, and the whole suite on PostgreSQL + Redis.
## First installs what the suite needs from Debian's packages when missing (.ci/test-deps).
test: $(STAMP)
	bash .ci/test-deps
	$(PY) -m ruff check .
	DJANGO_SETTINGS_MODULE=tests.settings DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	  CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)} \
	  REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(PY) -m pytest $(PYTEST_ARGS)

## make bench: the benchmark table (PostgreSQL), each figure next to its baseline
bench: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} \
	  CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)} \
	  $(PY) -m tests.bench.run $(BENCH_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## make messages: refresh every catalog (one per app) and compile them
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans
	DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore='.venv/*'

migrations: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations

## worker / beat: the background side, with CELERY_BROKER_URL set (production-like runs)
worker: $(STAMP)
	$(PY) -m celery -A anping worker -l info
beat: $(STAMP)
	$(PY) -m celery -A anping beat -l info

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
