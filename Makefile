# Two commands for everything:  `make lab` opens the course, `make test` checks all of it.
# Without make (e.g. on Windows), see "Without make" in README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test nbval lint unit execute exercises grade test-grade site slides printouts \
        screenshots bench clean test-hub hub-link

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

# Teachers' tools (nbgrader), on top of the learner's environment: `make lab` does not need them.
GRADE_STAMP := $(VENV)/.installed-grade
$(GRADE_STAMP): $(STAMP) requirements-grade.txt
	$(BIN)/python -m pip install --quiet -r requirements-grade.txt
	touch $(GRADE_STAMP)

# Where the system allows it, the tests run in a network namespace with only the loopback
# interface up (tools/offline/run): kernels, JupyterLab and Chromium reach 127.0.0.1, nothing
# else. Everywhere, strict nbval's kernels also start with a socket guard (see conftest.py).
NO_NET_LO := $(shell tools/offline/run true >/dev/null 2>&1 && echo tools/offline/run)

# JupyterLab refuses to run as root unless told; containers and CI often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

## lab: open JupyterLab on the first notebook
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

# Strict nbval: every committed output must match a fresh run (after tests/nbval_sanitize.cfg).
NB    ?= notebooks
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

## test: lint, the website, then unit tests, the site's browser checks and every notebook
## under strict nbval, then the fixture class graded
test: $(SITE_STAMP) $(GRADE_STAMP)
	$(BIN)/ruff check helpers tests notebooks tools
	$(NO_NET) $(BIN)/python -m tools.site build
	$(NO_NET_LO) $(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) tests notebooks
	$(MAKE) --no-print-directory test-grade

## test-grade: nbgrader releases the committed student copy, and grades the fixture class
## (tests/fixtures/class06) to exactly its expected gradebook (a few minutes: one kernel each)
test-grade: $(GRADE_STAMP)
	$(BIN)/python -m pytest tests/grading_class.py

## nbval: only the notebooks, under strict nbval, in one process with no other pytest plugin
## (what `make bench` times). Extra pytest options go in ARGS, e.g. make nbval ARGS=-x
nbval: $(STAMP)
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p nbval $(NBVAL) $(ARGS) $(NB)

## lint: only ruff
lint: $(STAMP)
	$(BIN)/ruff check helpers tests notebooks tools

## unit: only the unit tests (fast; the site's checks build the site if it is out of date)
unit: $(SITE_STAMP) $(GRADE_STAMP)
	$(BIN)/python -m pytest tests

## bench: time the course on this machine (kernel floor vs nbval, slowest cells, 100x data)
bench: $(STAMP)
	$(BIN)/python -m tools.benchmark

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache

## execute: re-run every notebook in a fresh kernel and save it (authors, before committing)
execute: $(STAMP)
	$(BIN)/python -m tools.authoring notebooks/[0-9][0-9]_*.ipynb

## exercises: nbgrader releases the student copy of notebook 06 from its solutions; executed
exercises: $(GRADE_STAMP)
	$(BIN)/python -m tools.grade release

## grade: grade a class set: make grade SUBMISSIONS=folder (a folder per student, named by id);
## writes build/grade/<folder's name>/gradebook.csv and feedback/<student>.html
grade: $(GRADE_STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder" >&2; exit 2; }
	$(BIN)/python -m tools.grade grade "$(SUBMISSIONS)"

## site: the course as a static website in build/site/ (open build/site/index.html; offline)
site: $(SITE_STAMP)
	$(NO_NET) $(BIN)/python -m tools.site build

## slides: a reveal.js deck per notebook (code hidden) in build/slides/, viewable offline
slides: $(STAMP)
	$(BIN)/python -m tools.export slides --out build

## printouts: a one-page PDF handout per journal-club session in build/printouts/ (Chromium)
printouts: $(STAMP)
	$(BIN)/python -m tools.printouts --out build/printouts

## screenshots: the site's home page and a notebook page in headless Chromium, at phone and
## desktop width, in build/screenshots/
screenshots: $(SITE_STAMP)
	$(BIN)/python -m tools.site screenshots --out build

## test-hub: a real JupyterHub on 127.0.0.1, five learners following the class link at once
## (tests/hub/; about two minutes; `.ci/run` runs it after `make test`). See docs/jupyterhub.md.
HUB_STAMP := $(VENV)/.installed-hub
CHP       := tools/hub/node_modules/.bin/configurable-http-proxy
$(HUB_STAMP): $(STAMP) requirements-hub.txt
	$(BIN)/python -m pip install --quiet -r requirements-hub.txt
	touch $(HUB_STAMP)

# The hub's proxy from npm, as pinned by tools/hub/package-lock.json (git-ignored node_modules/).
# Without npm nothing is installed and the hub test skips, saying why. (--loglevel=error: npm
# warns that commander 15 asks for Node 22; the proxy runs on Node 20, as the test proves.)
$(CHP): tools/hub/package.json tools/hub/package-lock.json
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tools/hub --no-audit --no-fund --loglevel=error && touch $(CHP); \
	else echo "npm not found: the hub test will be SKIPPED (install Node.js and npm)" >&2; fi

test-hub: $(HUB_STAMP) $(CHP)
	$(BIN)/python -m pytest tests/hub

## hub-link: print the class link, e.g. make hub-link HUB=https://hub.example.edu
##           REPO=https://github.com/you/jdm-jak-course BRANCH=main (see docs/jupyterhub.md)
BRANCH   ?= main
NOTEBOOK ?= notebooks/00_start_here.ipynb
hub-link:
	@$(PYTHON) -m tools.hub_link --hub "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)" \
	  --notebook "$(NOTEBOOK)" --target "$(TARGET)"
