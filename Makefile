# Repères — the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL the suite runs on a second time (a fresh schema per test).
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install install-test run test test-sqlite test-postgres lint format clean bench \
	browser-deps fuzz \
	i18n catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Compiled catalogs are build output (git-ignored): always rebuilt from the .po.
catalogs: install
	$(BIN)/pybabel compile --domain messages --directory locales --statistics 2>&1 \
		| grep -v '^compiling' || true

# Extract the strings, update every catalog, compile.
i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k N_ --no-location --sort-output \
		--project Repères -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --ignore-obsolete --no-fuzzy-matching
	$(MAKE) --no-print-directory catalogs

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install catalogs
	$(BIN)/reperes db upgrade
	$(BIN)/reperes load-demo --if-empty
	$(BIN)/reperes serve --port $(PORT)

# Browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

test: install-test catalogs browser-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install-test
	env -u REPERES_DATABASE_URL -u DATABASE_URL $(BIN)/pytest -q

# With CI=true a missing PostgreSQL fails the run instead of being skipped.
test-postgres: install-test
	@if $(BIN)/python -m api.tools.pg_reachable "$(TEST_PG_URL)"; then \
		DATABASE_URL="$(TEST_PG_URL)" $(BIN)/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required in CI but unreachable at $(TEST_PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL unreachable at $(TEST_PG_URL): PostgreSQL run skipped"; \
	fi

# The schemathesis run of `make test` alone (300 examples per operation, on
# SQLite then PostgreSQL: 15 and 17 minutes on a 2-core machine, both at once
# at load 6-7, 0 server errors, 0 schema violations), after changing the API;
# FUZZ_EXAMPLES=1000 for a deeper one before a release.
FUZZ_EXAMPLES ?= 300
fuzz: install-test
	env -u REPERES_DATABASE_URL -u DATABASE_URL REPERES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/pytest -q tests/api/test_openapi_fuzz.py
	@if $(BIN)/python -m api.tools.pg_reachable "$(TEST_PG_URL)"; then \
		DATABASE_URL="$(TEST_PG_URL)" REPERES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
			$(BIN)/pytest -q tests/api/test_openapi_fuzz.py; \
	else \
		echo "PostgreSQL unreachable at $(TEST_PG_URL): PostgreSQL run skipped"; \
	fi

# Not a test: generates 100k services on SQLite and PostgreSQL (several minutes,
# once: reused after), then prints latency percentiles, datasette side by side
# on the same SQLite file, map weight and draw time (bench/README.md).
bench: install-test catalogs
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.search --backend both --services 100000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
