"""Speaker notes quote numbers from their notebook ("Say (notebook 04): 31 outcome rows ...").
Typed prose goes stale when a study is added, so every number a note quotes must be one that
its notebook prints today: a changed output that a note still quotes the old way fails here.
Durations, exercise, notebook and figure numbers are the notes' own, not the data's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import helpers

ROOT = helpers.paths.REPO_ROOT
NOTES = sorted((ROOT / "docs" / "speaker_notes").glob("[0-9][0-9]_*.md"))
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
