"""The JAK–STAT pathway schematic of notebook 01, drawn from ``data/jak_pathway.csv``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle

from helpers.vocabulary import DRUGS, JAKS, KINDS, PATHWAYS

#: One letter and one box shape per drug, so drug markers read in black and white.
DRUG_MARKS: dict[str, tuple[str, str]] = {
    "baricitinib": ("B", "square"),
    "ruxolitinib": ("R", "circle"),
    "tofacitinib": ("T", "sawtooth"),
}

_LEVEL_Y = dict(zip(KINDS, (9.3, 7.9, 6.6, 4.8, 3.7, 2.0, 0.8), strict=True))  # y of each kind
_MEMBRANE = (7.45, 8.35)
_ENVELOPE = 2.85  # the nuclear envelope
_COLUMN_WIDTH = 4.2
_WIDTH = _COLUMN_WIDTH * len(PATHWAYS)
_CENTRE = {name: _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2 for col, name in enumerate(PATHWAYS)}
_TITLES = {
    "type I IFN": "Type I interferon",
    "type II IFN": "Type II interferon (IFN-γ)",
    "common γ-chain": "Common γ-chain cytokines\n(contrast, not interferon)",
}
_NOTE = {"fontsize": 8, "style": "italic"}
_COLOURS = sns.color_palette("colorblind")
_JAK_COLOUR = dict(zip(JAKS, _COLOURS[4:8], strict=True))
_CENTRED = {"ha": "center", "va": "center"}
_MARK = {**_CENTRED, "fontsize": 8, "weight": "bold", "zorder": 6}  # the letter of a drug
_MARK_BOX = {"alpha": 0.85, "edgecolor": "black"}
_DRUG_BOX = {  # the box behind the letter
    drug: {"boxstyle": f"{DRUG_MARKS[drug][1]},pad=0.25", "facecolor": colour, **_MARK_BOX}
    for drug, colour in zip(DRUGS, _COLOURS[:3], strict=True)
}
_ARROW = {"arrowstyle": "-|>", "color": "0.25", "lw": 1.2, "shrinkA": 14, "shrinkB": 14}
_LINK = {"kinase": {**_ARROW, "arrowstyle": "-"}}  # a kinase sits on its chain: no arrow head
_ROUND = {"boxstyle": "round,pad=0.05"}
_SHAPES = {  # kind: patch class, width, height, style (over a white, black-edged patch)
    "cytokine": (Ellipse, 2.6, 0.7, {}),
    "receptor chain": (Rectangle, 1.1, 1.1, {"facecolor": "0.85"}),
    "kinase": (FancyBboxPatch, 1.1, 0.6, {**_ROUND, "lw": 1.5, "hatch": "..", "alpha": 0.9}),
    "transcription factor": (Ellipse, 1.15, 0.55, {}),
    "complex": (FancyBboxPatch, 1.5, 0.56, {**_ROUND, "lw": 2.5}),
    "DNA element": (Rectangle, 1.6, 0.5, {"hatch": "---"}),
    "gene programme": (FancyBboxPatch, 1.6, 0.56, {**_ROUND, "linestyle": "--"}),
}
_LABEL_BOX = {  # labels sit on white where the shape is hatched
    kind: {"boxstyle": f"{style},pad=0.1", "facecolor": "white", "edgecolor": "none"}
    for kind, style in (("kinase", "round"), ("DNA element", "square"))
}


def _split(value: object) -> list[str]:
    return value.split(";") if isinstance(value, str) else []


def _of_kind(rows: pd.DataFrame, kind: str) -> list[str]:
    return list(rows.loc[rows["kind"].astype(str) == kind, "element_id"])


def _positions(columns: list[tuple[float, pd.DataFrame]]) -> dict[str, tuple[float, float]]:
    """Place every element: pathways in columns, kinds in rows, kinases under their chain."""
    where: dict[str, tuple[float, float]] = {}
    for centre, rows in columns:
        for kind in KINDS:
            ids = _of_kind(rows, kind)
            step = 1.25 if kind == "transcription factor" else 1.5
            for i, element in enumerate(ids):
                where[element] = (centre + (i - (len(ids) - 1) / 2) * step, _LEVEL_Y[kind])
        for _, row in rows[rows["kind"].astype(str) == "kinase"].iterrows():
            chains = _split(row["links_to"])
            if chains and chains[0] in where:
                where[row["element_id"]] = (where[chains[0]][0], _LEVEL_Y["kinase"])
    return where


def _draw_element(ax: Axes, kind: str, label: str, x: float, y: float) -> None:
    """Draw one element's shape (which encodes its kind), then its label."""
    cls, w, h, style = _SHAPES[kind]
    colour = _JAK_COLOUR.get(label, "w") if kind == "kinase" else "white"
    style = {"facecolor": colour, "edgecolor": "black", "lw": 1.2, **style}
    xy = (x, y) if cls is Ellipse else (x - w / 2, y - h / 2)  # a box is placed by its corner
    ax.add_patch(cls(xy, w, h, **style))
    weight = "bold" if kind in ("kinase", "complex") else "normal"
    ax.text(x, y, label, fontsize=9, weight=weight, bbox=_LABEL_BOX.get(kind), zorder=5, **_CENTRED)


def _draw_frame(ax: Axes) -> None:
    """The membrane, the nuclear envelope, one titled column per pathway and the drug key."""
    low, high = _MEMBRANE
    style = {"facecolor": "0.95", "edgecolor": "0.6", "hatch": "||", "lw": 0.5, "zorder": 0}
    ax.add_patch(Rectangle((0, low), _WIDTH, high - low, **style))
    ax.text(0.05, high + 0.1, "cell membrane", va="bottom", **_NOTE)
    ax.axhline(_ENVELOPE, color="0.3", ls=(0, (6, 4)), lw=1.2)
    ax.text(0.05, _ENVELOPE + 0.1, "nuclear envelope (nucleus below)", va="bottom", **_NOTE)
    for col, name in enumerate(PATHWAYS):
        ax.text(_CENTRE[name], 10.25, _TITLES[name], fontsize=10, weight="bold", **_CENTRED)
        if col:
            ax.vlines(_COLUMN_WIDTH * col, 0.1, 10.7, color="0.7", lw=0.8, ls=":")  # above the key
    key = "   ".join(f"{DRUG_MARKS[d][0]} = {d}" for d in DRUGS)
    ax.text(_WIDTH / 2, -0.25, f"Drug markers under a kinase: {key}", fontsize=9, **_CENTRED)
    ax.set(xlim=(0, _WIDTH), ylim=(-0.6, 10.7))
    ax.set_axis_off()
    ax.set_title("Where JAK inhibitors act: interferon signalling from receptor to genes")


def draw_pathway(pathway: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Draw the pathway schematic from the table and return its figure.

    Kinds of element differ by shape, drugs by letter and box shape (see ``DRUG_MARKS``) as well
    as colour, so the drawing reads in black and white. Each drug marker has the ``gid``
    ``"drug:<drug>:<element_id>"``. Raises ValueError if a column is missing or the table is empty.
    """
    needed = {"element_id", "pathway", "kind", "label", "links_to", "inhibited_by"}
    if missing := sorted(needed - set(pathway.columns)):
        raise ValueError(f"the pathway table lacks the column(s) {missing}.")
    if pathway.empty:
        raise ValueError("the pathway table is empty: there is nothing to draw.")
    own_figure = ax is None
    fig, ax = plt.subplots(figsize=(8.8, 6.6)) if ax is None else (ax.get_figure(), ax)
    assert isinstance(fig, Figure)
    columns = [(_CENTRE[n], pathway[pathway["pathway"].astype(str) == n]) for n in PATHWAYS]
    where = _positions(columns)
    _draw_frame(ax)
    for _, row in pathway.iterrows():
        element, kind = row["element_id"], str(row["kind"])
        x, y = where[element]
        for target in _split(row["links_to"]):
            if target in where:
                end = where[target]
                end = (end[0], end[1] + 0.2) if kind == "cytokine" else end
                ax.annotate("", xy=end, xytext=(x, y), arrowprops=_LINK.get(kind, _ARROW))
        _draw_element(ax, kind, str(row["label"]), x, y)
        drugs = _split(row["inhibited_by"])
        for i, drug in enumerate(drugs):  # one letter in its own box shape per drug, underneath
            x_mark = x + 0.42 * (i - (len(drugs) - 1) / 2)
            mark = ax.text(x_mark, y - 0.62, DRUG_MARKS[drug][0], bbox=_DRUG_BOX[drug], **_MARK)
            mark.set_gid(f"drug:{drug}:{element}")
    kinase_y, factor_y = _LEVEL_Y["kinase"], _LEVEL_Y["transcription factor"]
    for centre, rows in columns:  # JAKs phosphorylate the STATs of their pathway
        factors = [where[e][0] for e in _of_kind(rows, "transcription factor")]
        if _of_kind(rows, "kinase") and factors:
            mid = sum(factors) / len(factors)
            ax.annotate("", xy=(mid, factor_y), xytext=(mid, kinase_y - 0.75), arrowprops=_ARROW)
            ax.text(mid + 0.1, (kinase_y + factor_y) / 2 - 0.2, "phosphorylate", **_NOTE)
        elif _of_kind(rows, "kinase"):
            text = "downstream STATs and genes\nnot covered in this notebook"
            ax.text(centre, factor_y, text, color="0.3", **_CENTRED, **_NOTE)
    if own_figure:  # the drawing fills its own figure; a caller's figure is the caller's to lay out
        fig.tight_layout()
    return fig
