# make run   — set up, build the database, serve on http://127.0.0.1:8000
# make test  — set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/briefs.db

.PHONY: run test test-browser test-nightly build check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(DB): $(STAMP) $(wildcard seeds/* fixtures/*) $(wildcard api/*.py schemas/*.py)
	$(BIN)/briefs build --db $(DB)

build: $(DB)

check: $(STAMP)
	$(BIN)/briefs check

run: $(DB)
	BRIEFS_DB=$(DB) $(BIN)/briefs serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q --ignore=tests/browser

# Renders /docs in headless Chromium (Debian's package, installed when missing).
test-browser: $(STAMP)
	command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/pytest -q tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
