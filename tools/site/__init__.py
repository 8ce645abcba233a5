"""The course as a static website: ``make site`` builds it into ``build/site/``.

Sphinx with MyST-NB and sphinx-book-theme (the stack of Jupyter Book 1) renders the notebooks
from their committed outputs (they are not executed again: strict nbval already proves them
current), the README as the home page, the guides of ``docs/`` (every ``docs/*.md``, whatever
its name), the data dictionary, and the site's own pages in ``tools/site/pages/``.

:func:`stage` copies those sources into ``build/site-src/`` with the repository's layout, so
that the links that work on the code host (``../docs/glossary.md#wilson``,
``notebooks/00_start_here.ipynb``) resolve on the site too; :func:`build` runs Sphinx on them,
with every warning an error. The build needs nothing from the network: the theme ships its
fonts, scripts and styles, and the configuration (``conf.py``) adds no CDN.

``python -m tools.site build`` builds the site; ``python -m tools.site screenshots`` builds it
and keeps screenshots of the home page and of one notebook page, at phone and desktop width, in
``build/screenshots/``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from helpers.paths import REPO_ROOT

HERE = Path(__file__).resolve().parent

#: What goes on the site, as glob patterns relative to the repository (besides README.md, which
#: becomes the home page, and the site's own pages). Pages are Markdown or notebooks; the other
#: files are there for the links that point to them (data tables, licences), as downloads.
SOURCES = (
    "notebooks/[0-9][0-9]_*.ipynb",
    "docs/*.md",
    "data/README.md",
    "data/*.csv",
    "data/raw/*.csv",
    "LICENSE",
    "LICENSE-CONTENT",
    "CITATION.cff",
)

#: The navigation, appended (hidden) to the home page: the learning path in course order (the
#: file names sort in that order), then the guides and reference pages.
TOCTREE = """

```{toctree}
:hidden:
:caption: Learning path
:glob:

notebooks/[0-9][0-9]_*
```

```{toctree}
:hidden:
:caption: Guides and reference
:glob:

run_it_yourself
docs/*
data/README
licences
```
"""

#: Template fragments that sphinx-book-theme and its parent theme ship in their static folders:
#: Sphinx copies them into ``_static/``, where they are no page (their links are unrendered).
UNSERVED = ("webpack-macros.html", "sbt-webpack-macros.html")


def source_files(root: Path = REPO_ROOT) -> list[Path]:
    """Every file of the repository that the site is built from (its own files included)."""
    files = [root / "README.md"]
    for pattern in SOURCES:
        files += sorted(root.glob(pattern))
    own = [HERE / "conf.py", HERE / "course_site.py"]  # what Sphinx reads of tools/site/
    return files + own + sorted(p for d in ("pages", "static") for p in (HERE / d).rglob("*.*"))


def is_current(site: Path, root: Path = REPO_ROOT) -> bool:
    """Whether ``site`` was built after the last change to any of its sources."""
    home = site / "index.html"
    newest = max(p.stat().st_mtime for p in source_files(root))
    return home.is_file() and home.stat().st_mtime >= newest


def first_with_figures(root: Path = REPO_ROOT) -> str:
    """The stem of the first notebook of the course that shows a figure (for screenshots)."""
    for path in sorted(root.glob(SOURCES[0])):
        if '"image/png"' in path.read_text(encoding="utf-8"):
            return path.stem
    raise LookupError("no notebook of the course shows a figure")


def stage(stage_dir: Path, root: Path = REPO_ROOT) -> Path:
    """Copy the site's sources into ``stage_dir`` (emptied first); return it."""
    shutil.rmtree(stage_dir, ignore_errors=True)
    stage_dir.mkdir(parents=True)
    for pattern in SOURCES:
        for path in root.glob(pattern):
            target = stage_dir / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for page in (HERE / "pages").glob("*.md"):
        shutil.copyfile(page, stage_dir / page.name)
    home = (root / "README.md").read_text(encoding="utf-8")
    (stage_dir / "index.md").write_text(home.rstrip("\n") + TOCTREE, encoding="utf-8")
    return stage_dir


def build(out_dir: Path | None = None, root: Path = REPO_ROOT, quiet: bool = True) -> Path:
    """Stage the sources and build the site into ``out_dir`` (default ``build/site``).

    A full build every time (``-E``, fresh environment), so a page added or removed shows in
    every page's navigation; every warning fails the build (``-W``, e.g. a broken link).
    """
    out_dir = out_dir or root / "build" / "site"
    work = out_dir.parent / f"{out_dir.name}-src"
    stage(work / "src", root)
    shutil.rmtree(out_dir, ignore_errors=True)
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-E", "-W", "--keep-going",
        "-c", str(HERE), "-d", str(work / "doctrees"), str(work / "src"), str(out_dir),
    ]  # fmt: skip
    if quiet:
        command.insert(3, "-q")
    subprocess.run(command, check=True)
    for macros in UNSERVED:  # the themes' Jinja macros, copied with their static files
        (out_dir / "_static" / macros).unlink(missing_ok=True)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: ``build`` (``make site``) or ``screenshots`` (``make screenshots``)."""
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__)
    parser.add_argument("what", choices=["build", "screenshots"])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # a page's address (file://...) must be absolute
    start, root = time.perf_counter(), REPO_ROOT
    site = build(args.out / "site", root)
    pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"built {site}: {pages} pages, {size / 1e6:.1f} MB, "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
    if args.what == "screenshots":
        from tools.site import browser

        shots = browser.screenshots(site, args.out / "screenshots", first_with_figures(root))
        for png in shots:
            print(f"wrote {png}")
    return 0
