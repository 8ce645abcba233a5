"""Tests of helpers.stats: intervals, pooling, heterogeneity and power against known values."""

from __future__ import annotations

import math
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import (
    proportion_confint,
    samplesize_proportions_2indep_onetail,
)

from helpers import stats

# --- confidence intervals -----------------------------------------------------------------


@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (0, 3), (3, 3), (5, 10), (7, 25), (24, 24)])
def test_intervals_match_statsmodels(k: int, n: int) -> None:
    assert stats.proportion_ci(k, n, "wilson") == pytest.approx(
        proportion_confint(k, n, method="wilson")
    )
    assert stats.proportion_ci(k, n, "clopper-pearson") == pytest.approx(
        proportion_confint(k, n, method="beta")
    )


def test_wilson_by_hand_for_5_of_10() -> None:
    # Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z, p, n = sps.norm.ppf(0.975), 0.5, 10
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert stats.proportion_ci(5, 10) == pytest.approx((centre - half, centre + half))
    assert stats.proportion_ci(5, 10)[0] == pytest.approx(0.2366, abs=1e-4)


def test_exact_interval_by_hand_at_the_edges() -> None:
    # 0/n: upper = 1 - (alpha/2)^(1/n); n/n: lower = (alpha/2)^(1/n)
    assert stats.proportion_ci(0, 3, "exact") == pytest.approx((0.0, 1 - 0.025 ** (1 / 3)))
    assert stats.proportion_ci(3, 3, "clopper-pearson") == pytest.approx((0.025 ** (1 / 3), 1.0))
    assert stats.proportion_ci(1, 1, "clopper-pearson") == pytest.approx((0.025, 1.0))


def test_wilson_is_narrower_than_exact_for_tiny_n() -> None:
    for n in range(1, 5):
        for k in range(n + 1):
            w_low, w_high = stats.proportion_ci(k, n, "wilson")
            e_low, e_high = stats.proportion_ci(k, n, "clopper-pearson")
            assert w_high - w_low < e_high - e_low
            assert 0.0 <= w_low <= k / n <= w_high <= 1.0


@pytest.mark.parametrize(
    "k, n, message",
    [
        (4, 3, "between 0 and n"),
        (-1, 3, "between 0 and n"),
        (1, 0, "at least 1"),
        (1.5, 3, "whole number"),
        (None, 3, "whole number"),
        (float("nan"), 3, "missing"),
        (True, 3, "whole number"),
        ("3", 3, "whole number"),
    ],
)
def test_bad_counts_raise_a_clear_value_error(k: object, n: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        stats.proportion_ci(k, n)


def test_bad_method_and_alpha() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        stats.proportion_ci(1, 2, "agresti")
    with pytest.raises(ValueError, match="alpha"):
        stats.proportion_ci(1, 2, alpha=5)


def test_counts_from_pandas_nullable_integers() -> None:
    series = pd.Series([5, 10], dtype="Int64")
    assert stats.proportion_ci(series[0], series[1]) == pytest.approx(
        proportion_confint(5, 10, method="wilson")
    )


def test_add_proportion_cis_adds_both_intervals() -> None:
    table = pd.DataFrame(
        {
            "n_improved": pd.array([0, 5], dtype="Int64"),
            "n_assessed": pd.array([3, 10], dtype="Int64"),
        }
    )
    out = stats.add_proportion_cis(table)
    assert list(out["proportion"]) == [0.0, 0.5]
    assert out.loc[0, "cp_high"] == pytest.approx(1 - 0.025 ** (1 / 3))
    assert out.loc[1, "wilson_low"] == pytest.approx(proportion_confint(5, 10, method="wilson")[0])
    assert "proportion" not in table.columns  # the input is not changed
    again = stats.add_proportion_cis(out)  # no duplicated columns on a second call
    assert list(again.columns) == list(out.columns)


def test_add_proportion_cis_names_the_bad_row() -> None:
    table = pd.DataFrame(
        {
            "n_improved": pd.array([1, None], dtype="Int64"),
            "n_assessed": pd.array([2, 3], dtype="Int64"),
        }
    )
    with pytest.raises(ValueError, match="row 1"):
        stats.add_proportion_cis(table)
    with pytest.raises(ValueError, match="column 'k' not found"):
        stats.add_proportion_cis(table, count="k")


# --- pooling ------------------------------------------------------------------------------


def test_logit_with_and_without_correction() -> None:
    effect, variance = stats.logit_proportion(5, 10)
    assert (effect, variance) == pytest.approx((0.0, 0.4))
    effect, variance = stats.logit_proportion(3, 3)  # 3.5 / 0.5
    assert effect == pytest.approx(math.log(7))
    assert variance == pytest.approx(1 / 3.5 + 1 / 0.5)
    effect, _ = stats.logit_proportion(0, 4)
    assert effect == pytest.approx(math.log(0.5 / 4.5))
    with pytest.raises(ValueError, match="continuity correction"):
        stats.logit_proportion(0, 4, correction=0)


def test_pooled_value_matches_statsmodels_called_directly() -> None:
    counts, totals = [1, 3, 5, 24], [1, 3, 10, 24]
    pooled = stats.pool_proportions(counts, totals, method="iterated")
    effects = [stats.logit_proportion(k, n) for k, n in zip(counts, totals, strict=True)]
    eff = np.array([e for e, _ in effects])
    var = np.array([v for _, v in effects])
    direct = combine_effects(eff, var, method_re="iterated")
    z = sps.norm.ppf(0.975)
    expit = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    assert pooled.proportion == pytest.approx(expit(direct.mean_effect_re))
    assert pooled.ci_low == pytest.approx(expit(direct.mean_effect_re - z * direct.sd_eff_w_re))
    assert pooled.tau2 == pytest.approx(direct.tau2)
    assert pooled.q == pytest.approx(direct.q)
    assert pooled.studies["weight"].sum() == pytest.approx(1.0)


def test_fixed_effect_and_q_by_hand() -> None:
    # Two studies, 5/10 and 8/10: logits 0 and log 4, variances 0.4 and 1/8 + 1/2.
    pooled = stats.pool_proportions([5, 8], [10, 10], method="dl")
    e = np.array([0.0, math.log(4)])
    v = np.array([0.4, 1 / 8 + 1 / 2])
    w = 1 / v
    mean_fe = (w * e).sum() / w.sum()
    q = (w * (e - mean_fe) ** 2).sum()
    assert pooled.q == pytest.approx(q)
    assert pooled.df == 1
    assert pooled.p_heterogeneity == pytest.approx(sps.chi2.sf(q, 1))
    # DerSimonian-Laird tau² by hand: (Q - df) / (sum w - sum w² / sum w), floored at 0
    c = w.sum() - (w**2).sum() / w.sum()
    assert pooled.tau2 == pytest.approx(max(0.0, (q - 1) / c))


def test_negative_i2_is_clipped_to_zero() -> None:
    # Near-identical studies: Q is far below its degrees of freedom.
    pooled = stats.pool_proportions([5, 5, 5], [10, 10, 10], method="iterated")
    assert pooled.q == pytest.approx(0.0)
    assert pooled.i2 == 0.0
    pooled = stats.pool_proportions([1, 1, 3, 24], [1, 1, 3, 24])
    assert pooled.i2_raw < 0
    assert pooled.i2_raw == pytest.approx((pooled.q - 3) / pooled.q)
    assert pooled.i2 == 0.0


def test_dl_with_negative_tau2_falls_back_to_fixed_effect() -> None:
    counts, totals = [1, 1, 3, 24], [1, 1, 3, 24]
    pooled = stats.pool_proportions(counts, totals, method="dl")
    effects = [stats.logit_proportion(k, n) for k, n in zip(counts, totals, strict=True)]
    direct = combine_effects(
        np.array([e for e, _ in effects]), np.array([v for _, v in effects]), method_re="dl"
    )
    assert direct.tau2 < 0  # statsmodels does not truncate the DL estimate...
    assert pooled.tau2 == 0.0  # ... so the helper does
    assert pooled.proportion == pytest.approx(1 / (1 + math.exp(-direct.mean_effect_fe)))


def test_i_squared_by_hand() -> None:
    assert stats.i_squared(10.0, 4) == pytest.approx((0.6, 0.6))
    raw, clipped = stats.i_squared(2.0, 4)
    assert raw == pytest.approx(-1.0)
    assert clipped == 0.0
    with pytest.raises(ValueError, match="two studies"):
        stats.i_squared(1.0, 0)


def test_pooling_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least two"):
        stats.pool_proportions([1], [2])
    with pytest.raises(ValueError, match="same length"):
        stats.pool_proportions([1, 2], [2])
    with pytest.raises(ValueError, match="unknown method"):
        stats.pool_proportions([1, 2], [2, 3], method="reml")
    with pytest.raises(ValueError, match="study B: the count"):
        stats.pool_proportions([1, 5], [2, 3], labels=["study A", "study B"])


# --- power and sample size ----------------------------------------------------------------


def test_single_arm_sample_size_by_hand() -> None:
    # n = ((z_{1-alpha/2} + z_{power}) / h)², h = 2 asin sqrt(p1) - 2 asin sqrt(p0)
    h = 2 * math.asin(math.sqrt(0.10)) - 2 * math.asin(math.sqrt(0.28))
    z = sps.norm.ppf(0.975) + sps.norm.ppf(0.8)
    assert stats.single_arm_sample_size(0.28, 0.10) == math.ceil((z / h) ** 2)
    z1 = sps.norm.ppf(0.95) + sps.norm.ppf(0.8)
    assert stats.single_arm_sample_size(0.28, 0.10, alternative="one-sided") == math.ceil(
        (z1 / h) ** 2
    )


def test_two_arm_sample_size_close_to_the_other_statsmodels_tool() -> None:
    n = stats.two_arm_sample_size(0.3, 0.6)
    h = 2 * math.asin(math.sqrt(0.6)) - 2 * math.asin(math.sqrt(0.3))
    z = sps.norm.ppf(0.975) + sps.norm.ppf(0.8)
    assert n == math.ceil(2 * (z / h) ** 2)
    other = samplesize_proportions_2indep_onetail(0.3, 0.3, 0.8)
    assert abs(n - other) <= 3  # arcsine vs Wald variance: close, not identical
    assert stats.two_arm_sample_size(0.3, 0.45) > n  # a smaller effect needs more patients


def test_exact_power_by_hand() -> None:
    power, c, size = stats.exact_single_arm_power(16, 0.28, 0.05)
    # reject when failures <= c with P(X <= c | 0.28) <= 0.05
    assert sps.binom.cdf(c, 16, 0.28) <= 0.05 < sps.binom.cdf(c + 1, 16, 0.28)
    assert size == pytest.approx(sps.binom.cdf(c, 16, 0.28))
    assert power == pytest.approx(sps.binom.cdf(c, 16, 0.05))
    power_up, c_up, _ = stats.exact_single_arm_power(20, 0.3, 0.6)
    assert sps.binom.sf(c_up - 1, 20, 0.3) <= 0.05 < sps.binom.sf(c_up - 2, 20, 0.3)
    assert power_up == pytest.approx(sps.binom.sf(c_up - 1, 20, 0.6))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: stats.single_arm_sample_size(28, 0.1), "between 0 and 1"),
        (lambda: stats.single_arm_sample_size(0.3, 0.3), "must differ"),
        (lambda: stats.single_arm_sample_size(0.3, 0.1, alternative="less"), "alternative"),
        (lambda: stats.two_arm_sample_size(0.3, 0.6, power=80), "power"),
        (lambda: stats.two_arm_sample_size(0.3, 0.6, ratio=0), "ratio"),
        (lambda: stats.exact_single_arm_power(0, 0.3, 0.1), "at least 1"),
    ],
)
def test_power_tools_reject_bad_input(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


# --- simulation and figure ----------------------------------------------------------------


def test_regression_to_the_mean_appears_without_treatment() -> None:
    sim = stats.simulate_regression_to_mean(np.random.default_rng(1), n_children=2000)
    assert sim["change"][sim["selected"]].mean() > 2  # the "refractory" look better
    assert abs(sim["change"].mean()) < 0.5  # everyone together: no change
    assert sim[["first", "second"]].to_numpy().min() >= 0
    with pytest.raises(ValueError, match="seeded generator"):
        stats.simulate_regression_to_mean(42)  # type: ignore[arg-type]


def test_forest_plot_draws_one_tick_per_row_plus_pooled() -> None:
    table = stats.add_proportion_cis(
        pd.DataFrame({"label": ["a", "b"], "n_improved": [1, 5], "n_assessed": [1, 10]})
    )
    pooled = stats.pool_proportions([1, 5], [1, 10])
    ax = stats.forest_plot(table, pooled=pooled)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "Pooled (random effects)"]
    assert [t.get_text() for t in ax.texts] == ["1/1", "5/10"]  # a count beside every row
    assert ax.get_ylabel() == ""  # no "1 in k labelled" note: every row is labelled
    wilson, exact = ax.collections[:2]  # one line collection per interval kind
    assert [s[:, 0].tolist() for s in wilson.get_segments()] == [
        table.loc[i, ["wilson_low", "wilson_high"]].tolist() for i in table.index
    ]
    assert [s[:, 0].tolist() for s in exact.get_segments()] == [
        table.loc[i, ["cp_low", "cp_high"]].tolist() for i in table.index
    ]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="add_proportion_cis"):
        stats.forest_plot(pd.DataFrame({"label": ["a"]}))


def test_forest_plot_scales_to_thousands_of_rows() -> None:
    rng = np.random.default_rng(7)
    n_assessed = rng.integers(1, 30, size=2000)
    table = stats.add_proportion_cis(
        pd.DataFrame(
            {
                "label": [f"row {i}" for i in range(2000)],
                "n_improved": rng.integers(0, n_assessed + 1),
                "n_assessed": n_assessed,
            }
        )
    )
    pooled = stats.pool_proportions([1, 5], [1, 10])
    fig, ax = plt.subplots(figsize=(8, 6))
    start = time.perf_counter()
    stats.forest_plot(table, pooled=pooled, ax=ax)
    fig.canvas.draw()
    assert time.perf_counter() - start < 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert 2 < len(labels) <= 61  # at most 60 rows labelled, plus the pooled estimate
    assert labels[0] == "row 0" and labels[-1] == "Pooled (random effects)"
    assert len(ax.texts) == len(labels) - 1  # counts only beside the labelled rows
    assert "rows: 1 in" in ax.get_ylabel() and "of 2000 labelled" in ax.get_ylabel()
    plt.close(fig)


def test_add_proportion_cis_vectorised_matches_row_by_row() -> None:
    table = pd.DataFrame({"n_improved": [0, 1, 2, 3, 24], "n_assessed": [1, 1, 4, 3, 25]})
    out = stats.add_proportion_cis(table, alpha=0.1)
    for row in out.itertuples():
        k, n = row.n_improved, row.n_assessed
        assert (row.wilson_low, row.wilson_high) == stats.proportion_ci(k, n, "wilson", 0.1)
        assert (row.cp_low, row.cp_high) == stats.proportion_ci(k, n, "exact", 0.1)
        assert row.proportion == k / n
    assert stats.add_proportion_cis(table.iloc[:0]).columns[-1] == "cp_high"  # empty is fine
