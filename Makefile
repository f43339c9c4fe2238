# The README's two commands: `make run` (set up, run the main job) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup chromium bench clean

run: setup chromium
	$(BIN)/jdkit render params --to html,md --out out
	@echo "Documents are in out/: one .html and one .md per practice in params/."

test: setup chromium
	$(BIN)/python -m pytest -n 2 --dist loadfile

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

chromium:
	@scripts/ensure-chromium

bench: setup
	$(BIN)/python benchmarks/render.py

clean:
	rm -rf out build dist *.egg-info
