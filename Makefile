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

.PHONY: help setup lessons html lab test unit execute bench seeds backends browser-test clean

help:
	@echo "make setup     create .venv and install everything (once; make lab and the rest also do it)"
	@echo "make lessons   run every lesson headless, write HTML to build/lessons/"
	@echo "make html      the same pages from the notebooks as committed, without running them (seconds)"
	@echo "make test      unit tests + every notebook under nbval (BACKEND=jax or torch: on that Keras backend)"
	@echo "make unit      unit tests only (BACKEND=jax or torch as above)"
	@echo "make lab       open JupyterLab on notebooks/ (LESSON_QUICK=1 make lab: every lesson in quick mode)"
	@echo "make execute   re-execute the notebooks in place (fresh committed outputs)"
	@echo "make bench     measure lesson times, step efficiency, single loss vs classic, quality per"
	@echo "               CPU-second; write benchmarks/RESULTS.md (about 40 min; run on an idle machine)"
	@echo "make seeds     run every lesson once per seed in SEEDS (default \"1 2 3\"), write benchmarks/SEEDS.md"
	@echo "make backends  every lesson and each trainer's step time on TensorFlow, JAX and PyTorch, write"
	@echo "               benchmarks/BACKENDS.md (about an hour on 2 cores: PyTorch is the slow one)"
	@echo "make browser-test  open every page and JupyterLab in headless Chromium (installs it), check them"
	@echo "make clean     remove .venv, .venv-html and build/"

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
	$(BIN)/python scripts/run_notebooks.py --html build/lessons --solutions solutions $(NOTEBOOKS)

# make html needs no TensorFlow: where .venv is not set up yet it makes .venv-html with only what
# converting the notebooks needs (nbconvert, the MathJax package, Pillow for the thumbnails, IPython for
# the code's colours), under a minute.
HTML_VENV := .venv-html
HTML_DEPS := nbconvert "jupyter-server-mathjax>=0.2.6,<0.3" pillow ipython
HTML_PYTHON := $(if $(wildcard $(STAMP)),$(BIN)/python,$(HTML_VENV)/bin/python)

$(HTML_VENV)/.installed: Makefile
	@test -x $(HTML_VENV)/bin/python || $(PYTHON) -m venv $(HTML_VENV)
	$(HTML_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(HTML_DEPS)
	@touch $@

html: $(if $(wildcard $(STAMP)),$(STAMP),$(HTML_VENV)/.installed)
	@start=$$(date +%s); \
	$(HTML_PYTHON) scripts/run_notebooks.py --no-execute --html build/lessons --solutions solutions $(NOTEBOOKS) && \
	echo "make html: the pages took $$(( $$(date +%s) - start )) s; open build/lessons/index.html"

# JupyterLab with the project's settings (jupyter/overrides.json: no "get notified about Jupyter news?"
# prompt, no update check), installed into the venv, not your home. The course's notebooks are trusted
# first, so their saved animations show the player's buttons (untrusted, each plays as a GIF). Environment
# variables reach the kernels: LESSON_QUICK=1 make lab. LAB_ARGS adds options, e.g. LAB_ARGS="--port=9999".
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_ARGS ?=
LAB_DIR ?= notebooks/
# make lab BACKEND=jax: the kernels run Keras on JAX (installed on first use); without BACKEND= on the
# command line, KERAS_BACKEND from the environment (or Keras's default, TensorFlow) applies.
LAB_ENV := $(if $(filter command line,$(origin BACKEND)),KERAS_BACKEND=$(BACKEND))

$(LAB_SETTINGS): jupyter/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

setup: $(STAMP) $(LAB_SETTINGS)
	@echo "make setup: .venv is ready. Next: make lab (the lessons in JupyterLab) or make html (the pages)."

lab: $(BACKEND_STAMP) $(LAB_SETTINGS)
	@$(BIN)/jupyter trust $(NOTEBOOKS) $(SOLUTIONS) > /dev/null
	@echo "make lab: trusted the course's notebooks (jupyter trust), so their animations' players run."
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "make lab: running as root (as in a container), so Jupyter gets --allow-root. Outside a"; \
	  echo "container, run make lab as your own user instead. To reach it from the host, add"; \
	  echo "LAB_ARGS=\"--ip=0.0.0.0 --no-browser\" and publish the port."; \
	  $(LAB_ENV) $(BIN)/jupyter lab --allow-root $(LAB_ARGS) $(LAB_DIR); \
	else \
	  $(LAB_ENV) $(BIN)/jupyter lab $(LAB_ARGS) $(LAB_DIR); \
	fi

test: $(BACKEND_STAMP)
	$(PYTEST) tests $(NOTEBOOKS) $(SOLUTIONS) $(NBVAL)

unit: $(BACKEND_STAMP)
	$(PYTEST) -q tests

execute: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py --inplace $(NOTEBOOKS)

# A real browser (Debian's headless Chromium, installed on first use) opens every page from file:// and
# JupyterLab as make lab starts it: math typeset, animations playing, nothing fetched from the network.
# Screenshots in build/browser-test/.
browser-test: $(STAMP) $(LAB_SETTINGS)
	@command -v chromium > /dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi; }
	$(BIN)/python scripts/run_notebooks.py --no-execute --html build/lessons --solutions solutions $(NOTEBOOKS)
	$(BIN)/python scripts/browser_test.py --pages build/lessons --lab

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --out benchmarks/RESULTS.md

seeds: $(STAMP)
	SEEDS="$(SEEDS)" $(BIN)/python benchmarks/seeds.py --out benchmarks/SEEDS.md $(NOTEBOOKS)

backends: $(VENV)/.installed-jax $(VENV)/.installed-torch
	$(BIN)/python benchmarks/backends.py --out benchmarks/BACKENDS.md $(NOTEBOOKS)

clean:
	rm -rf $(VENV) $(HTML_VENV) build
