"""The data files are faithful to their sources and documented where they differ.

- the raw file holds the published table line for line (checked against the user's copy in
  ../shared/seed when it is there, as on CI and developer machines);
- the curated CSV files keep one record per line, so that a diff shows one changed record per
  changed line (error messages count lines right either way: tests/test_bad_input.py);
- every printed typo named in the corrections log is really in the raw table, and every
  curated table is described in data/README.md.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.schemas import TABLES

DATA = helpers.data_dir()
README = (DATA / "README.md").read_text(encoding="utf-8")
SEED = helpers.paths.REPO_ROOT.parent / "shared" / "seed" / "table3_jak_inhibitors_in_jdm.txt"
RAW_COLUMNS = [
    "Case study",
    "JAK-inhibitors",
    "Patient",
    "Disease course and prior treatment",
    "Outcome",
]


def _raw() -> pd.DataFrame:
    return pd.read_csv(helpers.raw_table_path(), dtype=str, encoding="utf-8")


def test_raw_table_has_the_published_shape() -> None:
    raw = _raw()
    assert list(raw.columns) == RAW_COLUMNS
    studies = helpers.read_table("studies").dropna(subset=["review_ref"])  # the review's own
    assert len(raw) == len(studies)
    refs = raw["Case study"].str.extract(r"\[(\d+)\]")[0].astype(int).tolist()
    assert refs == studies["review_ref"].astype(int).tolist()


@pytest.mark.skipif(not SEED.exists(), reason="the user's seed copy (../shared/seed) is absent")
def test_raw_table_reproduces_every_line_of_the_seed() -> None:
    seed = SEED.read_text(encoding="utf-8").splitlines()
    body = [line for line in seed[seed.index("Outcome") + 1 :] if line.strip()]
    cells = [line for cell in _raw().to_numpy().ravel() for line in str(cell).splitlines()]
    assert cells == body


@pytest.mark.parametrize("spec", TABLES, ids=[s.name for s in TABLES])
def test_one_record_per_line(spec: helpers.schemas.TableSpec) -> None:
    path = DATA / spec.filename
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(records) == len(lines), "a quoted cell spans several lines"


@pytest.mark.parametrize("spec", TABLES, ids=[s.name for s in TABLES])
def test_every_table_and_column_is_documented(spec: helpers.schemas.TableSpec) -> None:
    section = README.split(f"### `{spec.filename}`", 1)
    assert len(section) == 2, f"data/README.md has no section for {spec.filename}"
    text = section[1].split("\n### ", 1)[0]
    for column in spec.columns:
        assert f"`{column}`" in text, f"{spec.filename}: column {column} is not documented"


def test_every_logged_typo_is_in_the_raw_table() -> None:
    log = README.split("## Corrections log", 1)[1].split("\n## ", 1)[0]
    printed = re.findall(r"^\| C\d+ \| [^|]+\| `([^`]+)`", log, flags=re.M)
    assert len(printed) >= 6
    raw_text = " ".join(_raw().to_numpy().ravel()).replace("\u2009", " ")
    for text in printed:
        assert text in raw_text, f"the log quotes {text!r}, which the raw table does not contain"


def test_curated_values_differ_from_the_printed_typos() -> None:
    data = helpers.load_case_data()
    assert "Aeschlimann" in set(data.studies["first_author"])
    assert "baricitnib" not in data.studies["drugs"].str.cat(sep=";")
    assert "TIF1-γ" in set(data.autoantibodies["antibody"].astype(str))
    ding = data.studies.set_index("study_id").loc["ding_2021"]
    assert ding["followup_weeks"] == round(7.0 * 52 / 12)
    rash = data.outcomes[data.outcomes["measure"] == "rash improvement"].iloc[0]
    assert (rash["n_improved"], rash["n_assessed"]) == (24, 24)


def test_every_study_has_a_doi_and_a_review_reference() -> None:
    studies = helpers.read_table("studies")
    assert studies["doi"].notna().all()
    review = studies["review_ref"].dropna()  # studies added after the review have none
    assert review.is_unique
    assert set(review) == set(range(121, 128)), "the review's seven studies are refs 121-127"
    for study_id, author, year in zip(
        studies["study_id"], studies["first_author"], studies["year"], strict=True
    ):
        base = f"{author.lower().replace(' ', '_')}_{year}"
        assert re.fullmatch(rf"{base}[a-z]?", study_id), f"{study_id}: expected {base}"


def test_documented_files_exist() -> None:
    for name in re.findall(r"^\| `([a-z_/0-9]+\.csv)` \|", README, flags=re.M):
        assert (Path(DATA) / name).exists(), f"data/README.md describes missing {name}"


def test_every_study_the_table_calls_refractory_has_a_refractory_count() -> None:
    """A study whose Table 3 'Disease course and prior treatment' text says 'failed' or
    'refractory' has a refractory count: a 'refractory disease' count in characteristics.csv,
    or a refractory flag on every one of its patients in patients.csv."""
    data = helpers.load_case_data()
    printed = pd.read_csv(helpers.raw_table_path(), dtype=str, keep_default_na=False)
    refs = printed["Case study"].str.extract(r"\[(\d+)\]", expand=False).astype(int)
    says = printed["Disease course and prior treatment"].str.contains(
        "failed|refractory", case=False
    )
    study_of = data.studies.dropna(subset=["review_ref"]).set_index("review_ref")["study_id"]
    chars = data.characteristics
    is_count = chars["characteristic"].eq("refractory disease") & chars["statistic"].eq("count")
    flags = data.patients.groupby("study_id")["refractory"].count()
    size = data.studies.set_index("study_id")["n_patients"]
    counted = set(chars.loc[is_count, "study_id"]) | set(flags.index[flags.eq(size[flags.index])])
    missing = sorted(study_of[ref] for ref in refs[says] if study_of[ref] not in counted)
    assert not missing, f"Table 3 calls these refractory, but they have no count: {missing}"
