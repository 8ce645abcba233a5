"""Plotting conventions shared by the course's figures: a log axis labelled with plain numbers."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axis import Axis, XAxis
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator


def plain_number(value: float, _position: object = None) -> str:
    """Format a tick value as a plain number: 0.5, 2, 10, 1,000 (never 10² or 1e+03)."""
    return f"{value:,g}"


def log_axis(axis: Axis, *, base: float = 10, ticks: Sequence[float] | None = None) -> None:
    """Put ``axis`` (``ax.xaxis`` or ``ax.yaxis``) on a log scale labelled with plain numbers.

    Plain numbers (1, 10, 1,000) read more easily than matplotlib's powers (10²) and are cheaper
    to draw. ``ticks`` chooses the labelled values (e.g. ``[1, 2, 5, 10]``); by default each
    power of ``base`` is. Minor ticks are skipped where the style would not draw them (the
    course theme): a log axis has eight per power of ten, each costing drawing time.
    """
    if base <= 1:
        raise ValueError(f"a log axis needs a base above 1, not {base!r}")
    if isinstance(axis, XAxis):
        axis.axes.set_xscale("log", base=base)
    else:
        axis.axes.set_yscale("log", base=base)
    if ticks is not None:
        if not ticks or min(ticks) <= 0:
            raise ValueError(f"log-axis ticks must be positive numbers, not {list(ticks)!r}")
        axis.set_major_locator(FixedLocator(list(ticks)))
    axis.set_major_formatter(FuncFormatter(plain_number))
    axis.set_minor_formatter(NullFormatter())
    if not _minor_ticks_visible(axis):
        axis.set_minor_locator(NullLocator())


def _minor_ticks_visible(axis: Axis) -> bool:
    """Whether the style would draw anything for the minor ticks: a mark or a grid line."""
    params = axis.get_tick_params(which="minor")
    sides = ("bottom", "top") if isinstance(axis, XAxis) else ("left", "right")
    return bool(params.get("gridOn")) or any(params.get(side) for side in sides)
