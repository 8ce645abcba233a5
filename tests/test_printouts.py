"""Each journal-club session has a one-page printable handout, built offline as a PDF.

`make printouts` calls tools/printouts.py: an HTML page per session notebook (the review's
Table 3 in brief, the session's key figures from the committed notebook, its discussion
prompts), printed to PDF by headless Chromium. The test builds them into a temporary folder
and counts the pages and images of each PDF.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers.paths import REPO_ROOT, notebooks_dir
from tools import export, printouts


def test_handout_page_has_table_figures_and_prompts() -> None:
    page = printouts.handout_html("04_comparing_outcomes")
    assert page.count("data:image/png;base64,") == len(printouts.SESSIONS["04_comparing_outcomes"])
    assert "Le Voyer 2021" in page and "Ding 2021" in page  # Table 3, one line per study
    nb = nbformat.read(notebooks_dir() / "04_comparing_outcomes.ipynb", as_version=4)
    assert page.count("<li>") == len(printouts.prompts(nb)) >= 3
    assert "<script" not in page and "http" not in page.split("<body>")[1].split("doi:")[0]


def test_every_session_figure_exists() -> None:
    for stem, numbers in printouts.SESSIONS.items():
        nb = nbformat.read(notebooks_dir() / f"{stem}.ipynb", as_version=4)
        assert set(numbers) <= set(printouts.figures(nb)), stem


def test_pdf_counts_read_pages_and_images() -> None:
    fake = b"<</Type /Pages /Count 2>> <</Type /Page>> <</Type /Page>> <</Subtype /Image>>"
    assert printouts.pdf_counts(fake) == (2, 1)


@pytest.mark.skipif(export.chromium() is None, reason="Chromium is not installed")
def test_printouts_are_one_or_two_pages_with_their_figures(tmp_path: Path) -> None:
    pdfs = printouts.build(tmp_path)
    assert [p.stem for p in pdfs] == list(printouts.SESSIONS)
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages, images = printouts.pdf_counts(data)
        assert 1 <= pages <= 2, f"{pdf.name}: {pages} pages"
        assert images == len(printouts.SESSIONS[pdf.stem]), f"{pdf.name}: {images} images"


def test_facilitator_guide_answers_every_prompt() -> None:
    guide = " ".join((REPO_ROOT / "docs" / "journal_club.md").read_text(encoding="utf-8").split())
    missing = []
    for path in export.course_notebooks():
        nb = nbformat.read(path, as_version=4)
        for prompt in printouts.prompts(nb):
            if f"*{' '.join(prompt.split())}*" not in guide:
                missing.append(f"{path.stem}: {prompt[:60]}")
    assert not missing, f"prompts without a model answer in docs/journal_club.md: {missing}"
