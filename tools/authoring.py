"""Tools for notebook authors and the course's tests: run notebooks, keep metadata clean.

``python -m tools.authoring notebooks/01_*.ipynb`` (or ``make execute``) executes each
notebook in a fresh kernel, so execution counts run 1..n, then strips metadata that differs
between runs (timings, editor state). Committed outputs are then exactly what nbval reproduces
in ``make test``. The kernel's ``language_info`` is kept as the kernel reports it: JupyterLab
writes it into a notebook when its kernel starts, so a notebook committed without it would
change on disk as soon as it is opened (and autosaved), which nbgitpuller then has to merge.

``python -m tools.authoring --output-dir DIR notebooks/*.ipynb`` executes the notebooks
without touching them and writes the executed copies to ``DIR``: the tests use it to run the
course offline, twice, or against another copy of the data.
"""

from __future__ import annotations

import argparse
import configparser
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

#: The only notebook-level metadata the course keeps: the kernelspec JupyterLab writes, and the
#: ``language_info`` the kernel reports (JupyterLab writes it too; see the module docstring).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}  # only for a notebook no kernel has run

#: Cell metadata keys worth keeping: nbval and slide tags, JupyterLab's folding state, and
#: nbgrader's marks of answer and test cells (notebook 06; locked cells are not editable).
KEPT_CELL_METADATA = ("tags", "slideshow", "jupyter", "nbgrader", "deletable", "editable")


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only the kernelspec, the kernel's ``language_info`` and portable cell metadata
    (in place; also returned)."""
    language_info = nb.metadata.get("language_info", LANGUAGE_INFO)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": language_info})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        )
    return nb


def _slide_type(cell: nbformat.NotebookNode, in_setup: bool) -> str:
    text = cell.source.lstrip()
    if cell.cell_type == "markdown":
        if in_setup or text.startswith("---\n[") or text.startswith("---\r\n["):
            return "skip"  # the set-up section and the navigation cell are not slide material
        if text.startswith(("# ", "## ")):
            return "slide"
        if text.startswith("### "):
            return "subslide"
        return "-"
    if in_setup or not cell.outputs:
        return "skip"
    if any("image/png" in out.get("data", {}) for out in cell.outputs):
        return "subslide"  # a figure gets a slide of its own; its description follows it
    return "-"


def add_slide_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give every cell a ``slideshow`` type by rule, for ``make slides`` (in place).

    ``#``/``##`` headings start a slide, ``###`` headings and figures a sub-slide; the
    ``## Setup`` section and the navigation cell are skipped. A cell whose slide type an author
    set by hand to something else keeps it (mark such cells with the tag ``slide-manual``).
    """
    in_setup = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            in_setup = cell.source.lstrip().startswith("## Setup")
        if "slide-manual" in cell.metadata.get("tags", []):
            continue
        cell.metadata["slideshow"] = {"slide_type": _slide_type(cell, in_setup)}
    return nb


def run(path: Path, timeout: int = 300) -> nbformat.NotebookNode:
    """Execute the notebook at ``path`` in a fresh kernel and return it (the file is unchanged).

    The kernel starts in the notebook's folder, as JupyterLab would start it; the course's
    code does not depend on that folder, and nbval runs it from the repository root.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    # One print can reach the notebook as several stream chunks, depending on timing: join
    # them, so that re-executing an unchanged notebook gives an unchanged file.
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    return add_slide_metadata(clean_metadata(nb))


def execute(path: Path, timeout: int = 300) -> None:
    """Execute the notebook at ``path`` in a fresh kernel and save it in place."""
    nbformat.write(run(path, timeout), path)


def sanitizer(config: Path) -> list[tuple[re.Pattern[str], str]]:
    """Read nbval's sanitize file (``tests/nbval_sanitize.cfg``) as (pattern, replacement)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def text_outputs(
    nb: nbformat.NotebookNode, rules: list[tuple[re.Pattern[str], str]] | None = None
) -> list[list[str]]:
    """The text a reader sees in each code cell's outputs (stream text and ``text/plain``).

    Figures are compared separately (:func:`image_outputs`); ``rules`` mask what legitimately
    changes between runs, as nbval does.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts: list[str] = []
        previous = None
        for out in cell.outputs:
            if out.output_type == "stream":
                # the kernel may split one print into several chunks: join them, as nbval does
                if previous == out.name:
                    texts[-1] += out.text
                else:
                    texts.append(out.text)
                previous = out.name
                continue
            previous = None
            if out.output_type in ("execute_result", "display_data"):
                texts.append(out.data.get("text/plain", ""))
            elif out.output_type == "error":
                texts.append(f"{out.ename}: {out.evalue}")
        joined = []
        for text in texts:
            for pattern, replacement in rules or []:
                text = pattern.sub(replacement, text)
            joined.append(text)
        cells.append(joined)
    return cells


def image_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """The base64 PNG of every figure in the notebook's outputs, in order."""
    return [
        out["data"]["image/png"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: execute notebooks in place, or into ``--output-dir``."""
    parser = argparse.ArgumentParser(prog="python -m tools.authoring", description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--output-dir", type=Path, help="write executed copies here instead")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        if args.output_dir:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(run(path), args.output_dir / path.name)
        else:
            execute(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
