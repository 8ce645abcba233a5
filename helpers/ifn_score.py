"""The interferon score: a one-number summary of how strongly interferon-stimulated genes are on.

Rice et al. (Lancet Neurol 2013) summarised the expression of six interferon-stimulated genes
(IFI27, IFI44L, IFIT1, ISG15, RSAD2, SIGLEC1) as the median fold change against healthy controls,
and called a score positive above 2.466 (the controls' mean + 2 SD). Several JDM case reports
use such scores to follow a response to JAK inhibitors. This module computes the score from a
table of log2 expression values, and simulates expression data to teach it: the simulation is
a teaching device with made-up parameters, not a model of any real cohort or assay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.notebook import seeded_global_random
from helpers.plotting import log_axis

#: The six genes of the Rice 2013 interferon score.
RICE_GENES: tuple[str, ...] = ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1")
#: Rice 2013's positivity threshold: the mean + 2 SD of their healthy controls' scores.
RICE_THRESHOLD = 2.466

CONTROL = "healthy control (simulated)"
PATIENT = "active JDM (simulated)"


def _check_expression(
    log2_expression: pd.DataFrame, is_control: Sequence[bool] | pd.Series, genes: Sequence[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the gene columns (in ``genes`` order) and the control mask, or raise ValueError."""
    if not isinstance(log2_expression, pd.DataFrame):
        raise ValueError(
            "log2_expression must be a DataFrame: one row per sample, one column per gene."
        )
    missing = [g for g in genes if g not in log2_expression.columns]
    if missing:
        raise ValueError(
            f"gene column(s) {missing} are missing; the score needs exactly these genes: "
            f"{', '.join(genes)} (columns found: {', '.join(map(str, log2_expression.columns))})."
        )
    values = log2_expression[list(genes)]
    if not all(pd.api.types.is_numeric_dtype(values[g]) for g in genes):
        raise ValueError("every gene column must hold numbers (log2 expression values).")
    if values.isna().any().any():
        raise ValueError("the expression table has missing values; remove or impute them first.")
    mask = np.asarray(is_control, dtype=bool)
    if mask.shape != (len(values),):
        raise ValueError(
            f"is_control has {mask.size} entries but the table has {len(values)} samples."
        )
    if not mask.any():
        raise ValueError("the control group is empty: fold changes need healthy controls.")
    return values.astype(float), mask


def fold_changes(
    log2_expression: pd.DataFrame,
    is_control: Sequence[bool] | pd.Series,
    genes: Sequence[str] = RICE_GENES,
) -> pd.DataFrame:
    """Fold change of every gene in every sample against the healthy controls.

    For each gene, the reference is the mean of the controls' log2 expression (the geometric
    mean on the linear scale, as in relative-quantification PCR), so a sample's fold change is
    ``2 ** (log2 value - control mean)``. A fold change of 1 means "as in the controls".
    Raises :class:`ValueError` if a gene is missing, a value is not a number, or there is no
    control.
    """
    values, mask = _check_expression(log2_expression, is_control, genes)
    reference = values[mask].mean()
    return np.power(2.0, values - reference)


def interferon_scores(
    log2_expression: pd.DataFrame,
    is_control: Sequence[bool] | pd.Series,
    genes: Sequence[str] = RICE_GENES,
) -> pd.Series:
    """The interferon score of every sample: the median of its genes' fold changes.

    The median (not the mean) keeps one extreme gene from dominating the score.
    """
    return fold_changes(log2_expression, is_control, genes).median(axis=1).rename("ifn_score")


def control_threshold(control_scores: Sequence[float] | pd.Series, n_sd: float = 2.0) -> float:
    """A positivity threshold from healthy controls' scores: their mean + ``n_sd`` SD.

    This is how Rice et al. derived 2.466 from their own controls; a threshold belongs to the
    assay and the control group it was computed from. Uses the sample SD (ddof = 1), so it
    needs at least two controls.
    """
    scores = pd.Series(control_scores, dtype=float)
    if len(scores) < 2:
        raise ValueError("a mean + SD threshold needs the scores of at least two controls.")
    if scores.isna().any():
        raise ValueError("the control scores contain missing values.")
    return float(scores.mean() + n_sd * scores.std(ddof=1))


@dataclass(frozen=True)
class SimulatedCohort:
    """SIMULATED expression of the six score genes in healthy controls and active JDM.

    Each sample's log2 expression is ``baseline + activity x sensitivity``: ``baseline`` holds
    gene levels plus measurement noise, ``activity`` is the sample's (made-up) interferon
    drive in log2 units, and ``sensitivity`` says how strongly each gene follows it.
    """

    group: pd.Series
    activity: pd.Series
    sensitivity: pd.Series
    baseline: pd.DataFrame

    @property
    def is_control(self) -> pd.Series:
        """True for the simulated healthy controls."""
        return (self.group == CONTROL).rename("is_control")

    def expression(self, blockade: float = 0.0) -> pd.DataFrame:
        """Log2 expression, with an ASSUMED partial blockade of interferon signalling.

        ``blockade`` is the fraction (0 to 1) of the interferon-driven increase removed in the
        patients (controls are untreated). Assumption for teaching only: each gene's
        interferon-driven log2 increase shrinks in proportion to the blocked fraction. Real
        dose-response is neither this simple nor the same for every gene.
        """
        if not 0.0 <= blockade <= 1.0:
            raise ValueError(f"blockade must be a fraction between 0 and 1, not {blockade}.")
        scale = np.where(self.is_control, 1.0, 1.0 - blockade)
        driven = np.outer(self.activity * scale, self.sensitivity)
        return self.baseline + pd.DataFrame(driven, index=self.baseline.index, columns=RICE_GENES)


def simulate_cohort(
    rng: np.random.Generator, n_controls: int = 30, n_patients: int = 40
) -> SimulatedCohort:
    """Simulate (made-up numbers, for teaching only) the six genes in controls and patients.

    Assumed, not estimated from any study: controls have an interferon drive near 0 (SD 0.5
    log2 units), patients a drive of about 2.5 log2 units (a 5.7-fold increase; SD 1.3, never
    below 0); genes differ in sensitivity (0.8 to 1.3) and carry noise (SD 0.6 log2 units).
    """
    if n_controls < 2:
        raise ValueError("simulate at least two controls (the threshold needs an SD).")
    if n_patients < 1:
        raise ValueError("simulate at least one patient.")
    n = n_controls + n_patients
    index = pd.RangeIndex(n, name="sample")
    group = pd.Series([CONTROL] * n_controls + [PATIENT] * n_patients, index=index, name="group")
    activity = np.concatenate(
        [rng.normal(0.0, 0.5, n_controls), np.clip(rng.normal(2.5, 1.3, n_patients), 0, None)]
    )
    sensitivity = pd.Series([1.3, 1.1, 1.0, 0.8, 1.2, 0.9], index=list(RICE_GENES))
    levels = np.array([9.0, 7.0, 8.0, 10.0, 6.0, 5.0])  # arbitrary gene levels (log2 units)
    noise = rng.normal(0.0, 0.6, (n, len(RICE_GENES)))
    baseline = pd.DataFrame(levels + noise, index=index, columns=list(RICE_GENES))
    return SimulatedCohort(
        group=group,
        activity=pd.Series(activity, index=index, name="activity"),
        sensitivity=sensitivity.rename("sensitivity"),
        baseline=baseline,
    )


def blockade_scores(cohort: SimulatedCohort, blockades: Sequence[float]) -> pd.DataFrame:
    """Scores of the simulated patients under each assumed blockade fraction (long format).

    The healthy controls stay the reference for every fraction. Columns: ``blockade``,
    ``sample``, ``ifn_score``, ``positive`` (score above Rice's 2.466).
    """
    frames = []
    for fraction in blockades:
        scores = interferon_scores(cohort.expression(fraction), cohort.is_control)
        patients = scores[~cohort.is_control]
        frames.append(
            pd.DataFrame(
                {
                    "blockade": fraction,
                    "sample": patients.index,
                    "ifn_score": patients.to_numpy(),
                    "positive": patients.to_numpy() > RICE_THRESHOLD,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _boxes(ax: Axes, groups: Sequence[pd.Series]) -> None:
    """Plain grey box plots (median and quartiles) behind the points, at x = 0, 1, ..."""
    ax.boxplot(
        [g.to_numpy() for g in groups],
        positions=range(len(groups)),
        widths=0.5,
        showfliers=False,
        medianprops={"color": "black"},
        boxprops={"color": "0.5"},
        whiskerprops={"color": "0.5"},
        capprops={"color": "0.5"},
    )


def plot_simulated_scores(
    cohort: SimulatedCohort, blockades: Sequence[float] = (0.0, 0.5, 0.9)
) -> Figure:
    """Two panels of SIMULATED scores: controls vs patients with both thresholds (left), and
    the patients under each assumed blockade fraction, with the share still positive (right).

    Groups differ by marker (circles for controls, triangles for patients) as well as colour;
    the thresholds differ by line style and carry text labels.
    """
    scores = interferon_scores(cohort.expression(), cohort.is_control)
    own = control_threshold(scores[cohort.is_control])
    frame = pd.DataFrame({"group": cohort.group, "ifn_score": scores})
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    with seeded_global_random():  # seaborn's jitter uses NumPy's global random state
        _draw_simulated_panels(cohort, blockades, frame, own, left, right)
    fig.suptitle("SIMULATED data: the interferon score and its 2.466 threshold", fontsize=11)
    fig.tight_layout()
    return fig


def _draw_simulated_panels(
    cohort: SimulatedCohort,
    blockades: Sequence[float],
    frame: pd.DataFrame,
    own: float,
    left: Axes,
    right: Axes,
) -> None:
    colours = sns.color_palette("colorblind")
    order = [CONTROL, PATIENT]
    _boxes(left, [frame.loc[frame["group"] == g, "ifn_score"] for g in order])
    for group, marker, colour in ((CONTROL, "o", colours[0]), (PATIENT, "^", colours[1])):
        sns.stripplot(
            frame[frame["group"] == group],
            x="group",
            y="ifn_score",
            order=order,
            ax=left,
            color=colour,
            marker=marker,
            size=4,
            jitter=0.2,
        )
    for ax in (left, right):
        log_axis(ax.yaxis, base=2)
        ax.axhline(RICE_THRESHOLD, color="black", ls="--", lw=1.2)
    left.axhline(own, color="0.4", ls=":", lw=1.5)
    label = {"ha": "center", "fontsize": 8, "bbox": {"facecolor": "white", "edgecolor": "none"}}
    left.text(0.5, RICE_THRESHOLD * 1.12, "- - Rice 2013: 2.466", va="bottom", **label)
    left.text(0.5, own / 1.12, f"··· these simulated controls: {own:.2f}", va="top", **label)
    left.set_xticks(range(len(order)), order)
    left.set_xlabel("")
    left.set_ylabel("interferon score\n(median fold change, log2 axis)")
    left.set_title("Simulated scores: controls vs active disease", fontsize=10)

    long = blockade_scores(cohort, blockades)
    shares = long.groupby("blockade")["positive"].mean()
    long["assumed blockade"] = [
        f"{b:.0%} blocked\n({shares[b]:.0%} still > 2.466)" for b in long["blockade"]
    ]
    labels = list(dict.fromkeys(long["assumed blockade"]))
    _boxes(right, [long.loc[long["assumed blockade"] == b, "ifn_score"] for b in labels])
    sns.stripplot(
        long,
        x="assumed blockade",
        y="ifn_score",
        order=labels,
        ax=right,
        color=colours[1],
        marker="^",
        size=4,
        jitter=0.2,
    )
    right.set_xticks(range(len(labels)), labels)
    right.set_xlabel("assumed fraction of interferon signalling\nblocked (patients only)")
    right.set_title("Simulated patients under an assumed partial JAK blockade", fontsize=10)
