"""The loaders return typed tables and turn every kind of bad input into one clear DataError.

Each malformed fixture in tests/fixtures/bad/ is a small CSV file with one slip, named
``<table>__<kind>.csv``. The test copies the real data to a temporary folder, puts the fixture
in place of that table and checks that loading fails with a message naming the file, the line
and the column of the slip (never a bare pandas or pandera traceback).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import DataError
from helpers.schemas import TABLES

FIXTURES = Path(__file__).parent / "fixtures" / "bad"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (the CSV tables only)."""
    for path in helpers.data_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _with_fixture(folder: Path, fixture: str) -> Path:
    table = fixture.split("__")[0]
    shutil.copy(FIXTURES / fixture, folder / f"{table}.csv")
    return folder


# fixture, expected line (None: whole file), expected column (None: not about one column),
# and a phrase the message must contain so a learner knows what to do.
CASES = [
    ("studies__empty.csv", None, None, "file is empty"),
    ("studies__header_only.csv", None, None, "no data rows"),
    ("studies__renamed_column.csv", 1, "year", "renamed to 'yr'"),
    ("studies__unexpected_column.csv", 1, "comment", "not part of this table"),
    ("patients__missing_column.csv", 1, "sex", "required column is missing"),
    ("studies__wrong_type.csv", 3, "year", "is not a whole number"),
    ("groups__not_allowed.csv", 3, "drug", "not one of the allowed values"),
    ("studies__duplicate_id.csv", 2, "study_id", "appears more than once"),
    ("studies__missing_value.csv", 3, "n_patients", "empty but this column is required"),
    ("studies__ragged_row.csv", 3, None, "fields but the header has"),
    ("patients__latin1.csv", 3, "note", "not valid UTF-8"),
    ("patients__unknown_study.csv", 8, "study_id", "'smith_2022' is not in data/studies.csv"),
    # a total that does not add up is reported on the study's row, naming the groups' file
    ("groups__inconsistent_total.csv", 7, "n_patients", "groups in data/groups.csv add up to 24"),
    ("outcomes__count_over_denominator.csv", 17, "n_improved", "12 is more than the 10 assessed"),
    ("outcomes__percent_mismatch.csv", 28, "percent_reported", "does not match 16/24"),
    ("autoantibodies__msa_total.csv", 15, "n_positive", "add up to 8, not to the 7 tested"),
]


@pytest.mark.parametrize(("fixture", "line", "column", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_error(
    data_copy: Path, fixture: str, line: int | None, column: str | None, phrase: str
) -> None:
    folder = _with_fixture(data_copy, fixture)
    table = fixture.split("__")[0]
    with pytest.raises(DataError) as caught:
        helpers.load_case_data(folder)
    problems = caught.value.problems
    matching = [p for p in problems if phrase in p.message or phrase in str(p)]
    assert matching, f"no problem says {phrase!r}: {caught.value}"
    problem = matching[0]
    if fixture.startswith("groups__inconsistent"):
        table = "studies"
    assert problem.file.endswith(f"{table}.csv")
    assert problem.line == line
    assert problem.column == column
    message = str(caught.value)
    assert f"{table}.csv" in message and phrase in message
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert f"column '{column}'" in message


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "outcomes.csv").unlink()
    with pytest.raises(DataError, match=r"outcomes\.csv: file not found"):
        helpers.load_case_data(data_copy)


def test_unknown_table_name_lists_the_tables() -> None:
    with pytest.raises(KeyError, match="studies"):
        helpers.read_table("studys")


def test_errors_are_not_chained_to_library_tracebacks(data_copy: Path) -> None:
    _with_fixture(data_copy, "studies__wrong_type.csv")
    with pytest.raises(DataError) as caught:
        helpers.read_table("studies", data_copy)
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_long_lists_of_problems_are_shortened(data_copy: Path) -> None:
    text = (data_copy / "studies.csv").read_text(encoding="utf-8")
    (data_copy / "studies.csv").write_text(
        text.replace(",Brain,", ",Brain,")
        .replace("case report", "case study")
        .replace("case series", "case study"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        helpers.read_table("studies", data_copy)
    assert len(caught.value.problems) == 5
    assert "line 2" in str(caught.value)


def test_every_table_loads_with_the_documented_types() -> None:
    data = helpers.load_case_data()
    assert isinstance(data.groups["drug"].dtype, pd.CategoricalDtype)
    assert list(data.groups["drug"].cat.categories) == ["baricitinib", "ruxolitinib", "tofacitinib"]
    assert isinstance(data.patients["sex"].dtype, pd.CategoricalDtype)
    assert isinstance(data.autoantibodies["antibody"].dtype, pd.CategoricalDtype)
    assert str(data.studies["n_female"].dtype) == "Int64"
    assert str(data.outcomes["n_improved"].dtype) == "Int64"
    assert str(data.patients["refractory"].dtype) == "boolean"
    for spec in TABLES:
        assert list(data.tables()[spec.name].columns) == spec.columns


def test_loading_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert len(helpers.load_case_data().studies) > 0


def test_data_dir_can_be_redirected(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_fixture(data_copy, "studies__duplicate_id.csv")
    monkeypatch.setenv(helpers.paths.DATA_DIR_ENV, str(data_copy))
    with pytest.raises(DataError, match="appears more than once"):
        helpers.load_case_data()


def test_a_problem_without_line_or_column_reads_naturally() -> None:
    problem = helpers.Problem("data/x.csv", "file not found.")
    assert str(problem) == "data/x.csv: file not found."
    with pytest.raises(ValueError, match="at least one problem"):
        DataError([])


def test_study_labels_are_unique_even_for_namesakes() -> None:
    studies = helpers.read_table("studies")
    twin = studies[studies["study_id"] == "ding_2021"].assign(study_id="ding_2021b")
    other = studies[studies["study_id"] == "ding_2021"].assign(study_id="ding_2021_x")
    labels = helpers.study_labels(pd.concat([studies, twin, other]), with_n=True)
    assert labels.is_unique
    assert labels["ding_2021"] == "Ding 2021 [ding_2021] (n=25)"  # both namesakes get their id
    assert labels["ding_2021b"] == "Ding 2021b (n=25)"
    assert labels["ding_2021_x"] == "Ding 2021 [ding_2021_x] (n=25)"


def test_pandas_4_warnings_fail_the_unit_tests() -> None:
    """tests/conftest.py makes pandas' warnings of changes coming in pandas 4 errors."""
    with pytest.raises(pd.errors.Pandas4Warning):
        warnings.warn("a stand-in for a pandas 4 change", pd.errors.Pandas4Warning, stacklevel=1)
