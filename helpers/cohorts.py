"""Describe who was treated, at the level each study reports (notebook 03).

The seven sources report their patients in different ways: some patient by patient, some only
as group counts, means or ranges. Every summary here keeps those levels apart. A patient row
exists only where a source describes a patient; a mean stays a mean, with the number of
patients it summarises, and is never turned into invented individual values. Missing
information is reported as "not reported", so that a chart shows what we do *not* know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from helpers.data import study_labels as data_study_labels
from helpers.plotting import MAX_ROW_LABELS, label_rows
from helpers.vocabulary import DRUGS, MSAS

if TYPE_CHECKING:

    from matplotlib.axes import Axes

    from helpers.data import CaseData

#: The label used for patients whose information the source does not give.
NOT_REPORTED = "not reported"

#: Characteristics that describe age (at treatment, or at an unstated time point).
AGE_CHARACTERISTICS = ("age at JAK inhibitor start", "age (time point not stated)")


def _check(data: object) -> CaseData:
    """Fail early, with a message a learner can act on, when ``data`` is not a CaseData."""
    from helpers.data import CaseData

    if not isinstance(data, CaseData):
        raise ValueError(
            f"expected the course data from helpers.load_case_data(), got {type(data).__name__}."
        )
    return data


def study_labels(data: CaseData) -> pd.Series:
    """Readable study labels ("Le Voyer 2021") indexed by study_id, in the table's order."""
    return data_study_labels(_check(data).studies)


def reporting_levels(data: CaseData) -> pd.DataFrame:
    """One row per study: size, drugs, design and whether patients are described one by one.

    ``patient_rows`` counts the rows of ``patients.csv``; a study is ``patient-level`` only
    when every one of its patients has a row.
    """
    data = _check(data)
    rows = data.patients.groupby("study_id").size()
    out = data.studies[["study_id", "design", "n_patients", "drugs"]].copy()
    out["patient_rows"] = out["study_id"].map(rows).fillna(0).astype(int)
    out["reporting"] = (out["patient_rows"] == out["n_patients"]).map(
        {True: "patient-level", False: "aggregate"}
    )
    out.insert(0, "study", out["study_id"].map(study_labels(data)))
    return out.drop(columns="study_id").reset_index(drop=True)


def age_summary(data: CaseData) -> pd.DataFrame:
    """Ages at the level each study gives them: individual ages, or reported statistics.

    One row per study group with columns study, drug, n (patients summarised), basis
    ("individual ages", "reported mean", "reported mean ± SD", "reported range"), timepoint,
    mean, sd, min, max. Individual ages are summarised with their own mean/min/max; aggregate
    rows copy what the paper printed. Ages at onset are left out (they are not ages at
    treatment). Computed with grouped (vectorised) pandas operations, so that a table of
    hundreds of studies is summarised at once.
    """
    import numpy as np

    data = _check(data)
    drug_of = data.groups.set_index("group_id")["drug"].astype(str)
    patients = data.patients.dropna(subset=["age_years"])
    by_group = patients.groupby("group_id", sort=False)
    ages = by_group["age_years"].agg(lambda s: s.astype(float).to_numpy())
    individual = pd.DataFrame(
        {
            "study_id": by_group["study_id"].first(),
            "drug": ages.index.map(drug_of),
            "n": ages.map(len),
            "basis": "individual ages",
            "timepoint": "as reported (not stated)",
            "mean": [pd.Series(a).mean() for a in ages],
            "sd": [pd.Series(a).std() if len(a) > 1 else float("nan") for a in ages],
            "min": [a.min() for a in ages],
            "max": [a.max() for a in ages],
        }
    )
    chars = data.characteristics
    chars = chars[chars["characteristic"].isin(AGE_CHARACTERISTICS)]
    keys = pd.DataFrame(
        {
            "study_id": chars["study_id"],
            "group_id": chars["group_id"].fillna(""),
            "characteristic": chars["characteristic"],
        }
    )
    order = pd.MultiIndex.from_frame(keys.drop_duplicates())  # the groups, in the data's order
    grouped = [keys[column] for column in keys.columns]
    values = (
        chars["value"]
        .astype(float)
        .groupby([*grouped, chars["statistic"].astype(str).rename("statistic")], sort=False)
        .last()
        .unstack("statistic")
        .reindex(index=order, columns=["mean", "sd", "min", "max"])
    )
    study_drugs = (
        data.groups.assign(drug=data.groups["drug"].astype(str))
        .groupby("study_id")["drug"]
        .agg(lambda drugs: "; ".join(sorted(drugs)))
    )
    study_ids = order.get_level_values("study_id")
    group_ids = order.get_level_values("group_id")
    has_mean, has_sd = values["mean"].notna().to_numpy(), values["sd"].notna().to_numpy()
    sizes = chars["n"].groupby(grouped, sort=False).first().reindex(order).astype(int)
    reported = pd.DataFrame(
        {
            "study_id": study_ids,
            "drug": [
                drug_of[g] if g else study_drugs[s]
                for s, g in zip(study_ids, group_ids, strict=True)
            ],
            "n": sizes.to_numpy(),
            "basis": np.select(
                [has_mean & has_sd, has_mean],
                ["reported mean ± SD", "reported mean"],
                "reported range",
            ),
            "timepoint": np.where(
                order.get_level_values("characteristic") == "age at JAK inhibitor start",
                "at JAK inhibitor start",
                "as reported (not stated)",
            ),
            **{column: values[column].to_numpy() for column in values.columns},
        }
    )
    out = pd.concat([individual.reset_index(drop=True), reported], ignore_index=True)
    rank = {sid: i for i, sid in enumerate(data.studies["study_id"])}
    out = out.sort_values(
        ["study_id", "drug"], key=lambda s: s.map(rank) if s.name == "study_id" else s
    )
    out.insert(0, "study", out.pop("study_id").map(study_labels(data)))
    return out.reset_index(drop=True)


def sex_summary(data: CaseData) -> pd.DataFrame:
    """Female and male counts per study, and how many patients' sex is not reported."""
    data = _check(data)
    studies = data.studies
    female = studies["n_female"]
    out = pd.DataFrame(
        {
            "study": studies["study_id"].map(study_labels(data)).to_numpy(),
            "n_patients": studies["n_patients"].astype(int).to_numpy(),
            "female": female.to_numpy(),
        }
    )
    known = out["female"].notna()
    out["male"] = (out["n_patients"] - out["female"]).where(known).astype("Int64")
    out["female"] = out["female"].astype("Int64")
    out[NOT_REPORTED] = out["n_patients"].where(~known, 0).astype(int)
    return out


def msa_composition(data: CaseData, by: str = "study") -> pd.DataFrame:
    """Counts of patients by myositis-specific autoantibody (MSA), by study or by drug.

    Rows are studies (``by="study"``) or drugs (``by="drug"``); columns are the MSAs, "none"
    (tested, no MSA found) and "not reported" (the source gives no MSA for them). Rows add up
    to the number of patients. Counts come from ``autoantibodies.csv``; other antibodies (Ro52,
    ANA) are not MSAs and are left out.
    """
    data = _check(data)
    if by not in ("study", "drug"):
        raise ValueError(f"by must be 'study' or 'drug', not {by!r}.")
    groups = data.groups.set_index("group_id")
    ab = data.autoantibodies[data.autoantibodies["antibody"].isin(MSAS)].copy()
    ab["antibody"] = ab["antibody"].astype(str)
    key = "study_id" if by == "study" else "drug"
    ab["drug"] = groups.loc[ab["group_id"], "drug"].astype(str).to_numpy()
    counts = ab.pivot_table(
        index=key, columns="antibody", values="n_positive", aggfunc="sum", observed=True
    )
    sizes = data.groups.assign(drug=data.groups["drug"].astype(str)).groupby(key)["n_patients"]
    totals = sizes.sum().astype(int)
    counts = counts.reindex(index=totals.index, columns=list(MSAS)).fillna(0).astype(int)
    counts[NOT_REPORTED] = totals - counts.sum(axis=1)
    if by == "study":
        order = list(data.studies["study_id"])
        counts = counts.reindex(order)
        counts.index = counts.index.map(study_labels(data))
        counts.index.name = "study"
    else:
        counts = counts.reindex([d for d in DRUGS if d in counts.index])
        counts.index.name = "drug"
    counts.columns.name = "MSA"
    return counts


def prior_treatment_matrix(data: CaseData, *, all_studies: bool = True) -> pd.DataFrame:
    """Study-by-treatment matrix: how many patients of each study had each prior treatment.

    Only studies that list treatments patient by patient contribute numbers. With
    ``all_studies`` the other studies are kept as rows of missing values (``<NA>``), so that a
    heatmap shows them as "not reported" rather than as zeros. Columns are ordered by how many
    patients had the treatment, most frequent first.
    """
    data = _check(data)
    pt = data.prior_treatments
    counts = pd.crosstab(pt["study_id"], pt["treatment"])
    counts = counts[counts.sum().sort_values(ascending=False, kind="stable").index]
    order = [s for s in data.studies["study_id"] if all_studies or s in counts.index]
    counts = counts.reindex(order).astype("Int64")
    counts.index = counts.index.map(study_labels(data))
    counts.index.name = "study"
    counts.columns.name = "prior treatment"
    return counts


def prior_treatments_per_patient(data: CaseData) -> pd.DataFrame:
    """Number of prior treatments of each patient with a list, in total and by class."""
    data = _check(data)
    pt = data.prior_treatments.copy()
    pt["treatment_class"] = pt["treatment_class"].astype(str)
    by_class = pd.crosstab(pt["patient_id"], pt["treatment_class"])
    by_class.insert(0, "total", by_class.sum(axis=1))
    order = [p for p in data.patients["patient_id"] if p in by_class.index]
    by_class = by_class.reindex(order)
    by_class.columns.name = None
    return by_class


def treatment_frequency(data: CaseData) -> pd.DataFrame:
    """How often each prior treatment appears: patients and studies, among listed patients."""
    data = _check(data)
    pt = data.prior_treatments
    out = pt.groupby("treatment").agg(
        treatment_class=("treatment_class", lambda s: str(s.iloc[0])),
        patients=("patient_id", "nunique"),
        studies=("study_id", "nunique"),
    )
    out["of_listed_patients"] = pt["patient_id"].nunique()
    return out.sort_values(["patients", "treatment"], ascending=[False, True]).reset_index()


def refractoriness(data: CaseData) -> pd.DataFrame:
    """How refractory each study's patients were, from patient rows or reported counts.

    Columns: study, n_patients, refractory, new_onset, steroid_dependent (counts, ``<NA>`` when
    not reported), disease_duration (as reported, in months), prior_drugs (the range of
    prior treatments per patient, listed or reported). Patient-level flags are used when every
    patient of a study has one; otherwise the study's reported count (characteristics.csv).
    """
    data = _check(data)
    chars = data.characteristics
    per_patient = prior_treatments_per_patient(data)["total"]
    rows = []
    for study in data.studies.itertuples(index=False):
        sid, n = study.study_id, int(study.n_patients)
        members = data.patients[data.patients["study_id"] == sid]
        own = chars[chars["study_id"] == sid]

        def reported(name: str, own: pd.DataFrame = own) -> object:
            hit = own[(own["characteristic"] == name) & (own["statistic"] == "count")]
            return int(hit["value"].iloc[0]) if len(hit) else pd.NA

        def flagged(column: str, members: pd.DataFrame = members, n: int = n) -> object:
            values = members[column]
            if len(members) == n and values.notna().all():
                return int(values.astype(bool).sum())
            return pd.NA

        refractory = flagged("refractory")
        if refractory is pd.NA:
            refractory = reported("refractory disease")
        steroid = flagged("steroid_dependent")
        if steroid is pd.NA:
            steroid = reported("glucocorticoid-dependent")
        duration = own[own["characteristic"] == "disease duration before JAK inhibitor"]
        if members["disease_duration_months"].notna().any():
            months = members["disease_duration_months"].dropna().astype(float)
            duration_text = ", ".join(f"{m:.0f}" for m in months) + " (individual)"
        elif len(duration):
            stats = dict(zip(duration["statistic"].astype(str), duration["value"], strict=True))
            duration_text = (
                f"mean {stats['mean']:.1f} (range {stats['min']:.1f}-{stats['max']:.1f})"
            )
        else:
            duration_text = NOT_REPORTED
        listed = per_patient.reindex(members["patient_id"]).dropna()
        failed = own[own["characteristic"] == "prior immunomodulatory drugs failed"]
        if len(listed):
            prior = f"{int(listed.min())}-{int(listed.max())} (listed)"
            if listed.min() == listed.max():
                prior = f"{int(listed.min())} (listed)"
        elif len(failed):
            stats = dict(zip(failed["statistic"].astype(str), failed["value"], strict=True))
            prior = f"{int(stats['min'])}-{int(stats['max'])} (reported)"
        else:
            prior = NOT_REPORTED
        rows.append(
            {
                "study": f"{study.first_author} {study.year}",
                "n_patients": n,
                "refractory": refractory,
                "new_onset": reported("new-onset disease"),
                "steroid_dependent": steroid,
                "disease_duration_months": duration_text,
                "prior_treatments": prior,
            }
        )
    out = pd.DataFrame(rows)
    for column in ["refractory", "new_onset", "steroid_dependent"]:
        out[column] = out[column].astype("Int64")
    return out


def patients_by_drug(data: CaseData) -> pd.DataFrame:
    """Per drug: studies, patients, and how many are described one by one."""
    data = _check(data)
    groups = data.groups.assign(drug=data.groups["drug"].astype(str))
    out = groups.groupby("drug").agg(
        studies=("study_id", "nunique"), patients=("n_patients", "sum")
    )
    patient_level = groups[groups["reporting"] == "patient-level"].groupby("drug")["n_patients"]
    out["patient_level"] = patient_level.sum().reindex(out.index).fillna(0).astype(int)
    out["patients"] = out["patients"].astype(int)
    return out.reindex([d for d in DRUGS if d in out.index])


# --- figures -----------------------------------------------------------------------------------

#: One hatch per MSA column, so that the composition charts read without colour.
HATCHES = {
    "NXP2": "",
    "TIF1-γ": "//",
    "MDA5": "..",
    "Mi-2": "\\\\",
    "none": "--",
    NOT_REPORTED: "xx",
}
#: One marker per way an age is reported (redundant with the legend text).
AGE_MARKERS = {"individual ages": "o", "reported mean": "D", "reported mean ± SD": "s"}


def patient_ages(data: CaseData) -> pd.DataFrame:
    """The individual patients with an age: study label, drug, age in years (no aggregates)."""
    data = _check(data)
    drug_of = data.groups.set_index("group_id")["drug"].astype(str)
    rows = data.patients.dropna(subset=["age_years"])
    return pd.DataFrame(
        {
            "study": rows["study_id"].map(study_labels(data)).to_numpy(),
            "drug": rows["group_id"].map(drug_of).to_numpy(),
            "age_years": rows["age_years"].astype(float).to_numpy(),
        }
    )


def plot_ages(data: CaseData, ax: Axes) -> Axes:
    """Draw ages by study group: dots for individual patients, symbols and bars for aggregates.

    Individual ages are drawn as dots (equal ages are stacked with a small fixed vertical offset,
    not random jitter), reported means as diamonds, mean ± SD as a square with an error bar, a
    reported range as a bar with end caps. Colour shows the drug, and the row label names it
    too, so the figure reads in grey. Each kind of mark is drawn with one vectorised call, so
    hundreds of study groups draw quickly; beyond :data:`MAX_ROW_LABELS` rows only some rows are
    labelled (see :func:`label_rows`).
    """
    import numpy as np
    import seaborn as sns
    from matplotlib.lines import Line2D

    summary = age_summary(data)
    summary["row"] = summary["study"] + " · " + summary["drug"]
    rows = list(dict.fromkeys(summary["row"]))
    colours = dict(zip(DRUGS, sns.color_palette("colorblind", len(DRUGS)), strict=True))
    y_of = {row: i for i, row in enumerate(rows)}
    ind = patient_ages(data)
    if len(ind):
        row = ind["study"] + " · " + ind["drug"]
        offsets = ind.groupby([row, ind["age_years"]], sort=False).cumcount().to_numpy() * 0.15
        ax.scatter(
            ind["age_years"].to_numpy(),
            row.map(y_of).to_numpy(dtype=float) + offsets,
            marker="o",
            s=45,
            color=[colours[drug] for drug in ind["drug"]],
            edgecolor="black",
            linewidth=0.6,
            zorder=3,
        )
    summary["y"] = summary["row"].map(y_of).astype(float)
    summary["first_drug"] = summary["drug"].str.split(";").str[0].str.strip()
    summary["colour"] = [colours.get(drug, "grey") for drug in summary["first_drug"]]
    means = summary[summary["basis"] == "reported mean"]
    if len(means):
        ax.scatter(
            means["mean"].to_numpy(),
            means["y"].to_numpy(),
            marker="D",
            s=55,
            color=list(means["colour"]),
            edgecolor="black",
            zorder=3,
        )
    with_sd = summary[summary["basis"] == "reported mean ± SD"]
    if len(with_sd):
        ax.errorbar(
            with_sd["mean"].to_numpy(),
            with_sd["y"].to_numpy(),
            xerr=with_sd["sd"].to_numpy(),
            fmt="s",
            color="black",
            mfc="white",
            ms=7,
            capsize=4,
            zorder=3,
        )
    ranges = summary[summary["basis"] == "reported range"]
    for _, group in ranges.groupby("first_drug", sort=False):  # one call per colour
        ax.errorbar(
            ((group["min"] + group["max"]) / 2).to_numpy(),
            group["y"].to_numpy(),
            xerr=((group["max"] - group["min"]) / 2).to_numpy(),
            fmt="none",
            ecolor=group["colour"].iloc[0],
            elinewidth=3,
            capsize=6,
            zorder=2,
        )
    handles = [
        Line2D([], [], marker="o", ls="", color="grey", mec="black", label="individual patient"),
        Line2D([], [], marker="D", ls="", color="grey", mec="black", label="reported mean"),
        Line2D([], [], marker="s", ls="-", color="black", mfc="white", label="mean ± SD"),
        Line2D([], [], marker="|", ls="-", lw=3, color="grey", ms=10, label="reported range"),
    ]
    ax.legend(handles=handles, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize="small")
    ax.set_ylabel("")
    label_rows(ax, np.arange(len(rows)), rows, what="study groups")
    ax.invert_yaxis()
    ax.set_xlabel("age (years)")
    return ax


def plot_prior_treatments(data: CaseData, ax: Axes) -> Axes:
    """Heatmap of the share of each study's patients who had each prior treatment.

    Cells are labelled "k/n" (0/n too: listed patients without that treatment); studies that
    give no patient-level list are hatched grey and labelled "not reported" in their column
    heading, never shown as zeros.
    """
    import seaborn as sns

    counts = prior_treatment_matrix(data)
    sizes = data.studies.set_index(data.studies["study_id"].map(study_labels(data)))["n_patients"]
    share = counts.astype(float).div(sizes.loc[counts.index].astype(float), axis=0)
    labels = counts.astype(object).where(counts.isna(), "")
    for study in counts.index:
        for treatment in counts.columns:
            value = counts.loc[study, treatment]
            labels.loc[study, treatment] = "" if pd.isna(value) else f"{value}/{sizes[study]}"
    listed = counts.notna().all(axis=1)
    columns = [s if listed[s] else f"{s} ({NOT_REPORTED})" for s in counts.index]
    sns.heatmap(
        share.T.set_axis(columns, axis=1),
        annot=labels.T.to_numpy(),
        fmt="",
        cmap="cividis",
        vmin=0,
        vmax=1,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": "share of the study's patients"},
        ax=ax,
    )
    ax.patch.set_facecolor("0.9")
    ax.patch.set_hatch("//")
    ax.patch.set_edgecolor("0.6")
    ax.set_xlabel("study")
    ax.set_ylabel("prior treatment")
    ax.tick_params(axis="x", labelrotation=45, labelsize="small")
    for label in ax.get_xticklabels():  # anchor the rotated label's end under its column
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    return ax


def plot_composition(table: pd.DataFrame, ax: Axes, *, share: bool = False) -> Axes:
    """Stacked horizontal bars of an MSA composition table (:func:`msa_composition`).

    Each MSA has its own colour *and* hatch, and every segment is labelled with its count, so
    the chart reads without colour. With ``share`` the bars show proportions of each row.
    The segments of one MSA are one compound path (one draw call, not one per bar). Segment
    counts are written only while every row is labelled (at most :data:`MAX_ROW_LABELS` rows);
    beyond that, the x axis gives the counts and only some rows are labelled (see
    :func:`label_rows`), because thousands of labels neither read nor draw quickly.
    """
    import numpy as np
    import seaborn as sns
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    values = table.astype(float)
    if share:
        values = values.div(values.sum(axis=1), axis=0)
    colours = dict(
        zip(table.columns, sns.color_palette("colorblind", len(table.columns)), strict=True)
    )
    colours[NOT_REPORTED] = (0.85, 0.85, 0.85)
    ys = np.arange(len(table), dtype=float)
    write_counts = len(table) <= MAX_ROW_LABELS
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
    left = np.zeros(len(table))
    for column in table.columns:
        widths = values[column].to_numpy()
        drawn = widths > 0  # an empty segment draws nothing
        x0, x1, y = left[drawn], left[drawn] + widths[drawn], ys[drawn]
        low, high = y - 0.4, y + 0.4  # bars 0.8 high, as ax.barh draws them
        corners = np.dstack(  # (segments, 4 corners, x and y)
            [np.column_stack([x0, x0, x1, x1]), np.column_stack([low, high, high, low])]
        )
        bars = PathPatch(
            Path.make_compound_path_from_polys(corners),
            facecolor=colours[column],
            edgecolor="black",
            linewidth=0.5,
            hatch=HATCHES.get(column, "") or None,
            label=column,
        )  # one compound path per MSA: one hatch fill for all its segments, fast to draw
        bars.sticky_edges.x.append(0)  # bars start at 0, as with ax.barh
        ax.add_artist(bars)  # not add_patch, which walks the path segment by segment...
        ax.update_datalim(corners.reshape(-1, 2))  # ...to find the limits we already know
        if write_counts:
            counts = table[column].to_numpy()[drawn]
            for xc, yc, count in zip((x0 + x1) / 2, y, counts, strict=True):
                ax.text(
                    xc, yc, str(int(count)), ha="center", va="center", fontsize="small", bbox=box
                )
        left = left + widths
    ax.autoscale_view()
    label_rows(ax, ys, [str(name) for name in table.index], what=str(table.index.name or "rows"))
    ax.invert_yaxis()
    ax.set_xlabel("share of patients" if share else "patients (n)")
    ax.legend(title="MSA", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize="small")
    return ax
