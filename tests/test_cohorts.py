"""Cohort summaries (helpers.cohorts): hand-computed values, levels kept apart, no invented rows."""

from __future__ import annotations

import math
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import helpers
from helpers import cohorts, plotting


@pytest.fixture(scope="module")
def data() -> helpers.CaseData:
    return helpers.load_case_data()


def test_bad_input_gets_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r"helpers\.load_case_data\(\)"):
        cohorts.age_summary(pd.DataFrame())  # type: ignore[arg-type]


def test_reporting_levels(data: helpers.CaseData) -> None:
    levels = cohorts.reporting_levels(data).set_index("study")
    assert levels.loc["Yu 2020", "reporting"] == "patient-level"
    assert levels.loc["Ding 2021", "reporting"] == "aggregate"
    assert levels["patient_rows"].sum() == len(data.patients)


def test_age_summary_keeps_levels_apart_and_invents_no_rows(data: helpers.CaseData) -> None:
    ages = cohorts.age_summary(data)
    yu = ages[ages["study"] == "Yu 2020"].iloc[0]
    assert yu["basis"] == "individual ages"
    assert yu["n"] == 3
    assert math.isclose(yu["mean"], (11 + 10 + 10) / 3)
    assert (yu["min"], yu["max"]) == (10.0, 11.0)
    le_voyer = ages[ages["study"] == "Le Voyer 2021"].set_index("drug")
    assert le_voyer.loc["baricitinib", "mean"] == 8.7
    assert le_voyer.loc["ruxolitinib", "n"] == 7
    assert le_voyer["basis"].eq("reported mean").all()
    ding = ages[ages["study"] == "Ding 2021"].iloc[0]
    assert (ding["basis"], ding["mean"], ding["sd"]) == ("reported mean ± SD", 7.2, 4.0)
    assert ding["timepoint"] == "at JAK inhibitor start"
    kim = ages[ages["study"] == "Kim 2021"].iloc[0]
    assert (kim["basis"], kim["min"], kim["max"]) == ("reported range", 5.8, 20.7)
    # Age at onset is not an age at treatment, and every patient is counted once.
    assert ages["n"].sum() == data.studies["n_patients"].sum()
    assert len(cohorts.patient_ages(data)) == len(data.patients)


def test_sex_summary(data: helpers.CaseData) -> None:
    sex = cohorts.sex_summary(data).set_index("study")
    assert (sex.loc["Ding 2021", "female"], sex.loc["Ding 2021", "male"]) == (11, 14)
    assert pd.isna(sex.loc["Kim 2021", "female"])
    assert sex.loc["Kim 2021", cohorts.NOT_REPORTED] == 4
    assert sex[cohorts.NOT_REPORTED].sum() == 1 + 1 + 4


def test_msa_composition_rows_add_up_to_study_sizes(data: helpers.CaseData) -> None:
    msa = cohorts.msa_composition(data)
    sizes = data.studies.set_index(cohorts.study_labels(data).to_numpy())["n_patients"]
    assert (msa.sum(axis=1) == sizes.loc[msa.index].astype(int)).all()
    assert msa.loc["Le Voyer 2021", "NXP2"] == 1 + 3
    assert msa.loc["Yu 2020", "none"] == 1
    assert msa.loc["Ding 2021", cohorts.NOT_REPORTED] == 25
    assert "Ro52" not in msa.columns  # not an MSA


def test_msa_composition_by_drug(data: helpers.CaseData) -> None:
    by_drug = cohorts.msa_composition(data, by="drug")
    assert list(by_drug.index) == ["baricitinib", "ruxolitinib", "tofacitinib"]
    # tofacitinib: Sabbagh 2 MDA5, Yu MDA5 + Mi-2 + none, Ding's 7 not reported
    assert by_drug.loc["tofacitinib"].to_dict() == {
        "NXP2": 0,
        "TIF1-γ": 0,
        "MDA5": 3,
        "Mi-2": 1,
        "none": 1,
        cohorts.NOT_REPORTED: 7,
    }
    with pytest.raises(ValueError, match="by must be"):
        cohorts.msa_composition(data, by="sex")


def test_prior_treatment_matrix_keeps_unlisted_studies_missing(data: helpers.CaseData) -> None:
    matrix = cohorts.prior_treatment_matrix(data)
    assert matrix.loc["Sabbagh 2019", "rituximab"] == 2
    assert matrix.loc["Papadopoulou 2019", "methotrexate"] == 0
    assert matrix.loc["Ding 2021"].isna().all()
    assert matrix.columns[:3].tolist() == sorted(
        ["intravenous immunoglobulin", "mycophenolate mofetil", "rituximab"]
    )
    listed = cohorts.prior_treatment_matrix(data, all_studies=False)
    assert list(listed.index) == ["Aeschlimann 2018", "Papadopoulou 2019", "Sabbagh 2019"]


def test_prior_treatments_per_patient_and_frequency(data: helpers.CaseData) -> None:
    per_patient = cohorts.prior_treatments_per_patient(data)
    assert per_patient.loc["aeschlimann_2018_p1", "total"] == 6
    assert per_patient.loc["papadopoulou_2019_p1", "biologic"] == 3
    assert per_patient["total"].sum() == len(data.prior_treatments)
    frequency = cohorts.treatment_frequency(data).set_index("treatment")
    assert frequency.loc["rituximab", "patients"] == 4
    assert frequency.loc["rituximab", "studies"] == 3
    assert frequency.loc["sildenafil", "patients"] == 1


def test_refractoriness_uses_patient_flags_then_reported_counts(data: helpers.CaseData) -> None:
    table = cohorts.refractoriness(data).set_index("study")
    assert table.loc["Aeschlimann 2018", "steroid_dependent"] == 1
    assert table.loc["Le Voyer 2021", "refractory"] == 9
    assert table.loc["Le Voyer 2021", "new_onset"] == 1
    assert table.loc["Ding 2021", "steroid_dependent"] == 17
    assert pd.isna(table.loc["Sabbagh 2019", "steroid_dependent"])  # flags not all given
    assert table.loc["Ding 2021", "disease_duration_months"] == "mean 21.0 (range 14.0-36.5)"
    assert table.loc["Sabbagh 2019", "prior_treatments"] == "5-7 (listed)"
    assert table.loc["Kim 2021", "prior_treatments"] == "3-6 (reported)"


def test_patients_by_drug(data: helpers.CaseData) -> None:
    by_drug = cohorts.patients_by_drug(data)
    assert by_drug.loc["ruxolitinib", "patients"] == 1 + 7 + 18
    assert by_drug.loc["tofacitinib", "patient_level"] == 2 + 3
    assert by_drug["patients"].sum() == data.studies["n_patients"].sum()


def test_plots_draw_what_they_promise(data: helpers.CaseData) -> None:
    fig, axes = plt.subplots(1, 3)
    cohorts.plot_ages(data, axes[0])
    summary = cohorts.age_summary(data)
    rows = list(dict.fromkeys(summary["study"] + " · " + summary["drug"]))
    assert [t.get_text() for t in axes[0].get_yticklabels()] == rows  # every group labelled
    assert axes[0].get_ylabel() == ""  # no "1 in k labelled" note on the real data
    cohorts.plot_prior_treatments(data, axes[1])
    texts = {t.get_text() for t in axes[1].texts}
    assert "2/2" in texts and "0/1" in texts
    msa = cohorts.msa_composition(data)
    cohorts.plot_composition(msa, axes[2])
    assert [t.get_text() for t in axes[2].get_yticklabels()] == list(msa.index)
    hatches = {patch.get_hatch() for patch in axes[2].patches}
    assert len(hatches) >= 4  # a hatch per subgroup, not colour alone
    assert [patch.get_label() for patch in axes[2].patches] == list(msa.columns)  # one per MSA
    counts = sorted(int(t.get_text()) for t in axes[2].texts)
    assert counts == sorted(int(c) for c in msa.to_numpy().ravel() if c)  # every segment
    plt.close(fig)


def test_composition_segments_are_where_the_counts_say() -> None:
    table = pd.DataFrame({"NXP2": [2, 0], "none": [1, 3]}, index=["a", "b"])
    fig, ax = plt.subplots()
    cohorts.plot_composition(table, ax)

    def spans(patch: object) -> list[tuple[float, float, float]]:  # (left, right, row) per bar
        polygons = patch.get_path().to_polygons()  # type: ignore[attr-defined]
        return [
            (round(p[:, 0].min(), 6), round(p[:, 0].max(), 6), round(p[:, 1].mean(), 6))
            for p in (polygon[:4] for polygon in polygons)  # the 4 corners (drop the closing one)
        ]

    nxp2, none = ax.patches
    assert spans(nxp2) == [(0, 2, 0)]  # row b's 0 draws nothing
    assert spans(none) == [(2, 3, 0), (0, 3, 1)]  # stacked after NXP2
    assert ax.get_xlim()[0] == 0  # bars start at the axis, as with ax.barh
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "3"]
    plt.close(fig)


def _copies(data: helpers.CaseData, factor: int) -> helpers.CaseData:
    """``factor`` copies of every study, with new ids: a large synthetic table, in memory."""
    tables = {}
    for name, frame in data.tables().items():
        if name == "sources":
            tables[name] = frame
            continue
        big = pd.concat([frame] * factor, ignore_index=True)
        suffix = pd.Series(np.repeat(np.arange(factor), len(frame)).astype(str), dtype="str")
        for column in ("study_id", "group_id", "patient_id", "first_author"):
            if column in big.columns:
                big[column] = big[column] + " " + suffix  # missing ids stay missing
        tables[name] = big
    return helpers.CaseData(**tables)


def _seconds_to_draw(fig: plt.Figure, draw: object) -> float:
    start = time.perf_counter()
    draw()  # type: ignore[operator]
    fig.canvas.draw()
    return time.perf_counter() - start


def test_plot_ages_scales_to_thousands_of_groups(data: helpers.CaseData) -> None:
    big = _copies(data, 2000 // len(cohorts.age_summary(data)))
    fig, ax = plt.subplots(figsize=(8, 6))
    assert _seconds_to_draw(fig, lambda: cohorts.plot_ages(big, ax)) < 3
    n_rows = len(cohorts.age_summary(big))
    assert n_rows >= 2000
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert 1 < len(labels) <= plotting.MAX_ROW_LABELS
    assert f"of {n_rows} labelled" in ax.get_ylabel()
    plt.close(fig)


def test_plot_composition_scales_to_thousands_of_rows() -> None:
    rng = np.random.default_rng(1)
    columns = ["NXP2", "TIF1-γ", "MDA5", "Mi-2", "none", cohorts.NOT_REPORTED]
    table = pd.DataFrame(
        rng.integers(0, 5, size=(2000, len(columns))),
        index=pd.Index([f"study {i}" for i in range(2000)], name="study"),
        columns=columns,
    )
    fig, ax = plt.subplots(figsize=(8, 6))
    assert _seconds_to_draw(fig, lambda: cohorts.plot_composition(table, ax)) < 3
    assert not ax.texts  # no segment counts once rows are thinned
    assert "study: 1 in" in ax.get_ylabel() and "of 2000 labelled" in ax.get_ylabel()
    plt.close(fig)


def test_label_rows_rule() -> None:
    fig, ax = plt.subplots(figsize=(6, 30))  # tall enough for 60 labels
    names = [f"row {i}" for i in range(plotting.MAX_ROW_LABELS)]
    assert plotting.label_rows(ax, range(len(names)), names) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    assert ax.get_ylabel() == ""
    names = [f"row {i}" for i in range(121)]
    assert plotting.label_rows(ax, range(len(names)), names, what="studies") == 3  # ceil(121/60)
    assert [t.get_text() for t in ax.get_yticklabels()] == names[::3]
    assert ax.get_ylabel() == "studies: 1 in 3 of 121 labelled"
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3))  # a short axes: fewer labels, so they do not overlap
    step = plotting.label_rows(ax, range(121), names, always=[(-1.0, "pooled")])
    assert step > 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "pooled" and len(labels) == len(names[::step]) + 1
    with pytest.raises(ValueError, match="labels"):
        plotting.label_rows(ax, range(3), ["a"])
    plt.close(fig)
