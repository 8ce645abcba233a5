"""The authoring tools keep notebooks comparable from run to run and machine to machine."""

from __future__ import annotations

from pathlib import Path

import nbformat

import helpers
from tools import authoring


def _cell(*outputs: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = list(outputs)
    return cell


def test_text_outputs_join_split_prints_and_mask_addresses() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell(
            nbformat.v4.new_output("stream", name="stdout", text="at 0x7f3a2b1c9d40"),
            nbformat.v4.new_output("stream", name="stdout", text="\n"),
            nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1),
        ),
        nbformat.v4.new_markdown_cell("prose"),
        _cell(nbformat.v4.new_output("error", ename="DataError", evalue="bad", traceback=[])),
    ]
    rules = authoring.sanitizer(helpers.paths.REPO_ROOT / "tests" / "nbval_sanitize.cfg")
    assert authoring.text_outputs(nb, rules) == [["at 0xADDRESS\n", "42"], ["DataError: bad"]]


def test_image_outputs_in_order() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell(nbformat.v4.new_output("display_data", {"image/png": "A", "text/plain": "fig"})),
        _cell(nbformat.v4.new_output("display_data", {"image/png": "B"})),
    ]
    assert authoring.image_outputs(nb) == ["A", "B"]


def test_clean_metadata_keeps_the_kernels_language_info_and_portable_keys() -> None:
    nb = nbformat.v4.new_notebook()
    info = {"name": "python", "version": "3.11.7", "file_extension": ".py"}
    nb.metadata = {"kernelspec": {"name": "other"}, "widgets": {}, "language_info": info}
    nb.cells = [nbformat.v4.new_code_cell("x", metadata={"tags": ["t"], "ExecuteTime": {}})]
    authoring.clean_metadata(nb)
    assert nb.metadata == {"kernelspec": authoring.KERNELSPEC, "language_info": info}
    assert nb.cells[0].metadata == {"tags": ["t"]}
    nb.metadata = {}  # never run: the language alone
    assert authoring.clean_metadata(nb).metadata.language_info == {"name": "python"}


def test_run_joins_a_print_split_into_chunks(tmp_path: Path) -> None:
    """A cell whose output reaches the kernel in two chunks is saved as one stream."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            'import time\nprint("first", flush=True)\ntime.sleep(0.3)\nprint("second", flush=True)'
        )
    ]
    path = tmp_path / "split.ipynb"
    nbformat.write(nb, path)
    outputs = authoring.run(path).cells[0].outputs
    assert [(o.output_type, o.name, o.text) for o in outputs] == [
        ("stream", "stdout", "first\nsecond\n")
    ]
