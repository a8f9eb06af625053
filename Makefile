# One-command entry points. `make` builds everything, `make test` runs the test suite.
# Both bootstrap the environment themselves: a private copy of uv in .tools/, then
# `uv sync --frozen` into .venv/ from uv.lock, using the machine's own Python 3.11+.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
SNAKEMAKE := $(VENV)/bin/snakemake
CORES ?= all
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile every installed module to bytecode once at set-up; without it a machine that sets
# PYTHONDONTWRITEBYTECODE recompiles pandas, scipy, snakemake... in every job (docs/performance.md).
export UV_COMPILE_BYTECODE := 1
# Fixed epoch for reproducible file metadata (PDF, SVG, archives); see README "Guarantees".
export SOURCE_DATE_EPOCH ?= 1704067200
export PYTHONHASHSEED := 0

.PHONY: all build test test-fast lint fmt data-lock report requirements env clean bench unlock fuzz diff

all: build

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

env: $(VENV)/.synced

# One build per folder at a time (a second `make` waits), and recovery from a killed build:
# the lock a killed Snakemake left is removed, and --rerun-incomplete redoes unfinished jobs.
# See docs/guarantees.md, "Recovering from an interrupted build".
BUILD_LOCK := $(VENV)/bin/python -m kzopen.pipeline.buildlock --
build: env
	$(BUILD_LOCK) $(SNAKEMAKE) --cores $(CORES) --rerun-incomplete
	$(BUILD_LOCK) $(SNAKEMAKE) --cores $(CORES) --report build/article/report.html

# After a killed bare `snakemake` (`make` does this itself): remove its stale lock (only when
# no other Snakemake runs here).
unlock: env
	$(SNAKEMAKE) --unlock

report: env
	$(BUILD_LOCK) $(SNAKEMAKE) --cores $(CORES) --report build/article/report.html

# The complete suite: unit and module tests, the session build and its readers, scratch builds.
test: env
	$(VENV)/bin/python -m pytest -n 2 --dist loadgroup

# Unit and module tests only (under a minute on 2 cores): no build, no Snakemake run. The
# markers that leave the others out are set in tests/conftest.py (FAST: tests/support.py); KZOPEN_TEST_FAST=1
# makes a build or Snakemake run fail there, should an unmarked test start one. On the two
# workers of `make test` (about 45 s; 63 s in one process).
test-fast: env
	KZOPEN_TEST_FAST=1 $(VENV)/bin/python -m pytest -n 2 --dist loadgroup -q -m "not e2e and not build and not workflow"

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/snakefmt --check .
	$(SNAKEMAKE) --lint

fmt: env
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/snakefmt .

# Rewrite the checksums in data/raw/manifest.csv after an intended change to a raw file.
data-lock: env
	$(VENV)/bin/python -m kzopen.pipeline.manifest lock data/raw/manifest.csv

# Regenerate requirements.lock.txt (pip, with hashes) and environment.yml (conda) from uv.lock.
requirements: env
	$(UV) export --frozen --format requirements-txt --no-emit-project --no-dev > requirements.lock.txt
	$(VENV)/bin/python -m kzopen.pipeline.envfiles write

# Compare the article with another version, number by number (docs/changes.md):
# `make diff BASE=HEAD~1` writes build/article/changes.html and results/changes.csv.
diff: env
	$(SNAKEMAKE) --cores $(CORES) --rerun-incomplete
	$(VENV)/bin/python -m kzopen.diff --base "$(BASE)" --cores $(CORES)

bench: env
	$(VENV)/bin/python benchmarks/run.py

# 1,000 generated corruptions of the raw files and the config (benchmarks/fuzz.json).
fuzz: env
	$(VENV)/bin/python benchmarks/fuzz.py

clean:
	rm -rf .snakemake logs results/* figures/* data/processed/* build/article article/build
	touch results/.gitkeep figures/.gitkeep data/processed/.gitkeep
