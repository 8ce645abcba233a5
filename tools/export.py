"""Build the course for reading without Jupyter, and check it in a real browser.

- :func:`export_html` writes a self-contained HTML page per notebook (figures embedded, no
  script or style fetched from the internet), for handouts and for journal clubs run with
  nothing installed.
- :func:`export_slides` writes a reveal.js slide deck per notebook (code hidden), with
  reveal.js shipped alongside, for journal clubs.
- :func:`screenshot` and :func:`rendered_dom` open a page in headless Chromium (Debian's
  ``chromium`` package) with the flags that keep it off the network.
- :func:`page_problems` reads a rendered page and lists what a reader would see broken:
  missing or blank figures, math or tables left as raw source.

``python -m tools.export html|slides|screenshots [--out DIR] [NOTEBOOK ...]`` runs them
from the command line (``make handouts``, ``make slides``, ``make screenshots``).
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
from matplotlib import image as mpimg
from nbconvert import HTMLExporter

from helpers.paths import REPO_ROOT, notebooks_dir

#: reveal.js 4.0.2 (the version nbconvert's slide template targets), require.js 2.3.7 and
#: jQuery 3.7.1 (the template's scrolling code uses it), all MIT-licensed, from their npm
#: packages: shipped so that slide decks work offline.
VENDOR = Path(__file__).resolve().parent / "vendor"
REVEAL_DIR = "reveal.js-4.0.2"
REQUIRE_JS = "requirejs-2.3.7/require.js"
JQUERY_JS = "jquery-3.7.1/jquery.min.js"

#: Chromium flags for a headless, sandbox-free run that never reaches for the network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
)

_EMPTY_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"\"[^>]*>\s*</script>", re.I)


def course_notebooks() -> list[Path]:
    """The course's notebooks, in order."""
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def export_html(notebook: Path, out_dir: Path) -> Path:
    """Write ``notebook`` as a self-contained HTML page into ``out_dir``; return its path.

    MathJax and require.js are not linked (they would be fetched from a CDN, which an offline
    reader cannot reach); the course writes its formulas in plain text instead of TeX.
    """
    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="")
    body, _ = exporter.from_filename(str(notebook))
    body = _EMPTY_SCRIPT.sub("", body)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{notebook.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def export_slides(notebook: Path, out_dir: Path) -> Path:
    """Write ``notebook`` as a reveal.js slide deck (code hidden) into ``out_dir``.

    :mod:`tools.decks` cuts the notebook into slides that fit the frame, all horizontal (→
    walks through every slide, figures included), and adds the speaker notes of
    ``docs/speaker_notes/``. reveal.js, require.js and jQuery are copied next to the deck, so
    it runs without a network.
    """
    from tools import decks

    target = decks.export_deck(
        notebook, out_dir, reveal_dir=REVEAL_DIR, require_js=REQUIRE_JS, jquery_js=JQUERY_JS
    )
    for item in (REVEAL_DIR, REQUIRE_JS.split("/")[0], JQUERY_JS.split("/")[0]):
        if not (out_dir / item).exists():
            shutil.copytree(VENDOR / item, out_dir / item)
    return target


def chromium() -> str | None:
    """Path of the Chromium binary, or ``None`` when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2400) -> Path:
    """Save a screenshot of the top ``height`` pixels of ``page`` (an HTML file) to ``png``.

    Both paths may be relative to the working directory (``make screenshots`` passes
    ``--out build``); Chromium is given absolute ones, since a page address must be.
    """
    page, png = page.resolve(), png.resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    _run_chromium([f"--screenshot={png}", f"--window-size={width},{height}", page.as_uri()])
    return png


def rendered_dom(page: Path, budget_ms: int = 5000) -> str:
    """The page's DOM after Chromium has loaded it and run its scripts for ``budget_ms``."""
    address = page.resolve().as_uri()  # a relative path has no file:// address
    return _run_chromium([f"--virtual-time-budget={budget_ms}", "--dump-dom", address]).stdout


class _PageReader(HTMLParser):
    """Collect images and the visible prose text (outside code, inputs and scripts)."""

    SKIP = frozenset({"script", "style", "pre", "code", "textarea"})

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.text: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.text.append(data)


def _image_problem(src: str) -> str | None:
    if not src.startswith("data:image/png;base64,"):
        return f"an image is not embedded: {src[:60]!r}"
    pixels = mpimg.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
    if pixels.shape[0] < 50 or pixels.shape[1] < 50:
        return f"an image is only {pixels.shape[1]}x{pixels.shape[0]} pixels"
    if float(np.ptp(pixels[..., :3])) == 0.0:
        return "an image is blank (a single colour)"
    return None


RAW_MATH = re.compile(r"\$[^$\n]+\$|\\\(|\\\[|\\frac|\\mathrm")
RAW_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)


def page_problems(dom: str, *, expect_figures: bool) -> list[str]:
    """What a reader would see broken in a rendered page (an empty list when all is well)."""
    reader = _PageReader()
    reader.feed(dom)
    problems = [p for p in map(_image_problem, reader.images) if p]
    if expect_figures and not reader.images:
        problems.append("the notebook draws figures but the page shows none")
    text = "".join(reader.text)
    if match := RAW_MATH.search(text):
        problems.append(f"math left as raw TeX: {match.group(0)!r}")
    if match := RAW_TABLE.search(text):
        problems.append(f"a markdown table left unrendered near {match.group(0).strip()!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: ``html`` builds handouts, ``screenshots`` builds pages and screenshots."""
    parser = argparse.ArgumentParser(prog="python -m tools.export", description=__doc__)
    parser.add_argument("what", choices=["html", "slides", "screenshots"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build")
    args = parser.parse_args(argv)
    for notebook in args.notebooks or course_notebooks():
        if args.what == "slides":
            deck = export_slides(notebook, args.out / "slides")
            print(f"wrote {deck.name}")
            continue
        page = export_html(notebook, args.out / "html")
        print(f"wrote {page.relative_to(args.out.parent) if args.out.is_absolute() else page}")
        if args.what == "screenshots":
            png = screenshot(page, args.out / "screenshots" / f"{notebook.stem}.png")
            print(f"wrote {png.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
