# Two commands for everything:  `make lab` opens the course, `make test` checks all of it.
# Without make (e.g. on Windows), see "Without make" in README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test nbval lint unit execute exercises site slides screenshots bench clean

# (Re)install when requirements.txt or pyproject.toml change, or when the venv is missing.
# The JupyterLab settings of tools/lab-settings/ are installed with the course (pyproject.toml).
$(STAMP): requirements.txt pyproject.toml $(wildcard tools/lab-settings/share/jupyter/lab/settings/*/*)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# The website's tools (requirements-site.txt), only for the targets that need them, so that
# `make lab` stays a quick install. Both files in one pip call: one consistent set of versions.
SITE_STAMP := $(VENV)/.installed-site
$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-site.txt
	touch $(SITE_STAMP)

# Where the system allows it (root, or user namespaces), the website is built in a network
# namespace of its own, with no network at all: proof that the build needs none.
NO_NET := $(shell unshare --net true 2>/dev/null && echo unshare --net)

# JupyterLab refuses to run as root unless told; containers and CI often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

## lab: open JupyterLab on the first notebook
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

# Strict nbval: every committed output must match a fresh run (after tests/nbval_sanitize.cfg).
NB    ?= notebooks
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

## test: lint, the website, then unit tests, the site's browser checks and every notebook
## under strict nbval
test: $(SITE_STAMP)
	$(BIN)/ruff check helpers tests notebooks tools
	$(NO_NET) $(BIN)/python -m tools.site build
	$(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) tests notebooks

## nbval: only the notebooks, under strict nbval, in one process with no other pytest plugin
## (what `make bench` times). Extra pytest options go in ARGS, e.g. make nbval ARGS=-x
nbval: $(STAMP)
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p nbval $(NBVAL) $(ARGS) $(NB)

## lint: only ruff
lint: $(STAMP)
	$(BIN)/ruff check helpers tests notebooks tools

## unit: only the unit tests (fast; the site's checks build the site if it is out of date)
unit: $(SITE_STAMP)
	$(BIN)/python -m pytest tests

## bench: time the course on this machine (kernel floor vs nbval, slowest cells, 100x data)
bench: $(STAMP)
	$(BIN)/python -m tools.benchmark

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache

## execute: re-run every notebook in a fresh kernel and save it (authors, before committing)
execute: $(STAMP)
	$(BIN)/python -m tools.authoring notebooks/[0-9][0-9]_*.ipynb

## exercises: regenerate the student copy of notebook 06 from its solutions, and execute it
exercises: $(STAMP)
	$(BIN)/python -m tools.student_copy build

## site: the course as a static website in build/site/ (open build/site/index.html; offline)
site: $(SITE_STAMP)
	$(NO_NET) $(BIN)/python -m tools.site build

## slides: a reveal.js deck per notebook (code hidden) in build/slides/, viewable offline
slides: $(STAMP)
	$(BIN)/python -m tools.export slides --out build

## screenshots: the site's home page and a notebook page in headless Chromium, at phone and
## desktop width, in build/screenshots/
screenshots: $(SITE_STAMP)
	$(BIN)/python -m tools.site screenshots --out build
