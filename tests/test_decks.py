"""The journal-club decks fit a projector, run offline with a clean console, and carry notes.

Every deck of `make slides` is built once into a temporary folder, then opened in headless
Chromium (driven over the DevTools protocol by tools/decks.py) at 1280 x 720 and 1400 x 900:
every slide's content must fit the 1280 x 720 frame, → must reach every slide (figures
included), every request must stay on the machine and the console must stay empty. The speaker
view (key S) must open offline and show the notes of docs/speaker_notes/.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import decks, export

NOTEBOOKS = export.course_notebooks()
SIZES = [(1280, 720), (1400, 900)]
needs_chromium = pytest.mark.skipif(
    export.chromium() is None, reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("slides")
    return {nb.stem: export.export_slides(nb, out) for nb in NOTEBOOKS}


@pytest.fixture(scope="module")
def measured(built: dict[str, Path]) -> dict[str, dict]:
    """Each deck opened once in Chromium: its slides, its walk with →, requests, console."""
    results = {}
    with decks.Browser() as browser:
        for stem, deck in built.items():
            page = browser.page(*SIZES[0])  # a tab per deck: its requests and console alone
            page.open_deck(deck.as_uri())
            result = {"sizes": {}}
            for width, height in SIZES:
                browser.call("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                    page.session)
                page.evaluate("new Promise(r => setTimeout(r, 50))")  # reveal.js lays out again
                result["sizes"][(width, height)] = decks.measure(page)
            page.key("ArrowRight", 39)  # a real key press moves on by one slide
            result["after_arrow"] = page.evaluate("Reveal.getIndices().h")
            result["walk"] = page.evaluate(WALK)
            if stem == "04_comparing_outcomes":
                page.evaluate("Reveal.slide(0, 0)")
                page.key("s", 83)
                view = page.opened_window()
                page.wait_for(NOTES_SHOWN, session=view)
                result["speaker_view"] = page.evaluate(NOTES_TEXT, session=view)
            result["requests"] = page.requests()
            result["problems"] = page.console_problems()
            results[stem] = result
    return results


#: What → does, slide after slide from the first: the indices visited and the figures seen.
WALK = """
(() => {
  Reveal.slide(0, 0);
  const seen = [Reveal.getIndices().h];
  let figures = Reveal.getCurrentSlide().querySelectorAll('img').length;
  while (!Reveal.isLastSlide()) {
    Reveal.next();
    seen.push(Reveal.getIndices().h);
    figures += Reveal.getCurrentSlide().querySelectorAll('img').length;
  }
  return {seen: seen, figures: figures,
          all_figures: document.querySelectorAll('.slides img').length};
})()
"""
NOTES_SHOWN = "(document.querySelector('.speaker-controls-notes .value') || {}).textContent"
NOTES_TEXT = "document.querySelector('.speaker-controls-notes .value').textContent.trim()"


# ---------------------------------------------------------------------------- without a browser
def _nb(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_slides_follow_the_rules() -> None:
    md = nbformat.v4.new_markdown_cell
    figure = nbformat.v4.new_code_cell("plot()")
    figure.outputs = [nbformat.v4.new_output("display_data", {"image/png": "iVBOR"})]
    long_paragraph = " ".join(f"Sentence number {i} says one more thing here." for i in range(60))
    nb = _nb(
        md("# Title\n\nThe question."),
        md("## Setup"),
        nbformat.v4.new_code_cell("import helpers"),
        md("## Section\n\n" + long_paragraph),
        figure,
        md("**Figure 1.** A figure. Its second sentence goes to the next slide."),
        md("## Check your understanding\n\n1. A quiz."),
        md("## Discussion prompts\n\n- First prompt?\n- Second prompt?"),
    )
    slides = decks.slides_of(nb)
    texts = ["\n".join(c.source for c in s.cells) for s in slides]
    assert texts[0].startswith("# Title")
    assert not any("Setup" in t or "A quiz" in t for t in texts), "skipped sections stay out"
    section = [t for t in texts if "Sentence number" in t]
    assert len(section) >= 3, "a long paragraph is cut between sentences"
    assert all(t.rstrip().endswith(".") for t in section)
    fig = next(s for s in slides if s.kind == "figure")
    assert fig.key == "Figure 1" and fig.cells[1].source == "**Figure 1.** A figure."
    assert "Its second sentence" in texts[slides.index(fig) + 1]
    assert texts[-2].endswith("- First prompt?") and texts[-1].endswith("- Second prompt?")
    deck = decks.deck_notebook(nb, {"Figure 1": "**2 min.** Say it."})
    types = {c.metadata["slideshow"]["slide_type"] for c in deck.cells}
    assert types == {"slide", "-", "notes"}, "every slide is horizontal: → reaches all"
    with pytest.raises(KeyError, match="Figure 9"):
        decks.deck_notebook(nb, {"Figure 9": "**1 min.** A renamed figure."})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_deck_has_timed_speaker_notes(path: Path) -> None:
    notes = decks.load_notes(path.stem)
    assert len(notes) >= 5, f"{decks.notes_file(path.stem)}: too few speaker notes"
    untimed = [key for key, note in notes.items() if decks.note_minutes(note) is None]
    assert not untimed, f"notes without a time (start with **N min.**): {untimed}"
    deck = decks.deck_notebook(nbformat.read(path, as_version=4), notes)  # every key is a slide
    cells = [c for c in deck.cells if c.metadata["slideshow"]["slide_type"] == "notes"]
    assert len(cells) == len(notes)


def test_deck_files_reference_nothing_remote(built: dict[str, Path]) -> None:
    for stem, deck in built.items():
        html = deck.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html), stem
        assert "mermaid" not in html and "MathJax.Hub" not in html, stem
        for local in re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html):
            assert (deck.parent / local).exists(), f"{stem} links {local}, which is not shipped"
        assert html.count('<aside class="notes">') == len(decks.load_notes(stem)), stem


def test_remote_requests_are_told_apart() -> None:
    urls = ["file:///deck.html", "data:image/png;base64,AA", "about:blank",
            "http://127.0.0.1:8888/x", "https://cdnjs.cloudflare.com/mermaid.mjs"]
    assert decks.remote_requests(urls) == ["https://cdnjs.cloudflare.com/mermaid.mjs"]


# ---------------------------------------------------------------------------- in Chromium
@needs_chromium
def test_console_watch_sees_errors(tmp_path: Path) -> None:
    page_file = tmp_path / "broken.html"
    page_file.write_text("<script>console.error('boom'); undefinedFunction();</script>"
                         "<img src='missing.png'>", encoding="utf-8")
    with decks.Browser() as browser:
        page = browser.page(800, 600)
        page.open(page_file.as_uri())
        problems = " | ".join(page.console_problems())
    assert "boom" in problems and "undefinedFunction" in problems and "missing.png" in problems


@needs_chromium
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS])
def test_every_slide_fits_the_frame(measured: dict[str, dict], stem: str) -> None:
    for (width, height), deck in measured[stem]["sizes"].items():
        assert deck["width"] == decks.WIDTH and deck["height"] == decks.HEIGHT
        assert deck["scale"] * deck["height"] <= height and deck["scale"] * deck["width"] <= width
        too_big = [(s["index"], s["height"], s["width"], s["text"][:50]) for s in deck["slides"]
                   if s["height"] > deck["height"] or s["width"] > deck["width"]]
        assert not too_big, f"{stem} at {width}x{height}: slides larger than the frame {too_big}"
        for slide in deck["slides"]:
            for image in slide["images"]:  # a figure keeps 3/4 of its size or more (labels)
                assert image["shown"] >= 0.75 * image["natural"], (stem, slide["index"], image)


def test_every_figure_has_its_description_as_alt_text(built: dict[str, Path]) -> None:
    """A screen reader reads a deck's figure as its "Figure N." paragraph, as on the website
    (nbconvert alone writes "No description has been provided for this image")."""
    from bs4 import BeautifulSoup

    for stem, deck in built.items():
        soup = BeautifulSoup(deck.read_text(encoding="utf-8"), features="html.parser")
        for number, image in enumerate(soup.select("img"), 1):
            alt = image.get("alt", "")
            assert re.match(r"Figure \d+\. \S", alt), f"{stem}, image {number}: alt {alt[:60]!r}"
            assert "**" not in alt and "](" not in alt, f"{stem}, image {number}: markdown in alt"


@needs_chromium
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS])
def test_every_figure_fills_its_slide(measured: dict[str, dict], stem: str) -> None:
    """On a projector (1280 x 720) a figure takes the largest size its slide allows, so that its
    labels are as large as the frame can make them: it fills the slide's width, or the slide
    fills the frame's height (the caption below it included)."""
    deck = measured[stem]["sizes"][SIZES[0]]
    for slide in deck["slides"]:
        for image in slide["images"]:
            fills = (image["shown_width"] >= slide["room"] - 1
                     or slide["height"] >= deck["height"] - 2)  # fmt: skip
            assert fills, f"{stem}, slide {slide['index']}: figure smaller than its slide allows"


@needs_chromium
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS])
def test_arrow_walks_through_every_slide_and_figure(measured: dict[str, dict], stem: str) -> None:
    walk = measured[stem]["walk"]
    total = len(measured[stem]["sizes"][SIZES[0]]["slides"])
    assert measured[stem]["after_arrow"] == 1
    assert walk["seen"] == list(range(total)), "→ must visit every slide, in order"
    assert walk["figures"] == walk["all_figures"]
    nb = nbformat.read(export.notebooks_dir() / f"{stem}.ipynb", as_version=4)
    drawn = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                for o in c.outputs)
    assert walk["all_figures"] == drawn, "every figure of the notebook is on a slide"


@needs_chromium
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS])
def test_deck_stays_offline_with_a_clean_console(measured: dict[str, dict], stem: str) -> None:
    requests = measured[stem]["requests"]
    assert any(url.endswith("/dist/reveal.js") for url in requests), "requests were not recorded"
    assert decks.remote_requests(requests) == []
    assert measured[stem]["problems"] == []


@needs_chromium
def test_speaker_view_opens_offline_with_the_notes(measured: dict[str, dict]) -> None:
    first = next(iter(decks.load_notes("04_comparing_outcomes").values()))
    shown = measured["04_comparing_outcomes"]["speaker_view"]
    assert " ".join(shown.split()) == " ".join(first.replace("**", "").split())
