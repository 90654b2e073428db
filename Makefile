# smp-analysis — run `make help` for the list of targets.
# Everything installs into .venv from PyPI (and Debian's chromium + npm's axe-core for the browser tests).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CONFIG ?= data/config/sample.yml
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help install report test test-fast lint notebooks-strip lab bench clean chromium pdf-libs

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.stamp-install: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("smp-analysis needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.stamp-install ## create .venv and install the package

report: $(VENV)/.stamp-install ## build the appendix from the embedded sample data (generated if absent)
	$(VENV)/bin/smp-analysis build --config $(CONFIG)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

chromium: ## install Debian's chromium for the browser tests (skipped when present)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

pdf-libs: ## install the Pango libraries WeasyPrint needs for `build --pdf` (skipped when present)
	@{ libs=$$(PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p); echo "$$libs" | grep -q 'libpango-1.0.so.0' && echo "$$libs" | grep -q 'libpangoft2-1.0.so.0'; } || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

test: $(VENV)/.stamp-test node_modules/axe-core/axe.min.js chromium pdf-libs ## run the whole test suite (installs what it needs)
	$(PY) -m pytest

test-fast: $(VENV)/.stamp-test ## unit and reference tests only (no notebooks, no browser)
	$(PY) -m pytest -m "not slow"

lint: $(VENV)/.stamp-test ## ruff
	$(VENV)/bin/ruff check smp_analysis tests benchmarks
	$(VENV)/bin/ruff format --check smp_analysis tests benchmarks

lab: $(VENV)/.stamp-install ## open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(VENV)/.stamp-test ## run the benchmarks (minutes; writes benchmarks/results/)
	$(PY) benchmarks/run_all.py

clean: ## remove the venv, caches and generated sample data (reports are kept)
	rm -rf $(VENV) node_modules data/sample data/cache .pytest_cache .ruff_cache .hypothesis
