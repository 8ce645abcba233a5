"""data/msa_frequencies.csv: the autoantibody frequencies that notebook 01 reads with pandas.

It is a sourced reference table, not case data: each row is one figure a source reports (a
percentage, or a range across cohorts), with the counts where the source gives them, the
population and the source. These tests check the rules a new row must follow, not today's
figures.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

import helpers

COLUMNS = [
    "antibody", "as_reported", "percent", "percent_low", "percent_high", "n_positive",
    "n_tested", "population", "source_short", "source", "checked",
]
TEXT = ["antibody", "as_reported", "population", "source_short", "source"]
#: A source names the paper, then the PMID, DOI or PMC identifier that the notebook cites.
IDENTIFIER = re.compile(r"(PMID \d+|doi:\S+|PMC\d+)$")
NOTEBOOK = helpers.paths.REPO_ROOT / "notebooks" / "01_why_jak_inhibitors.ipynb"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(
        helpers.data_dir() / "msa_frequencies.csv",
        dtype={"n_positive": "Int64", "n_tested": "Int64"},
    )


def test_columns_and_text(table: pd.DataFrame) -> None:
    assert list(table.columns) == COLUMNS
    assert not table.empty
    for column in TEXT:
        assert table[column].notna().all(), f"{column} may not be empty"
        assert (table[column].str.strip() != "").all(), f"{column} may not be blank"
    assert set(table["checked"]) <= {"verified", "not independently confirmed"}


def test_a_row_gives_one_percentage_or_one_range(table: pd.DataFrame) -> None:
    single = table["percent"].notna()
    ranged = table["percent_low"].notna() & table["percent_high"].notna()
    half_range = table["percent_low"].notna() ^ table["percent_high"].notna()
    assert not half_range.any(), "a range needs both percent_low and percent_high"
    assert (single ^ ranged).all(), "give percent, or percent_low and percent_high, not both"


def test_percentages_are_percentages(table: pd.DataFrame) -> None:
    for column in ["percent", "percent_low", "percent_high"]:
        given = table[column].dropna()
        assert given.between(0, 100).all(), f"{column} outside 0–100"
    ranged = table.dropna(subset=["percent_low", "percent_high"])
    assert (ranged["percent_low"] <= ranged["percent_high"]).all(), "a range runs low to high"


def test_counts_agree_with_the_percentage(table: pd.DataFrame) -> None:
    assert (table["n_tested"].dropna() >= 1).all()
    both = table.dropna(subset=["n_positive", "n_tested"])
    assert (both["n_positive"] >= 0).all()
    assert (both["n_positive"] <= both["n_tested"]).all(), "more positive than tested"
    with_percent = both.dropna(subset=["percent"])
    computed = 100 * with_percent["n_positive"] / with_percent["n_tested"]
    off = with_percent[(computed - with_percent["percent"]).abs() > 0.5]
    assert off.empty, f"percent does not match n_positive/n_tested: {off['source'].tolist()}"


def test_every_row_names_a_source_with_an_identifier(table: pd.DataFrame) -> None:
    unsourced = table[table["source"].map(IDENTIFIER.search).isna()]
    assert unsourced.empty, f"no PMID, doi or PMC: {unsourced['source'].tolist()}"


def test_every_source_is_in_the_notebook_references(table: pd.DataFrame) -> None:
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    references = text.split("## References", 1)[1].lower()
    for source in table["source"]:
        identifier = IDENTIFIER.search(source).group(1).lower()
        assert identifier in references, f"{source!r} is not in notebook 01's references"


def test_the_agreement_check_can_fail(table: pd.DataFrame) -> None:
    wrong = table.head(1).assign(percent=50.0, n_positive=37, n_tested=162)
    computed = 100 * wrong["n_positive"] / wrong["n_tested"]
    assert ((computed - wrong["percent"]).abs() > 0.5).all()
