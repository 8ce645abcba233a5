"""The shared plotting conventions (helpers.plotting)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from IPython.core.interactiveshell import InteractiveShell
from PIL import Image

from helpers.plotting import log_axis, plain_number


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.5, "0.5"), (1.0, "1"), (2.0, "2"), (10.0, "10"), (1000.0, "1,000"), (2.466, "2.466")],
)
def test_plain_number_never_writes_a_power(value: float, text: str) -> None:
    assert plain_number(value) == text


def _labels(axis: matplotlib.axis.Axis) -> list[str]:
    """The major tick labels shown within the axis limits."""
    axis.axes.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    shown = zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=True)
    return [label.get_text() for value, label in shown if low <= value <= high]


def test_log_x_axis_is_labelled_with_plain_powers() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 10_000], [0, 1])
    log_axis(ax.xaxis)
    ax.set_xlim(1, 10_000)
    assert ax.get_xscale() == "log"
    assert _labels(ax.xaxis) == ["1", "10", "100", "1,000", "10,000"]
    assert not [t for t in ax.xaxis.get_minorticklabels() if t.get_text()]
    plt.close(fig)


def test_log_y_axis_with_chosen_ticks_and_base() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.5, 8])
    log_axis(ax.yaxis, base=2, ticks=[0.5, 1, 2, 4, 8])
    ax.set_ylim(0.5, 8)
    assert ax.get_yscale() == "log"
    assert ax.get_xscale() == "linear"
    assert _labels(ax.yaxis) == ["0.5", "1", "2", "4", "8"]
    plt.close(fig)


@pytest.mark.parametrize(("base", "ticks"), [(1, None), (0.5, None), (10, []), (10, [0, 1])])
def test_bad_log_axis_settings_are_refused(base: float, ticks: list[float] | None) -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="log"):
        log_axis(ax.xaxis, base=base, ticks=ticks)
    plt.close(fig)


def test_invisible_minor_ticks_are_not_computed() -> None:
    """Under the course theme minor ticks draw nothing, so log_axis does not compute them."""
    import helpers

    with matplotlib.rc_context():  # the theme's rcParams are restored afterwards
        helpers.setup_notebook(show_versions=False)
        fig, ax = plt.subplots()
        ax.plot([1, 10_000], [0, 1])
        log_axis(ax.xaxis)
        fig.canvas.draw()
        assert len(ax.xaxis.get_minorticklocs()) == 0
        plt.close(fig)


def test_visible_minor_ticks_stay_as_unlabelled_marks() -> None:
    with matplotlib.rc_context({"xtick.bottom": True, "xtick.minor.bottom": True}):
        fig, ax = plt.subplots()
        ax.tick_params(axis="x", which="both", bottom=True)
        ax.plot([1, 10_000], [0, 1])
        log_axis(ax.xaxis)
        fig.canvas.draw()
        assert len(ax.xaxis.get_minorticklocs()) > 0
        assert not [t for t in ax.xaxis.get_minorticklabels() if t.get_text()]
        plt.close(fig)


@pytest.fixture
def ipython_shell() -> Iterator[InteractiveShell]:
    """An in-process IPython shell with the inline backend's PNG formatter, as in Jupyter."""
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib_inline.config import InlineBackend

    shell = InteractiveShell.instance()
    config = InlineBackend.instance()
    config.shell = shell  # what the inline backend does when a kernel starts it
    select_figure_formats(shell, config.figure_formats, **config.print_figure_kwargs)
    yield shell
    InlineBackend.clear_instance()
    InteractiveShell.clear_instance()


def _png_size(shell: InteractiveShell, fig: matplotlib.figure.Figure) -> tuple[int, int]:
    data, _ = shell.display_formatter.format(fig)
    png = data["image/png"]
    return Image.open(io.BytesIO(png if isinstance(png, bytes) else base64.b64decode(png))).size


# matplotlib-inline's own config class still uses a traitlets 4.0 observer name.
@pytest.mark.filterwarnings("ignore:InlineBackend._print_figure_kwargs_changed:DeprecationWarning")
def test_jupyter_shows_figures_at_their_drawn_size(ipython_shell: InteractiveShell) -> None:
    from helpers.notebook import show_figures_uncropped

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 1], [0, 1])
    ax.set(xlabel="x (units)", ylabel="y (units)")
    assert _png_size(ipython_shell, fig) != (400, 300), "Jupyter's default crops the figure"
    assert show_figures_uncropped()
    assert _png_size(ipython_shell, fig) == (400, 300)
    plt.close(fig)


def test_outside_ipython_figure_output_is_left_alone() -> None:
    from IPython import get_ipython

    from helpers.notebook import show_figures_uncropped

    assert get_ipython() is None
    assert not show_figures_uncropped()
    assert get_ipython() is None, "no IPython shell may be created outside Jupyter"
