# kernelkit: every target does its own set-up on a fresh machine (Python 3.11+ and apt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KERAS_BACKEND := jax
export XLA_FLAGS ?= --xla_force_host_platform_device_count=1

.PHONY: setup demo test doctest lint lab bench bench-gpu graphviz browser-deps docs binder-check notebooks clean

setup: $(STAMP) graphviz browser-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The Graphviz `dot` program is a system package: install it with apt-get when missing and root.
graphviz:
	@if ! command -v dot >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Graphviz (dot) with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz 'dot' is missing: install it (apt-get install graphviz) for rendered layer graphs."; \
	  fi; \
	fi

# Chromium for the real-browser tests (tests/browser, driven by Playwright, which the `test`
# extra installs): Debian's package, installed with apt-get when missing and root.
CHROMIUM ?= /usr/bin/chromium

browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium with apt-get (for tests/browser)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM): install it (apt-get install chromium) for tests/browser."; \
	  fi; \
	fi

demo: setup
	$(BIN)/python examples/three_ways.py
	$(BIN)/python notebooks/tools/demo.py build/quickstart.html

lint: $(STAMP)
	$(BIN)/ruff check kernelkit tests examples docs conftest.py
	$(BIN)/lint-imports --no-cache

test: setup lint
	$(BIN)/python -m pytest -n 2 --dist loadfile tests
	$(BIN)/python -m pytest --doctest-modules kernelkit
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks/

# The `>>>` examples in kernelkit's docstrings.
doctest: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules kernelkit

lab: setup
	$(BIN)/jupyter lab notebooks/

# Re-executes every tutorial notebook in place (outputs saved, widget state stripped): run it
# after editing a notebook, before committing.
notebooks: setup
	$(BIN)/python notebooks/tools/run_all.py

# Training speed side by side with Keras 3 and hand-written Flax loops (one table).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# The GPU benchmark (benchmarks/gpu.sh): installs the CUDA jax wheel when a GPU is present, then
# the same tables plus fit under mixed_bfloat16; on a CPU-only machine, the CPU tables.
bench-gpu:
	bash benchmarks/gpu.sh $(BENCH_ARGS)

# The documentation site (mkdocs.yml), built with warnings as errors into build/site.
DOCS_STAMP := $(VENV)/.docs-installed

$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site

# What mybinder.org builds: a fresh environment from exactly binder/requirements.txt plus
# binder/postBuild, then every notebook executed in it; fails if any notebook fails.
BINDER_VENV := build/binder-venv
NOTEBOOKS ?= notebooks

binder-check:
	rm -rf $(BINDER_VENV) build/binder-check
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BINDER_VENV)/bin/python -m pip install --quiet -r binder/requirements.txt
	PATH="$(CURDIR)/$(BINDER_VENV)/bin:$$PATH" bash binder/postBuild
	$(BINDER_VENV)/bin/python -m ipykernel install --sys-prefix --name python3
	@found=0; failed=""; \
	for notebook in $(NOTEBOOKS)/*.ipynb; do \
	  [ -e "$$notebook" ] || continue; found=1; \
	  echo "Executing $$notebook"; \
	  PATH="$(CURDIR)/$(BINDER_VENV)/bin:$$PATH" JUPYTER_PREFER_ENV_PATH=1 \
	    $(BINDER_VENV)/bin/jupyter nbconvert --execute --to notebook \
	    --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
	    --output-dir build/binder-check "$$notebook" || failed="$$failed $$notebook"; \
	done; \
	if [ "$$found" = 0 ]; then echo "No notebooks in $(NOTEBOOKS)/."; fi; \
	if [ -n "$$failed" ]; then echo "binder-check: these notebooks failed:$$failed"; exit 1; fi; \
	echo "binder-check: every notebook ran in the Binder environment."

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
