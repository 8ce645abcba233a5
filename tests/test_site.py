"""The course website (`make site`, build/site/) read in headless Chromium with the network cut.

One pass of the browser over every page of the built site records what a reader would meet:
console errors, links and anchors, images and their alt text, the left navigation, the download
buttons, the visible text, and every request the pages made. The tests below are rules over
whatever notebooks and pages exist, checked on that record. Two searches run in the browser on
Sphinx's client-side index. The site is opened from disk (file://), as it is from a USB stick.

`make test` builds the site just before pytest (`python -m tools.site build`); run alone, the
fixture builds it when it is missing or older than its sources. Chromium comes from Debian's
`chromium` package (`.ci/run` installs it where it is missing); `tools/site/browser.py` cuts
the network (a network namespace where the system allows one; in every case no host name
resolves and every connection off the machine goes to a closed local port).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import nbformat
import numpy as np
import pytest
from matplotlib import image as mpimg

from helpers.paths import REPO_ROOT
from tools import site as site_builder
from tools.site import browser, course_site

SITE = REPO_ROOT / "build" / "site"
NOTEBOOKS = sorted(REPO_ROOT.glob(site_builder.SOURCES[0]))
GUIDES = sorted(REPO_ROOT.glob("docs/*.md"))
#: Sphinx's pages that are not in the navigation: the search page and the (empty) index.
UTILITY_PAGES = {"search.html", "genindex.html"}
#: What nbconvert wrote as every figure's alt text in the old HTML handouts.
PLACEHOLDER_ALT = "No description has been provided for this image"
SEARCHES = ("baricitinib", "Wilson")

#: Runs in each page: what the checks below need, read from the rendered DOM.
READ_PAGE = """() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const prose = article.cloneNode(true);
  prose.querySelectorAll("pre, code, script, style").forEach(e => e.remove());
  const figureText = img => {
    const cell = img.closest("div.cell");
    for (let el = cell && cell.nextElementSibling; el; el = el.nextElementSibling) {
      const p = el.matches("p") ? el : el.querySelector("p");
      if (p) return p.innerText;
    }
    return null;
  };
  return {
    ids: [...document.querySelectorAll("[id]")].map(e => e.id),
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
    images: [...document.querySelectorAll("img")].map(img => ({
      src: img.src, alt: img.getAttribute("alt"), width: img.naturalWidth,
      inCell: img.closest(".cell_output") !== null, figureText: figureText(img),
    })),
    nav: [...document.querySelectorAll("nav.bd-docs-nav p.caption")].map(caption => ({
      caption: caption.innerText.trim(),
      hrefs: [...caption.nextElementSibling.querySelectorAll("a.reference")].map(a => a.href),
    })),
    downloads: [...document.querySelectorAll("a.btn-download-source-button")].map(a => a.href),
    text: article.innerText,
    prose: prose.textContent,
    width: document.documentElement.scrollWidth,
  };
}"""


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _local(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


@pytest.fixture(scope="module")
def site() -> Path:
    if not site_builder.is_current(SITE):
        site_builder.build(SITE)
    return SITE


@pytest.fixture(scope="module")
def chromium() -> Iterator[browser.Browser]:
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with browser.offline_chromium() as running:
        yield running


@pytest.fixture(scope="module")
def visit(site: Path, chromium: browser.Browser) -> dict:
    """Every page read at desktop width then laid out at phone width, and the two searches."""
    record: dict = {"pages": {}, "phone_width": {}, "searches": {}}
    desktop = chromium.new_page()
    requests_before = len(chromium.requests)
    for path in _pages(site):
        desktop.goto(path.as_uri(), wait_until="load")
        record["pages"][path] = desktop.evaluate(READ_PAGE) | {"errors": desktop.errors[:]}
        desktop.errors.clear()
        desktop.set_viewport_size(browser.PHONE)  # the same page, laid out again
        record["phone_width"][path] = desktop.evaluate("document.documentElement.scrollWidth")
        desktop.set_viewport_size(browser.DESKTOP)
    for word in SEARCHES:
        desktop.goto(f"{(site / 'search.html').as_uri()}?q={word}", wait_until="load")
        desktop.wait_for_selector("#search-results p.search-summary", timeout=15_000)
        hrefs = desktop.eval_on_selector_all("#search-results ul.search li > a",
                                             "links => links.map(a => a.href)")  # fmt: skip
        record["searches"][word] = {_local(h) for h in hrefs}
        assert desktop.errors == [], desktop.errors
    record["requests"] = chromium.requests[requests_before:]
    record["network_namespace"] = chromium.network_namespace
    desktop.context.close()
    return record


def test_every_page_loads_without_console_error(visit: dict) -> None:
    assert len(visit["pages"]) >= len(NOTEBOOKS) + len(GUIDES) + 1
    for path, page in visit["pages"].items():
        assert page["errors"] == [], f"{path.name}: {page['errors']}"
        assert page["text"].strip(), f"{path.name} shows no text"


def test_nothing_is_fetched_from_another_host(visit: dict, site: Path) -> None:
    assert visit["network_namespace"] == browser.can_cut_network()
    assert len(visit["requests"]) > len(visit["pages"]), "the request record is empty"
    elsewhere = {u for u in visit["requests"] if urlsplit(u).scheme not in ("file", "data")}
    assert elsewhere == set(), f"the site asked another host for {sorted(elsewhere)[:5]}"
    remote = re.compile(r"url\(\s*['\"]?(https?:)?//")
    for sheet in site.rglob("*.css"):  # fonts and images are shipped, not fetched
        assert not remote.search(sheet.read_text(encoding="utf-8")), sheet


def test_the_request_record_sees_a_request_to_another_host(chromium: browser.Browser) -> None:
    """The control of the test above: a request that would leave the machine is recorded (and
    fails: `.invalid` is a name that never resolves, and Chromium resolves no name anyway)."""
    page = chromium.new_page()
    page.set_content('<img src="http://course-site.invalid/pixel.png">')
    page.wait_for_load_state("load")
    assert "http://course-site.invalid/pixel.png" in page.requests
    assert any("course-site.invalid" in error for error in page.errors)
    page.context.close()


def test_every_internal_link_and_anchor_resolves(visit: dict, site: Path) -> None:
    ids = {path: set(page["ids"]) for path, page in visit["pages"].items()}
    checked_anchors = 0
    for path, page in visit["pages"].items():
        for link in page["links"]:
            parts = urlsplit(link)
            if parts.scheme != "file":
                assert parts.scheme in ("http", "https", "mailto"), f"{path.name}: {link}"
                continue
            target = _local(link)
            assert target.is_relative_to(site), f"{path.name} links out of the site: {link}"
            assert target.is_file(), f"{path.name} links to a missing file: {link}"
            assert target.suffix != ".ipynb" or "_sources" in target.parts, (
                f"{path.name} links to a notebook file instead of its page: {link}"
            )
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], f"{path.name}: no anchor {link}"
                checked_anchors += 1
    assert checked_anchors > len(visit["pages"])


def test_figures_carry_their_description_as_alt_text(visit: dict, site: Path) -> None:
    for notebook in NOTEBOOKS:
        page = visit["pages"][site / "notebooks" / f"{notebook.stem}.html"]
        figures = [image for image in page["images"] if image["inCell"]]
        drawn = sum(
            "image/png" in output.get("data", {})
            for cell in nbformat.read(notebook, as_version=4).cells
            if cell.cell_type == "code"
            for output in cell.outputs
        )
        assert len(figures) == drawn, f"{notebook.name}: {len(figures)} of {drawn} figures shown"
        for number, figure in enumerate(figures, start=1):
            description = " ".join((figure["figureText"] or "").split())
            assert description.startswith(f"Figure {number}."), (notebook.name, description[:40])
            assert figure["alt"] == description, f"{notebook.name}, figure {number}: alt text"
            pixels = mpimg.imread(_local(figure["src"]))
            assert figure["width"] >= 50 and float(np.ptp(pixels[..., :3])) > 0, figure["src"]
    for path, page in visit["pages"].items():
        for image in page["images"]:
            assert image["alt"] and image["alt"] != PLACEHOLDER_ALT, f"{path.name}: {image['src']}"


RAW_MATH = re.compile(r"\$[^$\n]+\$|\\\(|\\\[|\\frac|\\mathrm")
RAW_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)


def test_no_page_shows_markdown_or_tex_as_source(visit: dict) -> None:
    for path, page in visit["pages"].items():
        assert not RAW_MATH.search(page["prose"]), f"{path.name}: math left as raw TeX"
        assert not RAW_TABLE.search(page["prose"]), f"{path.name}: a table left as markdown"


@pytest.mark.parametrize("word", SEARCHES)
def test_search_finds_every_page_that_mentions_a_word(visit: dict, site: Path, word: str) -> None:
    mentions = re.compile(rf"\b{word}\b", re.I)
    expected = {
        path
        for path, page in visit["pages"].items()
        if path.name not in UTILITY_PAGES and mentions.search(page["text"])
    }
    assert expected, f"no page mentions {word!r}: choose another search word"
    assert visit["searches"][word] == expected


def test_navigation_is_the_learning_path_then_every_guide(visit: dict, site: Path) -> None:
    content_pages = {p for p in visit["pages"] if p.name not in UTILITY_PAGES}
    for path, page in visit["pages"].items():
        sections = {section["caption"]: section["hrefs"] for section in page["nav"]}
        assert [_local(h) for h in sections["Learning path"]] == [
            site / "notebooks" / f"{notebook.stem}.html" for notebook in NOTEBOOKS
        ], f"{path.name}: the learning path is not in course order"
        in_nav = {_local(h) for hrefs in sections.values() for h in hrefs}
        for guide in GUIDES:
            assert site / "docs" / f"{guide.stem}.html" in in_nav, f"{guide.name} not in the nav"
        assert content_pages - in_nav <= {site / "index.html"}, f"{path.name}: pages left out"


def test_each_notebook_page_offers_its_ipynb(visit: dict, site: Path) -> None:
    for notebook in NOTEBOOKS:
        page = visit["pages"][site / "notebooks" / f"{notebook.stem}.html"]
        offered = [_local(h) for h in page["downloads"] if h.endswith(".ipynb")]
        assert [p.name for p in offered] == [notebook.name], f"{notebook.name}: download button"
        assert offered[0].read_bytes() == notebook.read_bytes()
        json.loads(offered[0].read_bytes())  # a notebook file, not a page


def test_every_page_fits_a_phone_screen(visit: dict) -> None:
    """No page scrolls sideways at 390 px (wide tables and code scroll in their own box)."""
    too_wide = {p.name: w for p, w in visit["phone_width"].items() if w > browser.PHONE["width"]}
    assert too_wide == {}


def test_screenshots_show_the_pages_at_both_widths(
    site: Path, chromium: browser.Browser, tmp_path: Path
) -> None:
    """`make screenshots`: the home page and a notebook page, at phone and desktop width."""
    shots = browser.screenshots(site, tmp_path, site_builder.first_with_figures(), chromium)
    assert len(shots) == 6
    for png in shots:
        pixels = mpimg.imread(png)
        width = browser.PHONE["width"] if "phone" in png.name else browser.DESKTOP["width"]
        assert pixels.shape[1] == width and float(np.ptp(pixels[..., :3])) > 0.5, png.name


def test_run_it_yourself_links_the_jupyterhub_page_only_when_it_exists(tmp_path: Path) -> None:
    """The JupyterHub guide is another page of docs/: linked when present, never a dead link."""
    config = SimpleNamespace(myst_substitutions={})
    course_site.jupyterhub_guide(SimpleNamespace(srcdir=str(tmp_path)), config)
    assert "](" not in config.myst_substitutions["jupyterhub_guide"]
    (tmp_path / "docs").mkdir()
    (tmp_path / course_site.JUPYTERHUB_PAGE).write_text("# JupyterHub\n")
    course_site.jupyterhub_guide(SimpleNamespace(srcdir=str(tmp_path)), config)
    assert f"]({course_site.JUPYTERHUB_PAGE})" in config.myst_substitutions["jupyterhub_guide"]
