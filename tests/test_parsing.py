"""The curated tables agree with the printed Table 3 wherever it carries the value.

Notebook 02 parses the studies and the individually described patients and compares them with
the curated tables in its own cells (nbval checks its printed findings). These tests, on plain
pandas, keep the rules the notebook does not print: the drug groups and their antibody counts
follow the printed order, the group-level ages are the printed ones, and every curated row read
from the review quotes text that is really in that study's printed row.
"""

from __future__ import annotations

import pandas as pd
import pytest

import helpers

DRUG_CORRECTIONS = {"baricitnib": "baricitinib"}
TYPESET = {"\u2009": " ", "\u00a0": " ", "\u202f": " ", "\u2013": "-", "\u2014": "-"}
ANTIBODY_CORRECTIONS = {"TIF1-y": "TIF1-γ", "No MSA": "none"}


def _normalise(text: str) -> str:
    """Plain spaces and hyphens for the typeset ones (thin, no-break spaces; en, em dashes)."""
    for old, new in TYPESET.items():
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def data() -> helpers.CaseData:
    return helpers.load_case_data()


@pytest.fixture(scope="module")
def printed(data: helpers.CaseData) -> pd.DataFrame:
    """The printed table, normalised, one row per study indexed by the curated study_id."""
    raw = pd.read_csv(helpers.raw_table_path(), dtype=str, keep_default_na=False)
    raw = raw.apply(lambda column: column.map(_normalise))
    ref = raw["Case study"].str.extract(r"\[(\d+)\]$", expand=False).astype(int)
    study_of = data.studies.dropna(subset=["review_ref"]).set_index("review_ref")["study_id"]
    return raw.set_index(ref.map(study_of).rename("study_id"))


def test_every_printed_study_is_curated(printed: pd.DataFrame) -> None:
    assert printed.index.notna().all() and printed.index.is_unique


def test_drug_groups_follow_the_printed_order(
    printed: pd.DataFrame, data: helpers.CaseData
) -> None:
    """Drugs pair with the printed group sizes ("n = 3", "tofacitinib 7/25") in printed order."""
    for study_id, row in printed.iterrows():
        lines = pd.Series(row["JAK-inhibitors"].split("\n"))
        drugs = lines.str.extract(r"^(\S+)", expand=False).str.lower().replace(DRUG_CORRECTIONS)
        counts = lines.str.extract(r" (\d+)/\d+ \((\d+)%\)").astype(float)
        sizes = [int(n) for n in pd.Series([row["Patient"]]).str.findall(r"n = (\d+) JDM")[0]]
        female = pd.Series([row["Patient"]]).str.findall(r"(\d+)/\d+(?: \(\d+%\))? female")[0]
        groups = data.groups[data.groups["study_id"] == study_id]
        assert list(groups["drug"].astype(str)) == list(drugs), study_id
        if counts[0].notna().all():
            assert list(groups["n_patients"]) == list(counts[0].astype(int)), study_id
            assert list(groups["percent_of_study_reported"]) == list(counts[1]), study_id
        elif len(sizes) == len(groups):
            assert list(groups["n_patients"]) == sizes, study_id
        if len(female) == len(groups) > 1:
            assert list(groups["n_female"]) == [int(k) for k in female], study_id


def test_le_voyer_antibody_counts_follow_the_printed_order(
    printed: pd.DataFrame, data: helpers.CaseData
) -> None:
    lines = pd.Series(printed.loc["le_voyer_2021", "Patient"].split("\n"))
    counts = lines.str.extract(r"^(?P<antibody>\S+(?: MSA)?) = (?P<n_positive>\d+)$")
    counts["group"] = lines.str.startswith("n = ").cumsum()
    counts = counts.dropna().replace(ANTIBODY_CORRECTIONS)
    group_ids = data.groups.loc[data.groups["study_id"] == "le_voyer_2021", "group_id"]
    counts["group_id"] = counts["group"].map(dict(enumerate(group_ids, start=1)))
    curated = data.autoantibodies[data.autoantibodies["study_id"] == "le_voyer_2021"]
    key = ["group_id", "antibody", "n_positive"]
    want = {(g, str(a), int(n)) for g, a, n in curated[key].itertuples(index=False)}
    got = {(g, a, int(n)) for g, a, n in counts[key].itertuples(index=False)}
    assert got == want


def test_group_ages_are_the_printed_ones(printed: pd.DataFrame, data: helpers.CaseData) -> None:
    chars = data.characteristics[data.characteristics["characteristic"].str.startswith("age")]
    le_voyer = printed.loc["le_voyer_2021", "Patient"]
    means = [float(m) for m in pd.Series([le_voyer]).str.findall(r"mean ([\d.]+) years")[0]]
    assert list(chars.loc[chars["study_id"] == "le_voyer_2021", "value"]) == means
    kim = pd.Series([printed.loc["kim_2021", "Patient"]]).str.extract(r"([\d.]+)-([\d.]+) years")
    kim_range = list(kim.loc[0].astype(float))
    assert list(chars.loc[chars["study_id"] == "kim_2021", "value"]) == kim_range


@pytest.mark.parametrize("table", ["patients", "prior_treatments", "characteristics"])
def test_rows_read_from_the_review_quote_its_text(
    table: str, printed: pd.DataFrame, data: helpers.CaseData
) -> None:
    """A row whose source is the review's table quotes text printed in that study's row."""
    frame = getattr(data, table)
    frame = frame[frame["source"] == "review_table3"]
    quote = "label_in_source" if table == "patients" else "as_printed"
    assert len(frame) > 0
    for study_id, text in frame[["study_id", quote]].itertuples(index=False):
        row_text = " ".join(printed.loc[study_id])
        assert _normalise(text) in row_text, f"{table}: {text!r} is not printed for {study_id}"
