"""Each notebook's HTML export renders properly in a real browser (headless Chromium).

For every notebook the test builds the offline HTML page, lets Chromium render it and reads the
rendered DOM: every embedded figure must decode to a non-blank image, a notebook that draws
figures must show them, and no math or markdown table may be left as raw source. It also takes
a screenshot and checks that it is not blank. `make screenshots` keeps the screenshots in
build/screenshots/ for a reviewer to look at.

Chromium comes from Debian's `chromium` package; `.ci/run` installs it where it is missing.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib import image as mpimg

from tools import export

NOTEBOOKS = export.course_notebooks()
needs_chromium = pytest.mark.skipif(
    export.chromium() is None, reason="Chromium is not installed (apt-get install chromium)"
)


def _draws_figures(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


def test_page_problems_finds_what_a_reader_would_see() -> None:
    blank = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    dom = f"<p>score $x^2$</p><p>| a | b |\n|---|---|</p><img src='{blank}'>"
    problems = export.page_problems(dom, expect_figures=True)
    assert any("raw TeX" in p for p in problems)
    assert any("markdown table" in p for p in problems)
    assert any("only 1x1 pixels" in p for p in problems)
    assert export.page_problems("<p>fine</p><pre>$x$</pre>", expect_figures=False) == []
    assert "shows none" in export.page_problems("<p>no figure</p>", expect_figures=True)[0]


@needs_chromium
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_renders_in_chromium(path: Path, tmp_path: Path) -> None:
    page = export.export_html(path, tmp_path)
    html = page.read_text(encoding="utf-8")
    assert 'src="http' not in html, "the page would fetch a script or image from the internet"
    dom = export.rendered_dom(page)
    assert "<h1" in dom
    assert export.page_problems(dom, expect_figures=_draws_figures(path)) == []
    png = export.screenshot(page, tmp_path / f"{path.stem}.png", height=1200)
    pixels = mpimg.imread(png)
    assert pixels.shape[0] >= 1000 and float(np.ptp(pixels[..., :3])) > 0.5


@needs_chromium
def test_screenshots_command_takes_a_relative_out_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make screenshots` runs `python -m tools.export screenshots --out build`."""
    monkeypatch.chdir(tmp_path)
    assert export.main(["screenshots", str(NOTEBOOKS[0]), "--out", "build"]) == 0
    png = tmp_path / "build" / "screenshots" / f"{NOTEBOOKS[0].stem}.png"
    assert float(np.ptp(mpimg.imread(png)[..., :3])) > 0.5
