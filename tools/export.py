"""Slide decks of the notebooks for journal clubs, and a look at them in a real browser.

- :func:`export_slides` writes a reveal.js slide deck per notebook (code hidden), with
  reveal.js shipped alongside, for journal clubs.
- :func:`rendered_dom` opens a page in headless Chromium (Debian's ``chromium`` package) with
  the flags that keep it off the network.

``python -m tools.export slides [--out DIR] [NOTEBOOK ...]`` runs them from the command line
(``make slides``). The course's pages for reading without Jupyter are its website
(:mod:`tools.site`, ``make site``), which replaced the per-notebook HTML handouts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

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

def course_notebooks() -> list[Path]:
    """The course's notebooks, in order."""
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


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


def rendered_dom(page: Path, budget_ms: int = 5000) -> str:
    """The page's DOM after Chromium has loaded it and run its scripts for ``budget_ms``."""
    address = page.resolve().as_uri()  # a relative path has no file:// address
    return _run_chromium([f"--virtual-time-budget={budget_ms}", "--dump-dom", address]).stdout


def main(argv: list[str] | None = None) -> int:
    """Command line: ``slides`` builds a deck per notebook (``make slides``)."""
    parser = argparse.ArgumentParser(prog="python -m tools.export", description=__doc__)
    parser.add_argument("what", choices=["slides"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build")
    args = parser.parse_args(argv)
    for notebook in args.notebooks or course_notebooks():
        deck = export_slides(notebook, args.out / "slides")
        print(f"wrote {deck.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
