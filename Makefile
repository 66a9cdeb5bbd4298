# kernelkit: every target does its own set-up on a fresh machine (Python 3.11+ and apt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KERAS_BACKEND := jax
export XLA_FLAGS ?= --xla_force_host_platform_device_count=1

.PHONY: setup demo test lint lab graphviz clean

setup: $(STAMP) graphviz

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

demo: setup
	$(BIN)/python examples/three_ways.py

lint: $(STAMP)
	$(BIN)/ruff check kernelkit tests examples
	$(BIN)/lint-imports

test: setup lint
	$(BIN)/python -m pytest -n 2 --dist loadfile tests

lab: setup
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
