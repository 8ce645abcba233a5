"""Parsing the printed Table 3 (helpers.parsing): each pattern alone, then the whole table
against the curated tables wherever the printed text carries the value."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers import parsing as p

THIN = "\u2009"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return p.read_raw_table()


@pytest.fixture(scope="module")
def data() -> helpers.CaseData:
    return helpers.load_case_data()


# --- single patterns -------------------------------------------------------------------------


def test_the_raw_file_really_has_thin_spaces(raw: pd.DataFrame) -> None:
    assert THIN in raw.loc[0, "outcome"]
    assert f"n{THIN}={THIN}25" in raw.loc[5, "patient"]


def test_normalise_text_replaces_thin_spaces_and_dashes() -> None:
    assert p.normalise_text(f"26{THIN}weeks") == "26 weeks"
    assert p.normalise_text("5.8\u201320.7\u00a0years") == "5.8-20.7 years"


def test_a_thin_space_defeats_a_naive_pattern() -> None:
    import re

    cell = f"n{THIN}={THIN}25 JDM"
    assert re.search(r"n = (\d+)", cell) is None
    assert p.parse_group_sizes(cell) == [25]


def test_parse_study_label_corrects_the_author() -> None:
    assert p.parse_study_label("Aeschilimann et al. 2018 [121]") == {
        "study_id": "aeschlimann_2018",
        "first_author": "Aeschlimann",
        "year": 2018,
        "review_ref": 121,
    }
    assert p.parse_study_label("Le Voyer et al. 2021 [125]")["study_id"] == "le_voyer_2021"


def test_parse_study_label_rejects_other_text() -> None:
    with pytest.raises(ValueError, match="not a study label"):
        p.parse_study_label("Le Voyer 2021")


def test_parse_fraction() -> None:
    assert p.parse_fraction(f"11/25{THIN}(44%) female") == {
        "count": 11,
        "total": 25,
        "percent": 44.0,
    }
    assert p.parse_fraction("2/3 female") == {"count": 2, "total": 3, "percent": None}
    assert p.parse_fraction("no fraction here") is None


def test_parse_drugs_fixes_the_typo_and_reads_counts() -> None:
    assert [d["drug"] for d in p.parse_drugs("baricitnib\nruxolitinib")] == [
        "baricitinib",
        "ruxolitinib",
    ]
    ding = p.parse_drugs("tofacitinib 7/25 (28%)\nruxolitinib 18/25 (72%)")
    assert [(d["drug"], d["n_patients"], d["percent"]) for d in ding] == [
        ("tofacitinib", 7, 28.0),
        ("ruxolitinib", 18, 72.0),
    ]


def test_parse_drugs_rejects_an_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown drug 'upadacitinib'"):
        p.parse_drugs("upadacitinib")


def test_parse_group_sizes_in_each_printed_form() -> None:
    assert p.parse_group_sizes(f"n{THIN}={THIN}3 JDM\n2/3 female\nn = 7 JDM") == [3, 7]
    assert p.parse_group_sizes("4 JDM\n(5.8–20.7 years old)") == [4]
    assert p.parse_group_sizes("2 anti-MDA5 JDM patients\n12y/o male\n15y/o female") == [2]
    assert p.parse_group_sizes(f"13{THIN}year old; JDM (anti-NXP2)") == [1]
    assert p.parse_group_sizes("nothing") == []


def test_ages_and_sexes_of_individuals() -> None:
    cell = "n = 3 JDM\n11y/o fem (ANA 1:320)\n10y/o female (x\n10y/o male (Negative)"
    assert p.parse_individual_ages(cell) == [11.0, 10.0, 10.0]
    assert p.parse_individual_sexes(cell) == ["F", "F", "M"]
    assert p.parse_individual_sexes(f"13{THIN}year old; JDM") == [None]


def test_aggregate_ages() -> None:
    assert p.parse_mean_ages("mean 8.7\u2009years [25,26]\nmean 9.1 years [1, 2]") == [8.7, 9.1]
    assert p.parse_age_range("(5.8\u201320.7\u2009years old)") == (5.8, 20.7)
    assert p.parse_mean_sd("Mean age to start JAK inhibitors 7.2 ± 4 years") == [
        {"label": "Mean age to start JAK inhibitors", "mean": 7.2, "sd": 4.0}
    ]


def test_antibody_names_are_normalised() -> None:
    assert p.normalise_antibody("TIF1-y") == "TIF1-γ"
    assert p.normalise_antibody("Ro-52") == "Ro52"
    assert p.normalise_antibody("No MSA") == "none"
    with pytest.raises(ValueError, match="unknown antibody"):
        p.normalise_antibody("Jo-1")


def test_antibody_counts_are_split_by_group() -> None:
    cell = "n = 3 JDM\nNXP2 = 1\nTIF1-y = 2\nn = 7 JDM\nNo MSA = 1"
    assert p.parse_antibody_counts(cell) == [
        {"group": 0, "antibody": "NXP2", "n_positive": 1, "n_tested": 3},
        {"group": 0, "antibody": "TIF1-γ", "n_positive": 2, "n_tested": 3},
        {"group": 1, "antibody": "none", "n_positive": 1, "n_tested": 7},
    ]


def test_patient_antibodies() -> None:
    assert p.parse_patient_antibodies("10y/o female (ANA 1:80, anti-Mi-2, anti-Ro-52") == {
        "msa": "Mi-2",
        "other_antibodies": "Ro52",
        "ana_titre": "1:80",
    }
    assert p.parse_patient_antibodies("10y/o male (Negative)")["msa"] == "none"
    assert p.parse_patient_antibodies("12y/o male")["msa"] is None


def test_split_treatments_expands_abbreviations() -> None:
    assert p.split_treatments("methotrexate, IVIG, MMF and cyclosporine.") == [
        "methotrexate",
        "intravenous immunoglobulin",
        "mycophenolate mofetil",
        "ciclosporin",
    ]


def test_helpers_reject_a_non_text_cell() -> None:
    with pytest.raises(ValueError, match="must be the text of one table cell"):
        p.parse_group_sizes(pd.Series(["n = 3"]))  # type: ignore[arg-type]


# --- the whole table against the curated data -------------------------------------------------


def test_studies_match_the_curated_table(raw: pd.DataFrame, data: helpers.CaseData) -> None:
    parsed = p.parse_studies(raw).set_index("study_id")
    curated = data.studies.set_index("study_id")
    assert sorted(parsed.index) == sorted(curated.index)
    for column in ["first_author", "review_ref", "drugs", "n_patients", "n_female"]:
        pd.testing.assert_series_equal(
            parsed[column].astype(object),
            curated.loc[parsed.index, column].astype(object),
            check_names=False,
        )
    # Years agree except where the curated citation year is the issue's, not the print's.
    assert (parsed["year"] == curated.loc[parsed.index, "year"].astype(int)).all()


def test_followup_matches_except_the_logged_ding_correction(
    raw: pd.DataFrame, data: helpers.CaseData
) -> None:
    parsed = p.parse_studies(raw).set_index("study_id")["followup_weeks"]
    curated = data.studies.set_index("study_id")["followup_weeks"].astype(float)
    differs = sorted(parsed.index[parsed != curated.loc[parsed.index]])
    assert differs == ["ding_2021"]
    assert parsed["ding_2021"] == 34.0 and curated["ding_2021"] == 30.0


def test_groups_match_the_curated_table(raw: pd.DataFrame, data: helpers.CaseData) -> None:
    parsed = p.parse_groups(raw).set_index(["study_id", "drug"]).sort_index()
    curated = data.groups.assign(drug=data.groups["drug"].astype(str))
    curated = curated.set_index(["study_id", "drug"]).sort_index()
    assert list(parsed.index) == list(curated.index)
    for column in ["n_patients", "n_female", "percent_of_study_reported"]:
        pd.testing.assert_series_equal(
            parsed[column].astype(object), curated[column].astype(object), check_names=False
        )


def test_patients_match_the_curated_table(raw: pd.DataFrame, data: helpers.CaseData) -> None:
    parsed = p.parse_patients(raw)
    curated = data.patients
    assert list(parsed["study_id"]) == list(curated["study_id"])
    assert list(parsed["age_years"]) == list(curated["age_years"].astype(float))
    for column in ["sex", "msa", "other_antibodies", "ana_titre"]:
        got = [None if pd.isna(v) else v for v in parsed[column]]
        want = [None if pd.isna(v) else str(v) for v in curated[column]]
        assert got == want, column


def test_aggregate_antibody_counts_match(raw: pd.DataFrame, data: helpers.CaseData) -> None:
    parsed = p.parse_aggregate_antibodies(raw)
    groups = data.groups.set_index("group_id")
    curated = data.autoantibodies[data.autoantibodies["study_id"] == "le_voyer_2021"]
    curated = curated.assign(
        drug=groups.loc[curated["group_id"], "drug"].astype(str).to_numpy(),
        antibody=curated["antibody"].astype(str),
    )
    key = ["drug", "antibody", "n_positive", "n_tested"]
    want = sorted(tuple(map(str, r)) for r in curated[key].itertuples(index=False))
    got = sorted(tuple(map(str, r)) for r in parsed[key].itertuples(index=False))
    assert got == want


def test_prior_treatment_lists_match_except_steroid_dependence(
    raw: pd.DataFrame, data: helpers.CaseData
) -> None:
    curated = data.prior_treatments
    for record in raw.itertuples(index=False):
        sid = p.parse_study_label(record.study)["study_id"]
        lists = p.parse_prior_treatments(record.course)
        ids = list(dict.fromkeys(curated.loc[curated["study_id"] == sid, "patient_id"]))
        assert len(lists) == len(ids), sid
        for names, pid in zip(lists, ids, strict=True):
            rows = curated[curated["patient_id"] == pid]
            assert set(names) <= set(rows["treatment"]), pid
            missing = rows[~rows["treatment"].isin(names)]
            # What the parse leaves out is exactly the curated "... dependant" glucocorticoid.
            assert set(missing["treatment_class"].astype(str)) <= {"glucocorticoid"}, pid
            assert all("dependant" in t.lower() for t in missing["as_printed"]), pid


def test_aggregate_ages_match_the_characteristics(
    raw: pd.DataFrame, data: helpers.CaseData
) -> None:
    chars = data.characteristics
    le_voyer = raw.loc[raw["study"].str.startswith("Le Voyer"), "patient"].iloc[0]
    means = chars[(chars["study_id"] == "le_voyer_2021") & (chars["statistic"] == "mean")]
    assert p.parse_mean_ages(le_voyer) == list(means["value"].astype(float))
    kim = raw.loc[raw["study"].str.startswith("Kim"), "patient"].iloc[0]
    ages = chars[(chars["study_id"] == "kim_2021") & chars["characteristic"].str.startswith("age")]
    assert p.parse_age_range(kim) == tuple(ages["value"].astype(float))


def test_differences_lists_only_disagreements() -> None:
    parsed = pd.DataFrame({"id": ["a", "b", "c"], "n": [1, 2, None], "w": [26.0, 34.0, 24.0]})
    curated = pd.DataFrame({"id": ["a", "b", "c"], "n": [1, 2, None], "w": [26, 30, 24]})
    out = p.differences(parsed, curated, "id", ["n", "w"])
    assert out.to_dict("records") == [{"id": "b", "column": "w", "parsed": 34.0, "curated": 30}]
    with pytest.raises(ValueError, match="no column"):
        p.differences(parsed, curated, "id", ["missing"])
