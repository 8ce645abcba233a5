"""The JAK–STAT pathway table, the JAK-selectivity table, and the figures drawn from them.

Notebook 01 teaches where each JAK inhibitor of the case table acts. Rather than pasting a
picture, it draws the pathway from a small table (``data/jak_pathway.csv``: receptors, JAKs,
STATs, complexes, DNA elements, and which drug inhibits which kinase), so that every box of the
drawing traces back to a row with its source. The reported IC50 values
(``data/jak_ic50.csv``) are kept apart by assay kind, because a value measured on one isolated
enzyme and a value measured on a pair of JAKs are not the same quantity.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle

from helpers import cache
from helpers.data import read_table
from helpers.errors import DataError, Problem
from helpers.paths import data_dir
from helpers.plotting import log_axis
from helpers.vocabulary import DRUGS, ID_PATTERN

if TYPE_CHECKING:
    from helpers.schemas import TableSpec

#: The three pathways of the table, in the order the schematic draws them (left to right).
PATHWAYS = ("type I IFN", "type II IFN", "common γ-chain")
#: Kinds of element, from the outside of the cell to the nucleus (top to bottom in the drawing).
KINDS = (
    "cytokine",
    "receptor chain",
    "kinase",
    "transcription factor",
    "complex",
    "DNA element",
    "gene programme",
)
#: The four Janus kinases.
JAKS = ("JAK1", "JAK2", "JAK3", "TYK2")
#: How an IC50 was measured: on one isolated kinase, or on a pair of JAKs.
ASSAY_KINDS = ("single enzyme", "JAK pair")
#: How far the course got towards the value's origin.
IC50_LEVELS = ("primary abstract", "secondary page")
#: A source locator: ``doi:``, ``pmid:``, ``pmc:``, ``url:`` or ``reactome:`` then the identifier.
LOCATOR_PATTERN = r"^(doi|pmid|pmc|url|reactome):\S+$"

#: One letter and one box shape per drug, so drug markers read in black and white.
DRUG_MARKS: dict[str, tuple[str, str]] = {
    "baricitinib": ("B", "square"),
    "ruxolitinib": ("R", "circle"),
    "tofacitinib": ("T", "sawtooth"),
}
#: Matplotlib marker per drug for the selectivity plot (again: shape, not only colour).
DRUG_MARKERS = {"baricitinib": "s", "ruxolitinib": "o", "tofacitinib": "D"}

_IDS = rf"^{ID_PATTERN[1:-1]}(;{ID_PATTERN[1:-1]})*$"
_TARGET = r"^(JAK[123]|TYK2)(/(JAK[123]|TYK2))?$"
_DRUG_LIST = rf"^({'|'.join(DRUGS)})(;({'|'.join(DRUGS)}))*$"


#: The files of the two tables, in ``data/``.
PATHWAY_FILE = "jak_pathway.csv"
IC50_FILE = "jak_ic50.csv"


@functools.cache
def pathway_spec() -> TableSpec:
    """Schema of ``data/jak_pathway.csv``: one row per element of the schematic (see
    data/README.md).

    Built on the first call and kept: building it imports pandera, which a notebook that reads
    the table from the cache (:mod:`helpers.cache`) never needs.
    """
    import pandera.pandas as pa

    from helpers.schemas import TableSpec, choice

    return TableSpec(
        "jak_pathway",
        pa.DataFrameSchema(
            {
                "element_id": pa.Column("str", pa.Check.str_matches(ID_PATTERN), unique=True),
                "pathway": choice(PATHWAYS),
                "kind": choice(KINDS),
                "label": pa.Column("str"),
                "full_name": pa.Column("str"),
                "links_to": pa.Column("str", pa.Check.str_matches(_IDS), nullable=True),
                "inhibited_by": pa.Column("str", pa.Check.str_matches(_DRUG_LIST), nullable=True),
                "source": pa.Column("str", pa.Check.str_matches(LOCATOR_PATTERN)),
                "drug_source": pa.Column(
                    "str", pa.Check.str_matches(LOCATOR_PATTERN), nullable=True
                ),
            },
            name="jak_pathway",
            strict=True,
        ),
        id_column="element_id",
    )


@functools.cache
def ic50_spec() -> TableSpec:
    """Schema of ``data/jak_ic50.csv``: one row per reported IC50 value (see data/README.md).

    Built on the first call and kept, like :func:`pathway_spec`.
    """
    import pandera.pandas as pa

    from helpers.schemas import TableSpec, choice

    return TableSpec(
        "jak_ic50",
        pa.DataFrameSchema(
            {
                "drug": choice(DRUGS),
                "target": pa.Column("str", pa.Check.str_matches(_TARGET)),
                "assay_kind": choice(ASSAY_KINDS),
                "qualifier": choice(("=", ">")),
                "ic50_nM": pa.Column("Float64", pa.Check.gt(0), coerce=True),
                "reported_as": pa.Column("str"),
                "level": choice(IC50_LEVELS),
                "where_read": pa.Column("str"),
                "primary_reference": pa.Column("str", nullable=True),
            },
            name="jak_ic50",
            strict=True,
        ),
        id_column="drug",
        unique_id=False,
    )


def _split(value: object) -> list[str]:
    return value.split(";") if isinstance(value, str) else []


def load_pathway() -> pd.DataFrame:
    """Read ``data/jak_pathway.csv``, validated, and check the links between its rows.

    Besides the column checks of the schema, every id in ``links_to`` must name an element of
    the same pathway, drugs may only sit on kinases, and a row naming drugs must say where that
    claim comes from (``drug_source``). Problems raise :class:`~helpers.errors.DataError`.
    A valid table is cached (:mod:`helpers.cache`).
    """
    return cache.cached("jak_pathway", [data_dir() / PATHWAY_FILE], _read_pathway)


def _read_pathway() -> pd.DataFrame:
    table = read_table(pathway_spec())
    problems = check_pathway(table)
    if problems:
        raise DataError(problems)
    return table


def check_pathway(table: pd.DataFrame) -> list[Problem]:
    """Return the problems in the relations between rows of a pathway table (empty if none)."""
    name = f"data/{PATHWAY_FILE}"
    pathway_of = dict(zip(table["element_id"], table["pathway"].astype(str), strict=True))
    problems: list[Problem] = []
    for index, row in table.iterrows():
        line = int(str(index)) + 2
        record = f"element_id={row['element_id']!r}"
        for target in _split(row["links_to"]):
            if target not in pathway_of:
                message = f"links to {target!r}, which is not an element_id of the table."
                problems.append(Problem(name, message, line, "links_to", record))
            elif pathway_of[target] != str(row["pathway"]):
                message = f"links to {target!r}, which belongs to another pathway."
                problems.append(Problem(name, message, line, "links_to", record))
        drugs = _split(row["inhibited_by"])
        if drugs and row["kind"] != "kinase":
            message = "only kinases can be inhibited by a JAK inhibitor in this table."
            problems.append(Problem(name, message, line, "inhibited_by", record))
        if bool(drugs) != isinstance(row["drug_source"], str):
            message = "drug_source must be given exactly when inhibited_by names drugs."
            problems.append(Problem(name, message, line, "drug_source", record))
    return problems


def load_ic50() -> pd.DataFrame:
    """Read ``data/jak_ic50.csv``, validated: reported IC50 values with assay kind and level.

    A valid table is cached (:mod:`helpers.cache`).
    """
    return cache.cached("jak_ic50", [data_dir() / IC50_FILE], lambda: read_table(ic50_spec()))


def drug_targets(pathway: pd.DataFrame) -> pd.DataFrame:
    """One row per (drug, kinase) pair of the pathway table: where each drug acts.

    The table lists each kinase once per pathway it serves (JAK1 appears three times), so the
    ``pathway`` column shows how one drug reaches several pathways through one kinase.
    """
    rows = [
        {"drug": drug, "kinase": row["label"], "pathway": str(row["pathway"])}
        for _, row in pathway.iterrows()
        for drug in _split(row["inhibited_by"])
    ]
    return pd.DataFrame(rows, columns=["drug", "kinase", "pathway"])


# --- The schematic ----------------------------------------------------------------------------

_LEVEL_Y = {
    "cytokine": 9.3,
    "receptor chain": 7.9,
    "kinase": 6.6,
    "transcription factor": 4.8,
    "complex": 3.7,
    "DNA element": 2.0,
    "gene programme": 0.8,
}
_MEMBRANE = (7.45, 8.35)
_NUCLEAR_ENVELOPE = 2.85
_COLUMN_WIDTH = 4.2
_SPREAD = {"receptor chain": 1.5, "transcription factor": 1.25}
_TITLES = {
    "type I IFN": "Type I interferon",
    "type II IFN": "Type II interferon (IFN-γ)",
    "common γ-chain": "Common γ-chain cytokines\n(contrast, not interferon)",
}


def _positions(pathway: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Place every element: pathways in columns, kinds in rows, kinases under their chain."""
    where: dict[str, tuple[float, float]] = {}
    for col, name in enumerate(PATHWAYS):
        centre = _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2
        rows = pathway[pathway["pathway"].astype(str) == name]
        for kind in KINDS:
            ids = list(rows.loc[rows["kind"].astype(str) == kind, "element_id"])
            step = _SPREAD.get(kind, 1.5)
            for i, element in enumerate(ids):
                where[element] = (centre + (i - (len(ids) - 1) / 2) * step, _LEVEL_Y[kind])
        for _, row in rows[rows["kind"].astype(str) == "kinase"].iterrows():
            chains = _split(row["links_to"])
            if chains and chains[0] in where:
                where[row["element_id"]] = (where[chains[0]][0], _LEVEL_Y["kinase"])
    return where


def _draw_element(ax: Axes, kind: str, label: str, x: float, y: float, colour: object) -> None:
    """Draw one element with a shape (and hatch) that encodes its kind, then its label."""
    text_box = None
    weight = "normal"
    if kind == "cytokine":
        ax.add_patch(Ellipse((x, y), 2.6, 0.7, facecolor="white", edgecolor="black", lw=1.2))
    elif kind == "receptor chain":
        ax.add_patch(
            Rectangle((x - 0.55, y - 0.55), 1.1, 1.1, facecolor="0.85", edgecolor="black", lw=1.2)
        )
    elif kind == "kinase":
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.55, y - 0.3),
                1.1,
                0.6,
                boxstyle="round,pad=0.05",
                facecolor=colour,
                edgecolor="black",
                lw=1.5,
                hatch="..",
                alpha=0.9,
            )
        )
        text_box = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"}
        weight = "bold"
    elif kind == "transcription factor":
        ax.add_patch(Ellipse((x, y), 1.15, 0.55, facecolor="white", edgecolor="black", lw=1.2))
    elif kind == "complex":
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.75, y - 0.28),
                1.5,
                0.56,
                boxstyle="round,pad=0.05",
                facecolor="white",
                edgecolor="black",
                lw=2.5,
            )
        )
        weight = "bold"
    elif kind == "DNA element":
        ax.add_patch(
            Rectangle(
                (x - 0.8, y - 0.25),
                1.6,
                0.5,
                facecolor="white",
                edgecolor="black",
                hatch="---",
                lw=1.2,
            )
        )
        text_box = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
    else:  # gene programme
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.8, y - 0.28),
                1.6,
                0.56,
                boxstyle="round,pad=0.05",
                facecolor="white",
                edgecolor="black",
                lw=1.2,
                linestyle="--",
            )
        )
    ax.text(
        x, y, label, ha="center", va="center", fontsize=9, weight=weight, bbox=text_box, zorder=5
    )


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *, head: bool) -> None:
    style = "-|>" if head else "-"
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": style, "color": "0.25", "lw": 1.2, "shrinkA": 14, "shrinkB": 14},
    )


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
        raise ValueError(f"the pathway table lacks the column(s) {missing}; use load_pathway().")
    if pathway.empty:
        raise ValueError("the pathway table is empty: there is nothing to draw.")
    own_figure = ax is None
    if ax is None:
        _, ax = plt.subplots(figsize=(8.8, 6.6))
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    palette = sns.color_palette("colorblind")
    jak_colour = dict(zip(JAKS, palette[4:8], strict=True))
    drug_colour = dict(zip(DRUGS, palette[:3], strict=True))
    where = _positions(pathway)
    width = _COLUMN_WIDTH * len(PATHWAYS)

    ax.add_patch(
        Rectangle(
            (0, _MEMBRANE[0]),
            width,
            _MEMBRANE[1] - _MEMBRANE[0],
            facecolor="0.95",
            edgecolor="0.6",
            hatch="||",
            lw=0.5,
            zorder=0,
        )
    )
    ax.text(0.05, _MEMBRANE[1] + 0.1, "cell membrane", fontsize=8, style="italic", va="bottom")
    ax.axhline(_NUCLEAR_ENVELOPE, color="0.3", ls=(0, (6, 4)), lw=1.2)
    ax.text(
        0.05,
        _NUCLEAR_ENVELOPE + 0.1,
        "nuclear envelope (nucleus below)",
        fontsize=8,
        style="italic",
        va="bottom",
    )
    for col, name in enumerate(PATHWAYS):
        ax.text(
            _COLUMN_WIDTH * col + _COLUMN_WIDTH / 2,
            10.25,
            _TITLES[name],
            ha="center",
            va="center",
            fontsize=10,
            weight="bold",
        )
        if col:
            ax.axvline(_COLUMN_WIDTH * col, color="0.7", lw=0.8, ls=":")

    for _, row in pathway.iterrows():
        element, kind = row["element_id"], str(row["kind"])
        x, y = where[element]
        for target in _split(row["links_to"]):
            if target in where:
                head = kind != "kinase"  # a kinase sits on its chain: a plain line, no arrow
                start, end = ((x, y), where[target])
                if kind == "cytokine":
                    end = (end[0], end[1] + 0.2)
                _arrow(ax, start, end, head=head)
        _draw_element(ax, kind, str(row["label"]), x, y, jak_colour.get(str(row["label"]), "w"))
        drugs = _split(row["inhibited_by"])
        for i, drug in enumerate(drugs):
            letter, shape = DRUG_MARKS[drug]
            mark = ax.text(
                x + 0.42 * (i - (len(drugs) - 1) / 2),
                y - 0.62,
                letter,
                ha="center",
                va="center",
                fontsize=8,
                weight="bold",
                zorder=6,
                bbox={
                    "boxstyle": f"{shape},pad=0.25",
                    "facecolor": drug_colour[drug],
                    "edgecolor": "black",
                    "alpha": 0.85,
                },
            )
            mark.set_gid(f"drug:{drug}:{element}")

    # JAKs phosphorylate the STATs: one arrow per pathway from its kinases to its STAT layer.
    for name in PATHWAYS:
        rows = pathway[pathway["pathway"].astype(str) == name]
        kinases = [where[e] for e in rows.loc[rows["kind"].astype(str) == "kinase", "element_id"]]
        factors = [
            where[e]
            for e in rows.loc[rows["kind"].astype(str) == "transcription factor", "element_id"]
        ]
        if kinases and factors:
            mid = sum(p[0] for p in factors) / len(factors)
            _arrow(
                ax,
                (mid, _LEVEL_Y["kinase"] - 0.75),
                (mid, _LEVEL_Y["transcription factor"]),
                head=True,
            )
            ax.text(
                mid + 0.1,
                (_LEVEL_Y["kinase"] + _LEVEL_Y["transcription factor"]) / 2 - 0.2,
                "phosphorylate",
                fontsize=8,
                style="italic",
                ha="left",
            )
        elif kinases:
            centre = _COLUMN_WIDTH * PATHWAYS.index(name) + _COLUMN_WIDTH / 2
            ax.text(
                centre,
                _LEVEL_Y["transcription factor"],
                "downstream STATs and genes\nnot covered in this notebook",
                ha="center",
                va="center",
                fontsize=8,
                style="italic",
                color="0.3",
            )

    legend = "   ".join(f"{DRUG_MARKS[d][0]} = {d}" for d in DRUGS)
    ax.text(
        width / 2,
        -0.25,
        f"Drug markers under a kinase: {legend}",
        ha="center",
        va="center",
        fontsize=9,
    )
    ax.set_xlim(0, width)
    ax.set_ylim(-0.6, 10.7)
    ax.set_axis_off()
    ax.set_title("Where JAK inhibitors act: interferon signalling from receptor to genes")
    if own_figure:  # the drawing fills its own figure; a caller's figure is the caller's to lay out
        fig.tight_layout()
    return fig


# --- The selectivity plot ---------------------------------------------------------------------


def plot_jak_selectivity(ic50: pd.DataFrame) -> Figure:
    """Plot reported IC50 values on log axes: single enzymes left, JAK pairs right.

    The two assay kinds measure different things, so they get separate panels (never one
    axis). A value given only as a bound (``qualifier`` ">") is drawn with an arrow to the
    right; values read only on a secondary page carry a dagger (†). Lower IC50 = more potent.
    """
    needed = {"drug", "target", "assay_kind", "qualifier", "ic50_nM", "level"}
    missing = sorted(needed - set(ic50.columns))
    if missing:
        raise ValueError(f"the IC50 table lacks the column(s) {missing}; use load_ic50().")
    if ic50.empty:
        raise ValueError("the IC50 table is empty: there is nothing to plot.")
    fig, axes = plt.subplots(
        1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1.6, 1]}, sharex=True
    )
    colour = dict(zip(DRUGS, sns.color_palette("colorblind")[:3], strict=True))
    titles = {
        "single enzyme": "Single isolated enzymes",
        "JAK pair": "JAK pairs (tofacitinib only)\nnot comparable with the left panel",
    }
    xlabels = {  # the narrower right panel gets the short form, so that it fits under it
        "single enzyme": "reported IC50 (nM, log scale; lower = more potent)",
        "JAK pair": "reported IC50 (nM, log scale)",
    }
    for ax, kind in zip(axes, ASSAY_KINDS, strict=True):
        part = ic50[ic50["assay_kind"].astype(str) == kind]
        targets = sorted(part["target"].unique(), key=lambda t: (t.startswith("TYK"), t))
        drugs = [d for d in DRUGS if d in set(part["drug"].astype(str))]
        for j, drug in enumerate(drugs):
            offset = (j - (len(drugs) - 1) / 2) * 0.22
            for i, target in enumerate(targets):
                y = i + offset
                hit = part[(part["drug"].astype(str) == drug) & (part["target"] == target)]
                if hit.empty:
                    ax.text(
                        1.2,
                        y,
                        f"{drug}: no sourced value",
                        fontsize=7,
                        va="center",
                        color="0.35",
                        style="italic",
                    )
                    continue
                row = hit.iloc[0]
                value = float(row["ic50_nM"])
                bound = str(row["qualifier"]) == ">"
                ax.scatter(
                    value,
                    y,
                    marker=DRUG_MARKERS[drug],
                    s=60,
                    color=colour[drug],
                    edgecolor="black",
                    zorder=3,
                    label=drug,
                )
                if bound:
                    ax.annotate(
                        "",
                        xy=(value * 3, y),
                        xytext=(value, y),
                        arrowprops={"arrowstyle": "-|>", "color": colour[drug]},
                    )
                dagger = "†" if str(row["level"]) == "secondary page" else ""
                text = f"{'> ' if bound else ''}{value:g}{dagger}"
                ax.text(value * (3.4 if bound else 1.35), y, text, fontsize=8, va="center")
        ax.set_yticks(range(len(targets)), targets)
        ax.set_ylim(-0.6, len(targets) - 0.4)
        ax.invert_yaxis()
        log_axis(ax.xaxis)
        ax.set_xlim(1, 10_000)
        ax.set_xlabel(xlabels[kind])
        ax.set_title(titles[kind], fontsize=10)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        ax.legend(unique.values(), unique.keys(), loc="lower right", fontsize=8)
    axes[0].set_ylabel("kinase")
    axes[1].set_ylabel("JAK pair")
    fig.suptitle(
        "Reported IC50 of the three JAK inhibitors: baricitinib and ruxolitinib hit JAK1 and JAK2",
        fontsize=11,
    )
    fig.text(
        0.5,
        0.01,
        "† read on a secondary page only. IC50s depend on assay conditions (ATP level, enzyme "
        "or cell): compare values within one assay, not across panels.",
        ha="center",
        va="bottom",
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0.05, 1, 1))  # the footnote's strip stays free
    return fig


def fold_selectivity(ic50: pd.DataFrame, drug: str, weaker: str, stronger: str) -> float:
    """How many times higher the IC50 of ``weaker`` is than that of ``stronger`` for one drug.

    Both targets must be measured in the same assay kind and given as exact values, since a
    ratio across assay kinds or of a bound means nothing. Raises :class:`ValueError` otherwise.
    """
    rows = ic50[ic50["drug"].astype(str) == drug].set_index("target")
    for target in (weaker, stronger):
        if target not in rows.index:
            raise ValueError(f"no IC50 for {drug} on {target} in the table.")
        if str(rows.at[target, "qualifier"]) != "=":
            raise ValueError(f"the IC50 for {drug} on {target} is only a bound; no ratio.")
    if rows.at[weaker, "assay_kind"] != rows.at[stronger, "assay_kind"]:
        raise ValueError(f"{weaker} and {stronger} were measured in different assay kinds.")
    return float(rows.at[weaker, "ic50_nM"]) / float(rows.at[stronger, "ic50_nM"])
