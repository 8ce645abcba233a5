"""The interferon score (helpers.ifn_score): hand-computed example, bad input, simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.ifn_score import (
    RICE_GENES,
    RICE_THRESHOLD,
    blockade_scores,
    control_threshold,
    fold_changes,
    interferon_scores,
    plot_simulated_scores,
    simulate_cohort,
)

# Hand-computed example. Genes in RICE_GENES order: IFI27, IFI44L, IFIT1, ISG15, RSAD2, SIGLEC1.
#   control c1 log2: 0 1 2 0 0 0
#   control c2 log2: 2 1 0 0 2 0   -> control means: 1 1 1 0 1 0
#   patient p1 log2: 3 2 1 3 1 1   -> differences:   2 1 0 3 0 1
#   p1 fold changes 2**diff = 4 2 1 8 1 2; sorted 1 1 2 2 4 8 -> median (2 + 2) / 2 = 2
#   c1 fold changes = 0.5 1 2 1 0.5 1 -> median 1;  c2 = 2 1 0.5 1 2 1 -> median 1
LOG2 = pd.DataFrame(
    [[0, 1, 2, 0, 0, 0], [2, 1, 0, 0, 2, 0], [3, 2, 1, 3, 1, 1]],
    index=["c1", "c2", "p1"],
    columns=list(RICE_GENES),
    dtype=float,
)
IS_CONTROL = [True, True, False]


def test_fold_changes_match_the_hand_computed_values() -> None:
    fc = fold_changes(LOG2, IS_CONTROL)
    assert fc.loc["p1"].tolist() == [4.0, 2.0, 1.0, 8.0, 1.0, 2.0]
    assert fc.loc["c1"].tolist() == [0.5, 1.0, 2.0, 1.0, 0.5, 1.0]


def test_score_is_the_median_fold_change() -> None:
    scores = interferon_scores(LOG2, IS_CONTROL)
    assert scores.to_dict() == {"c1": 1.0, "c2": 1.0, "p1": 2.0}
    assert scores.name == "ifn_score"


def test_column_order_and_extra_columns_do_not_matter() -> None:
    shuffled = LOG2[list(reversed(RICE_GENES))].assign(group="x")
    assert interferon_scores(shuffled, IS_CONTROL).to_dict() == {"c1": 1.0, "c2": 1.0, "p1": 2.0}


def test_threshold_is_mean_plus_two_sd() -> None:
    # mean of 1, 2, 3 is 2; sample SD is 1; 2 + 2 * 1 = 4
    assert control_threshold([1.0, 2.0, 3.0]) == pytest.approx(4.0)
    assert control_threshold([1.0, 2.0, 3.0], n_sd=1) == pytest.approx(3.0)
    assert RICE_THRESHOLD == 2.466


def test_wrong_gene_list_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"missing.*IFI27"):
        interferon_scores(LOG2.drop(columns="IFI27"), IS_CONTROL)


def test_empty_control_group_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="control group is empty"):
        interferon_scores(LOG2, [False, False, False])


@pytest.mark.parametrize(
    ("table", "controls", "message"),
    [
        (LOG2, [True, False], "3 samples"),
        (LOG2.assign(IFI27=[1.0, np.nan, 2.0]), IS_CONTROL, "missing values"),
        (LOG2.assign(IFI27=["a", "b", "c"]), IS_CONTROL, "numbers"),
    ],
)
def test_other_bad_input_is_a_clear_error(
    table: pd.DataFrame, controls: list, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        interferon_scores(table, controls)


def test_threshold_needs_two_controls() -> None:
    with pytest.raises(ValueError, match="at least two"):
        control_threshold([1.0])


def test_simulation_is_reproducible_and_labelled() -> None:
    a = simulate_cohort(np.random.default_rng(1), n_controls=5, n_patients=7)
    b = simulate_cohort(np.random.default_rng(1), n_controls=5, n_patients=7)
    pd.testing.assert_frame_equal(a.expression(), b.expression())
    assert int(a.is_control.sum()) == 5 and len(a.group) == 12
    assert all("simulated" in g for g in a.group.unique())


def test_full_blockade_removes_the_interferon_driven_part_in_patients_only() -> None:
    cohort = simulate_cohort(np.random.default_rng(2), n_controls=4, n_patients=6)
    blocked = cohort.expression(1.0)
    patients = ~cohort.is_control
    pd.testing.assert_frame_equal(blocked[patients], cohort.baseline[patients])
    pd.testing.assert_frame_equal(blocked[~patients], cohort.expression(0.0)[~patients])


def test_more_blockade_never_raises_a_patient_score() -> None:
    cohort = simulate_cohort(np.random.default_rng(3), n_controls=10, n_patients=20)
    long = blockade_scores(cohort, [0.0, 0.5, 0.9])
    wide = long.pivot(index="sample", columns="blockade", values="ifn_score")
    assert (wide[0.5] <= wide[0.0] + 1e-12).all() and (wide[0.9] <= wide[0.5] + 1e-12).all()
    assert (long["positive"] == (long["ifn_score"] > RICE_THRESHOLD)).all()


def test_blockade_outside_zero_to_one_is_refused() -> None:
    cohort = simulate_cohort(np.random.default_rng(4), n_controls=3, n_patients=3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        cohort.expression(1.5)


def test_plot_is_titled_simulated() -> None:
    import matplotlib.pyplot as plt

    fig = plot_simulated_scores(simulate_cohort(np.random.default_rng(5), 6, 6))
    assert "SIMULATED" in fig.get_suptitle()
    assert len(fig.axes) == 2
    plt.close(fig)
