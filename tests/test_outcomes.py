"""Tests of helpers.outcomes on the course data and on small hand-made tables."""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import helpers
from helpers import outcomes as oc
from helpers.errors import DataError


@pytest.fixture(scope="module")
def data() -> helpers.CaseData:
    return helpers.load_case_data()


def test_evidence_map_marks_weeks_and_blanks(data: helpers.CaseData) -> None:
    weeks, marks = oc.evidence_map(data.outcomes, data.studies)
    assert weeks.shape == marks.shape
    assert len(weeks) == len(data.studies)
    assert "herpes zoster" not in weeks.columns  # safety is excluded by default
    yu = next(i for i in weeks.index if i.startswith("Yu 2020"))
    assert marks.loc[yu, "CMAS"] == "26"
    assert weeks.loc[yu, "CMAS"] == 26
    assert marks.loc[yu, "pSTAT1"] == ""
    # every reported (study, measure) pair of the data is one marked cell
    kept = data.outcomes[data.outcomes["domain"].astype(str) != "safety"]
    assert (marks != "").to_numpy().sum() == len(kept.drop_duplicates(["study_id", "measure"]))


def test_evidence_map_with_safety_marks_missing_time(data: helpers.CaseData) -> None:
    _, marks = oc.evidence_map(data.outcomes, data.studies, exclude_domains=())
    voyer = next(i for i in marks.index if i.startswith("Le Voyer"))
    assert marks.loc[voyer, "herpes zoster"] == "✓"  # reported without a time point
    ax = oc.draw_evidence_map(*oc.evidence_map(data.outcomes, data.studies))
    assert ax.get_xlabel().startswith("Outcome measure")
    plt.close(ax.figure)


def test_followup_table(data: helpers.CaseData) -> None:
    table = oc.followup_table(data.outcomes, data.studies)
    ding = table[table["study"].str.startswith("Ding")].iloc[0]
    assert ding["followup_basis"] == "median follow-up"
    assert (ding["followup_min_weeks"], ding["followup_max_weeks"]) == (13, 91)
    assert ding["assessed_at_weeks"] == "30"
    assert list(table["study"]) == list(
        oc.study_labels(data.studies)[
            data.studies.sort_values(["year", "first_author"])["study_id"]
        ]
    )


def test_response_table_keeps_counted_rows_and_collapses_yu(data: helpers.CaseData) -> None:
    table = oc.response_table(data.outcomes, data.studies)
    yu = table[table["study_id"] == "yu_2020"]
    assert len(yu) == 1
    assert yu.iloc[0]["measure"] == "CMAS, MMT8, PGA, DAS, CHAQ"
    assert (yu.iloc[0]["n_improved"], yu.iloc[0]["n_assessed"]) == (3, 3)
    voyer = table[table["study_id"] == "le_voyer_2021"].set_index("subgroup")
    assert (voyer.loc["MSA: NXP2", "n_improved"], voyer.loc["MSA: NXP2", "n_assessed"]) == (3, 4)
    assert voyer.loc["", "n_improved"] == 5
    assert not table["study_id"].isin(["sabbagh_2019", "kim_2021"]).any()  # no counts there
    uncollapsed = oc.response_table(data.outcomes, data.studies, collapse=False)
    assert len(uncollapsed) == len(table) + 4
    with pytest.raises(ValueError, match="unknown domain"):
        oc.response_table(data.outcomes, data.studies, domains=("skn",))


def test_any_improvement_rule_on_a_hand_made_table(data: helpers.CaseData) -> None:
    rows = pd.DataFrame(
        {
            "outcome_id": ["a1", "a2", "a3", "b1"],
            "study_id": ["yu_2020", "yu_2020", "yu_2020", "ding_2021"],
            "subgroup": [None, None, "MSA: MDA5", None],
            "domain": ["muscle", "skin", "muscle", "muscle"],
            "measure": ["CMAS", "rash", "CMAS", "CMAS"],
            "timepoint_weeks": [26.0, 26.0, 26.0, 30.0],
            "direction": ["improved"] * 4,
            "n_assessed": pd.array([3, 3, 1, 25], dtype="Int64"),
            "n_improved": pd.array([1, 2, 1, 7], dtype="Int64"),
            "n_events": pd.array([None] * 4, dtype="Int64"),
            "source": ["s"] * 4,
        }
    )
    best = oc.any_improvement_rows(rows, data.studies)
    assert list(best["study_id"]) == ["yu_2020", "ding_2021"]  # publication order
    assert list(best["n_improved"]) == [2, 7]  # the best overall row, not the 1/1 subgroup


def test_any_improvement_on_the_course_data(data: helpers.CaseData) -> None:
    best = oc.any_improvement_rows(data.outcomes, data.studies).set_index("study_id")
    assert (best.loc["ding_2021", "n_improved"], best.loc["ding_2021", "n_assessed"]) == (24, 24)
    assert (best.loc["le_voyer_2021", "n_improved"], best.loc["le_voyer_2021", "n_assessed"]) == (
        5,
        10,
    )
    assert "sabbagh_2019" not in best.index


def test_biomarker_vs_clinical_always_gives_a_count_or_says_none(
    data: helpers.CaseData,
) -> None:
    table = oc.biomarker_vs_clinical(data.outcomes, data.studies).set_index("study")
    assert table.loc["Aeschlimann 2018", "biomarker_decreased"] == "pSTAT1: 1/1"
    assert table.loc["Yu 2020", "clinical_improved"] == "CMAS, MMT8, PGA, DAS, CHAQ: 3/3"
    assert table.loc["Yu 2020", "biomarker_decreased"] == "not reported"
    assert table.loc["Le Voyer 2021", "biomarker_decreased"] == "serum IFN-α: no count"
    assert (table["n_patients"] >= 1).all()


def test_adverse_events_lists_every_study(data: helpers.CaseData) -> None:
    table = oc.adverse_events(data.outcomes, data.studies)
    assert set(table["study"]) == set(oc.study_labels(data.studies, with_n=False))
    zoster = table[table["finding"] == "herpes zoster"].iloc[0]
    assert (zoster["n_with_event"], zoster["n_assessed"]) == (3, 10)
    assert table[table["finding"] == "tolerability"].iloc[0]["kind"] == "tolerated"


def test_helpers_reject_the_wrong_table(data: helpers.CaseData) -> None:
    with pytest.raises(ValueError, match="lacks the column"):
        oc.evidence_map(data.studies, data.studies)
    with pytest.raises(ValueError, match="DataFrame"):
        oc.adverse_events("outcomes", data.studies)  # type: ignore[arg-type]


def test_measures_glossary_keeps_unconfirmed_maxima_unconfirmed() -> None:
    table = oc.MEASURES.set_index("measure")
    assert table.loc["CMAS", "range"] == "0–52"
    assert table.loc["MMT8", "range"] == "0–80"
    assert table.loc["DAS", "better"] == "lower"
    assert "not confirmed" in table.loc["CDASI", "range"]
    assert "not confirmed" in table.loc["CAT-BM", "range"]


def test_later_evidence_loads_and_is_consistent() -> None:
    table = oc.load_later_evidence().set_index("evidence_id")
    row = table.loc["zhang_2023_ccr_last"]
    assert (row["n_with_outcome"], row["n_total"]) == (44, 88)
    assert row["percent_reported"] == pytest.approx(100 * 44 / 88)
    comparator = table.loc["myocit_comparator"]
    assert round(100 * comparator["n_with_outcome"] / comparator["n_total"]) == 28
    # every row with both a count and a percent agrees to the printed precision
    both = table.dropna(subset=["n_total", "n_with_outcome", "percent_reported"])
    computed = 100 * both["n_with_outcome"] / both["n_total"]
    assert (abs(computed - both["percent_reported"]) < 0.5).all()


def test_later_evidence_schema_catches_bad_rows(tmp_path: Path) -> None:
    good = oc.load_later_evidence()
    bad = good.copy()
    bad.loc[0, "n_with_outcome"] = 99  # more than n_total = 88
    bad.to_csv(tmp_path / "later_evidence.csv", index=False)
    with pytest.raises(DataError):
        helpers.read_table(oc.later_evidence_spec(), tmp_path)
    bad = good.copy()
    bad["kind"] = bad["kind"].astype(str)
    bad.loc[0, "kind"] = "RCT"
    bad.to_csv(tmp_path / "later_evidence.csv", index=False)
    with pytest.raises(DataError, match="kind"):
        helpers.read_table(oc.later_evidence_spec(), tmp_path)


def test_draw_followup_one_tick_per_study(data: helpers.CaseData) -> None:
    table = oc.followup_table(data.outcomes, data.studies)
    ax = oc.draw_followup(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table["study"])
    assert ax.get_xlabel().startswith("Weeks")
    assert ax.get_ylabel() == ""  # no "1 in k labelled" note: every study is labelled
    plt.close(ax.figure)


def test_draw_followup_marks_ranges_and_open_ends() -> None:
    table = pd.DataFrame(
        {
            "study": ["A", "B", "C"],
            "followup_weeks": [26.0, 30.0, 24.0],
            "followup_basis": [
                "assessment time point",
                "median follow-up",
                "assessment time point",
            ],
            "followup_min_weeks": [float("nan"), 13.0, 20.0],
            "followup_max_weeks": [float("nan"), 91.0, float("nan")],
        }
    )
    ax = oc.draw_followup(table)
    ranges, open_ended = ax.collections[:2]
    assert [s[:, 0].tolist() for s in ranges.get_segments()] == [[13.0, 91.0]]  # B, row 1
    right = 91.0 + 12  # the open end runs to 12 weeks beyond the longest follow-up
    assert [s[:, 0].tolist() for s in open_ended.get_segments()] == [[20.0, right]]  # C
    markers = {
        line.get_marker(): line.get_xdata().tolist() for line in ax.lines if len(line.get_xdata())
    }
    assert markers == {">": [right], "o": [26.0, 24.0], "D": [30.0]}
    plt.close(ax.figure)


def test_draw_followup_scales_to_thousands_of_studies() -> None:
    n = 2000
    table = pd.DataFrame(
        {
            "study": [f"study {i}" for i in range(n)],
            "followup_weeks": np.resize([26.0, 30.0, 52.0], n),
            "followup_basis": np.resize(["assessment time point", "median follow-up"], n),
            "followup_min_weeks": np.resize([np.nan, 13.0, 20.0], n),
            "followup_max_weeks": np.resize([np.nan, 91.0, np.nan], n),
        }
    )
    fig, ax = plt.subplots(figsize=(8, 6))
    start = time.perf_counter()
    oc.draw_followup(table, ax=ax)
    fig.canvas.draw()
    assert time.perf_counter() - start < 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert 1 < len(labels) <= 60 and labels[0] == "study 0"
    assert "studies: 1 in" in ax.get_ylabel() and f"of {n} labelled" in ax.get_ylabel()
    plt.close(fig)
