"""The exercises of notebook 06: one source, two copies, and checks that never raise.

- the solutions notebook is nbgrader's source (an answer and a one-point test cell per exercise)
  and the committed student copy hides the solutions (that it is exactly nbgrader's release is
  checked by ``tests/grading_class.py``, with the grading of a fixture class);
- every solution gets ✓, and typical wrong answers get their specific hint (every wrong option of
  a multiple-choice question has its own);
- ``check`` prints exactly one line whatever it is given (hypothesis), and "not attempted yet"
  for the untouched placeholder ``...``;
- the committed outputs show ✓ in the solutions and "not attempted yet" in the student copy;
- the expected answers follow the data: with a made-up study added, the solutions still pass;
- a hostile answer gets a short hint at once: a long text is quoted cut to 80 characters, a huge
  answer is refused within a second, an answer that raises gets what the question expects, types
  are named in plain words, and any kind of number is read as one (True/False is not a number).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from statsmodels.stats.proportion import proportion_confint

import helpers
from helpers import exercises
from helpers.exercises import ABS_TOL, CHECKERS, MADE_UP_OUTCOME, REL_TOL, check, feedback

ROOT = helpers.paths.REPO_ROOT
SOLUTIONS = ROOT / "notebooks" / "06_exercises_solutions.ipynb"
STUDENT = ROOT / "notebooks" / "06_exercises.ipynb"
QUESTIONS = sorted(CHECKERS, key=lambda q: int(q[1:]))
NEW_STUDY = Path(__file__).parent / "fixtures" / "new_study"


def _printed(question: object, answer: object) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        check(question, answer)  # type: ignore[arg-type]
    return buffer.getvalue()


def _solution_answers() -> dict[str, object]:
    """Run the solutions notebook's code (not its check cells) and collect ``answer_N``."""
    namespace: dict[str, object] = {}
    nb = nbformat.read(SOLUTIONS, as_version=4)
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code" and not cell.source.startswith("check("):
                exec(compile(cell.source, "<solutions>", "exec"), namespace)
    plt.close("all")
    return {f"q{k.split('_')[1]}": v for k, v in namespace.items() if k.startswith("answer_")}


@pytest.fixture(scope="module")
def answers() -> dict[str, object]:
    return _solution_answers()


# --- (1) one source, two copies (nbgrader's release itself is checked by tests/grading_class.py) --


def _nbgrader(cell: nbformat.NotebookNode) -> dict[str, object]:
    return dict(cell.metadata.get("nbgrader", {}))


def test_the_solutions_are_an_nbgrader_source_notebook() -> None:
    """Each exercise: a solution cell ``answer_N`` and a one-point test cell ``check_qN``."""
    cells = nbformat.read(SOLUTIONS, as_version=4).cells
    answers = [c for c in cells if _nbgrader(c).get("solution")]
    tests = [c for c in cells if _nbgrader(c).get("grade")]
    assert [_nbgrader(c)["grade_id"] for c in answers] == [f"answer_{q[1:]}" for q in QUESTIONS]
    assert [_nbgrader(c)["grade_id"] for c in tests] == [f"check_{q}" for q in QUESTIONS]
    for answer, test, question in zip(answers, tests, QUESTIONS, strict=True):
        n = question[1:]
        placeholder = f"answer_{n} = ...  # your answer here\n"
        assert answer.source.startswith(placeholder + "### BEGIN SOLUTION\n")
        assert answer.source.endswith("### END SOLUTION")
        assert test.source.startswith(f'check("{question}", answer_{n})\n### BEGIN HIDDEN TESTS\n')
        assert _nbgrader(test)["points"] == 1 and _nbgrader(test)["locked"]


def test_the_student_copy_hides_the_solutions() -> None:
    student = nbformat.read(STUDENT, as_version=4)
    placeholders = [c for c in student.cells if _nbgrader(c).get("solution")]
    assert [c.source.strip() for c in placeholders] == [
        f"answer_{q[1:]} = ...  # your answer here" for q in QUESTIONS
    ]
    text = "\n".join(c.source for c in student.cells)
    assert "**Solution" not in text and "proportion_confint(k, n" not in text
    assert "SOLUTION" not in text and "HIDDEN TESTS" not in text and "feedback(" not in text
    assert student.cells[0].source.startswith("# 06 · Exercises\n")
    assert "06_exercises_solutions.ipynb" in student.cells[-1].source
    for cell in student.cells:
        assert not {"solution-prose", "solution-caption", "nav"} & set(
            cell.metadata.get("tags", [])
        )
        for out in cell.get("outputs", []):
            assert "image/png" not in out.get("data", {}), "the student copy draws no figure"


# --- (2) right answers get ✓, typical wrong answers get their hint --------------------------------


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_solution_gets_a_tick(answers: dict[str, object], question: str) -> None:
    assert feedback(question, answers[question]).startswith("✓")


def test_equivalent_forms_are_accepted(answers: dict[str, object]) -> None:
    assert feedback("q1", ["jak1"]).startswith("✓")
    assert feedback("q1", "JAK1").startswith("✓")
    assert feedback("q2", ("ruxolitinib", "Baricitinib")).startswith("✓")
    assert feedback("q5", dict(answers["q5"])).startswith("✓")  # type: ignore[call-overload]
    assert feedback("q5", answers["q5"].reset_index()).startswith("✓")  # type: ignore[attr-defined]
    assert feedback("q8", answers["q8"].reset_index()).startswith("✓")  # type: ignore[attr-defined]
    assert feedback("q6", round(float(answers["q6"]), 3)).startswith("✓")  # type: ignore[arg-type]
    assert feedback("q11", list(np.round(answers["q11"], 3))).startswith("✓")  # type: ignore[call-overload]
    assert feedback("q12", " c ").startswith("✓")
    assert feedback("q14", np.int64(answers["q14"])).startswith("✓")  # type: ignore[call-overload]
    assert feedback("q4", pd.Series([answers["q4"]])).startswith("✓")
    assert feedback("q4", np.float64(answers["q4"])).startswith("✓")  # type: ignore[arg-type]
    assert feedback("q16", float(answers["q16"])).startswith("✓")  # type: ignore[arg-type]
    assert feedback("q16", np.int64(answers["q16"])).startswith("✓")  # type: ignore[call-overload]


def _data() -> helpers.CaseData:
    return helpers.load_case_data()


def _wrong_answers() -> list[tuple[str, object, str]]:
    """(question, a typical wrong answer, words its hint must contain), computed from data."""
    data = _data()
    groups, studies, outcomes = data.groups, data.studies, data.outcomes
    expression, is_control = exercises.practice_expression()
    log2_shift = expression.loc["patient X"] - expression[is_control].mean()
    folds = 2**log2_shift
    reported = studies[studies["n_female"].notna()]
    share = float(reported["n_female"].sum() / reported["n_patients"].sum())
    wide = groups.pivot_table(
        index="study_id", columns="drug", values="n_patients", aggfunc="sum", observed=True
    )
    counted = groups.pivot_table(
        index="study_id", columns="drug", values="n_patients", aggfunc="count", observed=True
    ).fillna(0)
    cid = outcomes[outcomes["measure"] == "clinically inactive disease"]
    whole = cid[cid["subgroup"].isna()]
    le_voyer = whole[whole["study_id"] == "le_voyer_2021"].iloc[0]
    k, n = int(le_voyer["n_improved"]), int(le_voyer["n_assessed"])
    wilson = proportion_confint(k, n, method="wilson")
    made_k, made_n = MADE_UP_OUTCOME["n_improved"], MADE_UP_OUTCOME["n_assessed"]
    printed = pd.read_csv(helpers.raw_table_path(), dtype=str, keep_default_na=False)
    ding = printed.loc[printed["Case study"].str.startswith("Ding"), "Patient"].iloc[0]
    ding = re.sub(r"\s+", " ", ding)  # thin spaces as plain ones: simpler patterns below
    start = re.search(r"start JAK inhibitors ([\d.]+) ± ([\d.]+)", ding)
    onset = re.search(r"onset ([\d.]+)", ding)
    share = float(le_voyer["n_improved"] / le_voyer["n_assessed"])
    sizes = np.arange(1, 1001)

    def needed(method: str = "wilson", width: float = exercises.MAX_WIDTH) -> int:
        low, high = proportion_confint(share * sizes, sizes, method=method)
        return int(sizes[np.asarray(high - low) <= width][0])

    return [
        ("q1", {"JAK1", "TYK2"}, "TYK2 on the type I IFN pathway, inhibited by no drug"),
        ("q1", {"JAK3"}, "JAK3 on the common γ-chain pathway, inhibited by tofacitinib"),
        ("q1", set(), "missed a kinase"),
        ("q2", {"baricitinib", "ruxolitinib", "tofacitinib"}, "not on JAK2"),
        ("q3", float(folds.mean()), "mean of the fold changes"),
        ("q3", float(log2_shift.median()), "log2 scale"),
        ("q4", start.group(1), "make it a number"),
        ("q4", pd.Series([start.group(1)]), "make it a number"),
        ("q4", float("nan"), "the pattern's words"),
        ("q4", pd.Series([np.nan]), "the pattern's words"),
        ("q4", float(start.group(1)[0]), "only the first digit"),
        ("q4", float(onset.group(1)), "age at onset"),
        ("q4", float(start.group(2)), "standard deviation"),
        ("q5", groups["drug"].astype(str).value_counts(), "counted groups"),
        ("q5", data.patients.merge(groups, on="group_id")["drug"].value_counts(), "patients.csv"),
        ("q6", share * 100, "percentage"),
        ("q6", float(studies["n_female"].sum() / studies["n_patients"].sum()), "all patients"),
        ("q6", float((reported["n_female"] / reported["n_patients"]).mean()), "averaged"),
        ("q7", data.prior_treatments.groupby("study_id").size(), "grouped by study"),
        ("q7", data.prior_treatments.groupby("patient_id")["treatment_class"].nunique(), "classes"),
        ("q8", wide.fillna(0).T, "swapped"),
        ("q8", wide, "NaN"),
        ("q8", counted, "counted groups"),
        ("q9", Figure(), "gave the Figure"),
        ("q11", (wilson[0] * 100, wilson[1] * 100), "percentage"),
        ("q11", proportion_confint(k, n, method="normal"), "normal approximation"),
        ("q11", proportion_confint(k, n, method="beta"), "Clopper–Pearson"),
        ("q11", (wilson[1], wilson[0]), "lower bound first"),
        ("q12", "A", "not a response rate"),
        ("q12", "d", "no comparison group"),
        (
            "q13",
            float(whole["n_improved"].sum() / whole["n_assessed"].sum()),
            "made-up study is missing",
        ),
        (
            "q13",
            (float(cid["n_improved"].sum()) + made_k) / (float(cid["n_assessed"].sum()) + made_n),
            "subgroup rows",
        ),
        (
            "q13",
            float(np.mean([*(whole["n_improved"] / whole["n_assessed"]), made_k / made_n])),
            "averaged",
        ),
        ("q13", made_k / made_n, "made-up study alone"),
        ("q14", len(studies), "counted every study"),
        ("q14", int((studies["design"] == "retrospective cohort").sum()), "retrospective cohort"),
        ("q10", "A", "confounding"),
        ("q10", "c", "not balanced"),
        ("q10", "D", "cannot show the best drug"),
        ("q15", "B", "placebo effect"),
        ("q15", "C", "natural course"),
        ("q15", "D", "rules out other treatments"),
        ("q16", needed() - 1, "still too wide"),
        ("q16", needed("normal"), "normal approximation"),
        ("q16", needed("beta"), "Clopper–Pearson"),
        ("q16", needed(width=2 * exercises.MAX_WIDTH), "on each side"),
        ("q16", int(studies["n_patients"].max()), "largest cohort"),
        ("q16", needed() + 0.5, "whole number"),
        ("q17", "A", "non-responders"),
        ("q17", "C", "JAK–STAT (IRF-7)"),
        ("q17", "D", "non-responders"),
    ]


@pytest.mark.parametrize(("question", "answer", "words"), _wrong_answers())
def test_a_typical_slip_gets_its_hint(question: str, answer: object, words: str) -> None:
    message = feedback(question, answer)
    assert message.startswith("Hint:"), message
    assert words in message, message


def _cell_after(heading: str, tag: str) -> str:
    """The first cell tagged ``tag`` (or nbgrader's solution cell) after ``heading``."""
    cells = nbformat.read(SOLUTIONS, as_version=4).cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith(heading))
    marked = lambda c: tag in c.metadata.get("tags", []) or (  # noqa: E731
        tag == "solution" and c.metadata.get("nbgrader", {}).get("solution")
    )
    return next(c.source for c in cells[start:] if marked(c))


@pytest.mark.parametrize("question", sorted(exercises.CHOICES))
def test_every_wrong_option_has_its_own_hint(question: str) -> None:
    right, _ = exercises.CHOICES[question]
    assert feedback(question, right.lower()).startswith(f"✓ Correct: {right}.")
    for letter in sorted(set("ABCD") - {right}):
        assert feedback(question, letter) == f"Hint: {exercises.HINTS[f'{question} {letter}']}"


def test_the_hints_file_is_well_formed_and_every_hint_the_code_names_exists() -> None:
    """helpers/exercise_hints.csv: one row per key ("qN" or "qN slip"), a hint that survives
    the gradebook's 160-character reason whole ("Hint: " included), and no key the checks use
    missing from it (a missing key would turn a learner's slip into a generic error)."""
    path = Path(exercises.__file__).with_name("exercise_hints.csv")
    keys = pd.read_csv(path, dtype=str, keep_default_na=False)["key"]
    assert keys.is_unique, f"duplicated keys: {sorted(keys[keys.duplicated()])}"
    assert keys.str.fullmatch(r"q\d+( \S+)?").all(), keys[~keys.str.fullmatch(r"q\d+( \S+)?")]
    assert all(0 < len(f"Hint: {hint}") <= 160 for hint in exercises.HINTS.values())
    named = re.findall(r'HINTS\["([^"]+)"\]', Path(exercises.__file__).read_text("utf-8"))
    assert named and set(named) <= set(exercises.HINTS), set(named) - set(exercises.HINTS)


def test_exercise_17_tells_the_one_story_of_serum_ifn_alpha() -> None:
    """Serum IFN-α fell in responders and non-responders alike: compatible with the drug acting
    (IFN drives its own production through JAK-STAT), not proof (glucocorticoids, plasma
    exchange, no control), and not a marker of clinical response."""
    right, _ = exercises.CHOICES["q17"]
    prose = _cell_after("### Exercise 17", "solution-prose")
    assert prose.startswith(f"**Solution: {right}.**")
    for words in (
        "non-responders",
        "IRF-7",
        "glucocorticoids",
        "plasma exchange",
        "uncontrolled",
        "not a marker of clinical response",
    ):
        assert words in prose, words
    assert f'answer_17 = "{right}"' in _cell_after("### Exercise 17", "solution")
    for letter in "ABCD":  # every wrong option has its own hint, never the generic one
        assert letter == right or f"q17 {letter}" in exercises.HINTS


def test_exercise_11_asks_for_the_crude_pool_and_says_what_it_ignores() -> None:
    """Exercise 13 agrees with notebook 04: a crude pooled proportion treats the children as
    one sample; the random-effects estimate allows for differences between studies."""
    cells = nbformat.read(SOLUTIONS, as_version=4).cells
    question = next(c.source for c in cells if c.source.startswith("### Exercise 13"))
    assert "crude pooled proportion" in question and "pd.concat" in question
    prose = _cell_after("### Exercise 13", "solution-prose")
    for words in ("one sample", "random-effects", "differences between the studies", "mean"):
        assert words in prose, words
    assert "crude pooled proportion" in exercises.HINTS["q13"]


def test_a_renamed_measure_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exercises name one measure (CID): if the data stop using that name, the checks say
    so instead of computing on nothing."""
    monkeypatch.setattr(exercises, "CID", "a measure that is not in the data")
    for question, answer in (("q11", (0.2, 0.8)), ("q13", 0.5)):
        assert "update CID in helpers/exercises.py" in feedback(question, answer)


def test_the_named_measure_is_in_the_data_and_the_glossary() -> None:
    outcomes = _data().outcomes
    assert (outcomes["measure"] == exercises.CID).any()
    assert MADE_UP_OUTCOME["measure"] == exercises.CID
    measures = pd.read_csv(helpers.data_dir() / "measures.csv")
    assert exercises.CID in set(measures["measure"])


def _bar_axes(heights: list[float], *, labels: bool = True, grey: str | None = "counts") -> object:
    """Bars; axis labels and a title unless ``labels`` is false; readable in grey by their
    ``"counts"`` (ax.bar_label), their ``"hatches"``, or (None) colour alone."""
    fig = Figure()
    ax = fig.add_subplot()
    bars = ax.bar(range(len(heights)), heights)
    if labels:
        ax.set(xlabel="drug", ylabel="patients", title="Patients per drug")
    if grey == "counts":
        ax.bar_label(bars)
    for bar in bars if grey == "hatches" else []:
        bar.set_hatch("//")
    return ax


def test_figure_hints_read_the_axes() -> None:
    per_drug = list(_data().groups.groupby("drug", observed=True)["n_patients"].sum())
    assert feedback("q9", _bar_axes(per_drug)).startswith("✓")
    unlabelled = feedback("q9", _bar_axes(per_drug, labels=False))
    assert "add a x-axis label" in unlabelled
    per_group = feedback("q9", _bar_axes(list(_data().groups["n_patients"].astype(float))))
    assert "one bar per group" in per_group
    assert "not 0" in feedback("q9", Figure().add_subplot())


def test_the_figure_must_read_in_grey() -> None:
    """Exercise 9 asks for hatches or direct labels: colour alone gets a hint."""
    per_drug = list(_data().groups.groupby("drug", observed=True)["n_patients"].sum())
    assert feedback("q9", _bar_axes(per_drug, grey="hatches")).startswith("✓")
    assert feedback("q9", _bar_axes(per_drug, grey="counts")).startswith("✓")
    assert "readable in grey" in feedback("q9", _bar_axes(per_drug, grey=None))
    ax = _bar_axes(per_drug, grey=None)
    ax.patches[0].set_hatch("..")  # one hatched bar is not enough
    assert "readable in grey" in feedback("q9", ax)
    wrong_counts = _bar_axes(per_drug, grey=None)
    wrong_counts.bar_label(wrong_counts.containers[0], labels=["1", "2", "3"][: len(per_drug)])
    assert "readable in grey" in feedback("q9", wrong_counts)


def _same(a: object, b: object) -> bool:
    """Whether two answers are equal (tables exactly, numbers to the checks' tolerance)."""
    if isinstance(a, pd.Series | pd.DataFrame):
        return a.equals(b)
    try:
        return bool(np.allclose(a, b, rtol=REL_TOL, atol=ABS_TOL))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return a == b


def test_checks_follow_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a made-up study appended to a copy of data/, the solution code still gets ✓, and
    every answer that the study changes gets a hint when computed on the original data."""
    if not NEW_STUDY.exists():
        pytest.skip("the made-up study fixture is not there")
    committed = helpers.paths.REPO_ROOT / "data"
    if (committed / "studies.csv").read_text(encoding="utf-8").count("example_2099"):
        pytest.skip("the made-up study is in data/ already: nothing to add")
    monkeypatch.setenv(helpers.paths.DATA_DIR_ENV, str(committed))
    old = _solution_answers()
    shutil.copytree(committed, tmp_path, dirs_exist_ok=True)
    for extra in NEW_STUDY.glob("*.csv"):
        table = tmp_path / extra.name
        both = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in (table, extra)]
        pd.concat(both).to_csv(table, index=False, lineterminator="\n")
    monkeypatch.setenv(helpers.paths.DATA_DIR_ENV, str(tmp_path))
    new = _solution_answers()
    for question in QUESTIONS:
        assert feedback(question, new[question]).startswith("✓"), question
    changed = [q for q in QUESTIONS if not _same(old[q], new[q])]
    assert "q5" in changed  # patients per drug: the made-up study adds 20 on tofacitinib
    for question in changed:
        assert feedback(question, old[question]).startswith("Hint:"), question


# --- (3) and (4) a check never raises and prints one line -----------------------------------------


def _frames() -> st.SearchStrategy[pd.DataFrame]:
    def frame(n: int) -> st.SearchStrategy[pd.DataFrame]:
        column = st.one_of(
            st.lists(st.integers(), min_size=n, max_size=n),
            st.lists(st.floats(), min_size=n, max_size=n),
            st.lists(st.text(max_size=4), min_size=n, max_size=n),
        )
        return st.dictionaries(st.text(max_size=8), column, max_size=4).map(pd.DataFrame)

    return st.integers(0, 4).flatmap(frame)


def _axes(kind: str) -> object:
    fig = Figure()
    if kind == "polar":
        return fig.add_subplot(projection="polar")
    ax = fig.add_subplot()
    if kind == "line":
        ax.plot([1, 2, 3], [3, 1, 2])
    return ax


ANYTHING = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()), max_size=5),
    st.sets(st.text(max_size=6), max_size=4),
    st.tuples(st.floats(), st.floats()),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.floats(), st.text())),
    st.dictionaries(st.text(max_size=6), st.floats()).map(lambda d: pd.Series(d, dtype=float)),
    _frames(),
    st.sampled_from(["polar", "line", "empty"]).map(_axes),
    st.just(Figure()),
    st.just(np.array([[1.0, np.nan], [np.inf, 2.0]])),
)


@pytest.mark.parametrize("question", QUESTIONS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=ANYTHING)
def test_a_check_never_raises_and_prints_one_line(question: str, answer: object) -> None:
    out = _printed(question, answer)
    assert out.endswith("\n") and out.count("\n") == 1 and out.strip(), repr(out)
    assert out.startswith(("✓", "Hint:")), out


@given(question=st.one_of(st.none(), st.text(), st.integers()), answer=ANYTHING)
@settings(max_examples=30, deadline=None)
def test_an_unknown_question_gets_a_hint(question: object, answer: object) -> None:
    if question in CHECKERS:
        return
    out = _printed(question, answer)
    assert out.count("\n") == 1 and out.startswith("Hint: unknown question")


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_placeholder_is_not_attempted(question: str) -> None:
    out = _printed(question, ...)
    assert out.count("\n") == 1 and "not attempted yet" in out


# --- (5) the committed outputs --------------------------------------------------------------------


def _check_outputs(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] == "code" and "".join(cell["source"]).startswith("check("):
            texts.append(
                "".join(
                    "".join(o.get("text", ""))
                    for o in cell["outputs"]
                    if o.get("output_type") == "stream"
                )
            )
    return texts


def test_the_solutions_show_a_tick_everywhere() -> None:
    outputs = _check_outputs(SOLUTIONS)
    assert len(outputs) == len(CHECKERS)
    assert all(text.startswith("✓") and text.count("\n") == 1 for text in outputs), outputs


def test_the_student_copy_shows_not_attempted_everywhere() -> None:
    outputs = _check_outputs(STUDENT)
    assert len(outputs) == len(CHECKERS)
    assert all("not attempted yet" in text and text.count("\n") == 1 for text in outputs), outputs


# --- (6) hostile answers: short, quick hints that say what the question expects ------------------


class Boom(Exception):
    """Raised by a learner's own object: a hint must never name it."""


class Hostile:
    """An answer that raises Boom however it is read: compared, converted or measured."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        raise Boom

    def __float__(self) -> float:
        raise Boom

    def __len__(self) -> int:
        raise Boom


class BoomFloat(float):
    """Passes for a number, and raises Boom when read as one."""

    def __float__(self) -> float:
        raise Boom


LONG = "x" * 1_000_000
QUOTED = f"'{'x' * 37}...{'x' * 38}'"  # LONG as a hint quotes it: 80 characters with an ellipsis
BIG = 2_000_000


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("q1", LONG, f"Hint: {QUOTED} is not a label of the table; use labels such as 'JAK1'."),
        ("q5", {LONG: "6"}, f"Hint: give a count for {QUOTED}, not a text string (in quotes)."),
        (LONG, 0.5, f"Hint: unknown question {QUOTED}; use q1 to q17."),
        (
            "q6",
            LONG,
            "Hint: give a proportion between 0 and 1 as one number, not a text string (in quotes).",
        ),
    ],
)
def test_a_long_answer_is_quoted_cut_short(question: str, answer: object, expected: str) -> None:
    message = feedback(question, answer)
    assert message == expected
    assert len(QUOTED) == 80 and len(message) < 300


@pytest.mark.parametrize(
    ("question", "make", "expected"),
    [
        (
            "q5",
            lambda: pd.Series(np.ones(BIG)),
            "give patients per drug as a pandas Series or a dict; "
            "a pandas Series of 2,000,000 values is far too many.",
        ),
        (
            "q1",
            lambda: ["JAK1"] * BIG,
            "give the kinase name(s) as text in a set or a list; "
            "a list of 2,000,000 values is far too many.",
        ),
        (
            "q6",
            lambda: list(range(BIG)),
            "give a proportion between 0 and 1 as one number; "
            "a list of 2,000,000 values is far too many.",
        ),
        (
            "q8",
            lambda: pd.DataFrame({"tofacitinib": np.ones(BIG), "baricitinib": np.zeros(BIG)}),
            "give a pandas DataFrame with a row per study and a column per drug; "
            "a pandas DataFrame of 4,000,000 values is far too many.",
        ),
    ],
)
def test_a_huge_answer_is_refused_within_a_second(
    question: str, make: Callable[[], object], expected: str
) -> None:
    answer = make()  # built outside the clock: only the check is timed
    start = time.perf_counter()
    message = feedback(question, answer)
    assert time.perf_counter() - start < 1.0, "a check must answer within a second"
    assert message == f"Hint: {expected}"


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("q6", Hostile(), "give a proportion between 0 and 1 as one number."),
        ("q14", BoomFloat(3.0), "give a whole number of studies."),
        (
            "q5",
            {"tofacitinib": BoomFloat(3.0)},
            "give patients per drug as a pandas Series or a dict.",
        ),
        ("q1", Hostile(), "give the kinase name(s) as text in a set or a list."),
        ("q4", Hostile(), "give Ding's mean age at the start as one number (in years)."),
        ("q16", BoomFloat(93.0), "give a whole number of children."),
        ("q10", Hostile(), "give one letter in quotes, e.g. 'A'."),
        ("q12", Hostile(), "give one letter in quotes, e.g. 'A'."),
    ],
)
def test_an_answer_that_raises_gets_what_the_question_expects(
    question: str, answer: object, expected: str
) -> None:
    message = feedback(question, answer)
    assert message == f"Hint: {expected}"
    assert "Boom" not in message and "could not read" not in message


def test_an_error_inside_a_check_still_says_what_the_question_expects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise Boom("the data went missing")

    monkeypatch.setattr(exercises, "load_case_data", broken)
    assert feedback("q6", 0.5) == "Hint: give a proportion between 0 and 1 as one number."
    expected = "Hint: give the interval as two numbers between 0 and 1, (lower, upper)."
    assert feedback("q11", (0.2, 0.8)) == expected


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("q1", None, "give the kinase name(s) as text in a set or a list, not nothing (None)."),
        ("q1", 3, "give the kinase name(s) as text in a set or a list, not a whole number."),
        ("q5", 0.5, "give patients per drug as a pandas Series or a dict, not a decimal number."),
        (
            "q3",
            pd.DataFrame([[1.0, 2.0], [3.0, 4.0]]),
            "give patient X's score as one number (e.g. scores['patient X']), "
            "not a pandas DataFrame of 4 values.",
        ),
        (
            "q6",
            [0.1, 0.2],
            "give a proportion between 0 and 1 as one number, not a list of 2 values.",
        ),
        (
            "q8",
            {"tofacitinib": 3},
            "give a pandas DataFrame with a row per study and a column per drug, "
            "not a dict of 1 value.",
        ),
        (
            "q5",
            Figure().add_subplot(),
            "give patients per drug as a pandas Series or a dict, not an Axes.",
        ),
        (
            "q4",
            [7.2],
            "give Ding's mean age at the start as one number (in years), not a list of 1 value.",
        ),
        ("q16", "93", "give a whole number of children, not a text string (in quotes)."),
        ("q10", 2, "give one letter in quotes, e.g. 'A'."),
        ("q16", None, "give a whole number of children, not nothing (None)."),
        (
            "q9",
            object(),
            "give the one matplotlib Axes of your bar chart, not a value of type 'object'.",
        ),
    ],
)
def test_a_hint_names_what_was_given_in_plain_words(
    question: str, answer: object, expected: str
) -> None:
    assert feedback(question, answer) == f"Hint: {expected}"


def test_no_hint_names_a_type_the_python_way() -> None:
    """No "a int", "a NoneType", "a float", "a DataFrame" (but "a pandas DataFrame")."""
    ax = Figure().add_subplot()
    plain = [None, True, 3, 0.5, 1j, "text", [1, 2], (1,), {1}, {"a": 1}, np.array([1, 2]), ax]
    plain += [pd.Series([1.0, 2.0]), pd.DataFrame({"a": [1], "b": [2]}), np.float32(7.5)]
    python_way = re.compile(r"\ban? (int|float|str|bool|NoneType|DataFrame|Series|ndarray)\b")
    for question in QUESTIONS:
        for answer in plain:
            message = feedback(question, answer)
            assert not python_way.search(message) and "a Axes" not in message, message


@pytest.mark.parametrize(
    "convert",
    [lambda x: Decimal(str(x)), lambda x: Fraction(x), np.float32, np.float64],
    ids=["Decimal", "Fraction", "float32", "float64"],
)
def test_any_kind_of_number_is_read_as_a_number(
    answers: dict[str, object], convert: Callable[[float], object]
) -> None:
    assert feedback("q6", convert(float(answers["q6"]))).startswith("✓")  # type: ignore[arg-type]
    assert feedback("q14", convert(int(answers["q14"]))).startswith("✓")  # type: ignore[call-overload]


def test_a_decimal_proportion_is_judged_like_the_float() -> None:
    assert feedback("q6", Decimal("0.5")) == feedback("q6", 0.5)
    assert not feedback("q6", Decimal("0.5")).startswith("Hint: give")


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("q14", True, "give a whole number of studies, not a truth value (True/False)."),
        (
            "q6",
            np.bool_(False),
            "give a proportion between 0 and 1 as one number, not a truth value (True/False).",
        ),
        (
            "q5",
            pd.Series([True], index=["tofacitinib"]),
            "give a count for 'tofacitinib', not a truth value (True/False).",
        ),
    ],
)
def test_true_or_false_is_not_a_number(question: str, answer: object, expected: str) -> None:
    assert feedback(question, answer) == f"Hint: {expected}"
