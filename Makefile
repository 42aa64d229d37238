# Motverka — see README.md. `make run` starts the app, `make test` runs lint and all tests.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: install run serve test lint check pytest bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# axe-core and the Nu Html Checker (vnu-jar) for the browser tests, exactly as locked; the
# checker runs on the machine's Java, so no install script fetches one.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

# The demo runs without a second factor (a banner says so) unless MOTVERKA_MFA is set.
run: export MOTVERKA_MFA ?= off
run: install
	$(BIN)/motverka migrate --noinput
	$(BIN)/motverka collectstatic --noinput -v0
	$(BIN)/motverka demo_data --if-empty
	@echo "Motverka: http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn motverka.config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--config python:motverka.config.gunicorn_with_worker \
		--access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(L)ss'

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	MOTVERKA_TESTING=1 $(BIN)/motverka makemigrations --check --dry-run -v0
	DEBUG=0 HTTPS=1 SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 SECRET_KEY=check-deploy-$$(date +%s)-only-for-the-deploy-check-not-a-real-key-0123456789 \
		$(BIN)/motverka check --deploy --fail-level WARNING

# Two test processes (pytest-xdist) on a two-core machine, then the fault tests on their
# own: they start servers on fixed ports and time them, so they run alone (decision 0026).
PYTEST_WORKERS ?= 2
pytest: install
	MOTVERKA_TESTING=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --ignore=tests/faults
	MOTVERKA_TESTING=1 $(BIN)/python -m pytest tests/faults

test: lint pytest

# The page table at 100,000 cases on PostgreSQL (bench/pages.py, docs/performance.md), then
# the other benchmarks on a fresh test database.
bench: install
	$(BIN)/python -m bench.pages
	MOTVERKA_TESTING=1 $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules
