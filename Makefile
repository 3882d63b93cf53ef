# Every target does its own set-up: it creates .venv with the machine's python3 and installs the
# package with its lab and test extras, reusing .venv while pyproject.toml is unchanged.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
CELL_TIMEOUT ?= 600
SEEDS ?= 1 2 3
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: help lessons lab test execute bench seeds clean

help:
	@echo "make lessons   run every lesson headless, write HTML to build/lessons/"
	@echo "make test      unit tests + every notebook under nbval"
	@echo "make lab       open JupyterLab on notebooks/"
	@echo "make execute   re-execute the notebooks in place (fresh committed outputs)"
	@echo "make bench     measure lesson times, step efficiency, single loss vs classic, quality per"
	@echo "               CPU-second; write benchmarks/RESULTS.md (about 40 min; run on an idle machine)"
	@echo "make seeds     run every lesson once per seed in SEEDS (default \"1 2 3\"), write benchmarks/SEEDS.md"
	@echo "make clean     remove .venv and build/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[lab,test]"
	@touch $@

lessons: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --html build/lessons $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider tests $(NOTEBOOKS) \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT)

execute: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --inplace $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --out benchmarks/RESULTS.md

seeds: $(STAMP)
	SEEDS="$(SEEDS)" $(BIN)/python benchmarks/seeds.py --out benchmarks/SEEDS.md $(NOTEBOOKS)

clean:
	rm -rf $(VENV) build
