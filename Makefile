# Nansen: `make demo` serves a demo installation, `make test` runs the whole test suite.
# Both create .venv and install what they need; only Python >= 3.11 is required.
# They install the exact versions in requirements.lock; `make lock` regenerates it from
# pyproject.toml, on purpose (a new release of holidays can move a legal last day).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LOCK := requirements.lock
DEMO_DB := $(CURDIR)/var/demo.sqlite3
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=

.PHONY: demo test test-sqlite test-postgres lint typecheck format messages lock clean

$(INSTALLED): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Nansen needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(INSTALLED)

# Regenerate requirements.lock from pyproject.toml (the dev and identity extras, for every
# platform, with hashes). The versions already locked are kept wherever pyproject.toml still
# allows them; `make lock UPGRADE=holidays` moves one package to its newest release.
lock: $(INSTALLED)
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile pyproject.toml --extra dev --extra identity --universal \
		--generate-hashes --quiet --output-file $(LOCK) \
		$(if $(UPGRADE),--upgrade-package $(UPGRADE))

demo: $(INSTALLED)
	NANSEN_ENV=demo NANSEN_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/nansen demo

test: $(INSTALLED) lint typecheck test-sqlite test-postgres

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs on the services, the selectors and the procedure engine (the files
# are listed in pyproject.toml, [tool.mypy]).
typecheck: $(INSTALLED)
	$(BIN)/mypy

test-sqlite: $(INSTALLED)
	@echo "== test suite on SQLite =="
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The same suite on PostgreSQL. Without a server it is skipped with a message, except under
# CI (CI=true), where a missing PostgreSQL is a failure.
test-postgres: $(INSTALLED)
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; \
		NANSEN_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL); under CI this is a failure."; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (no server at $(PG_URL); set PG_URL to use another)."; \
	fi

format: $(INSTALLED)
	$(BIN)/ruff format nansen tests
	$(BIN)/ruff check --fix .

# Extract the strings to translate (needs GNU gettext) and compile the catalogues.
messages: $(INSTALLED)
	$(BIN)/python -m nansen.core.i18n extract
	$(BIN)/python -m nansen.core.i18n compile

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
