"""The shared set-up cell of every notebook: one theme, one seed, visible versions."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

#: The one seed of the course: every random draw in a notebook comes from a generator seeded
#: with it, so that simulated data and resampling give the same numbers on every run.
SEED = 2021

#: Seaborn's colour-blind-safe qualitative palette (Okabe–Ito-like), the course default.
PALETTE = "colorblind"


def setup_notebook(*, show_versions: bool = True) -> np.random.Generator:
    """Apply the course's plotting theme and display options; return a seeded generator.

    Seaborn's ``colorblind`` palette, a fixed figure size and resolution (committed figures
    look the same on every machine), floats with two decimals and at most 20 rows (outputs
    stay readable), and a line of versions to compare outputs with the course's.
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update({"figure.figsize": (7.0, 4.0), "figure.dpi": 100, "savefig.dpi": 100})
    show_figures_uncropped()
    for option, value in {"max_rows": 20, "precision": 2, "max_colwidth": 60, "width": 120}.items():
        pd.set_option(f"display.{option}", value)
    if show_versions:
        py = ".".join(platform.python_version_tuple()[:2])
        print(f"Python {py} | pandas {pd.__version__} | numpy {np.__version__} | "
              f"matplotlib {matplotlib.__version__} | seaborn {sns.__version__}")  # fmt: skip
    return np.random.default_rng(SEED)


def show_figures_uncropped() -> bool:
    """Make Jupyter show each figure as laid out by ``tight_layout``; True if applied.

    Skipped: the inline backend's "tight" crop, which measures every label again
    (matplotlib#26150), and the extra draw that the placeholder engine left by ``tight_layout``
    asks of ``savefig``. Outside IPython nothing changes and False is returned.
    """
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:  # pragma: no cover - IPython comes with JupyterLab
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import PlaceHolderLayoutEngine
    from matplotlib_inline.config import InlineBackend

    config = InlineBackend.instance()  # also read when the inline backend is set up later
    config.print_figure_kwargs = {**config.print_figure_kwargs, "bbox_inches": None}

    def png(figure: Figure) -> str | None:
        if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
            figure.set_layout_engine(None)  # laid out already: nothing left for it to do
        # zlib level 3: files as small as Pillow's default level 6 here, in half the time
        options = {**config.print_figure_kwargs, "pil_kwargs": {"compress_level": 3}}
        return print_figure(figure, "png", base64=True, **options)

    shell.display_formatter.formatters["image/png"].for_type(Figure, png)
    return True


@contextmanager
def seeded_global_random(seed: int = SEED) -> Iterator[None]:
    """Seed NumPy's *global* random state for the ``with`` block (seaborn's ``stripplot``
    jitter draws from it), then restore it: the figure is the same on every run."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
