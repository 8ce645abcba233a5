"""Release and grade the exercises of notebook 06 with nbgrader (teachers' and authors' tool).

``notebooks/06_exercises_solutions.ipynb`` is nbgrader's *source* notebook: each answer cell is
an nbgrader solution cell (``### BEGIN SOLUTION`` ... ``### END SOLUTION``) and each check cell
an autograded test cell worth one point, whose hidden test (``### BEGIN HIDDEN TESTS``) asserts
that :func:`helpers.exercises.feedback` gives ✓. nbgrader does the rest:

- ``python -m tools.grade release`` (``make exercises``): ``nbgrader generate_assignment``
  writes the student copy, ``notebooks/06_exercises.ipynb`` (solutions and hidden tests
  removed, test cells locked, checksums recorded), which is then executed for nbval.
  :class:`StudentCopy`, run first, drops the worked explanations and swaps the title, the note
  and the navigation for the student's.
- ``python -m tools.grade check``: exit 1 if the committed student copy is not what
  ``release`` writes (cell types, sources and metadata; outputs are nbval's business).
- ``python -m tools.grade grade SUBMISSIONS`` (``make grade SUBMISSIONS=...``): SUBMISSIONS
  holds one folder per student (its name is the student id) with the notebook in it. Each
  submission is autograded by ``nbgrader autograde`` in a subprocess of its own, with a
  per-cell and a per-submission time limit, its kernel sandboxed by :mod:`tools.sandbox`; then
  ``nbgrader generate_feedback`` and ``nbgrader export``. Written to ``build/grade/<name>/``:
  ``gradebook.csv`` (a row per student: a point per exercise, the total, a status and the
  reasons for every lost point), ``feedback/<student>.html`` and nbgrader's own course folder
  (``nbgrader/``, with ``grades.csv`` from ``nbgrader export``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from helpers.paths import REPO_ROOT
from tools import sandbox

SOLUTIONS_PATH = REPO_ROOT / "notebooks" / "06_exercises_solutions.ipynb"
STUDENT_PATH = REPO_ROOT / "notebooks" / "06_exercises.ipynb"
ASSIGNMENT, NOTEBOOK = "ps06", "06_exercises"
KERNEL = "jdm-sandbox"
CELL_TIMEOUT, SUBMISSION_TIMEOUT = 30, 300  # seconds
MAX_BYTES = 20 * 2**20  # a submitted file larger than this is not graded
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

SOLUTIONS_TITLE, STUDENT_TITLE = "# 06 · Exercises — solutions", "# 06 · Exercises"
STUDENT_NOTE = """\
> **How to use this notebook.** Each exercise ends with an answer cell, `answer_N = ...`, and a
> check cell. Replace the `...` with your code (it must assign the answer to `answer_N`), run the
> answer cell, then the check cell: it prints ✓, or a hint, or *not attempted yet* while the
> `...` is still there. The worked solutions, explained step by step, are in
> [06 · Exercises — solutions](06_exercises_solutions.ipynb): try each exercise first. If your
> teacher grades this notebook, keep its name and its cells: the grader runs it top to bottom."""
STUDENT_NAV = """\
---
[Previous: 05 · Weighing the evidence](05_weighing_the_evidence.ipynb) ·
[Next: 06 · Exercises — solutions](06_exercises_solutions.ipynb) ·
[Back to 00 · Start here](00_start_here.ipynb)"""
DROPPED_TAGS = {"solution-prose", "solution-caption"}  # explanations and captions of solutions
SWAPPED = {"solutions-note": STUDENT_NOTE, "nav": STUDENT_NAV}


class StudentCopy(NbGraderPreprocessor):
    """Before nbgrader's own steps: drop the explanations, swap title, note and navigation."""

    def preprocess(self, nb, resources):  # type: ignore[no-untyped-def]
        nb.cells = [c for c in nb.cells if not DROPPED_TAGS & set(c.metadata.get("tags", []))]
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            for tag in SWAPPED.keys() & set(tags):
                cell.source = SWAPPED[tag]
                tags.remove(tag)
            if "tags" in cell.metadata and not tags:
                del cell.metadata["tags"]
        title = nb.cells[0]
        if title.source.startswith(SOLUTIONS_TITLE):
            title.source = STUDENT_TITLE + title.source[len(SOLUTIONS_TITLE) :]
        return nb, resources


CONFIG = """\
# Written by tools/grade.py for this grading folder: nbgrader reads it from here.
c = get_config()  # noqa
c.CourseDirectory.course_id = "jdm-jak-course"
c.ClearSolutions.code_stub = {{"python": ""}}  # the source's `answer_N = ...` line stays
c.GenerateAssignment.preprocessors = ["tools.grade.StudentCopy", *{preprocessors}]
c.Execute.timeout = {cell_timeout}  # seconds per cell; then the kernel is interrupted
c.Execute.iopub_timeout = 10  # after an interrupt, wait this long for the kernel's last output
c.Execute.raise_on_iopub_timeout = False  # and go on: a looping cell must not sink the rest
c.Execute.kernel_name = "{kernel}"
c.KernelManager.transport = "ipc"  # Unix sockets: the sandbox has no network at all
c.KernelManager.ip = "{sockets}"  # ipc: the sockets' path prefix (the sandbox binds its folder)
c.OverwriteCells.add_missing_cells = True  # a deleted test cell comes back (and fails)
c.LimitOutput.max_lines = 200
"""


def _tool_config(root: Path, cell_timeout: int) -> str:
    from nbgrader.converters import GenerateAssignment

    default = GenerateAssignment.class_traits()["preprocessors"].default()
    names = [f"{p.__module__}.{p.__name__}" for p in default]
    sockets = root / "runtime" / "kernel"
    return CONFIG.format(preprocessors=names, cell_timeout=cell_timeout, kernel=KERNEL,
                         sockets=sockets)  # fmt: skip


def make_course(root: Path, cell_timeout: int = CELL_TIMEOUT) -> Path:
    """An nbgrader course folder at ``root`` with the source notebook and our kernelspec."""
    if root.exists():
        shutil.rmtree(root)
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    shutil.copyfile(SOLUTIONS_PATH, source / f"{NOTEBOOK}.ipynb")
    (root / "nbgrader_config.py").write_text(_tool_config(root, cell_timeout), encoding="utf-8")
    (root / "runtime").mkdir()
    # interrupt by message: a signal would stop bubblewrap itself, the kernel with it
    spec = {"argv": [sys.executable, "-m", "tools.sandbox", "{connection_file}"],
            "display_name": "Python 3 (grading sandbox)", "language": "python",
            "interrupt_mode": "message"}  # fmt: skip
    kernel_dir = root / "jupyter" / "kernels" / KERNEL
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return root


def _env(root: Path, sandboxed: bool = True) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), JUPYTER_PATH=str(root / "jupyter"))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update({sandbox.ROOT_ENV: str(root), sandbox.MODE_ENV: "on" if sandboxed else "off"})
    env["JUPYTER_RUNTIME_DIR"] = str(root / "runtime")
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def nbgrader(root: Path, *args: str, timeout: float | None = None, **env_options: object):  # type: ignore[no-untyped-def]
    """Run ``nbgrader ARGS`` in the course folder ``root`` (a subprocess, in its own session)."""
    command = [sys.executable, "-m", "nbgrader", *args]
    env = _env(root, **env_options)  # type: ignore[arg-type]
    pipe = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    with subprocess.Popen(command, cwd=root, env=env, start_new_session=True, **pipe) as proc:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)  # nbgrader, the kernel and its sandbox
            out, _ = proc.communicate()
            return None, out
    return proc.returncode, out


def release(root: Path) -> Path:
    """``nbgrader generate_assignment``: the (unexecuted) student copy, in ``root/release``."""
    make_course(root)
    code, out = nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    if code != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{out}")
    return root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"


def cell_summary(path: Path) -> list[tuple[str, str, str]]:
    """What the drift check compares: type, source and metadata of every cell (slide types
    aside: tools.authoring sets them by rule when it executes the copy)."""
    nb = nbformat.read(path, as_version=4)
    meta = lambda c: {k: v for k, v in c.metadata.items() if k != "slideshow"}  # noqa: E731
    return [(c.cell_type, c.source, json.dumps(meta(c), sort_keys=True)) for c in nb.cells]


def drift(student_path: Path = STUDENT_PATH) -> list[str]:
    """Differences between the committed student copy and a fresh release (empty if none)."""
    with tempfile.TemporaryDirectory() as tmp:
        want = cell_summary(release(Path(tmp) / "course"))
    have = cell_summary(student_path)
    problems = [f"cell {i}: committed {h[1][:60]!r} != released {w[1][:60]!r}"
                for i, (h, w) in enumerate(zip(have, want, strict=False)) if h != w]  # fmt: skip
    if len(have) != len(want):
        problems.append(f"{len(have)} cells committed, {len(want)} released")
    return problems


# --- grading a class set ---------------------------------------------------------------------


def _collect(submissions: Path, course: Path) -> dict[str, str]:
    """Copy each student's folder into nbgrader's ``submitted/``; a status for those refused."""
    refused: dict[str, str] = {}
    release = course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    cells = nbformat.read(release, as_version=4).cells
    known = {c.metadata.get("nbgrader", {}).get("grade_id") for c in cells}
    known.discard(None)
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir() and not p.is_symlink()):
        student = folder.name
        if not STUDENT_ID.match(student):
            print(f"skipped {student!r}: not a usable student id (letters, digits, . _ -)")
            continue
        files = [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True)
        for path in files:
            if path.suffix == ".ipynb" and path.stat().st_size <= MAX_BYTES:
                shutil.copyfile(path, target / path.name)
        notebook = target / f"{NOTEBOOK}.ipynb"
        names = sorted(p.name for p in files)
        if not notebook.exists():
            found = ", ".join(names) or "nothing"
            refused[student] = f"no {NOTEBOOK}.ipynb (found: {found}); keep the file's name"
            continue
        try:
            nb = nbformat.read(notebook, as_version=4)
            nbformat.validate(nb)
        except Exception as error:  # invalid JSON or not a notebook: nothing to run
            first = str(error).strip().splitlines()[0][:120]
            refused[student] = f"not a valid notebook ({type(error).__name__}: {first})"
            continue
        # A test cell renamed to an id nbgrader does not know makes nbgrader 0.9.6 crash
        # (OverwriteCells drops the id, then add_missing_cells reads it): unmark such cells, so
        # that nbgrader adds the real test back, as it does for a deleted one.
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") not in known:
                cell.metadata.pop("nbgrader", None)
        nbformat.write(nb, notebook)
    return refused


def _number(grade_id: str) -> str:  # "answer_3" and "check_q3" are both exercise "3"
    return grade_id.rsplit("_", 1)[-1].lstrip("q")


def _reason(outputs: list[dict], cell_timeout: int) -> str | None:  # type: ignore[type-arg]
    for out in outputs:
        if out.get("output_type") != "error":
            continue
        name = out.get("ename")
        if name in {"KeyboardInterrupt", "CellTimeoutError"}:  # nbgrader stopped the cell
            return f"{name}: the cell ran longer than {cell_timeout} s"
        value = " ".join(str(out.get("evalue", "")).split())[:160]
        return f"{name}: {value}" if value else str(name)
    return None


def _reasons(autograded: Path, cell_timeout: int) -> dict[str, str]:
    """Why each exercise lost its point: the error of its answer cell, else of its test cell."""
    if not autograded.exists():
        return {}
    nb = nbformat.read(autograded, as_version=4)
    answers, reasons = {}, {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if cell.cell_type != "code" or not grade_id:
            continue
        question = _number(grade_id)
        if meta.get("solution"):
            answers[question] = _reason(cell.outputs, cell_timeout)
        elif meta.get("grade"):
            found = answers.get(question) or _reason(cell.outputs, cell_timeout)
            if found:  # the check's hint, without the repeated "qN: " (gradebooks name it)
                found = found.replace("AssertionError: ", "").replace(f"q{question}: ", "", 1)
                reasons[question] = found.replace(str(REPO_ROOT), "<course>")
    return reasons


def _scores(course: Path, student: str) -> tuple[dict[str, float], float] | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        except MissingEntry:
            return None
        scores = {_number(g.name): float(g.score) for g in notebook.grades}
        return scores, float(notebook.max_score)


def _fallback_page(student: str, status: str) -> str:
    return (f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Feedback: "
            f"{html.escape(student)}</title><h1>06 · Exercises: feedback for "
            f"{html.escape(student)}</h1><p>Score: 0. Your notebook could not be graded: "
            f"{html.escape(status)}.</p></html>\n")  # fmt: skip


def questions() -> list[str]:
    """The exercises' numbers as strings, in order, read from the source notebook."""
    nb = nbformat.read(SOLUTIONS_PATH, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nb.cells]
    return [_number(i) for i in ids if i.startswith("check_q")]


def grade(
    submissions: Path,
    out: Path,
    *,
    cell_timeout: int = CELL_TIMEOUT,
    submission_timeout: int = SUBMISSION_TIMEOUT,
    sandboxed: bool = True,
) -> Path:
    """Grade every submission in ``submissions``; write ``out/gradebook.csv`` and feedback."""
    if sandboxed and (why := sandbox.available()):
        raise RuntimeError(f"no sandbox: {why}. Install bubblewrap or pass --no-sandbox.")
    if not sandboxed:
        print("WARNING: grading WITHOUT a sandbox: submissions can read and write what you can,",
              "and reach the network", file=sys.stderr)  # fmt: skip
    if out.exists():
        shutil.rmtree(out)
    course = make_course(out / "nbgrader", cell_timeout)
    code, log = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if code != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{log}")
    refused = _collect(submissions, course)
    (out / "feedback").mkdir()
    rows, numbers = [], questions()
    for student in sorted(p.name for p in (course / "submitted").iterdir()):
        start, status, scores = time.perf_counter(), refused.get(student), None
        if status is None:
            code, log = nbgrader(course, "autograde", ASSIGNMENT, f"--student={student}",
                                 "--force", timeout=submission_timeout,
                                 sandboxed=sandboxed)  # fmt: skip
            (out / "logs").mkdir(exist_ok=True)
            (out / "logs" / f"{student}.log").write_text(log, encoding="utf-8")
            if code is None:
                status = f"stopped after {submission_timeout} s (the whole notebook's time limit)"
            elif code != 0 or (scores := _scores(course, student)) is None:
                status = "nbgrader could not grade it (see logs/)"
        if status is None and scores is not None:
            points, max_score = scores
            graded = course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
            reasons = _reasons(graded, cell_timeout)
            nbgrader(course, "generate_feedback", ASSIGNMENT, f"--student={student}", "--force")
            page = course / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
            shutil.copyfile(page, out / "feedback" / f"{student}.html")
            row = {f"q{q}": f"{points.get(q, 0):g}" for q in numbers}
            lost = [f"q{q}: {reasons.get(q, 'no point')}" for q in numbers if not points.get(q)]
            row |= {"score": f"{sum(points.values()):g}", "max_score": f"{max_score:g}",
                    "status": "graded", "reasons": "; ".join(lost)}  # fmt: skip
        else:
            (out / "feedback" / f"{student}.html").write_text(
                _fallback_page(student, status or ""), encoding="utf-8"
            )
            row = {f"q{q}": "0" for q in numbers}
            row |= {"score": "0", "max_score": f"{len(numbers)}", "status": "not graded",
                    "reasons": status}  # fmt: skip
        rows.append({"student_id": student, **row})
        print(f"{student}: {row['score']}/{row['max_score']} {row['status']} "
              f"({time.perf_counter() - start:.1f} s)", flush=True)  # fmt: skip
    nbgrader(course, "export", f"--to={course / 'grades.csv'}")
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["student_id"])
        writer.writeheader()
        writer.writerows(rows)
    return out / "gradebook.csv"


def main(argv: list[str] | None = None) -> int:
    """``release``, ``check`` or ``grade SUBMISSIONS`` (see the module's docstring)."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser("python -m tools.grade", description=__doc__,
                                     formatter_class=raw)  # fmt: skip
    parser.add_argument("command", choices=["release", "check", "grade"])
    parser.add_argument("submissions", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, help="default: build/grade/<submissions' name>")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT)
    parser.add_argument("--submission-timeout", type=int, default=SUBMISSION_TIMEOUT)
    parser.add_argument("--no-sandbox", action="store_true", help="UNSAFE: no bubblewrap")
    args = parser.parse_args(argv)
    if args.command == "release":
        from tools.authoring import execute

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(release(Path(tmp) / "course"), STUDENT_PATH)
        print(f"wrote {STUDENT_PATH}; executing it", flush=True)
        execute(STUDENT_PATH)
        return 0
    if args.command == "check":
        problems = drift()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("the student copy is out of date: run `make exercises`", file=sys.stderr)
            return 1
        print(f"{STUDENT_PATH.name} is what nbgrader releases from {SOLUTIONS_PATH.name}")
        return 0
    if args.submissions is None or not args.submissions.is_dir():
        parser.error("grade needs a folder of submissions: one folder per student")
    submissions = args.submissions.resolve()
    out = (args.out or REPO_ROOT / "build" / "grade" / submissions.name).resolve()
    limits = {"cell_timeout": args.cell_timeout, "submission_timeout": args.submission_timeout}
    gradebook = grade(submissions, out, sandboxed=not args.no_sandbox, **limits)
    print(f"gradebook: {gradebook}\nfeedback:  {out / 'feedback'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
