"""Self-checks for the exercises of notebook 06.

**Checks.** After each exercise a learner runs ``check("q3", answer_3)``. :func:`check` prints
exactly one line: ``✓ ...`` when the answer is right, ``Hint: ...`` naming the likely slip when
it is not, or ``not attempted yet`` while the answer is still the placeholder ``...`` (the
Ellipsis object). Expected answers are computed from ``data/`` at check time, so adding a study
to the data changes the expected answers instead of breaking the checks. A check never raises:
whatever a learner passes (``None``, text, a DataFrame of the wrong shape, NaN, a huge number,
a Figure instead of an Axes) becomes a hint, because a traceback teaches nothing at that point.

The student copy is written from the solutions by ``tools/student_copy.py`` (authors only).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.data import CaseData, load_case_data
from helpers.paths import data_dir

#: The marker of an untouched answer cell: ``answer_3 = ...``.
PLACEHOLDER = Ellipsis
NOT_ATTEMPTED = "not attempted yet"


#: Relative tolerance for numeric answers (learners round; 3 significant digits are enough).
REL_TOL = 5e-3
ABS_TOL = 5e-3

# --- Teaching inputs shared by the notebook and the checks ----------------------------------------

#: A MADE-UP study for exercise 11 (adding a study to the data). Not a real report.
MADE_UP_OUTCOME: dict[str, Any] = {
    "outcome_id": "made_up_2099_o1",
    "study_id": "made_up_2099",
    "domain": "global activity",
    "measure": "clinically inactive disease",
    "timepoint_weeks": 26,
    "direction": "improved",
    "n_assessed": 8,
    "n_improved": 6,
    "as_reported": "MADE-UP ROW for practice: not a real study",
    "source": "made_up_for_practice",
}

#: The outcome measure used by exercises 9 and 11.
CID = "clinically inactive disease"


def practice_expression() -> tuple[pd.DataFrame, pd.Series]:
    """MADE-UP log2 expression of the six score genes in three controls and one patient.

    Returns ``(log2_expression, is_control)`` for exercise 3. The numbers are invented to
    practise the calculation; they come from no assay and no patient.
    """
    from helpers.ifn_score import RICE_GENES

    values = [
        [9.0, 7.0, 8.0, 10.0, 6.0, 5.0],  # made-up control A
        [9.4, 6.8, 8.2, 10.2, 6.4, 4.8],  # made-up control B
        [8.6, 7.2, 7.8, 9.8, 5.6, 5.2],  # made-up control C
        [12.0, 9.5, 9.0, 11.0, 9.0, 5.5],  # made-up patient X
    ]
    index = pd.Index(["control A", "control B", "control C", "patient X"], name="sample")
    expression = pd.DataFrame(values, index=index, columns=list(RICE_GENES))
    is_control = pd.Series([True, True, True, False], index=index, name="is_control")
    return expression, is_control


# --- Reading a learner's answer -------------------------------------------------------------------


class _Hint(Exception):
    """Raised inside a checker to stop and show a specific hint."""


_DATA_CACHE: dict[tuple[object, ...], CaseData] = {}


def _case_data() -> CaseData:
    """The case data, loaded once per version of the files (checks run many times)."""
    folder = data_dir()
    key = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.csv"))
    )
    key = (str(folder), *key)
    if key not in _DATA_CACHE:
        _DATA_CACHE.clear()
        _DATA_CACHE[key] = load_case_data()
    return _DATA_CACHE[key]


def _kind(value: object) -> str:
    return type(value).__name__


def _number(value: object, what: str = "a number") -> float:
    """``value`` as a finite float, or a :class:`_Hint` saying why it is not one."""
    if isinstance(value, bool | np.bool_):
        raise _Hint(f"give {what}, not True/False.")
    if isinstance(value, str):
        raise _Hint(f"give {what} without quotes (you gave the text {value[:20]!r}).")
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple | set | dict):
        size = getattr(value, "size", None) if not isinstance(value, set | dict) else None
        size = len(value) if size is None else size
        raise _Hint(f"give {what}, not a {_kind(value)} of {size} values.")
    if not isinstance(value, numbers.Real | np.number):
        raise _Hint(f"give {what} (you gave a {_kind(value)}).")
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise _Hint(f"your number is far too large to be {what}.") from None
    if math.isnan(number):
        raise _Hint("your answer is NaN (not a number): did a division or a filter come out empty?")
    if math.isinf(number):
        raise _Hint("your answer is infinite: did you divide by zero?")
    return number


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _strings(value: object, what: str) -> set[str]:
    """A name or a collection of names as a set of stripped, lower-case strings."""
    if isinstance(value, str):
        items: Iterable[object] = [value]
    elif isinstance(value, pd.DataFrame):
        raise _Hint(f"give {what} as a list or set of names, not a DataFrame.")
    elif isinstance(value, set | frozenset):
        items = list(value)
    elif isinstance(value, list | tuple | pd.Series | pd.Index | np.ndarray):
        items = list(np.ravel(np.asarray(value, dtype=object)))
    else:
        raise _Hint(f"give {what} as a list or set of names (you gave a {_kind(value)}).")
    names = set()
    for item in items:
        if not isinstance(item, str):
            raise _Hint(f"every item of {what} should be a name in quotes (text).")
        names.add(item.strip().lower())
    return names


def _mapping(value: object, what: str) -> dict[str, float]:
    """A Series, a dict or a one-column DataFrame as {lower-case key: number}."""
    if isinstance(value, pd.DataFrame):
        numeric = value.select_dtypes("number")
        if value.shape[1] == 1:
            value = value.iloc[:, 0]
        elif numeric.shape[1] == 1 and value.shape[1] == 2:
            key = next(c for c in value.columns if c not in numeric.columns)
            value = value.set_index(key)[numeric.columns[0]]
        else:
            raise _Hint(
                f"give {what} as a Series (one value per label), not a DataFrame with "
                f"{value.shape[1]} columns."
            )
    if isinstance(value, pd.Series):
        pairs = list(zip(value.index, value.to_numpy(dtype=object), strict=True))
    elif isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        raise _Hint(f"give {what} as a pandas Series or a dict (you gave a {_kind(value)}).")
    result: dict[str, float] = {}
    for key, item in pairs:
        if pd.isna(item) if not isinstance(item, list | tuple | np.ndarray) else False:
            raise _Hint(f"{what} contains a missing value (for {key!r}): fill it or drop it.")
        result[str(key).strip().lower()] = _number(item, f"a number for {key!r}")
    return result


def _same_mapping(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return set(a) == set(b) and all(_close(a[k], b[k]) for k in a)


def _letter(value: object, choices: str) -> str:
    """A multiple-choice answer as one upper-case letter among ``choices``."""
    if not isinstance(value, str):
        raise _Hint(f"answer with one letter in quotes, e.g. 'A' (you gave a {_kind(value)}).")
    letter = value.strip().strip("().").strip().upper()
    if letter not in set(choices):
        raise _Hint(f"answer with one of the letters {', '.join(choices)} in quotes.")
    return letter


def _drop_zeros(mapping: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in mapping.items() if v != 0}


# --- The expected answers, computed from the data -------------------------------------------------


def _split(value: object) -> list[str]:
    return value.split(";") if isinstance(value, str) else []


def _pathway() -> pd.DataFrame:
    from helpers.pathway import load_pathway

    table = load_pathway()
    return table.assign(drugs=table["inhibited_by"].map(_split))


def expected_shared_kinases(
    pathway_name: str = "type I IFN", drug: str = "tofacitinib"
) -> set[str]:
    """Kinase labels of ``pathway_name`` that ``drug`` inhibits (exercise 1)."""
    table = _pathway()
    rows = table[(table["pathway"].astype(str) == pathway_name) & (table["kind"] == "kinase")]
    return {str(r.label) for r in rows.itertuples() if drug in r.drugs}


def expected_drugs_on(kinase: str = "JAK2") -> set[str]:
    """Drugs the pathway table lists as inhibiting ``kinase`` (exercise 2)."""
    table = _pathway()
    return {d for r in table[table["label"] == kinase].itertuples() for d in r.drugs}


def patients_per_drug(groups: pd.DataFrame) -> dict[str, float]:
    """Patients per drug: the sum of the groups' ``n_patients`` (exercises 4 and 8)."""
    totals = groups.groupby(groups["drug"].astype(str))["n_patients"].sum()
    return {str(k): float(v) for k, v in totals.items() if v > 0}


def female_share(studies: pd.DataFrame) -> float:
    """Women among patients of the studies that report sex, pooled (exercise 5)."""
    reported = studies[studies["n_female"].notna()]
    return float(reported["n_female"].sum() / reported["n_patients"].sum())


def cid_rows(outcomes: pd.DataFrame, *, whole_cohort: bool = True) -> pd.DataFrame:
    """Rows reporting clinically inactive disease (whole cohorts only, unless asked)."""
    rows = outcomes[(outcomes["measure"] == CID) & outcomes["n_assessed"].notna()]
    return rows[rows["subgroup"].isna()] if whole_cohort else rows


def le_voyer_cid() -> tuple[int, int]:
    """(responders, assessed) for Le Voyer's whole-cohort clinically inactive disease."""
    rows = cid_rows(_case_data().outcomes)
    row = rows[rows["study_id"] == "le_voyer_2021"].iloc[0]
    return int(row["n_improved"]), int(row["n_assessed"])


def _interval(successes: int, n: int, method: str) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, n, alpha=0.05, method=method)
    return float(low), float(high)


def controlled_designs(studies: pd.DataFrame) -> int:
    """Studies whose design has a comparison group (a trial or a controlled study)."""
    design = studies["design"].astype(str).str.lower()
    return int(design.str.contains(r"trial|controlled|case-control").sum())


# --- The checkers ---------------------------------------------------------------------------------
# Each returns the one line to print; a _Hint raised anywhere becomes "Hint: ...".


def _check_q1(answer: object) -> str:
    expected = {k.lower() for k in expected_shared_kinases()}
    given = _strings(answer, "the kinase(s)")
    table = _pathway()
    for name in sorted(given - expected):
        rows = table[table["label"].str.lower() == name]
        if rows.empty:
            raise _Hint(f"{name!r} is not a label of the pathway table; use labels such as 'JAK1'.")
        if (rows["pathway"].astype(str) == "type I IFN").any():
            raise _Hint(
                f"{name.upper()} sits on the type I IFN receptor, but the table does not list "
                "tofacitinib as inhibiting it."
            )
        if rows["drugs"].map(lambda d: "tofacitinib" in d).any():
            other = ", ".join(sorted(rows["pathway"].astype(str).unique()))
            raise _Hint(
                f"{name.upper()} is a tofacitinib target, but it serves another pathway ({other}),"
                " not type I IFN."
            )
        raise _Hint(f"{name.upper()} is neither a type I IFN kinase nor a tofacitinib target.")
    if expected - given:
        raise _Hint("you missed a kinase: filter the type I IFN kinases, then keep tofacitinib's.")
    return "✓ Correct: " + ", ".join(sorted(k.upper() for k in expected)) + "."


def _check_q2(answer: object) -> str:
    expected = expected_drugs_on("JAK2")
    given = _strings(answer, "the drug(s)")
    table = _pathway()
    for drug in sorted(given - expected):
        targets = sorted({r.label for r in table.itertuples() if drug in r.drugs})
        if not targets:
            raise _Hint(f"{drug!r} is not a drug of the table (names are lower-case generic).")
        raise _Hint(f"the table lists {drug} on {' and '.join(targets)}, not on JAK2.")
    if expected - given:
        raise _Hint("you missed a drug: look at every row whose label is 'JAK2'.")
    return "✓ Correct: " + " and ".join(sorted(expected)) + " inhibit JAK2."


def _check_q3(answer: object) -> str:
    from helpers.ifn_score import fold_changes, interferon_scores

    expression, is_control = practice_expression()
    expected = float(interferon_scores(expression, is_control)["patient X"])
    if isinstance(answer, pd.Series) and len(answer) > 1:
        raise _Hint("give patient X's score only (one number), e.g. scores['patient X'].")
    if isinstance(answer, pd.Series | np.ndarray) and np.size(answer) == 1:
        answer = np.asarray(answer, dtype=object).ravel()[0]
    value = _number(answer, "the interferon score (one number)")
    if _close(value, expected):
        return f"✓ Correct: patient X's interferon score is {expected:.2f}."
    folds = fold_changes(expression, is_control).loc["patient X"]
    log2_shift = expression.loc["patient X"] - expression[is_control].mean()
    if _close(value, float(folds.mean())):
        raise _Hint("you took the mean of the fold changes; the score is their median.")
    if _close(value, float(log2_shift.median())):
        raise _Hint("that is still on the log2 scale: a fold change is 2 ** (log2 difference).")
    if _close(value, float(interferon_scores(expression, is_control).median())):
        raise _Hint("you took the median over all samples; give patient X's own score.")
    raise _Hint("use interferon_scores(expression, is_control) and read patient X's value.")


def _check_q4(answer: object) -> str:
    data = _case_data()
    expected = patients_per_drug(data.groups)
    given = _drop_zeros(_mapping(answer, "patients per drug"))
    if _same_mapping(given, expected):
        return "✓ Correct: " + ", ".join(f"{k} {v:.0f}" for k, v in expected.items()) + "."
    groups = data.groups["drug"].astype(str).value_counts()
    if _same_mapping(given, {str(k): float(v) for k, v in groups.items()}):
        raise _Hint("you counted groups (rows), not patients: sum the n_patients column.")
    listed = data.patients.merge(data.groups[["group_id", "drug"]], on="group_id")
    listed_counts = listed["drug"].astype(str).value_counts()
    if _same_mapping(given, {str(k): float(v) for k, v in listed_counts.items()}):
        raise _Hint(
            "you counted rows of patients.csv, which holds only the patients described one by "
            "one; the groups table covers everyone."
        )
    if set(given) != set(expected):
        raise _Hint(f"expected one value per drug, labelled {sorted(expected)}.")
    raise _Hint("check your totals: group data.groups by drug and sum n_patients.")


def _check_q5(answer: object) -> str:
    studies = _case_data().studies
    expected = female_share(studies)
    value = _number(answer, "a proportion between 0 and 1")
    if _close(value, expected):
        return f"✓ Correct: {expected:.1%} of the patients whose sex is reported are female."
    if _close(value / 100, expected):
        raise _Hint("that looks like a percentage: give a proportion between 0 and 1.")
    if _close(value, float(studies["n_female"].sum() / studies["n_patients"].sum())):
        raise _Hint(
            "you divided by all patients, including studies that do not report sex: keep only "
            "the studies where n_female is given."
        )
    reported = studies[studies["n_female"].notna()]
    if _close(value, float((reported["n_female"] / reported["n_patients"]).mean())):
        raise _Hint("you averaged the studies' shares: pool the counts (sum women / sum patients).")
    sexes = _case_data().patients["sex"].dropna().astype(str)
    if len(sexes) and _close(value, float((sexes == "F").mean())):
        raise _Hint(
            "you used patients.csv, which lists only the patients described one by one; use "
            "the studies table's n_female and n_patients."
        )
    if value > 1:
        raise _Hint("a proportion lies between 0 and 1.")
    raise _Hint("keep the studies with n_female given, then divide the two sums.")


def _check_q6(answer: object) -> str:
    data = _case_data()
    treatments = data.prior_treatments
    expected = {k: float(v) for k, v in treatments.groupby("patient_id").size().items()}
    given = _drop_zeros(_mapping(answer, "prior treatments per patient"))
    if _same_mapping(given, expected):
        top = max(expected, key=lambda k: expected[k])
        return f"✓ Correct: from {min(expected.values()):.0f} to {expected[top]:.0f} per patient."
    by_study = treatments.groupby("study_id").size()
    if _same_mapping(given, {str(k): float(v) for k, v in by_study.items()}):
        raise _Hint("you grouped by study: group by patient_id to get one value per patient.")
    classes = treatments.groupby("patient_id")["treatment_class"].nunique()
    if _same_mapping(given, {str(k): float(v) for k, v in classes.items()}):
        raise _Hint("you counted treatment classes; count the treatments (rows) instead.")
    if set(given) != set(expected):
        raise _Hint("expected one value per patient_id of prior_treatments.csv.")
    raise _Hint("group data.prior_treatments by patient_id and count the rows (.size()).")


def _check_q7(answer: object) -> str:
    groups = _case_data().groups
    expected = groups.pivot_table(
        index="study_id", columns="drug", values="n_patients", aggfunc="sum", observed=True
    ).fillna(0)
    expected.columns = [str(c) for c in expected.columns]
    if not isinstance(answer, pd.DataFrame):
        raise _Hint(
            f"give a DataFrame (a row per study, a column per drug), not a {_kind(answer)}."
        )
    table = answer.copy()
    if "study_id" in table.columns:
        table = table.set_index("study_id")
    table.index = [str(i) for i in table.index]
    table.columns = [str(c) for c in table.columns]
    drugs = set(expected.columns)
    if set(table.index) == drugs and set(expected.index) <= set(table.columns):
        raise _Hint("rows and columns are swapped: rows should be studies, columns drugs (.T).")
    if set(table.index) != set(expected.index):
        raise _Hint(f"expected one row per study_id ({len(expected)} rows), not {len(table)}.")
    table = table.loc[:, [c for c in table.columns if c in drugs or table[c].notna().any()]]
    if not drugs <= set(table.columns) or set(table.columns) - drugs:
        raise _Hint(f"expected one column per drug: {sorted(drugs)}.")
    values = table.loc[expected.index, expected.columns]
    if values.isna().to_numpy().any():
        raise _Hint("some cells are NaN: a study that did not use a drug has 0 patients on it.")
    numbers_ = values.to_numpy(dtype=float)
    if np.allclose(numbers_, expected.to_numpy(dtype=float)):
        return f"✓ Correct: a {len(expected)} × {len(drugs)} table of patients."
    counts = groups.pivot_table(
        index="study_id", columns="drug", values="n_patients", aggfunc="count", observed=True
    ).fillna(0)
    counts.columns = [str(c) for c in counts.columns]
    if np.allclose(numbers_, counts.loc[expected.index, expected.columns].to_numpy(dtype=float)):
        raise _Hint("you counted groups; the cells should hold patients (aggfunc='sum').")
    raise _Hint("use pivot_table(index='study_id', columns='drug', values='n_patients', ...).")


def _check_q8(answer: object) -> str:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    if isinstance(answer, Figure):
        raise _Hint("you gave the Figure: give the Axes you drew on (e.g. ax = sns.barplot(...)).")
    if isinstance(answer, np.ndarray | list) and any(isinstance(a, Axes) for a in np.ravel(answer)):
        raise _Hint("give the one Axes holding the bar chart, not an array of Axes.")
    if not isinstance(answer, Axes):
        raise _Hint(f"give the matplotlib Axes of your figure, not a {_kind(answer)}.")
    expected = patients_per_drug(_case_data().groups)
    bars = [p for p in answer.patches if isinstance(p, Rectangle)]
    if not bars:
        raise _Hint("your Axes has no bars: draw a bar chart (sns.barplot or ax.bar).")
    heights = sorted(float(b.get_height()) for b in bars if b.get_height() != 0)
    widths = sorted(float(b.get_width()) for b in bars if b.get_width() != 0)
    target = sorted(expected.values())
    if len(heights) != len(target) and len(widths) != len(target):
        if len(bars) == len(_case_data().groups):
            raise _Hint("you drew one bar per group: sum the patients per drug first.")
        raise _Hint(f"expected {len(target)} bars, one per drug; your Axes has {len(bars)}.")
    if not (np.allclose(heights, target) if len(heights) == len(target) else False) and not (
        np.allclose(widths, target) if len(widths) == len(target) else False
    ):
        raise _Hint("the bar lengths should be the numbers of patients per drug (exercise 4).")
    missing = [
        name
        for name, text in (
            ("x-axis label", answer.get_xlabel()),
            ("y-axis label", answer.get_ylabel()),
            ("title", answer.get_title()),
        )
        if not text.strip()
    ]
    if missing:
        raise _Hint(f"the bars are right; now add a {' and a '.join(missing)}.")
    return f"✓ Correct: {len(target)} bars with labelled axes and a title."


def _check_q9(answer: object) -> str:
    successes, n = le_voyer_cid()
    expected = _interval(successes, n, "wilson")
    if isinstance(answer, str | bytes | dict | set) or not isinstance(
        answer, tuple | list | np.ndarray | pd.Series | pd.Index
    ):
        raise _Hint(f"give the interval as two numbers (lower, upper), not a {_kind(answer)}.")
    items = list(np.asarray(answer, dtype=object).ravel())
    if len(items) != 2:
        raise _Hint(f"give two numbers, (lower, upper); you gave {len(items)}.")
    low, high = (_number(x, "a bound of the interval") for x in items)
    if low > high:
        raise _Hint("give the lower bound first: (lower, upper).")
    got = (low, high)
    # Intervals of different methods can lie close together: judge by the nearest one.
    candidates = {
        "wilson": expected,
        "percent": (expected[0] * 100, expected[1] * 100),
        "normal": _interval(successes, n, "normal"),
        "beta": _interval(successes, n, "beta"),
    }
    distance = {k: max(abs(got[0] - v[0]), abs(got[1] - v[1])) for k, v in candidates.items()}
    nearest = min(distance, key=lambda k: distance[k])
    scale = 100 if nearest == "percent" else 1
    if distance[nearest] <= ABS_TOL * scale:
        if nearest == "wilson":
            return (
                f"✓ Correct: {successes}/{n}, Wilson 95% CI {expected[0]:.2f} to {expected[1]:.2f}."
            )
        raise _Hint(
            {
                "percent": "those are percentages: give proportions between 0 and 1.",
                "normal": "that is the default normal approximation: pass method='wilson'.",
                "beta": "that is the exact Clopper–Pearson interval; this one asks for Wilson.",
            }[nearest]
        )
    raise _Hint(
        "use the whole-cohort row (subgroup empty) of Le Voyer's clinically inactive disease "
        "and proportion_confint(n_improved, n_assessed, method='wilson')."
    )


def _choice_checker(
    correct: str, choices: str, hints: Mapping[str, str], why: str
) -> Callable[[object], str]:
    def checker(answer: object) -> str:
        letter = _letter(answer, choices)
        if letter == correct:
            return f"✓ Correct: {correct}. {why}"
        raise _Hint(hints[letter])

    return checker


_check_q10 = _choice_checker(
    "C",
    "ABCD",
    {
        "A": "the interval is about the proportion in the population, not about each child.",
        "B": "a 95% interval is not certain to contain the truth: the method misses 1 time in 20.",
        "D": "the interval has no comparison group: it cannot show the drugs beat no treatment.",
    },
    "Few children, wide interval: many true proportions fit the data.",
)


def _check_q11(answer: object) -> str:
    outcomes = _case_data().outcomes
    rows = cid_rows(outcomes)
    made_up = MADE_UP_OUTCOME
    improved = float(rows["n_improved"].sum()) + made_up["n_improved"]
    assessed = float(rows["n_assessed"].sum()) + made_up["n_assessed"]
    expected = improved / assessed
    value = _number(answer, "the pooled proportion (one number)")
    if _close(value, expected):
        return f"✓ Correct: pooled {improved:.0f}/{assessed:.0f} = {expected:.2f}."
    if _close(value / 100, expected):
        raise _Hint("that looks like a percentage: give a proportion between 0 and 1.")
    if len(rows) and _close(value, float(rows["n_improved"].sum() / rows["n_assessed"].sum())):
        raise _Hint("the made-up study is missing: concat it to the copy and pool the copy.")
    if _close(value, made_up["n_improved"] / made_up["n_assessed"]):
        raise _Hint("that is the made-up study alone: pool it with the real rows.")
    all_rows = cid_rows(outcomes, whole_cohort=False)
    pooled_all = (float(all_rows["n_improved"].sum()) + made_up["n_improved"]) / (
        float(all_rows["n_assessed"].sum()) + made_up["n_assessed"]
    )
    if _close(value, pooled_all):
        raise _Hint(
            "you also counted the MSA subgroup rows, which count the same children again: keep "
            "the rows whose subgroup is empty."
        )
    shares = [*(rows["n_improved"] / rows["n_assessed"]).astype(float)]
    shares.append(made_up["n_improved"] / made_up["n_assessed"])
    if _close(value, float(np.mean(shares))):
        raise _Hint("you averaged the studies' proportions: pool the counts instead.")
    raise _Hint("sum n_improved and n_assessed over the whole-cohort rows, then divide.")


def _check_q12(answer: object) -> str:
    studies = _case_data().studies
    expected = controlled_designs(studies)
    value = _number(answer, "a number of studies")
    if _close(value, expected) and float(value).is_integer():
        return f"✓ Correct: studies with a comparison group: {expected} of {len(studies)}."
    if _close(value, len(studies)):
        raise _Hint("you counted every study: how many compare treated children with others?")
    cohorts = int((studies["design"].astype(str) == "retrospective cohort").sum())
    if _close(value, cohorts):
        raise _Hint(
            "a retrospective cohort here has no comparison group: every child in it was treated."
        )
    raise _Hint("look at data.studies['design']: which designs include an untreated comparison?")


_check_q13 = _choice_checker(
    "A",
    "ABCD",
    {
        "B": "none of these studies randomised anyone, so there is no randomised imbalance.",
        "C": "there was no placebo arm to lose children from.",
        "D": "lead-time bias is about diagnosing earlier, not about starting treatment at a peak.",
    },
    "Children treated at their worst tend to improve on average, whatever is given.",
)

_check_q14 = _choice_checker(
    "B",
    "ABCD",
    {
        "A": "non-responders' IFN-α normalised too, so the fall cannot explain the response.",
        "C": "nothing says non-responders missed the drug; their IFN-α fell as well.",
        "D": "the marker did change on treatment: it normalised in both groups.",
    },
    "A marker can move without the disease following: it is not a safe surrogate on its own.",
)


CHECKERS: dict[str, Callable[[object], str]] = {
    f"q{n}": globals()[f"_check_q{n}"] for n in range(1, 15)
}
"""Question id -> checker. Each returns a line starting with ✓ or raises :class:`_Hint`."""


def feedback(question_id: object, answer: object) -> str:
    """The one line :func:`check` prints (also usable in tests). Never raises."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if not isinstance(question_id, str) or question_id not in CHECKERS:
                last = f"q{len(CHECKERS)}"
                message = f"Hint: unknown question {question_id!r}; use one of q1 to {last}."
            elif answer is PLACEHOLDER:
                message = f"{question_id}: {NOT_ATTEMPTED} (replace the ... with your answer)."
            else:
                try:
                    message = CHECKERS[question_id](answer)
                except _Hint as hint:
                    message = f"Hint: {hint}"
    except Exception as error:  # a check must never raise, whatever it is given
        message = f"Hint: could not read your answer ({type(error).__name__}); see the exercise."
    return " ".join(str(message).split())


def check(question_id: str, answer: object) -> None:
    """Print one line of feedback on ``answer`` to exercise ``question_id`` (e.g. ``"q3"``)."""
    print(feedback(question_id, answer))
