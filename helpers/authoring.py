"""Tools for notebook authors: run a notebook top to bottom and keep its metadata clean.

``python -m helpers.authoring notebooks/01_*.ipynb`` (or ``make execute``) executes each
notebook in a fresh kernel, so execution counts run 1..n, then strips metadata that differs
between machines (timings, Python patch versions, editor state). Committed outputs are then
exactly what nbval reproduces in ``make test``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

#: The only notebook-level metadata the course keeps.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

#: Cell metadata keys worth keeping: nbval and slide tags, and JupyterLab's folding state.
KEPT_CELL_METADATA = ("tags", "slideshow", "jupyter")


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only the metadata that is the same on every machine (in place; also returned)."""
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        )
    return nb


def execute(path: Path, timeout: int = 300) -> None:
    """Execute the notebook at ``path`` in a fresh kernel and save it with clean metadata.

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
    nbformat.write(clean_metadata(nb), path)


def main(argv: list[str]) -> int:
    """Execute every notebook named on the command line; return a shell exit code."""
    if not argv:
        print("usage: python -m helpers.authoring NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(Path(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
