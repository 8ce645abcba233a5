"""data/measures.csv: the glossary of outcome measures that notebook 04 reads with pandas.

It is a sourced data table, not code: each row says what a measure scores, its range, which
direction is better and where that comes from (``ref``). These tests keep it so.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

import helpers

COLUMNS = ["measure", "what_it_scores", "range", "better", "note", "ref"]
#: ``better`` is "higher" or "lower" (with an optional remark in brackets), or says it is unknown.
BETTER = re.compile(r"(higher|lower)( \([^)]+\))?|not stated in our sources")
#: A ref names its source, then gives the PMID, DOI or address that the notebook cites.
LOCATOR = re.compile(r", (PMID \d+|doi:\S+|jrheum\.org/\S+)$")
NOTEBOOK = helpers.paths.REPO_ROOT / "notebooks" / "04_comparing_outcomes.ipynb"


@pytest.fixture(scope="module")
def measures() -> pd.DataFrame:
    return pd.read_csv(helpers.data_dir() / "measures.csv", keep_default_na=False)


def test_columns_and_one_row_per_measure(measures: pd.DataFrame) -> None:
    assert list(measures.columns) == COLUMNS
    assert measures["measure"].is_unique
    assert (measures["measure"].str.strip() != "").all()
    assert (measures["what_it_scores"].str.strip() != "").all()


def test_better_is_a_direction(measures: pd.DataFrame) -> None:
    bad = measures[~measures["better"].str.fullmatch(BETTER)]
    assert bad.empty, f"unexpected 'better' values: {bad['better'].tolist()}"


def test_every_row_names_its_source(measures: pd.DataFrame) -> None:
    assert (measures["ref"].str.strip() != "").all()
    unsourced = measures[measures["ref"].map(LOCATOR.search).isna()]
    # the one row without a source says so in words, it is never left blank
    assert unsourced["ref"].tolist() == ["none recorded"] * len(unsourced)
    assert len(unsourced) <= 1


def test_every_source_is_in_the_notebook_references(measures: pd.DataFrame) -> None:
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    references = text.split("## References", 1)[1]
    for ref in measures["ref"]:
        found = LOCATOR.search(ref)
        if found:
            assert found.group(1).lower() in references.lower(), f"{ref!r} is not cited"


def test_unconfirmed_maxima_stay_unconfirmed(measures: pd.DataFrame) -> None:
    table = measures.set_index("measure")
    assert table.loc["CMAS", "range"] == "0–52"
    assert table.loc["MMT8", "range"] == "0–80"
    assert table.loc["DAS", "better"] == "lower"
    assert "not confirmed" in table.loc["CDASI", "range"]
    assert "not confirmed" in table.loc["CAT-BM", "range"]
