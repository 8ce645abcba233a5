"""Self-checks of notebook 06's exercises: ``check("q3", answer_3)`` prints one line (✓, a hint or
"not attempted yet") and never raises. The right and typical wrong answers come from ``data/``."""

import csv
import functools
import math
import numbers
import re
import reprlib
import warnings
from collections.abc import Callable, Collection, Mapping, Sized
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import axes, figure, patches
from statsmodels.stats.proportion import proportion_confint as confint

from helpers.data import load_case_data, load_table, raw_table_path
from helpers.vocabulary import RICE_GENES

REL_TOL = ABS_TOL = 5e-3  # learners round: 3 significant digits are enough
CID = "clinically inactive disease"  # the outcome measure of exercises 11 and 13
MAX_WIDTH = 0.2  # exercise 16: the widest Wilson interval the planned series may have
MAX_VALUES = 1_000  # no exercise asks for more: a bigger answer is refused before any work
# fmt: off
MADE_UP_OUTCOME: dict[str, Any] = {  # a MADE-UP study for exercise 13: not a real report
    "outcome_id": "made_up_2099_o1", "study_id": "made_up_2099", "domain": "global activity",
    "measure": CID, "timepoint_weeks": 26, "n_assessed": 8, "n_improved": 6,
    "as_reported": "MADE-UP ROW for practice: not a real study",
}
KINDS: dict[Any, str] = {  # how a hint names an answer's type (else "a value of type X")
    type(None): "nothing (None)",       bool | np.bool_: "a truth value (True/False)",
    numbers.Integral: "a whole number", numbers.Real | Decimal: "a decimal number",
    numbers.Number: "a complex number", str: "a text string (in quotes)",
    pd.DataFrame: "a pandas DataFrame", pd.Series: "a pandas Series",
    np.ndarray: "a NumPy array",        axes.Axes: "an Axes",
    **{t: f"a {t.__name__}" for t in (dict, list, tuple, set)},
}
# fmt: on
_REPR = reprlib.Repr()  # _cut(x): repr(x) cut to 80 characters, never a huge answer whole
_REPR.maxstring = _REPR.maxother = 80
_cut = _REPR.repr


def practice_expression() -> tuple[pd.DataFrame, pd.Series]:
    """MADE-UP log2 expression of the six genes in three controls and one patient (exercise 3)."""
    index = pd.Index(["control A", "control B", "control C", "patient X"], name="sample")
    values = [
        [9.0, 7.0, 8.0, 10.0, 6.0, 5.0],
        [9.4, 6.8, 8.2, 10.2, 6.4, 4.8],
        [8.6, 7.2, 7.8, 9.8, 5.6, 5.2],
        [12.0, 9.5, 9.0, 11.0, 9.0, 5.5],
    ]
    expression = pd.DataFrame(values, index=index, columns=list(RICE_GENES))
    return expression, pd.Series([True, True, True, False], index=index, name="is_control")


#: "qN": the last-resort hint of question N; "qN slip": the hint of a typical slip. Text, kept in
#: exercise_hints.csv beside this module, so that a teacher can reword a hint without the code.
with Path(__file__).with_name("exercise_hints.csv").open(encoding="utf-8", newline="") as _file:
    HINTS = {row["key"]: row["hint"] for row in csv.DictReader(_file)}
CHOICES = {  # the multiple-choice questions: (right letter, why); wrong letters' hints: HINTS
    "q10": ("B", "The drugs went to different mixes of children: a difference may be the mix's."),
    "q12": ("C", "Few children, wide interval: many true proportions fit the data."),
    "q15": ("A", "Children treated at their worst tend to improve on average, whatever is given."),
    "q17": ("B", "It fits the drug acting, but is not proof, nor a marker of clinical response."),
}


class _Hint(Exception):
    """Raised inside a checker, which returns the ✓ line, to stop and print ``Hint: <message>``."""


def _size(value: object) -> int | None:  # how many values a container holds; None for one value
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return int(value.size)
    return len(value) if isinstance(value, Sized) and not isinstance(value, str) else None


def _kind(value: object) -> str:  # the type in plain words, with its size: "a list of 3 values"
    kind = next((words for t, words in KINDS.items() if isinstance(value, t)), None)
    kind, n = kind or f"a value of type {_cut(type(value).__name__)}", _size(value)
    return kind if n is None else f"{kind} of {n:,} value{'s' * (n != 1)}"


def _number(value: object, what: str, proportion: bool = False) -> float:  # finite, or a hint
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray) and value.size == 1:
        value = np.ravel(np.asarray(value, dtype=object))[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise _Hint(f"give {what}, not {_kind(value)}.")  # True is not a number here
    number = float(value)  # an int too large for a float raises: the catch-all says what to give
    if not math.isfinite(number):
        raise _Hint(f"{number} where {what} should be: did a division or a filter come out empty?")
    if proportion and not 0 <= number <= 1:
        raise _Hint("a proportion lies between 0 and 1 (is that a percentage?).")
    return number


def _names(value: object, what: str) -> set[str]:  # as a set of stripped, lower-case names
    value = [value] if isinstance(value, str) else value
    if isinstance(value, pd.DataFrame | Mapping) or not isinstance(value, Collection):
        raise _Hint(f"give {what}, not {_kind(value)}.")
    items = list(value.ravel() if isinstance(value, np.ndarray) else value)
    if not all(isinstance(item, str) for item in items):
        raise _Hint(f"give {what}: every item should be a name in quotes.")
    return {item.strip().lower() for item in items}


def _series(value: object, what: str = "") -> dict[str, float]:  # {lower-case label: number}
    if isinstance(value, pd.DataFrame):
        numeric = list(value.select_dtypes("number").columns)
        if value.shape[1] == 2 and len(numeric) == 1:  # e.g. after .reset_index()
            value = value.set_index(next(c for c in value.columns if c not in numeric))
        value = value.squeeze(axis=1)  # a one-column table is a Series
    if not isinstance(value, pd.Series | Mapping):
        raise _Hint(f"give {what}, not {_kind(value)}.")
    read = {str(k).strip().lower(): _number(v, f"a count for {_cut(k)}") for k, v in value.items()}
    return {k: v for k, v in read.items() if v != 0}  # zeros left out


def _gap(given: Any, expected: Any) -> float:  # in tolerances, for numbers, pairs or mappings
    if isinstance(expected, Mapping):
        if not isinstance(given, Mapping) or set(given) != set(expected):
            return math.inf
        return max((_gap(given[k], expected[k]) for k in expected), default=0.0)
    expected = np.asarray(expected, dtype=float)  # a pair (an interval) is compared element-wise
    gap = np.max(abs(given - expected) / np.maximum(ABS_TOL, REL_TOL * abs(expected)))
    return gap if gap == gap else math.inf  # a NaN candidate matches nothing


def _judge(question: str, given: object, expected: object, ok: str, **slips: object) -> str:
    """``✓ Correct: ok`` if ``given`` is nearest ``expected``, else the nearest slip's hint."""
    gaps = {name: _gap(given, wrong) for name, wrong in {"": expected, **slips}.items()}
    nearest = min(gaps, key=gaps.__getitem__)  # intervals of several methods can lie close
    if gaps[nearest] <= 1 and not nearest:
        return f"✓ Correct: {ok}"
    raise _Hint(HINTS[f"{question} {nearest}" if gaps[nearest] <= 1 else question])


def _pathway() -> pd.DataFrame:
    table = load_table("jak_pathway")
    drugs = table["inhibited_by"].fillna("").str.split(";")
    return table.assign(drugs=drugs, label=table["label"].str.lower())


def _cid_rows(outcomes: pd.DataFrame, whole_cohort: bool = True) -> pd.DataFrame:
    rows = outcomes[(outcomes["measure"] == CID) & outcomes["n_assessed"].notna()]
    if rows.empty:  # the exercises name this measure: say so if the data renamed it
        raise _Hint(f"data/outcomes.csv has no {CID!r} row: update CID in helpers/exercises.py.")
    return rows[rows["subgroup"].isna()] if whole_cohort else rows


def _check_q1(answer: object, what: str) -> str:
    table, given = _pathway(), _names(answer, what)
    kinases = table[(table["pathway"] == "type I IFN") & (table["kind"] == "kinase")]
    expected = {r.label for r in kinases.itertuples() if "tofacitinib" in r.drugs}
    for name in sorted(given - expected):
        rows = table[table["label"] == name]
        if rows.empty:
            raise _Hint(f"{_cut(name)} is not a label of the table; use labels such as 'JAK1'.")
        drugs = ", ".join(sorted(set(rows["drugs"].explode()) - {""})) or "no drug"
        where = " and ".join(sorted(rows["pathway"].astype(str).unique()))
        raise _Hint(f"the table puts {name.upper()} on the {where} pathway, inhibited by {drugs}.")
    if expected - given:
        raise _Hint("you missed a kinase: filter the type I IFN kinases, then keep tofacitinib's.")
    return "✓ Correct: " + ", ".join(sorted(k.upper() for k in expected)) + "."


def _check_q2(answer: object, what: str) -> str:
    table, given = _pathway(), _names(answer, what)
    expected = set(table.loc[table["label"] == "jak2", "drugs"].explode()) - {""}
    for drug in sorted(given - expected):
        targets = sorted({r.label.upper() for r in table.itertuples() if drug in r.drugs})
        if not targets:
            raise _Hint(f"{_cut(drug)} is not a drug of the table (names are lower-case generic).")
        raise _Hint(f"the table lists {drug} on {' and '.join(targets)}, not on JAK2.")
    if expected - given:
        raise _Hint("you missed a drug: look at every row whose label is 'JAK2'.")
    return "✓ Correct: " + " and ".join(sorted(expected)) + " inhibit JAK2."


def _check_q3(answer: object, what: str) -> str:
    expression, is_control = practice_expression()
    log2_shift = expression.sub(expression.loc[is_control].mean())  # log2 fold changes
    scores, patient = log2_shift.rpow(2).median(axis=1), log2_shift.loc["patient X"]
    ok = f"patient X's interferon score is {scores['patient X']:.2f}."
    slips = {"mean": (2**patient).mean(), "log2": patient.median(), "all": scores.median()}
    return _judge("q3", _number(answer, what), scores["patient X"], ok, **slips)


def _check_q4(answer: object, what: str) -> str:
    raw = pd.read_csv(raw_table_path(), dtype=str, keep_default_na=False)
    cell = raw.loc[raw["Case study"].str.startswith("Ding"), "Patient"].iloc[0]
    mean_sd = r"\s+([\d.]+)\s*±\s*([\d.]+)"  # "... 7.2 ± 4 years": the mean and the SD
    start, onset = (re.search(words + mean_sd, cell) for words in ("start JAK inhibitors", "onset"))
    single = isinstance(answer, pd.Series | pd.DataFrame) and answer.size == 1
    value = answer.squeeze() if single else answer  # type: ignore[union-attr]
    if isinstance(value, str) and value.strip() == start[1]:
        raise _Hint(HINTS["q4 text"])
    if isinstance(value, float) and math.isnan(value):
        raise _Hint(HINTS["q4 nan"])
    slips = {"digit": float(start[1][0]), "onset": float(onset[1]), "sd": float(start[2])}
    ok = f"Ding's children started at a mean age of {start[1]} years."
    return _judge("q4", _number(value, what), float(start[1]), ok, **slips)


def _check_q5(answer: object, what: str) -> str:
    data = load_case_data()
    expected = _series(data.groups.groupby("drug", observed=True)["n_patients"].sum())
    listed = data.patients.merge(data.groups[["group_id", "drug"]], on="group_id")
    ok = ", ".join(f"{k} {v:.0f}" for k, v in expected.items()) + "."
    rows, listed = (_series(t["drug"].value_counts()) for t in (data.groups, listed))
    return _judge("q5", _series(answer, what), expected, ok, rows=rows, listed=listed)


def _check_q6(answer: object, what: str) -> str:
    data, value = load_case_data(), _number(answer, what, proportion=True)
    known = data.studies[data.studies["n_female"].notna()]  # the studies that report sex
    expected, every = (t["n_female"].sum() / t["n_patients"].sum() for t in (known, data.studies))
    ok = f"{expected:.1%} of the patients whose sex is reported are female."
    mean = (known["n_female"] / known["n_patients"]).mean()
    listed = (data.patients["sex"].dropna() == "F").mean()
    return _judge("q6", value, expected, ok, all=every, mean=mean, listed=listed)


def _check_q7(answer: object, what: str) -> str:
    treatments = load_case_data().prior_treatments
    expected, study = (_series(treatments.groupby(by).size()) for by in ("patient_id", "study_id"))
    ok = f"from {min(expected.values()):.0f} to {max(expected.values()):.0f} per patient."
    classes = _series(treatments.groupby("patient_id")["treatment_class"].nunique())
    return _judge("q7", _series(answer, what), expected, ok, study=study, classes=classes)


def _check_q8(answer: object, what: str) -> str:
    pivot = functools.partial(load_case_data().groups.pivot_table, fill_value=0, observed=True)
    sums, counts = (pivot("n_patients", "study_id", "drug", f) for f in ("sum", "count"))
    if not isinstance(answer, pd.DataFrame):
        raise _Hint(f"give {what}, not {_kind(answer)}.")
    table = answer.set_index("study_id") if "study_id" in answer.columns else answer
    if set(map(str, table.index)) == set(map(str, sums.columns)):
        raise _Hint("rows and columns are swapped: rows should be studies, columns drugs (.T).")
    if table.isna().to_numpy().any():
        raise _Hint("some cells are NaN: a drug that a study did not use has 0 patients in it.")
    ok = f"a table of {sums.shape[0]} studies × {sums.shape[1]} drugs, patients in each cell."
    cells, sums, counts = (_series(t.stack(), "the table") for t in (table, sums, counts))
    return _judge("q8", cells, sums, ok, count=counts)


def _check_q9(answer: object, what: str) -> str:
    if isinstance(answer, figure.Figure):
        raise _Hint("you gave the Figure: give the Axes you drew on (e.g. ax = sns.barplot(...)).")
    if not isinstance(answer, axes.Axes):
        raise _Hint(f"give {what}, not {_kind(answer)}.")
    groups = load_case_data().groups
    target = sorted(t for t in groups.groupby("drug", observed=True)["n_patients"].sum() if t > 0)
    bars = [p for p in answer.patches if isinstance(p, patches.Rectangle)]
    heights = sorted(b.get_height() for b in bars if b.get_height())
    widths = sorted(b.get_width() for b in bars if b.get_width())
    if not any(len(s) == len(target) and np.allclose(s, target) for s in (heights, widths)):
        if len(bars) == len(groups):
            raise _Hint("you drew one bar per group: sum the patients per drug first.")
        raise _Hint(f"draw {len(target)} bars, as high as each drug's patients (not {len(bars)}).")
    labels = {"x-axis label": answer.get_xlabel(), "y-axis label": answer.get_ylabel()}
    if missing := [k for k, v in {**labels, "title": answer.get_title()}.items() if not v.strip()]:
        raise _Hint(f"the bars are right; now add a {' and a '.join(missing)}.")
    counts = set(pd.to_numeric(pd.Series([x.get_text() for x in answer.texts]), errors="coerce"))
    if not all(b.get_hatch() for b in bars if b.get_height()) and not counts >= set(target):
        raise _Hint(HINTS["q9 grey"])
    return f"✓ Correct: {len(target)} bars with labelled axes and a title."


def _check_q11(answer: object, what: str) -> str:
    row = _cid_rows(load_case_data().outcomes).query("study_id == 'le_voyer_2021'").iloc[0]
    k, n = int(row["n_improved"]), int(row["n_assessed"])
    items = np.ravel(answer) if isinstance(answer, np.ndarray) else answer
    if not isinstance(items, tuple | list | np.ndarray | pd.Series | pd.Index) or len(items) != 2:
        raise _Hint(f"give {what}, not {_kind(answer)}.")
    low, high = (_number(x, "a bound of the interval", proportion=True) for x in items)
    if low > high:
        raise _Hint("give the lower bound first: (lower, upper).")
    wilson, normal, beta = (confint(k, n, method=m) for m in ("wilson", "normal", "beta"))
    ok = f"{k}/{n}, Wilson 95% CI {wilson[0]:.2f} to {wilson[1]:.2f}."
    return _judge("q11", (low, high), wilson, ok, normal=normal, beta=beta)


def _check_q13(answer: object, what: str) -> str:
    outcomes = load_case_data().outcomes
    made_k, made_n = MADE_UP_OUTCOME["n_improved"], MADE_UP_OUTCOME["n_assessed"]
    rows, every = _cid_rows(outcomes), _cid_rows(outcomes, whole_cohort=False)
    k, n = rows["n_improved"].sum() + made_k, rows["n_assessed"].sum() + made_n
    slips = {"missing": (k - made_k) / (n - made_n), "alone": made_k / made_n}
    slips["subgroups"] = (every["n_improved"].sum() + made_k) / (every["n_assessed"].sum() + made_n)
    slips["mean"] = np.mean([*(rows["n_improved"] / rows["n_assessed"]), made_k / made_n])
    value, ok = _number(answer, what, proportion=True), f"{k:.0f}/{n:.0f} = {k / n:.2f}"
    return _judge("q13", value, k / n, f"crude pooled proportion {ok}.", **slips)


def _check_q14(answer: object, what: str) -> str:
    studies = load_case_data().studies
    design = studies["design"].astype(str).str.lower()
    expected = int(design.str.contains("trial|control").sum())
    ok = f"studies with a comparison group: {expected} of {len(studies)}."
    cohorts = (design == "retrospective cohort").sum()
    return _judge("q14", _number(answer, what), expected, ok, all=len(studies), cohorts=cohorts)


def _check_q16(answer: object, what: str) -> str:
    data, sizes = load_case_data(), np.arange(1, 2001)
    row = _cid_rows(data.outcomes).query("study_id == 'le_voyer_2021'").iloc[0]
    share = row["n_improved"] / row["n_assessed"]

    def smallest(method: str = "wilson", width: float = MAX_WIDTH) -> int:
        low, high = confint(share * sizes, sizes, method=method)
        return int(sizes[high - low <= width].min())

    value, n, largest = _number(answer, what), smallest(), int(data.studies["n_patients"].max())
    if value != round(value):
        raise _Hint(HINTS["q16 whole"])
    ok = f"{n} children for a Wilson interval at most {MAX_WIDTH} wide (largest cohort: {largest})."
    slips = {"normal": smallest("normal"), "beta": smallest("beta"), "cohort": largest}
    return _judge("q16", value, n, ok, **slips, half=smallest(width=2 * MAX_WIDTH), short=n - 1)


def _choice(question: str, answer: object, what: str) -> str:
    right, why = CHOICES[question]
    letter = answer.strip().strip("().").strip().upper() if isinstance(answer, str) else ""
    if letter == right:
        return f"✓ Correct: {right}. {why}"
    raise _Hint(HINTS.get(f"{question} {letter}", f"give {what}."))


CHECKERS: dict[str, tuple[Callable[[Any, str], str], str]] = {  # id: (checker, what it asks for)
    "q1": (_check_q1, "the kinase name(s) as text in a set or a list"),
    "q2": (_check_q2, "the drug name(s) as text in a set or a list"),
    "q3": (_check_q3, "patient X's score as one number (e.g. scores['patient X'])"),
    "q4": (_check_q4, "Ding's mean age at the start as one number (in years)"),
    "q5": (_check_q5, "patients per drug as a pandas Series or a dict"),
    "q6": (_check_q6, "a proportion between 0 and 1 as one number"),
    "q7": (_check_q7, "prior treatments per patient as a pandas Series or a dict"),
    "q8": (_check_q8, "a pandas DataFrame with a row per study and a column per drug"),
    "q9": (_check_q9, "the one matplotlib Axes of your bar chart"),
    "q11": (_check_q11, "the interval as two numbers between 0 and 1, (lower, upper)"),
    "q13": (_check_q13, "the crude pooled proportion as one number between 0 and 1"),
    "q14": (_check_q14, "a whole number of studies"),
    "q16": (_check_q16, "a whole number of children"),
    **{q: (functools.partial(_choice, q), "one letter in quotes, e.g. 'A'") for q in CHOICES},
}


def feedback(question_id: object, answer: object) -> str:
    """The one line :func:`check` prints (also usable in tests). Never raises."""
    checker, what = CHECKERS.get(question_id if type(question_id) is str else "", (None, ""))
    try:
        with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):
            if checker is None:
                raise _Hint(f"unknown question {_cut(question_id)}; use q1 to q{len(CHECKERS)}.")
            if answer is ...:  # the untouched answer cell, ``answer_3 = ...``
                return f"{question_id}: not attempted yet (replace the ... with your answer)."
            if (_size(answer) or 0) > MAX_VALUES:  # refused at once, before any slow work
                raise _Hint(f"give {what}; {_kind(answer)} is far too many.")
            message = checker(answer, what)
    except _Hint as hint:
        message = f"Hint: {hint}"
    except Exception:  # a check must never raise, whatever it is given: say what it asks for
        message = f"Hint: give {what}." if checker else "Hint: unknown question."
    return " ".join(str(message).split())


def check(question_id: str, answer: object) -> None:
    """Print one line of feedback on ``answer`` to exercise ``question_id`` (e.g. ``"q3"``)."""
    print(feedback(question_id, answer))
