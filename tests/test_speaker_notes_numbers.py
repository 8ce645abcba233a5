"""Speaker notes quote numbers from their notebook ("Say (notebook 04): 31 outcome rows ..."),
and so do the model answers of the journal-club guide ("45 of the 46 patients ... (notebook 03)").
Typed prose goes stale when a study is added, so every number they quote must be one that its
notebook prints today: a changed output that a note or an answer still quotes the old way fails
here. Durations, exercise, notebook and figure numbers are the texts' own, not the data's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import helpers

ROOT = helpers.paths.REPO_ROOT
NOTES = sorted((ROOT / "docs" / "speaker_notes").glob("[0-9][0-9]_*.md"))
GUIDE = ROOT / "docs" / "journal_club.md"
#: Numbers of the model answers that are not the data's: facts of the course's sources (MYOCIT's
#: entry criteria, the review's age at onset), a scale and suggested time points.
NOT_DATA = re.compile(
    r"MMT8 < 74|CMAS < 45|6\.3 years, per the review|0–100 %|\d+, \d+ and \d+ months"
)
OWN_NUMBERS = re.compile(
    r"\*\*[\d–]+ min\.\*\*|\b\d+ minutes|[Ee]xercises? [\d–]+|[Nn]otebooks? \d+|Figure \d+"
)
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w)")


def printed_numbers(notebook: Path) -> set[str]:
    """Every number in the notebook's committed text outputs (plain text and HTML tables)."""
    numbers: set[str] = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for text in (output.get("text", ""), data.get("text/plain", ""),
                         data.get("text/html", "")):  # fmt: skip
                numbers.update(re.findall(r"\d+(?:\.\d+)?", "".join(text)))
    return numbers


def quoted_numbers(notes: Path) -> list[tuple[str, str]]:
    """(slide heading, number) for every number the notes of one deck quote."""
    quoted = []
    for block in notes.read_text(encoding="utf-8").split("\n## ")[1:]:
        heading, _, body = block.partition("\n")
        quoted += [(heading, n) for n in NUMBER.findall(OWN_NUMBERS.sub("", body))]
    return quoted


def test_the_check_sees_a_number_no_output_prints(tmp_path: Path) -> None:
    notes = tmp_path / "00_x.md"
    notes.write_text("# Notes\n\n## A slide\n**2 min.** Say: 7 studies, 4242 patients.\n")
    assert quoted_numbers(notes) == [("A slide", "7"), ("A slide", "4242")]


@pytest.mark.parametrize("notes", NOTES, ids=[p.stem for p in NOTES])
def test_every_number_a_note_quotes_is_printed_by_its_notebook(notes: Path) -> None:
    notebook = ROOT / "notebooks" / f"{notes.stem}.ipynb"
    assert notebook.exists(), f"{notes.name}: no notebook {notebook.name}"
    printed = printed_numbers(notebook)
    stale = [f"{heading!r}: {n}" for heading, n in quoted_numbers(notes) if n not in printed]
    assert not stale, f"{notes.name} quotes numbers its notebook does not print: {stale}"


def answered_numbers(guide: Path) -> list[tuple[str, str]]:
    """(notebook number, number) for every number the guide's model answers quote.

    The answers are grouped under a bold line per notebook (``**04 · Comparing outcomes**``);
    the prompts themselves (in italics) are the notebooks' text, not quotes of their outputs.
    """
    text = guide.read_text(encoding="utf-8")
    section = text.partition("\n## Discussion questions")[2].partition("\n## ")[0]
    parts = re.split(r"^\*\*(\d\d) · [^*\n]+\*\*$", section, flags=re.MULTILINE)
    quoted = []
    for number, answers in zip(parts[1::2], parts[2::2], strict=True):
        answers = NOT_DATA.sub("", re.sub(r"\*[^*]+\*", "", " ".join(answers.split())))
        quoted += [(number, n) for n in NUMBER.findall(OWN_NUMBERS.sub("", answers))]
    return quoted


def test_the_check_reads_the_answers_not_the_prompts(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text(
        "# Guide\n\n## Discussion questions\n\n**03 · Cohorts**\n- *Why 12 studies?* Because\n"
        "  4242 of 46 patients (notebook 03, Figure 2); MMT8 < 74.\n\n## After\n\nSay 99.\n"
    )
    assert answered_numbers(guide) == [("03", "4242"), ("03", "46")]


def test_every_number_a_model_answer_quotes_is_printed_by_its_notebook() -> None:
    quoted = answered_numbers(GUIDE)
    assert {number for number, _ in quoted} >= {"03", "04", "05"}, "no model answers found"
    stale = []
    for number in sorted({number for number, _ in quoted}):
        notebook = next((ROOT / "notebooks").glob(f"{number}_*.ipynb"), None)
        assert notebook is not None, f"{GUIDE.name}: answers for a missing notebook {number}"
        printed = printed_numbers(notebook)
        stale += [f"{notebook.stem}: {n}" for nb, n in quoted if nb == number and n not in printed]
    assert not stale, f"{GUIDE.name} quotes numbers their notebooks do not print: {stale}"
