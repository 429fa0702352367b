# Two commands for a fresh machine: `make run` and `make test` (see README.md).
# Everything else here is what those two need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test browser install lint typecheck check benchmark clean

# The database (quietly: a line per migration tells a newcomer nothing), the demo behind a progress bar
# per landlord, then the server and worker: the last lines say where Putright is, at HOST:PORT.
run: $(VENV)/.installed node_modules/.installed
	DEBUG=true $(BIN)/putright migrate --no-input --verbosity 0
	DEBUG=true $(BIN)/putright demo
	DEBUG=true $(BIN)/putright serve --with-worker --bind $(HOST):$(PORT)

# The suite in parallel (pytest-xdist), one worker process per core; TEST_WORKERS=0 runs it in this process.
# worksteal: a worker that runs out of tests takes some from the other, so no one slow file holds up the end.
# Not loadfile or loadscope: they key tests by id, and schemathesis gives all its API operations one id, so
# all but one of them would silently not run.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The browser tests alone (they also run in `make test`). Playwright drives Debian's chromium
# (`apt-get install chromium`); no browser is ever downloaded, and without one they are skipped.
browser: install
	$(BIN)/python -m pytest -m browser

# `make run` needs only what Putright runs on (requirements.lock); the tests, lint and types also need the
# tools in requirements-dev.lock. Both lock files carry hashes and are what installs: pyproject.toml only declares.
install: $(VENV)/.installed-dev node_modules/.installed

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Putright needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy putright

check: lint typecheck

# Regenerate the lock file after changing dependencies in pyproject.toml (needs `uv`).
lock:
	uv pip compile pyproject.toml --extra build --generate-hashes --universal --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra build --extra dev -c requirements.lock --generate-hashes --universal --python-version 3.11 -o requirements-dev.lock

benchmark: install
	$(BIN)/python benchmarks/calendar_additions.py

clean:
	rm -rf $(VENV) node_modules var
