"""The journal-club kit builds offline: a slide deck per notebook.

`make slides` calls the functions tested here; the tests build one deck (notebook 01, which has
figures) into a temporary folder and check what a facilitator would see: a reveal.js deck that
starts without a network and hides the code. (The pages to read without Jupyter are the
course's website, tested in tests/test_site.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import authoring, export

NOTEBOOK = export.course_notebooks()[1]
needs_chromium = pytest.mark.skipif(
    export.chromium() is None, reason="Chromium is not installed (apt-get install chromium)"
)


def test_slide_metadata_follows_the_headings() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell("import helpers"),
        nbformat.v4.new_markdown_cell("## Section"),
        nbformat.v4.new_code_cell("plot()"),
        nbformat.v4.new_markdown_cell("**Figure 1.** A figure."),
        nbformat.v4.new_markdown_cell("### Detail"),
        nbformat.v4.new_markdown_cell("---\n[Previous: 00](00_start_here.ipynb)"),
    ]
    nb.cells[4].outputs = [nbformat.v4.new_output("display_data", {"image/png": "iVBOR"})]
    authoring.add_slide_metadata(nb)
    types = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    assert types == ["slide", "skip", "skip", "slide", "subslide", "-", "subslide", "skip"]


def test_committed_content_notebooks_carry_slide_metadata() -> None:
    for path in export.course_notebooks():
        nb = nbformat.read(path, as_version=4)
        assert all("slideshow" in c.metadata for c in nb.cells), f"{path.name}: run make execute"


def test_slide_deck_hides_code_and_ships_reveal(tmp_path: Path) -> None:
    deck = export.export_slides(NOTEBOOK, tmp_path)
    html = deck.read_text(encoding="utf-8")
    assert html.count("<section") >= 5
    assert "data:image/png;base64," in html
    assert "setup_notebook" not in html, "code cells must be hidden in slides"
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
    assert "unpkg.com" not in html
    assert (tmp_path / export.REVEAL_DIR / "dist" / "reveal.js").exists()
    assert (tmp_path / export.REQUIRE_JS).exists()
    assert (tmp_path / export.JQUERY_JS).exists()


@needs_chromium
def test_slide_deck_starts_offline_in_chromium(tmp_path: Path) -> None:
    deck = export.export_slides(NOTEBOOK, tmp_path)
    dom = export.rendered_dom(deck)
    assert re.search(r'class="reveal [^"]*\bready\b', dom), "reveal.js did not initialise"
    assert 'class="present"' in dom
