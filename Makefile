# Two commands for everything:  `make lab` opens the course, `make test` checks all of it.
# Without make (e.g. on Windows), see "Without make" in README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test nbval lint unit execute exercises grade test-grade handouts slides screenshots bench clean

# (Re)install when requirements.txt or pyproject.toml change, or when the venv is missing.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Teachers' tools (nbgrader), on top of the learner's environment: `make lab` does not need them.
GRADE_STAMP := $(VENV)/.installed-grade
$(GRADE_STAMP): $(STAMP) requirements-grade.txt
	$(BIN)/python -m pip install --quiet -r requirements-grade.txt
	touch $(GRADE_STAMP)

# JupyterLab refuses to run as root unless told; containers and CI often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

## lab: open JupyterLab on the first notebook
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

# Strict nbval: every committed output must match a fresh run (after tests/nbval_sanitize.cfg).
NB    ?= notebooks
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

## test: lint, unit tests, every notebook under strict nbval, then the fixture class graded
test: $(GRADE_STAMP)
	$(BIN)/ruff check helpers tests notebooks tools
	$(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) tests notebooks
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

## unit: only the unit tests (fast)
unit: $(GRADE_STAMP)
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

## handouts: offline HTML of every notebook in build/html/ (read without Jupyter)
handouts: $(STAMP)
	$(BIN)/python -m tools.export html --out build

## slides: a reveal.js deck per notebook (code hidden) in build/slides/, viewable offline
slides: $(STAMP)
	$(BIN)/python -m tools.export slides --out build

## screenshots: the HTML pages as rendered by headless Chromium, in build/screenshots/
screenshots: $(STAMP)
	$(BIN)/python -m tools.export screenshots --out build
