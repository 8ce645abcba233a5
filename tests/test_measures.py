"""data/measures.csv: the glossary of outcome measures that notebook 04 reads with pandas.

It is a sourced data table, not code: each row says what a measure scores, its range, which
direction is better and where that comes from (``ref``). It is also the controlled vocabulary of
measure names: every ``measure`` of the outcome data must be one of its rows, so that one thing
is never counted under two names. These tests keep it so.
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
#: The made-up study that tests/test_living_table.py adds to the data: it must use the vocabulary.
NEW_STUDY = helpers.paths.REPO_ROOT / "tests" / "fixtures" / "new_study" / "outcomes.csv"


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


@pytest.mark.parametrize("outcomes_csv", [helpers.data_dir() / "outcomes.csv", NEW_STUDY],
                         ids=["data", "new_study"])
def test_every_outcome_measure_is_in_the_vocabulary(measures: pd.DataFrame,
                                                    outcomes_csv) -> None:
    outcomes = pd.read_csv(outcomes_csv, keep_default_na=False)
    unknown = sorted(set(outcomes["measure"]) - set(measures["measure"]))
    assert not unknown, (
        f"{outcomes_csv.name}: measures not in data/measures.csv: {unknown}; add a row there "
        "(what it scores, range, direction, source) or use an existing name"
    )


def _core(name: str) -> str:
    """A measure's name without case, bracketed remarks or a plural 's': 'Scores (x)' -> 'score'."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip().lower().removesuffix("s")


def test_no_measure_has_two_names(measures: pd.DataFrame) -> None:
    """Names that differ only by case, a plural or a bracketed remark are one measure twice."""
    cores = measures["measure"].map(_core)
    twins = measures[cores.duplicated(keep=False)]["measure"].tolist()
    assert not twins, f"one measure under several names: {twins}"


def test_an_unspecified_measure_claims_no_range(measures: pd.DataFrame) -> None:
    """A measure named '(unspecified)' is one the source does not name: no range can be known."""
    vague = measures[measures["measure"].str.contains("(unspecified)", regex=False)]
    assert not vague.empty
    assert (vague["range"] == "not in our sources").all(), vague[["measure", "range"]]
