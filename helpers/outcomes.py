"""What happened to the children: the outcome tables of notebooks 04 and 05.

The curated ``outcomes`` table has one row per reported result (a measure, in a study, at a
time point, with a count when the source gives one). The functions here turn it into the
views the notebooks teach with:

- :func:`evidence_map`: which measure each study reported, and when (study × measure);
- :func:`followup_table`: follow-up and assessment time points per study;
- :func:`response_table`: every count of improved patients, ready for confidence intervals;
- :func:`any_improvement_rows`: one count per study for the pooled "any reported improvement";
- :func:`biomarker_vs_clinical`: biomarker change next to clinical change, always with n;
- :func:`adverse_events`: what each study says about safety;
- :data:`MEASURES`: what each measure scores, its range and which direction is better;
- :func:`later_evidence_spec` / :func:`load_later_evidence`: the small table of later evidence.

Conventions of the data (see ``data/README.md``): ``direction = "improved"`` for a biomarker
means it moved the favourable way, i.e. it *decreased*.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from helpers import cache
from helpers.data import read_table
from helpers.data import study_labels as data_study_labels
from helpers.paths import data_dir
from helpers.plotting import MAX_ROW_LABELS, label_rows
from helpers.vocabulary import CHECK_LEVELS, ID_PATTERN

if TYPE_CHECKING:
    from helpers.schemas import TableSpec

#: Outcome domains that describe how the disease itself changed (not biomarkers or safety).
CLINICAL_DOMAINS = ("skin", "muscle", "global activity", "function")
#: Domains holding laboratory markers.
BIOMARKER_DOMAINS = ("IFN biomarker", "other biomarker")
#: Order of the domains in the evidence map (left to right).
DOMAIN_ORDER = (*CLINICAL_DOMAINS, "steroid use", *BIOMARKER_DOMAINS, "safety")

_OUTCOME_COLUMNS = (
    "study_id",
    "domain",
    "measure",
    "timepoint_weeks",
    "direction",
    "n_assessed",
    "n_improved",
    "n_events",
    "subgroup",
)
_STUDY_COLUMNS = ("study_id", "first_author", "year", "n_patients", "design", "drugs")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} lacks the column(s) {missing}; pass data.{what} from helpers.load_case_data()."
        )


def study_labels(studies: pd.DataFrame, with_n: bool = True) -> pd.Series:
    """Return a readable label per study (``"Le Voyer 2021 (n=10)"``), indexed by study_id."""
    _require(studies, _STUDY_COLUMNS, "studies")
    return data_study_labels(studies, with_n=with_n)


def _ordered_studies(studies: pd.DataFrame) -> list[str]:
    return list(studies.sort_values(["year", "first_author"])["study_id"])


# --- evidence map -------------------------------------------------------------------------


def evidence_map(
    outcomes: pd.DataFrame,
    studies: pd.DataFrame,
    exclude_domains: tuple[str, ...] = ("safety",),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Study × measure: when (in weeks) each study reported each measure.

    Returns ``(weeks, marks)``: ``weeks`` holds the assessment week (NaN where the study did not
    report the measure, 0 where it did without a time point) and ``marks`` the text to write in
    each cell (``"26"``, ``"✓"`` for "reported, time not stated", or ``""``). Rows are studies
    in publication order, columns are measures grouped by domain. Subgroup rows count once.
    """
    _require(outcomes, _OUTCOME_COLUMNS, "outcomes")
    kept = outcomes[~outcomes["domain"].astype(str).isin(exclude_domains)].copy()
    kept["domain_rank"] = kept["domain"].astype(str).map({d: i for i, d in enumerate(DOMAIN_ORDER)})
    order = (
        kept.groupby("measure", sort=False)["domain_rank"]
        .min()
        .reset_index()
        .sort_values(["domain_rank", "measure"], kind="stable")["measure"]
        .tolist()
    )
    weeks = (
        kept.assign(week=kept["timepoint_weeks"].astype(float).fillna(0.0))
        .groupby(["study_id", "measure"])["week"]
        .max()
        .unstack("measure")
        .reindex(index=_ordered_studies(studies), columns=order)
    )
    labels = study_labels(studies)
    weeks.index = [labels[s] for s in weeks.index]
    weeks.index.name, weeks.columns.name = "study", "measure"
    marks = weeks.apply(
        lambda col: col.map(lambda w: "" if pd.isna(w) else ("✓" if w == 0 else f"{w:g}"))
    )
    return weeks, marks


def draw_evidence_map(
    weeks: pd.DataFrame, marks: pd.DataFrame, ax: plt.Axes | None = None, title: str = ""
) -> plt.Axes:
    """Draw the evidence map as a heatmap: colour = week of assessment, text = the week too.

    The week is written in every reported cell, so the figure reads without colour; empty
    cells mean "not reported".
    """
    if weeks.shape != marks.shape:
        raise ValueError("weeks and marks must have the same shape (use evidence_map()).")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * weeks.shape[1] + 3.5, 0.5 * weeks.shape[0] + 2.6))
    sns.heatmap(
        weeks.astype(float),
        annot=marks.to_numpy(),
        fmt="",
        cmap="viridis",
        ax=ax,
        linewidths=0.5,
        linecolor="white",
        annot_kws={"fontsize": 8},
        cbar_kws={"label": "Assessment time point (weeks)"},
        vmin=0,
    )
    ax.set_xlabel("Outcome measure (grouped by domain)")
    ax.set_ylabel("Study (number of patients)")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=90)
    return ax


# --- follow-up ----------------------------------------------------------------------------


def followup_table(outcomes: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """One row per study: follow-up as reported and the weeks at which outcomes were assessed.

    ``followup_weeks`` and its ``followup_basis`` come from the studies table (an assessment
    time point or a median follow-up); ``followup_min_weeks``/``followup_max_weeks`` give a
    range where the source gives one (a minimum alone means "at least").
    """
    _require(outcomes, _OUTCOME_COLUMNS, "outcomes")
    _require(
        studies,
        (
            *_STUDY_COLUMNS,
            "followup_weeks",
            "followup_basis",
            "followup_min_weeks",
            "followup_max_weeks",
        ),
        "studies",
    )
    points = (
        outcomes.dropna(subset=["timepoint_weeks"])
        .groupby("study_id")["timepoint_weeks"]
        .apply(lambda s: ", ".join(f"{w:g}" for w in sorted(set(s.astype(float)))))
    )
    table = studies.set_index("study_id").loc[_ordered_studies(studies)]
    out = pd.DataFrame(
        {
            "study": study_labels(studies)[table.index].to_numpy(),
            "design": table["design"].astype(str).to_numpy(),
            "followup_weeks": table["followup_weeks"].astype(float).to_numpy(),
            "followup_basis": table["followup_basis"].astype(str).to_numpy(),
            "followup_min_weeks": table["followup_min_weeks"].astype(float).to_numpy(),
            "followup_max_weeks": table["followup_max_weeks"].astype(float).to_numpy(),
            "assessed_at_weeks": [points.get(s, "") for s in table.index],
        }
    )
    return out


def draw_followup(table: pd.DataFrame, ax: plt.Axes | None = None, title: str = "") -> plt.Axes:
    """Draw follow-up per study on one axis: a marker per study, a line for a reported range.

    The marker's *shape* says what the number is (circle: assessment time point; diamond:
    median follow-up); a solid line spans a reported range and a line ending in an arrowhead
    marks an open-ended "at least" minimum, so the figure reads without colour. ``table`` is
    :func:`followup_table`'s output. Each kind of mark is one vectorised call, so hundreds of
    studies draw quickly; beyond ``MAX_ROW_LABELS`` (60) studies only every k-th study is
    labelled and the y-axis label says so (:func:`helpers.plotting.label_rows`).
    """
    needed = (
        "study",
        "followup_weeks",
        "followup_basis",
        "followup_min_weeks",
        "followup_max_weeks",
    )
    _require(table, needed, "followup table")
    if ax is None:
        rows = min(len(table), MAX_ROW_LABELS)
        _, ax = plt.subplots(figsize=(8, 0.45 * rows + 1.8))
    colours = sns.color_palette("colorblind", 2)
    styles = {"assessment time point": ("o", colours[0]), "median follow-up": ("D", colours[1])}
    ys = np.arange(len(table))[::-1].astype(float)
    right = float(np.nanmax(table[["followup_weeks", "followup_max_weeks"]].to_numpy())) + 12
    low = table["followup_min_weeks"].to_numpy(dtype=float)
    high = table["followup_max_weeks"].to_numpy(dtype=float)
    spans = ~np.isnan(low) & ~np.isnan(high)
    ax.hlines(ys[spans], low[spans], high[spans], color="0.3", lw=2)
    open_ended = ~np.isnan(low) & np.isnan(high)
    ax.hlines(ys[open_ended], low[open_ended], right, color="0.3", lw=1.5)
    ax.plot(
        np.full(open_ended.sum(), right), ys[open_ended], ls="none", marker=">", color="0.3", ms=7
    )
    basis = table["followup_basis"].astype(str).to_numpy()
    weeks = table["followup_weeks"].to_numpy(dtype=float)
    for name in dict.fromkeys(basis):
        marker, colour = styles.get(name, ("s", "0.5"))
        mine = basis == name
        ax.plot(
            weeks[mine],
            ys[mine],
            ls="none",
            marker=marker,
            color=colour,
            ms=8,
            mec="black",
            zorder=3,
        )
    label_rows(ax, ys, list(table["study"].astype(str)), what="studies")
    ax.set_xlim(0, right + 4)
    ax.set_xlabel("Weeks after the start of the JAK inhibitor")
    for name, (marker, colour) in styles.items():
        ax.plot([], [], marker, color=colour, mec="black", label=name)
    ax.plot([], [], "-", color="0.3", label="reported range")
    ax.plot([], [], "->", color="0.3", lw=1.5, ms=7, label="at least (open-ended)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8, frameon=False)
    ax.set_title(title)
    return ax


# --- response proportions -----------------------------------------------------------------


def _label(author_year: str, measure: str, subgroup: object) -> str:
    text = f"{author_year}: {measure}"
    if isinstance(subgroup, str) and subgroup:
        text += f" [{subgroup}]"
    return text


def response_table(
    outcomes: pd.DataFrame,
    studies: pd.DataFrame,
    domains: tuple[str, ...] = (*CLINICAL_DOMAINS, "steroid use"),
    collapse: bool = True,
) -> pd.DataFrame:
    """Every result that has a count: ``n_improved`` out of ``n_assessed``, one row each.

    Only rows with direction "improved" and both counts are kept, from the given ``domains``.
    With ``collapse``, results of one study with the same subgroup and the same count (Yu's
    five scores, all 3/3) become one row listing the measures, so that a forest plot does not
    repeat one piece of information five times. Rows keep the data's order.
    """
    _require(outcomes, (*_OUTCOME_COLUMNS, "outcome_id", "source"), "outcomes")
    unknown = sorted(set(domains) - set(DOMAIN_ORDER))
    if unknown:
        raise ValueError(f"unknown domain(s) {unknown}; the domains are {list(DOMAIN_ORDER)}.")
    rows = outcomes[
        outcomes["domain"].astype(str).isin(domains)
        & (outcomes["direction"].astype(str) == "improved")
        & outcomes["n_assessed"].notna()
        & outcomes["n_improved"].notna()
    ].copy()
    rows["subgroup"] = rows["subgroup"].fillna("")
    if collapse and not rows.empty:
        keys = ["study_id", "subgroup", "n_assessed", "n_improved"]
        rows = (
            rows.assign(domain=rows["domain"].astype(str))  # once, not once per group
            .groupby(keys, sort=False, dropna=False)
            .agg(
                outcome_id=("outcome_id", "first"),
                domain=("domain", lambda s: ", ".join(dict.fromkeys(s))),
                measure=("measure", ", ".join),
                timepoint_weeks=("timepoint_weeks", "max"),
                source=("source", "first"),
            )
            .reset_index()
        )
    names = study_labels(studies, with_n=False)
    rows["study"] = rows["study_id"].map(names)
    rows["label"] = [
        _label(a, m, g)
        for a, m, g in zip(rows["study"], rows["measure"], rows["subgroup"], strict=True)
    ]
    columns = [
        "label",
        "study",
        "study_id",
        "subgroup",
        "domain",
        "measure",
        "timepoint_weeks",
        "n_improved",
        "n_assessed",
        "source",
    ]
    return rows[columns].reset_index(drop=True)


def any_improvement_rows(outcomes: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """One count per study for the pooled estimate of "any reported improvement".

    The rule, stated so it can be checked: among a study's *overall* results (no subgroup) in
    the clinical domains (skin, muscle, global activity, function) that have a count, keep the
    one with the highest proportion improved (ties: the larger denominator, then the first in
    the data). A patient improved in that measure improved in *something*, so this count is a
    lower bound on "improved in any measure" within its denominator. Studies without any count
    (the source says "improved" without a number) cannot enter.
    """
    table = response_table(outcomes, studies, domains=CLINICAL_DOMAINS, collapse=True)
    table = table[table["subgroup"] == ""].copy()
    table["proportion"] = table["n_improved"].astype(float) / table["n_assessed"].astype(float)
    table["order"] = np.arange(len(table))
    best = (
        table.sort_values(
            ["study_id", "proportion", "n_assessed", "order"], ascending=[True, False, False, True]
        )
        .groupby("study_id", sort=False)
        .head(1)
    )
    order = {s: i for i, s in enumerate(_ordered_studies(studies))}
    best = best.assign(rank=best["study_id"].map(order)).sort_values("rank")
    return best.drop(columns=["order", "rank"]).reset_index(drop=True)


# --- biomarkers next to clinical change ---------------------------------------------------


def _summarise(rows: pd.DataFrame) -> str:
    """Measures grouped by their count: ``"CMAS, MMT8: 3/3; clinical scores: no count"``."""
    if rows.empty:
        return "not reported"
    counts = [
        f"{int(k)}/{int(n)}" if pd.notna(k) and pd.notna(n) else "no count"
        for k, n in zip(rows["n_improved"], rows["n_assessed"], strict=True)
    ]
    groups: dict[str, list[str]] = {}
    for measure, count in zip(rows["measure"].astype(str), counts, strict=True):
        groups.setdefault(count, []).append(measure)
    return "; ".join(f"{', '.join(measures)}: {count}" for count, measures in groups.items())


def biomarker_vs_clinical(outcomes: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """Per study: which clinical measures improved and which biomarkers fell, each with its n.

    Only overall results (no subgroup) are used. Each cell lists measures with their count
    ("3/3") or "no count" when the source gives none; the study's ``n_patients`` sits next to
    them, so that "improved" is never read without its n.
    """
    _require(outcomes, _OUTCOME_COLUMNS, "outcomes")
    _require(studies, _STUDY_COLUMNS, "studies")
    overall = outcomes[
        outcomes["subgroup"].isna() & (outcomes["direction"].astype(str) == "improved")
    ]
    rows = []
    for study_id in _ordered_studies(studies):
        study = studies.set_index("study_id").loc[study_id]
        mine = overall[overall["study_id"] == study_id]
        clinical = mine[mine["domain"].astype(str).isin(CLINICAL_DOMAINS)]
        markers = mine[mine["domain"].astype(str).isin(BIOMARKER_DOMAINS)]
        rows.append(
            {
                "study": f"{study['first_author']} {study['year']}",
                "drugs": str(study["drugs"]).replace(";", ", "),
                "n_patients": int(study["n_patients"]),
                "clinical_improved": _summarise(clinical),
                "biomarker_decreased": _summarise(markers),
            }
        )
    return pd.DataFrame(rows)


# --- safety -------------------------------------------------------------------------------


def adverse_events(outcomes: pd.DataFrame, studies: pd.DataFrame) -> pd.DataFrame:
    """What each study reports about safety: events with their n, tolerability, or nothing.

    Every study appears, so that "no adverse event in our data" is visible as a row, not as an
    absence (a letter that does not mention safety has not shown the drug is safe).
    """
    _require(outcomes, _OUTCOME_COLUMNS, "outcomes")
    _require(studies, _STUDY_COLUMNS, "studies")
    safety = outcomes[outcomes["domain"].astype(str) == "safety"]
    names = study_labels(studies, with_n=False)
    rows = []
    for study_id in _ordered_studies(studies):
        n_study = int(studies.set_index("study_id").loc[study_id, "n_patients"])
        mine = safety[safety["study_id"] == study_id]
        if mine.empty:
            rows.append(
                {
                    "study": names[study_id],
                    "finding": "not reported in our data",
                    "kind": "none",
                    "n_with_event": pd.NA,
                    "n_assessed": n_study,
                }
            )
            continue
        for _, row in mine.iterrows():
            direction = str(row["direction"])
            k = row["n_events"] if direction == "adverse event" else pd.NA
            n = row["n_assessed"] if pd.notna(row["n_assessed"]) else n_study
            rows.append(
                {
                    "study": names[study_id],
                    "finding": str(row["measure"]),
                    "kind": direction,
                    "n_with_event": k,
                    "n_assessed": int(n),
                }
            )
    out = pd.DataFrame(rows)
    out["n_with_event"] = out["n_with_event"].astype("Int64")
    out["n_assessed"] = out["n_assessed"].astype("Int64")
    return out


# --- what the measures mean ---------------------------------------------------------------

#: What each measure scores, its range and which direction is better, from the course's
#: verified source list; "not confirmed" where our sources do not give it. ``ref`` is the
#: reference number used in notebook 04 ("—": none recorded).
MEASURES = pd.DataFrame(
    [
        (
            "CMAS",
            "Childhood Myositis Assessment Scale: muscle strength and endurance",
            "0–52",
            "higher",
            "minimal important difference 1.5–3 points",
            "2",
        ),
        ("MMT8", "Manual muscle testing of 8 muscle groups, 0–10 each", "0–80", "higher", "", "3"),
        (
            "DAS",
            "JDM Disease Activity Score: muscle (0–11) plus skin (0–9)",
            "0–20",
            "lower",
            "",
            "4",
        ),
        (
            "CHAQ",
            "Childhood Health Assessment Questionnaire: physical function",
            "0–3",
            "lower",
            "",
            "5",
        ),
        (
            "PGA",
            "Physician global assessment of disease activity",
            "10-cm scale",
            "not stated in our sources",
            "",
            "—",
        ),
        (
            "CDASI",
            "Cutaneous Dermatomyositis Disease Area and Severity Index: skin",
            "maximum not confirmed",
            "lower (an activity index)",
            "a change of 4–5 points was the minimal clinically significant response",
            "6",
        ),
        (
            "CAT-BM",
            "Cutaneous Assessment Tool, binary method: skin",
            "maximum not confirmed",
            "lower (an activity tool)",
            "",
            "7",
        ),
        (
            "IFN score",
            "Median fold change of six interferon-stimulated genes vs controls",
            "positive above 2.466",
            "lower",
            "Sabbagh 2019 used a 28-gene score",
            "8",
        ),
        (
            "pSTAT1",
            "Phosphorylated STAT1 in blood cells: JAK–STAT signalling",
            "no fixed range",
            "lower",
            "JAK inhibitors reduce IFN-induced STAT1 phosphorylation",
            "9",
        ),
        (
            "serum IFN-α",
            "Interferon-α protein in serum (SIMOA assay in Le Voyer 2021)",
            "no fixed range",
            "lower",
            "",
            "10",
        ),
        (
            "serum IP-10",
            "A serum protein reported by Kim 2021",
            "not in our sources",
            "lower",
            "our sources do not describe it further",
            "1",
        ),
        (
            "steroid dose",
            "Daily glucocorticoid dose",
            "mg/kg/day",
            "lower (steroid sparing)",
            "",
            "10",
        ),
    ],
    columns=["measure", "what_it_scores", "range", "better", "note", "ref"],
)


# --- the later-evidence table (notebook 05) -----------------------------------------------

LATER_KINDS = (
    "retrospective cohort",
    "literature review",
    "survey",
    "registered trial",
    "historical comparator",
)
LATER_UNITS = ("patients", "clinicians", "planned participants")


@functools.cache
def later_evidence_spec() -> TableSpec:
    """Schema of ``data/later_evidence.csv``: results published after the 2021 review, the
    registered trials, and the historical comparator of MYOCIT, one row per number.

    Built on the first call and kept: building it imports pandera, which a notebook that reads
    the table from the cache (:mod:`helpers.cache`) never needs.
    """
    import pandera.pandas as pa

    from helpers.schemas import TableSpec, choice

    return TableSpec(
        "later_evidence",
        pa.DataFrameSchema(
            {
                "evidence_id": pa.Column(
                    "str", pa.Check.str_matches(ID_PATTERN), unique=True
                ),
                "source_short": pa.Column("str"),
                "year": pa.Column(
                    "Int64", pa.Check.in_range(2000, 2100), nullable=True, coerce=True
                ),
                "kind": choice(LATER_KINDS),
                "population": pa.Column("str"),
                "drug": pa.Column("str"),
                "measure": pa.Column("str"),
                "unit": choice(LATER_UNITS),
                "n_total": pa.Column("Int64", pa.Check.ge(1), nullable=True, coerce=True),
                "n_with_outcome": pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True),
                "percent_reported": pa.Column(
                    "Float64", pa.Check.in_range(0, 100), nullable=True, coerce=True
                ),
                "timepoint": pa.Column("str"),
                "as_reported": pa.Column("str"),
                "source": pa.Column("str", pa.Check.str_matches(r"^(doi|pmid|pmc|url|nct):\S+$")),
                "checked": choice(CHECK_LEVELS),
            },
            name="later_evidence",
            strict=True,
            checks=pa.Check(
                lambda df: (
                    df["n_with_outcome"].isna()
                    | df["n_total"].isna()
                    | (df["n_with_outcome"] <= df["n_total"])
                ),
                error="n_with_outcome must not exceed n_total",
            ),
        ),
        id_column="evidence_id",
    )


def load_later_evidence() -> pd.DataFrame:
    """Read ``data/later_evidence.csv`` through its schema (``helpers.read_table``), cached."""
    path = data_dir() / "later_evidence.csv"
    return cache.cached("later_evidence", [path], lambda: read_table(later_evidence_spec()))
