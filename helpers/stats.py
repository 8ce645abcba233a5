"""Statistics for very small counts: confidence intervals, pooling, heterogeneity and power.

The case reports and series of the course give counts such as 1/1, 3/3 or 5/10. This module
wraps the statsmodels tools a learner needs to read them honestly:

- :func:`proportion_ci` and :func:`add_proportion_cis`: Wilson and exact Clopper–Pearson
  intervals (``statsmodels.stats.proportion.proportion_confint``);
- :func:`pool_proportions`: a random-effects pooled proportion on the logit scale
  (``statsmodels.stats.meta_analysis.combine_effects``), with Cochran's Q, tau² and I²;
- :func:`single_arm_sample_size`, :func:`two_arm_sample_size`, :func:`exact_single_arm_power`:
  what a trial would need (``statsmodels.stats.power``);
- :func:`simulate_regression_to_mean`: *simulated* data that teach regression to the mean;
- :func:`forest_plot`: the figure that shows many proportions and their intervals at once.

Every function checks its input and raises a :class:`ValueError` that says what is wrong,
so that a learner's typo does not end in a traceback from deep inside statsmodels.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from scipy import stats as sps
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize

#: Names a learner may use for the two interval methods, mapped to statsmodels' names.
CI_METHODS = {"wilson": "wilson", "clopper-pearson": "beta", "exact": "beta", "beta": "beta"}

#: Between-study variance estimators accepted by :func:`pool_proportions`.
RE_METHODS = ("iterated", "pm", "chi2", "dl")


# --- input checks -------------------------------------------------------------------------


def _as_count(value: object, name: str) -> int:
    """Return ``value`` as a plain int, or raise a ValueError a learner can act on."""
    if value is None or value is pd.NA or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if math.isnan(float(value)):
            raise ValueError(f"{name} is missing (NaN); a count is needed.")
        if float(value).is_integer():
            return int(value)
    raise ValueError(f"{name} must be a whole number, got {value!r}.")


def check_counts(k: object, n: object) -> tuple[int, int]:
    """Check one count ``k`` out of ``n`` and return both as ints.

    ``n`` must be at least 1 and ``0 <= k <= n``: a proportion needs a denominator, and no
    more patients can improve than were assessed.
    """
    k_int = _as_count(k, "the count (k)")
    n_int = _as_count(n, "the denominator (n)")
    if n_int < 1:
        raise ValueError(f"the denominator (n) must be at least 1, got {n_int}.")
    if not 0 <= k_int <= n_int:
        raise ValueError(f"the count must lie between 0 and n = {n_int}, got k = {k_int}.")
    return k_int, n_int


def _check_alpha(alpha: float, name: str = "alpha") -> float:
    if not isinstance(alpha, numbers.Real) or not 0 < float(alpha) < 1:
        raise ValueError(f"{name} must be a number between 0 and 1 (e.g. 0.05), got {alpha!r}.")
    return float(alpha)


def _check_rate(p: float, name: str) -> float:
    if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0 < float(p) < 1:
        raise ValueError(
            f"{name} must be a proportion strictly between 0 and 1 (e.g. 0.3 for 30 %), "
            f"got {p!r}."
        )
    return float(p)


# --- confidence intervals -----------------------------------------------------------------


def proportion_ci(
    k: object, n: object, method: str = "wilson", alpha: float = 0.05
) -> tuple[float, float]:
    """Return the ``1 - alpha`` confidence interval of the proportion ``k/n``.

    ``method`` is ``"wilson"`` (the score interval: close to the nominal coverage on average,
    never outside [0, 1]) or ``"clopper-pearson"`` (exact, from the binomial distribution: at
    least the nominal coverage for every true proportion, so wider). With n = 1 to 4 the two
    differ a lot; that difference is itself a lesson about tiny samples.
    """
    k_int, n_int = check_counts(k, n)
    alpha = _check_alpha(alpha)
    key = str(method).lower()
    if key not in CI_METHODS:
        raise ValueError(f"unknown method {method!r}; use 'wilson' or 'clopper-pearson'.")
    low, high = proportion_confint(k_int, n_int, alpha=alpha, method=CI_METHODS[key])
    return float(low), float(high)


def add_proportion_cis(
    frame: pd.DataFrame,
    count: str = "n_improved",
    total: str = "n_assessed",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with the proportion and both 95 % intervals per row.

    Adds ``proportion``, ``wilson_low``, ``wilson_high``, ``cp_low`` and ``cp_high`` (replacing
    columns of those names if present, so calling it twice is harmless). Every row must have a
    count and a denominator (filter the rows without one first).
    """
    for column in (count, total):
        if column not in frame.columns:
            raise ValueError(f"column {column!r} not found; the table has {list(frame.columns)}.")
    columns = ["proportion", "wilson_low", "wilson_high", "cp_low", "cp_high"]
    out = frame.drop(columns=[c for c in columns if c in frame.columns])  # recomputed below
    checked = []
    for position, (k, n) in enumerate(zip(out[count], out[total], strict=True)):
        try:
            checked.append(check_counts(k, n))
        except ValueError as err:
            raise ValueError(f"row {position}: {err}") from None
    alpha = _check_alpha(alpha)
    values = pd.DataFrame(index=out.index, columns=columns, dtype=float)
    if checked:  # one vectorised statsmodels call per method, the same numbers as row by row
        ks, ns = (np.array(column, dtype=np.int64) for column in zip(*checked, strict=True))
        values["proportion"] = ks / ns
        for method, low, high in (("wilson", "wilson_low", "wilson_high"),
                                  ("beta", "cp_low", "cp_high")):
            values[low], values[high] = proportion_confint(ks, ns, alpha=alpha, method=method)
    return pd.concat([out, values], axis=1)


# --- pooling ------------------------------------------------------------------------------


def logit_proportion(k: object, n: object, correction: float = 0.5) -> tuple[float, float]:
    """Return the logit of ``k/n`` and its approximate variance ``1/k + 1/(n-k)``.

    The logit of 0/n or n/n is infinite, so for those (and only those) ``correction`` is added
    to both the events and the non-events (the usual 0.5, Haldane–Anscombe): 3/3 becomes
    3.5/4. The correction pulls every "all responded" study towards 50 %, which is one reason
    a pooled estimate of tiny all-or-nothing studies is fragile.
    """
    k_int, n_int = check_counts(k, n)
    if not isinstance(correction, numbers.Real) or correction <= 0:
        raise ValueError(
            f"the continuity correction must be a positive number, got {correction!r}."
        )
    events, non_events = float(k_int), float(n_int - k_int)
    if k_int in (0, n_int):
        events += correction
        non_events += correction
    return math.log(events / non_events), 1.0 / events + 1.0 / non_events


def i_squared(q: float, df: int) -> tuple[float, float]:
    """Return I² as (raw, clipped): ``raw = (Q - df) / Q`` and ``clipped = max(0, raw)``.

    I² is the share of the spread between studies that is more than chance would give. When
    the studies agree *better* than chance alone predicts (Q < df), the raw formula goes
    negative; a negative share means nothing, so it is reported as 0 %.
    """
    if df < 1:
        raise ValueError("I² needs at least two studies (df >= 1).")
    if not math.isfinite(q) or q < 0:
        raise ValueError(f"Cochran's Q must be a finite number >= 0, got {q!r}.")
    raw = (q - df) / q if q > 0 else -math.inf
    return raw, max(0.0, raw)


@dataclass(frozen=True)
class PooledProportion:
    """A random-effects pooled proportion with its heterogeneity statistics.

    ``studies`` holds one row per study: counts, logit, variance, whether a continuity
    correction was applied, and the study's relative weight in the random-effects pool.
    ``tau2`` is the between-study variance (logit scale, never negative); ``i2_raw`` is I²
    before clipping, ``i2`` after.
    """

    proportion: float
    ci_low: float
    ci_high: float
    tau2: float
    q: float
    df: int
    p_heterogeneity: float
    i2_raw: float
    i2: float
    method: str
    studies: pd.DataFrame


def pool_proportions(
    counts: list[object] | pd.Series,
    totals: list[object] | pd.Series,
    labels: list[str] | pd.Series | None = None,
    method: str = "iterated",
    correction: float = 0.5,
    alpha: float = 0.05,
) -> PooledProportion:
    """Pool proportions ``counts[i] / totals[i]`` with a random-effects model.

    Each proportion is put on the logit scale (:func:`logit_proportion`, continuity correction
    only for 0/n and n/n), then ``statsmodels.stats.meta_analysis.combine_effects`` combines
    them. ``method`` chooses the between-study variance estimator: ``"iterated"`` (Paule–Mandel,
    the default, which statsmodels keeps at >= 0) or ``"dl"`` (DerSimonian–Laird, which
    statsmodels returns unclipped: a negative tau² is set to 0 here, so the random-effects
    estimate becomes the fixed-effect one). The pooled logit and its interval are transformed
    back to a proportion.
    """
    counts_list, totals_list = list(counts), list(totals)
    if len(counts_list) != len(totals_list):
        raise ValueError(
            f"counts and totals must have the same length ({len(counts_list)} vs "
            f"{len(totals_list)})."
        )
    if len(counts_list) < 2:
        raise ValueError("pooling needs at least two studies with a count and a denominator.")
    names = [str(x) for x in labels] if labels is not None else [
        f"study {i + 1}" for i in range(len(counts_list))
    ]
    if len(names) != len(counts_list):
        raise ValueError("labels must have one entry per study.")
    key = str(method).lower()
    if key not in RE_METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(RE_METHODS)}.")
    alpha = _check_alpha(alpha)

    rows = []
    for name, k, n in zip(names, counts_list, totals_list, strict=True):
        try:
            k_int, n_int = check_counts(k, n)
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from None
        effect, variance = logit_proportion(k_int, n_int, correction)
        rows.append((name, k_int, n_int, k_int / n_int, effect, variance, k_int in (0, n_int)))
    table = pd.DataFrame(
        rows, columns=["study", "k", "n", "proportion", "logit", "variance", "corrected"]
    )

    # statsmodels warns (sqrt of a negative number) when the DL tau² is negative; we handle
    # that case below, so the warning would only confuse a learner.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = combine_effects(
            table["logit"].to_numpy(), table["variance"].to_numpy(), method_re=key,
            row_names=names, alpha=alpha,
        )
    tau2_raw = float(result.tau2)
    if tau2_raw < 0:  # DL only: truncate at 0, i.e. use the fixed-effect weights
        tau2 = 0.0
        weights = np.asarray(result.weights_rel_fe, dtype=float)
        mean, se = float(result.mean_effect_fe), float(result.sd_eff_w_fe)
    else:
        tau2 = tau2_raw
        weights = np.asarray(result.weights_rel_re, dtype=float)
        mean, se = float(result.mean_effect_re), float(result.sd_eff_w_re)
    table["weight"] = weights
    z = float(sps.norm.ppf(1 - alpha / 2))
    q, df = float(result.q), len(table) - 1
    raw, clipped = i_squared(max(q, 0.0), df)
    return PooledProportion(
        proportion=_expit(mean),
        ci_low=_expit(mean - z * se),
        ci_high=_expit(mean + z * se),
        tau2=tau2,
        q=q,
        df=df,
        p_heterogeneity=float(sps.chi2.sf(q, df)),
        i2_raw=raw,
        i2=clipped,
        method=key,
        studies=table,
    )


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --- power and sample size ----------------------------------------------------------------


def _check_power(power: float) -> float:
    return _check_alpha(power, "power")


def single_arm_sample_size(
    p_historical: float,
    p_expected: float,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: str = "two-sided",
) -> int:
    """Patients needed in a single-arm trial compared with a fixed historical rate.

    Uses Cohen's effect size h for proportions (``proportion_effectsize``) and
    ``NormalIndPower().solve_power`` with ``ratio=0``, statsmodels' one-sample case. The
    historical rate is treated as known exactly, which it never is: that is the hidden
    assumption of every single-arm design. ``alternative`` is ``"two-sided"`` or
    ``"one-sided"`` (in the direction of the expected rate). Returns the number rounded up.
    """
    p0 = _check_rate(p_historical, "the historical rate")
    p1 = _check_rate(p_expected, "the expected rate")
    if p0 == p1:
        raise ValueError("the expected rate must differ from the historical rate.")
    sided = _check_alternative(alternative)
    effect = abs(proportion_effectsize(p1, p0))  # the direction is implied by the two rates
    n = NormalIndPower().solve_power(
        effect_size=effect, nobs1=None, alpha=_check_alpha(alpha), power=_check_power(power),
        ratio=0, alternative="two-sided" if sided == "two-sided" else "larger",
    )
    return math.ceil(float(np.squeeze(n)))


def two_arm_sample_size(
    p_control: float,
    p_treatment: float,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
) -> int:
    """Patients needed *per arm* (the treatment arm) in a two-arm trial, two-sided test.

    Uses Cohen's h and ``NormalIndPower().solve_power``; ``ratio`` is the size of the control
    arm relative to the treatment arm. Returns the treatment arm's size, rounded up.
    """
    p0 = _check_rate(p_control, "the control rate")
    p1 = _check_rate(p_treatment, "the treatment rate")
    if p0 == p1:
        raise ValueError("the two rates must differ; equal rates need an infinite trial.")
    if not isinstance(ratio, numbers.Real) or ratio <= 0:
        raise ValueError(f"ratio must be a positive number, got {ratio!r}.")
    n = NormalIndPower().solve_power(
        effect_size=proportion_effectsize(p1, p0), nobs1=None, alpha=_check_alpha(alpha),
        power=_check_power(power), ratio=float(ratio), alternative="two-sided",
    )
    return math.ceil(float(np.squeeze(n)))


def _check_alternative(alternative: str) -> str:
    if alternative not in ("two-sided", "one-sided"):
        raise ValueError(f"alternative must be 'two-sided' or 'one-sided', got {alternative!r}.")
    return alternative


def exact_single_arm_power(
    n: int, p_historical: float, p_expected: float, alpha: float = 0.05
) -> tuple[float, int, float]:
    """Exact binomial power of a one-sided single-arm test with ``n`` patients.

    The test concludes "better than history" when the number of *events* is at or beyond a
    critical value chosen so that the chance of that under the historical rate is <= alpha.
    The direction follows the rates: if ``p_expected < p_historical`` (fewer failures) the
    test counts low, otherwise high. Returns (power, critical count, actual type I error).
    """
    n_int = _as_count(n, "n")
    if n_int < 1:
        raise ValueError(f"n must be at least 1, got {n_int}.")
    p0 = _check_rate(p_historical, "the historical rate")
    p1 = _check_rate(p_expected, "the expected rate")
    alpha = _check_alpha(alpha)
    if p0 == p1:
        raise ValueError("the expected rate must differ from the historical rate.")
    ks = np.arange(n_int + 1)
    if p1 < p0:  # reject when events <= c
        size = sps.binom.cdf(ks, n_int, p0)
        allowed = ks[size <= alpha]
        if allowed.size == 0:
            return 0.0, -1, 0.0
        c = int(allowed.max())
        return float(sps.binom.cdf(c, n_int, p1)), c, float(sps.binom.cdf(c, n_int, p0))
    size = sps.binom.sf(ks - 1, n_int, p0)  # P(X >= k)
    allowed = ks[size <= alpha]
    if allowed.size == 0:
        return 0.0, n_int + 1, 0.0
    c = int(allowed.min())
    return float(sps.binom.sf(c - 1, n_int, p1)), c, float(sps.binom.sf(c - 1, n_int, p0))


# --- simulation (teaching only) -----------------------------------------------------------


def simulate_regression_to_mean(
    rng: np.random.Generator,
    n_children: int = 200,
    true_mean: float = 35.0,
    true_sd: float = 6.0,
    noise_sd: float = 5.0,
    threshold: float = 30.0,
) -> pd.DataFrame:
    """*Simulated* CMAS-like scores that show regression to the mean with no treatment at all.

    Each simulated child has a stable true score; each visit adds measurement noise. Children
    are "selected" when their first score is below ``threshold`` (a bad day looks like
    refractory disease). Their second score is, on average, higher, although nothing was done.
    Scores are clipped to 0–52 (the CMAS range). Returns one row per child with
    ``first``, ``second``, ``change`` and ``selected``.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError("pass the notebook's seeded generator: rng = helpers.setup_notebook().")
    n_int = _as_count(n_children, "n_children")
    if n_int < 2:
        raise ValueError("simulate at least two children.")
    if true_sd < 0 or noise_sd < 0:
        raise ValueError("standard deviations cannot be negative.")
    true = rng.normal(true_mean, true_sd, n_int)
    first = np.clip(true + rng.normal(0, noise_sd, n_int), 0, 52)
    second = np.clip(true + rng.normal(0, noise_sd, n_int), 0, 52)
    return pd.DataFrame(
        {"first": first, "second": second, "change": second - first, "selected": first < threshold}
    )


# --- figures ------------------------------------------------------------------------------


def forest_plot(
    table: pd.DataFrame,
    label: str = "label",
    pooled: PooledProportion | None = None,
    pooled_label: str = "Pooled (random effects)",
    ax: plt.Axes | None = None,
    title: str = "",
    xlabel: str = "Proportion improved (95 % CI)",
) -> plt.Axes:
    """Draw a forest plot of proportions with Wilson and Clopper–Pearson intervals.

    ``table`` needs the columns added by :func:`add_proportion_cis` plus ``n_improved``,
    ``n_assessed`` and a ``label`` column. Each row shows the Wilson interval (circle, solid
    line) just above the exact interval (square, dashed line), and the count ``k/n`` as text at
    the right, so the figure reads without colour. An optional pooled estimate is a diamond.

    Every kind of mark is drawn with one vectorised call, so thousands of rows draw quickly.
    Up to ``MAX_ROW_LABELS`` (60) rows every row gets its label and count; beyond that only
    every k-th row does, and the y-axis label says so (:func:`helpers.plotting.label_rows`).
    The pooled estimate is always labelled.
    """
    from helpers.plotting import MAX_ROW_LABELS, label_rows

    needed = {label, "proportion", "wilson_low", "wilson_high", "cp_low", "cp_high",
              "n_improved", "n_assessed"}
    missing = sorted(needed - set(table.columns))
    if missing:
        raise ValueError(f"the table lacks {missing}; call add_proportion_cis() first.")
    n_rows = len(table)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.42 * (min(n_rows, MAX_ROW_LABELS) + 2) + 1.2))
    colours = sns.color_palette("colorblind", 3)
    ys = np.arange(n_rows)[::-1] + (1.5 if pooled is not None else 0)
    point = table["proportion"].to_numpy(dtype=float)
    ax.hlines(ys + 0.15, table["wilson_low"].to_numpy(dtype=float),
              table["wilson_high"].to_numpy(dtype=float), color=colours[0], lw=2,
              capstyle="projecting")
    ax.hlines(ys - 0.15, table["cp_low"].to_numpy(dtype=float),
              table["cp_high"].to_numpy(dtype=float), color=colours[1], lw=2, ls="--",
              capstyle="projecting")
    ax.plot(point, ys + 0.15, "o", color=colours[0], ms=6)
    ax.plot(point, ys - 0.15, "s", color=colours[1], ms=5)
    always = [] if pooled is None else [(0.0, pooled_label)]
    step = label_rows(ax, ys, list(table[label].astype(str)), what="rows", always=always)
    counts = zip(table["n_improved"].iloc[::step], table["n_assessed"].iloc[::step], strict=True)
    for y, (k, n) in zip(ys[::step], counts, strict=True):  # a count beside every labelled row
        ax.text(1.04, y, f"{int(k)}/{int(n)}", va="center", fontsize=9,
                transform=ax.get_yaxis_transform())
    if pooled is not None:
        ax.fill(
            [pooled.ci_low, pooled.proportion, pooled.ci_high, pooled.proportion],
            [0, 0.3, 0, -0.3], color=colours[2], alpha=0.9, hatch="///", edgecolor="black",
        )
    rows = [*ys, 0.0] if pooled is not None else list(ys)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(min(rows) - 0.7, max(rows) + 0.7)
    ax.set_xlabel(xlabel)
    ax.plot([], [], "o-", color=colours[0], label="Wilson score interval")
    ax.plot([], [], "s--", color=colours[1], label="Clopper–Pearson (exact) interval")
    if pooled is not None:
        ax.fill([], [], color=colours[2], hatch="///", edgecolor="black", label=pooled_label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(n_rows, 1)), ncol=2,
              frameon=False, fontsize=9)
    ax.set_title(title)
    return ax
