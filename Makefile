# Every target does its own set-up: it creates .venv with the machine's python3 and installs the
# package with its lab and test extras, reusing .venv while pyproject.toml is unchanged.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
SOLUTIONS := $(sort $(wildcard solutions/[0-9]*.ipynb))
CELL_TIMEOUT ?= 600
SEEDS ?= 1 2 3
export TF_CPP_MIN_LOG_LEVEL ?= 3

# The Keras backend `make test` and `make unit` run on: tensorflow (the default, a dependency), jax or torch
# (each installed on first use from the pyproject extra of that name).
BACKEND ?= tensorflow
BACKENDS := tensorflow jax torch
ifeq ($(filter $(BACKEND),$(BACKENDS)),)
$(error BACKEND must be one of $(BACKENDS), got "$(BACKEND)")
endif
# An unpinned torch from PyPI is the CUDA build (several GB); on the course's CPU machines this pin is the
# CPU build, from local disk. Elsewhere: make test BACKEND=torch TORCH=torch
TORCH ?= torch==2.13.0
BACKEND_STAMP := $(VENV)/.installed-$(BACKEND)
PYTEST := KERAS_BACKEND=$(BACKEND) $(BIN)/python -m pytest -p no:cacheprovider
NBVAL := --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT)

.PHONY: help lessons html lab test unit execute bench seeds backends clean

help:
	@echo "make lessons   run every lesson headless, write HTML to build/lessons/"
	@echo "make html      the same pages from the notebooks as committed, without running them (seconds)"
	@echo "make test      unit tests + every notebook under nbval (BACKEND=jax or torch: on that Keras backend)"
	@echo "make unit      unit tests only (BACKEND=jax or torch as above)"
	@echo "make lab       open JupyterLab on notebooks/"
	@echo "make execute   re-execute the notebooks in place (fresh committed outputs)"
	@echo "make bench     measure lesson times, step efficiency, single loss vs classic, quality per"
	@echo "               CPU-second; write benchmarks/RESULTS.md (about 40 min; run on an idle machine)"
	@echo "make seeds     run every lesson once per seed in SEEDS (default \"1 2 3\"), write benchmarks/SEEDS.md"
	@echo "make backends  every lesson and each trainer's step time on TensorFlow, JAX and PyTorch, write"
	@echo "               benchmarks/BACKENDS.md (about an hour on 2 cores: PyTorch is the slow one)"
	@echo "make clean     remove .venv and build/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[lab,test]"
	@touch $@

$(VENV)/.installed-tensorflow: $(STAMP)
	@touch $@

$(VENV)/.installed-jax: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[jax]"
	@touch $@

$(VENV)/.installed-torch: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$(TORCH)" -e ".[torch]"
	@touch $@

lessons: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --html build/lessons $(NOTEBOOKS)

html: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --no-execute --html build/lessons $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(BACKEND_STAMP)
	$(PYTEST) tests $(NOTEBOOKS) $(SOLUTIONS) $(NBVAL)

unit: $(BACKEND_STAMP)
	$(PYTEST) -q tests

execute: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --inplace $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --out benchmarks/RESULTS.md

seeds: $(STAMP)
	SEEDS="$(SEEDS)" $(BIN)/python benchmarks/seeds.py --out benchmarks/SEEDS.md $(NOTEBOOKS)

backends: $(VENV)/.installed-jax $(VENV)/.installed-torch
	$(BIN)/python benchmarks/backends.py --out benchmarks/BACKENDS.md $(NOTEBOOKS)

clean:
	rm -rf $(VENV) build
