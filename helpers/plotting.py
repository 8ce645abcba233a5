"""Small plotting conventions shared by the course's figures.

One convention so far: a logarithmic axis labelled with plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axis import Axis, XAxis
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter


def plain_number(value: float, _position: object = None) -> str:
    """Format a tick value as a plain number: 0.5, 2, 10, 1,000 (never 10² or 1e+03)."""
    return f"{value:,g}"


def log_axis(axis: Axis, *, base: float = 10, ticks: Sequence[float] | None = None) -> None:
    """Put ``axis`` (``ax.xaxis`` or ``ax.yaxis``) on a log scale labelled with plain numbers.

    Matplotlib's default labels for a log axis are powers such as 10² (drawn with its
    TeX-like "mathtext" engine). Plain numbers (1, 10, 100, 1,000) are easier to read for
    learners who do not use scientific notation every day, and cheaper to draw. ``ticks``
    chooses the labelled values (e.g. ``[1, 2, 5, 10, 20, 50]`` for an axis that spans less
    than two powers of ten); by default each power of ``base`` is labelled. Minor ticks are
    kept as unlabelled marks.
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
