"""The JAK–STAT pathway schematic of notebook 01, drawn from ``data/jak_pathway.csv``.

Rather than pasting a picture, notebook 01 draws the pathway from a small table (receptors, JAKs,
STATs, complexes, DNA elements, and which drug inhibits which kinase), so that every box of the
drawing traces back to a row with its source. The drawing is not the lesson, so it lives here.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyBboxPatch, Patch, Rectangle

from helpers.vocabulary import DRUGS, JAKS, KINDS, PATHWAYS

#: One letter and one box shape per drug, so drug markers read in black and white.
DRUG_MARKS: dict[str, tuple[str, str]] = {
    "baricitinib": ("B", "square"),
    "ruxolitinib": ("R", "circle"),
    "tofacitinib": ("T", "sawtooth"),
}

# Height of each kind of element, from the cytokine outside the cell to the genes in the nucleus.
_LEVEL_Y = dict(zip(KINDS, (9.3, 7.9, 6.6, 4.8, 3.7, 2.0, 0.8), strict=True))
_MEMBRANE = (7.45, 8.35)
_NUCLEAR_ENVELOPE = 2.85
_COLUMN_WIDTH = 4.2
_SPREAD = {"transcription factor": 1.25}  # horizontal step between elements of one kind
_TITLES = {
    "type I IFN": "Type I interferon",
    "type II IFN": "Type II interferon (IFN-γ)",
    "common γ-chain": "Common γ-chain cytokines\n(contrast, not interferon)",
}
_NOTE = {"fontsize": 8, "style": "italic"}


def _split(value: object) -> list[str]:
    return value.split(";") if isinstance(value, str) else []


def _of_kind(rows: pd.DataFrame, kind: str) -> list[str]:
    return list(rows.loc[rows["kind"].astype(str) == kind, "element_id"])


def _positions(pathway: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Place every element: pathways in columns, kinds in rows, kinases under their chain."""
    where: dict[str, tuple[float, float]] = {}
    for col, name in enumerate(PATHWAYS):
        centre = _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2
        rows = pathway[pathway["pathway"].astype(str) == name]
        for kind in KINDS:
            ids = _of_kind(rows, kind)
            step = _SPREAD.get(kind, 1.5)
            for i, element in enumerate(ids):
                where[element] = (centre + (i - (len(ids) - 1) / 2) * step, _LEVEL_Y[kind])
        for _, row in rows[rows["kind"].astype(str) == "kinase"].iterrows():
            chains = _split(row["links_to"])
            if chains and chains[0] in where:
                where[row["element_id"]] = (where[chains[0]][0], _LEVEL_Y["kinase"])
    return where


def _shape(kind: str, x: float, y: float, colour: object) -> Patch:
    """The patch of one element: its shape (and hatch, line style) encodes the kind."""
    edge = {"facecolor": "white", "edgecolor": "black", "lw": 1.2}

    def rect(w: float, h: float, **style: object) -> Patch:
        return Rectangle((x - w / 2, y - h / 2), w, h, **{**edge, **style})

    def rounded(w: float, h: float, **style: object) -> Patch:
        box = {"boxstyle": "round,pad=0.05", **edge, **style}
        return FancyBboxPatch((x - w / 2, y - h / 2), w, h, **box)

    if kind == "cytokine":
        return Ellipse((x, y), 2.6, 0.7, **edge)
    if kind == "receptor chain":
        return rect(1.1, 1.1, facecolor="0.85")
    if kind == "kinase":
        return rounded(1.1, 0.6, facecolor=colour, lw=1.5, hatch="..", alpha=0.9)
    if kind == "transcription factor":
        return Ellipse((x, y), 1.15, 0.55, **edge)
    if kind == "complex":
        return rounded(1.5, 0.56, lw=2.5)
    if kind == "DNA element":
        return rect(1.6, 0.5, hatch="---")
    return rounded(1.6, 0.56, linestyle="--")  # gene programme


def _draw_element(ax: Axes, kind: str, label: str, x: float, y: float, colour: object) -> None:
    """Draw one element's shape, then its label (on a white patch where the shape is hatched)."""
    ax.add_patch(_shape(kind, x, y, colour))
    boxed = {"kinase": "round", "DNA element": "square"}
    bbox = None
    if kind in boxed:
        bbox = {"boxstyle": f"{boxed[kind]},pad=0.1", "facecolor": "white", "edgecolor": "none"}
    weight = "bold" if kind in ("kinase", "complex") else "normal"
    ax.text(x, y, label, ha="center", va="center", fontsize=9, weight=weight, bbox=bbox, zorder=5)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *, head: bool) -> None:
    props = {"arrowstyle": "-|>" if head else "-", "color": "0.25", "lw": 1.2}
    ax.annotate("", xy=end, xytext=start, arrowprops={**props, "shrinkA": 14, "shrinkB": 14})


def _draw_drugs(ax: Axes, drugs: list[str], element: str, x: float, y: float) -> None:
    """One letter in its own box shape per drug, under the kinase it inhibits."""
    palette = dict(zip(DRUGS, sns.color_palette("colorblind")[:3], strict=True))
    for i, drug in enumerate(drugs):
        letter, shape = DRUG_MARKS[drug]
        bbox = {"boxstyle": f"{shape},pad=0.25", "facecolor": palette[drug], "alpha": 0.85}
        mark = ax.text(
            x + 0.42 * (i - (len(drugs) - 1) / 2), y - 0.62, letter, ha="center", va="center",
            fontsize=8, weight="bold", zorder=6, bbox={**bbox, "edgecolor": "black"},
        )  # fmt: skip
        mark.set_gid(f"drug:{drug}:{element}")


def _draw_frame(ax: Axes, width: float) -> None:
    """The membrane, the nuclear envelope and one titled column per pathway."""
    ax.add_patch(
        Rectangle(
            (0, _MEMBRANE[0]), width, _MEMBRANE[1] - _MEMBRANE[0],
            facecolor="0.95", edgecolor="0.6", hatch="||", lw=0.5, zorder=0,
        )
    )  # fmt: skip
    ax.text(0.05, _MEMBRANE[1] + 0.1, "cell membrane", va="bottom", **_NOTE)
    ax.axhline(_NUCLEAR_ENVELOPE, color="0.3", ls=(0, (6, 4)), lw=1.2)
    envelope = "nuclear envelope (nucleus below)"
    ax.text(0.05, _NUCLEAR_ENVELOPE + 0.1, envelope, va="bottom", **_NOTE)
    for col, name in enumerate(PATHWAYS):
        centre = _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2
        ax.text(centre, 10.25, _TITLES[name], ha="center", va="center", fontsize=10, weight="bold")
        if col:
            ax.vlines(_COLUMN_WIDTH * col, 0.1, 10.7, color="0.7", lw=0.8, ls=":")  # above the key


def _draw_phosphorylation(ax: Axes, pathway: pd.DataFrame, where: dict) -> None:
    """JAKs phosphorylate the STATs: one arrow per pathway from its kinases to its STAT layer."""
    kinase_y, factor_y = _LEVEL_Y["kinase"], _LEVEL_Y["transcription factor"]
    for col, name in enumerate(PATHWAYS):
        rows = pathway[pathway["pathway"].astype(str) == name]
        factors = [where[e][0] for e in _of_kind(rows, "transcription factor")]
        if _of_kind(rows, "kinase") and factors:
            mid = sum(factors) / len(factors)
            _arrow(ax, (mid, kinase_y - 0.75), (mid, factor_y), head=True)
            ax.text(mid + 0.1, (kinase_y + factor_y) / 2 - 0.2, "phosphorylate", **_NOTE)
        elif _of_kind(rows, "kinase"):
            text = "downstream STATs and genes\nnot covered in this notebook"
            centre = _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2
            ax.text(centre, factor_y, text, ha="center", va="center", color="0.3", **_NOTE)


def draw_pathway(pathway: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Draw the pathway schematic from the table and return its figure.

    Kinds of element differ by shape (ellipse, box, hatched box...), drugs by letter and box
    shape (B square, R circle, T sawtooth) as well as by colour, so the drawing reads in black
    and white. Each drug marker carries the ``gid`` ``"drug:<drug>:<element_id>"`` (tests use
    it). Raises :class:`ValueError` if the table lacks a needed column or is empty.
    """
    needed = {"element_id", "pathway", "kind", "label", "links_to", "inhibited_by"}
    missing = sorted(needed - set(pathway.columns))
    if missing:
        raise ValueError(f"the pathway table lacks the column(s) {missing}.")
    if pathway.empty:
        raise ValueError("the pathway table is empty: there is nothing to draw.")
    own_figure = ax is None
    if ax is None:
        _, ax = plt.subplots(figsize=(8.8, 6.6))
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    jak_colour = dict(zip(JAKS, sns.color_palette("colorblind")[4:8], strict=True))
    where = _positions(pathway)
    width = _COLUMN_WIDTH * len(PATHWAYS)
    _draw_frame(ax, width)
    for _, row in pathway.iterrows():
        element, kind, label = row["element_id"], str(row["kind"]), str(row["label"])
        x, y = where[element]
        for target in _split(row["links_to"]):
            if target in where:  # a kinase sits on its chain: a plain line, no arrow head
                end = where[target]
                end = (end[0], end[1] + 0.2) if kind == "cytokine" else end
                _arrow(ax, (x, y), end, head=kind != "kinase")
        _draw_element(ax, kind, label, x, y, jak_colour.get(label, "w"))
        _draw_drugs(ax, _split(row["inhibited_by"]), element, x, y)
    _draw_phosphorylation(ax, pathway, where)
    key = "   ".join(f"{DRUG_MARKS[d][0]} = {d}" for d in DRUGS)
    key = f"Drug markers under a kinase: {key}"
    ax.text(width / 2, -0.25, key, ha="center", va="center", fontsize=9)
    ax.set(xlim=(0, width), ylim=(-0.6, 10.7))
    ax.set_axis_off()
    ax.set_title("Where JAK inhibitors act: interferon signalling from receptor to genes")
    if own_figure:  # the drawing fills its own figure; a caller's figure is the caller's to lay out
        fig.tight_layout()
    return fig
