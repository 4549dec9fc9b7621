# The two commands: `make run` and `make test`. Both set up .venv by themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint types bench check clean

$(STAMP): pyproject.toml constraints.txt
	@# Debian's python3 without python3-venv has no ensurepip: fall back to the system pip.
	$(PYTHON) -m venv $(VENV) || ( rm -rf $(VENV) && $(PYTHON) -m venv --without-pip $(VENV) \
	  && $(PYTHON) -m pip --python $(BIN)/python install --quiet pip )
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

## run: the simulated city lab and the NOC, wall at http://127.0.0.1:8080
## (the lab's credentials are lab-only values in var/lab/lab.env, mode 0600)
run: $(STAMP)
	$(BIN)/noc lab up
	set -a; . "$${NOC_DATA_DIR:-var}/lab/lab.env"; set +a; \
	  trap '$(BIN)/noc lab down' EXIT INT TERM; $(BIN)/noc serve

## test: lint, types and every test (integration tests skip when a peer is missing,
## unless NOC_REQUIRE_INTEGRATION=1 as in .ci/run)
test: $(STAMP) lint types
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/noc check inventory.yaml

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python bench/store.py
	$(BIN)/python bench/topology.py
	$(BIN)/python bench/sla.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
