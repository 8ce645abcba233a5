"""Write the student copy of the exercises from the solutions notebook (authors' tool).

``notebooks/06_exercises_solutions.ipynb`` is the only exercises notebook an author edits.
:func:`build_student_copy` derives ``notebooks/06_exercises.ipynb`` from it: cells tagged
``solution`` become ``answer_N = ...`` placeholders, cells tagged ``solution-prose``
(explanations) and ``solution-caption`` (captions of figures the learner has not drawn yet) are
dropped, and the note and navigation cells are swapped for the student's.

``python -m tools.student_copy build`` writes and executes the student copy;
``python -m tools.student_copy check`` exits with 1 when the committed copy differs from what
``build`` would write (cell types, sources and tags; outputs are left to nbval).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import nbformat

from helpers.paths import REPO_ROOT

SOLUTIONS_PATH = REPO_ROOT / "notebooks" / "06_exercises_solutions.ipynb"
STUDENT_PATH = REPO_ROOT / "notebooks" / "06_exercises.ipynb"


SOLUTIONS_TITLE = "# 06 · Exercises — solutions"
STUDENT_TITLE = "# 06 · Exercises"
DROPPED_TAGS = {"solution-prose", "solution-caption"}
ANSWER = re.compile(r"^(answer_\w+)\s*=", re.M)

STUDENT_NOTE = """\
> **How to use this notebook.** Each exercise ends with an answer cell, `answer_N = ...`, and a
> check cell. Replace the `...` with your code (it must assign the answer to `answer_N`), run the
> answer cell, then the check cell: it prints ✓, or a hint, or *not attempted yet* while the
> `...` is still there. The worked solutions, explained step by step, are in
> [06 · Exercises — solutions](06_exercises_solutions.ipynb): try each exercise first."""

STUDENT_NAV = """\
---
[Previous: 05 · Weighing the evidence](05_weighing_the_evidence.ipynb) ·
[Next: 06 · Exercises — solutions](06_exercises_solutions.ipynb) ·
[Back to 00 · Start here](00_start_here.ipynb)"""


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def student_cells(solutions: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells of the student copy, derived from the solutions notebook (no outputs)."""
    cells = []
    for cell in solutions.cells:
        tags = _tags(cell)
        if DROPPED_TAGS & set(tags):
            continue
        source = cell.source
        if "solution" in tags:
            names = ANSWER.findall(source)
            if not names:
                raise ValueError(f"a solution cell assigns no answer_N variable:\n{source[:200]}")
            new = nbformat.v4.new_code_cell(f"{names[-1]} = ...  # your answer here")
        elif "solutions-note" in tags:
            new = nbformat.v4.new_markdown_cell(STUDENT_NOTE)
        elif "nav" in tags:
            new = nbformat.v4.new_markdown_cell(STUDENT_NAV)
        elif cell.cell_type == "markdown":
            if source.startswith(SOLUTIONS_TITLE):
                source = STUDENT_TITLE + source[len(SOLUTIONS_TITLE) :]
            new = nbformat.v4.new_markdown_cell(source)
        else:
            new = nbformat.v4.new_code_cell(source)
        kept = [t for t in tags if t not in {"solution", "solutions-note", "nav"}]
        if kept:
            new.metadata["tags"] = kept
        new.pop("id", None)
        cells.append(new)
    return cells


_IMPORT = re.compile(r"^(?:from\s+\S+\s+)?import\s+(.+?)\s*$")
NOQA = "  # noqa: F401 (for your answers)"


def _mark_unused_imports(cells: list[nbformat.NotebookNode]) -> None:
    """Mark the set-up imports that only the (removed) solutions used, for ruff.

    The student copy keeps every import of the solutions, since the learner needs the same
    tools; the ones no remaining cell uses get a ``noqa`` comment so the linter accepts them.
    """
    code = [c for c in cells if c.cell_type == "code"]
    if not code:
        return
    rest = "\n".join(c.source for c in code[1:])
    lines = []
    for line in code[0].source.splitlines():
        match = _IMPORT.match(line)
        if match and "#" not in line:
            names = [part.split(" as ")[-1].strip() for part in match.group(1).split(",")]
            names = [name.split(".")[0] for name in names]
            if not any(re.search(rf"\b{re.escape(name)}\b", rest) for name in names):
                line += NOQA
        lines.append(line)
    code[0].source = "\n".join(lines)


def build_student_copy(solutions_path: Path, student_path: Path) -> None:
    """Write the (unexecuted) student copy of ``solutions_path`` to ``student_path``."""
    solutions = nbformat.read(solutions_path, as_version=4)
    nb = nbformat.v4.new_notebook()
    nb.metadata = solutions.metadata
    nb.cells = student_cells(solutions)
    _mark_unused_imports(nb.cells)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    nbformat.write(nb, student_path)


def cell_summary(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """What the drift check compares: (cell type, source, tags) of every cell."""
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, tuple(_tags(c))) for c in nb.cells]


def drift(solutions_path: Path = SOLUTIONS_PATH, student_path: Path = STUDENT_PATH) -> list[str]:
    """Differences between the committed student copy and a fresh build (empty if none)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / student_path.name
        build_student_copy(solutions_path, fresh)
        want = cell_summary(fresh)
    if not student_path.exists():
        return [f"{student_path} does not exist"]
    have = cell_summary(student_path)
    problems = [
        f"cell {i}: committed {h[0]} {h[1][:60]!r} {h[2]} != built {w[0]} {w[1][:60]!r} {w[2]}"
        for i, (h, w) in enumerate(zip(have, want, strict=False))
        if h != w
    ]
    if len(have) != len(want):
        problems.append(f"{len(have)} cells committed, {len(want)} built")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``build``: write and execute the student copy; ``check``: exit 1 if it has drifted."""
    parser = argparse.ArgumentParser(prog="python -m tools.student_copy", description=__doc__)
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS_PATH)
    parser.add_argument("--student", type=Path, default=STUDENT_PATH)
    args = parser.parse_args(argv)
    if args.command == "build":
        from tools.authoring import execute

        build_student_copy(args.solutions, args.student)
        print(f"wrote {args.student}; executing it", flush=True)
        execute(args.student)
        return 0
    problems = drift(args.solutions, args.student)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            "the student copy is out of date: run `python -m tools.student_copy build`",
            file=sys.stderr,
        )
        return 1
    print(f"{args.student.name} matches {args.solutions.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
