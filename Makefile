# The README's two commands: `make run` (set up, run the main job) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test quick setup chromium axe bench clean

run: setup chromium
	$(BIN)/jdkit batch params --out out --to html,pdf
	@echo "Documents are in out/<practice>/: .html, .pdf and the executed .ipynb; overview in out/summary.html."

# --no-loadscope-reorder: files go to the workers slowest first, as tests/conftest.py orders them
# (SLOW_FIRST), not by their number of tests, which put the few long end-to-end files last.
# PYTHONDONTWRITEBYTECODE emptied (this machine sets it): the test files' rewritten asserts and
# jdkit's bytecode are cached in __pycache__ (git ignores it) instead of compiled again by every
# test worker, kernel and batch process: collection 7.0 s -> 2.2 s per worker once cached.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder
test: setup chromium axe
	$(PYTEST)

# A developer's loop: every test but those marked slow (the end-to-end runs of kernels and servers).
# Not a substitute for `make test`, which CI runs.
quick: setup chromium axe
	$(PYTEST) -m "not slow"

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@# An editable install skips data-files: link the nbconvert template where a wheel puts it.
	mkdir -p $(VENV)/share/jupyter/nbconvert/templates
	ln -sfn $(CURDIR)/templates/nbconvert/jdkit $(VENV)/share/jupyter/nbconvert/templates/jdkit
	touch $(STAMP)

chromium:
	@scripts/ensure-chromium

axe:
	@scripts/ensure-axe

bench: setup
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/check.py
	$(BIN)/python benchmarks/formats.py
	$(BIN)/python benchmarks/roles.py
	$(BIN)/python benchmarks/form.py
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/batch_cpu.py

clean:
	rm -rf out build dist *.egg-info
