"""Adding a study is a data change only: the whole course picks it up.

The made-up study in tests/fixtures/new_study/ ("Example 2099", clearly not real, and as sparse
as the real studies published after the review) is appended to a temporary copy of data/. The
test checks that the copy validates, re-executes every notebook against it (helpers finds the
copy through JDM_COURSE_DATA_DIR) and checks that every notebook runs, that the totals printed
by the start page include the new study, that the figures of the cohort and outcome notebooks
change, that the exercise checks still agree with the solutions, and that the unit tests whose
subject is the data pass on the grown copy too (they assert rules, not facts of today's table).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers
from tools.authoring import image_outputs, text_outputs

ROOT = helpers.paths.REPO_ROOT
FIXTURE = Path(__file__).parent / "fixtures" / "new_study"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The unit tests whose subject is the case data the new study grows (the others test files, the
#: cache, browsers, the committed notebooks' structure, the plotting theme or the pathway table,
#: none of which the new study changes).
DATA_TESTS = ("test_crosscheck", "test_curated_data", "test_data_loading", "test_exercises",
              "test_measures", "test_msa_frequencies", "test_outcomes", "test_parsing",
              "test_reference_tables")  # fmt: skip


def fixture_already_in(folder: Path) -> bool:
    """Whether the made-up study is in ``folder`` already (a teacher tried the guide on data/:
    then every test runs on the grown table itself, and nothing is added twice)."""
    ids = pd.read_csv(FIXTURE / "studies.csv")["study_id"]
    return bool(ids.isin(pd.read_csv(folder / "studies.csv")["study_id"]).any())


def add_fixture_study(folder: Path) -> None:
    """Copy data/ into ``folder`` and append the made-up study's rows to each table."""
    shutil.copytree(helpers.data_dir(), folder, dirs_exist_ok=True)
    if fixture_already_in(helpers.data_dir()):
        pytest.skip("the made-up study is in data/ already: the whole suite runs on it")
    for extra in FIXTURE.glob("*.csv"):
        table = folder / extra.name
        old = pd.read_csv(table, dtype=str, keep_default_na=False)
        new = pd.read_csv(extra, dtype=str, keep_default_na=False)
        assert list(new.columns) == list(old.columns), f"{extra.name}: header differs"
        pd.concat([old, new]).to_csv(table, index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def grown_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ with the made-up study added."""
    folder = tmp_path_factory.mktemp("data")
    add_fixture_study(folder)
    return folder


@pytest.fixture(scope="module")
def data_tests(
    grown_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, subprocess.Popen]]:
    """The data tests, started on the grown copy so that they run while the notebooks execute
    (:func:`grown`); yields the file their report goes to, and their (running) process."""
    env = dict(os.environ, **{helpers.paths.DATA_DIR_ENV: str(grown_data)})
    files = [str(Path(__file__).parent / f"{name}.py") for name in DATA_TESTS]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    report = tmp_path_factory.mktemp("data_tests") / "report.txt"
    with report.open("w") as out:
        process = subprocess.Popen([*command, *files], env=env, stdout=out, stderr=out, cwd=ROOT)
    try:
        yield report, process
    finally:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def grown(
    grown_data: Path,
    data_tests: tuple[Path, subprocess.Popen],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path]:
    """The data copy with the new study, and the notebooks executed against it."""
    out = tmp_path_factory.mktemp("executed")
    env = dict(os.environ, **{helpers.paths.DATA_DIR_ENV: str(grown_data)})
    command = [sys.executable, "-m", "tools.authoring", "--output-dir", str(out)]
    result = subprocess.run(
        [*command, *map(str, NOTEBOOKS)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"a notebook failed on the grown data:\n{result.stderr[-4000:]}"
    return grown_data, out


def test_the_grown_data_validates(grown: tuple[Path, Path]) -> None:
    folder, _ = grown
    before, after = helpers.load_case_data(), helpers.load_case_data(folder)
    assert len(after.studies) == len(before.studies) + 1
    extra = int(pd.read_csv(FIXTURE / "studies.csv")["n_patients"].sum())
    assert after.studies["n_patients"].sum() == before.studies["n_patients"].sum() + extra


def test_every_notebook_runs_and_the_totals_include_the_study(grown: tuple[Path, Path]) -> None:
    folder, out = grown
    data = helpers.load_case_data(folder)
    n_studies, n_patients = len(data.studies), int(data.studies["n_patients"].sum())
    for path in NOTEBOOKS:
        assert (out / path.name).exists(), f"{path.name} was not executed"
    start = "".join(
        "".join(texts)
        for texts in text_outputs(nbformat.read(out / "00_start_here.ipynb", as_version=4))
    )
    assert f"{n_studies} studies with {n_patients} patients" in start


@pytest.mark.parametrize("name", ["03_comparing_the_cohorts.ipynb", "04_comparing_outcomes.ipynb"])
def test_figures_change_with_the_new_study(grown: tuple[Path, Path], name: str) -> None:
    _, out = grown
    committed = image_outputs(nbformat.read(ROOT / "notebooks" / name, as_version=4))
    fresh = image_outputs(nbformat.read(out / name, as_version=4))
    assert len(fresh) == len(committed)
    changed = sum(a != b for a, b in zip(committed, fresh, strict=True))
    assert changed >= 1, f"no figure of {name} changed: is the new study drawn?"
    text = "".join("".join(t) for t in text_outputs(nbformat.read(out / name, as_version=4)))
    assert "Example" in text, f"{name} does not mention the new study anywhere in its outputs"


def test_exercise_checks_still_agree_with_the_solutions(grown: tuple[Path, Path]) -> None:
    _, out = grown
    nb = nbformat.read(out / "06_exercises_solutions.ipynb", as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("check(")]
    assert checks, "the solutions notebook has no check cells"
    for cell in checks:
        printed = "".join(o.get("text", "") for o in cell.outputs).strip()
        assert printed.startswith("✓"), f"{cell.source!r} on the grown data: {printed}"


def test_the_data_tests_pass_on_the_grown_table(data_tests: tuple[Path, subprocess.Popen]) -> None:
    report, process = data_tests
    returncode = process.wait(timeout=600)
    assert returncode == 0, f"on the grown table:\n{report.read_text()[-4000:]}"


def test_the_fixture_study_is_as_sparse_as_real_later_studies() -> None:
    """Aggregate only, one time point, no ages, sex or antibodies; response categories."""
    present = {path.stem for path in FIXTURE.glob("*.csv")}
    assert not present & {"patients", "prior_treatments", "autoantibodies"}
    read = {name: pd.read_csv(FIXTURE / f"{name}.csv", dtype=str) for name in present}
    assert (read["groups"]["reporting"] == "aggregate").all()
    assert read["studies"]["n_female"].isna().all() and read["groups"]["n_female"].isna().all()
    assert not read["characteristics"]["characteristic"].str.startswith("age").any()
    assert read["outcomes"]["timepoint_weeks"].nunique() == 1
    assert read["outcomes"]["response_category"].notna().sum() >= 2
