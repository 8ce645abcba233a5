"""The cache of validated tables never changes a result, and never hides a problem.

A cached load must give exactly the tables a fresh validation gives; a changed file or a
changed helper must be validated again; bad data must fail on every load; and the cache must
get out of the way when it is turned off, damaged or cannot be written.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import DataError, cache
from helpers import data as data_module
from helpers.schemas import TABLES

FIXTURES = Path(__file__).parent / "fixtures" / "bad"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache folder for one test (never the repository's build/cache)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in helpers.data_dir().glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def _assert_same(a: helpers.CaseData, b: helpers.CaseData) -> None:
    for field in fields(helpers.CaseData):
        pd.testing.assert_frame_equal(
            getattr(a, field.name), getattr(b, field.name), check_exact=True
        )


def test_table_names_follow_the_schemas() -> None:
    assert tuple(spec.name for spec in TABLES) == data_module.TABLE_NAMES


def test_a_cached_load_equals_a_fresh_validation(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = helpers.load_case_data()  # validates and stores
    assert len(list(cache_folder.glob("case_data-*.pickle"))) == 1
    second = helpers.load_case_data()  # read back
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    fresh = helpers.load_case_data()
    _assert_same(first, second)
    _assert_same(second, fresh)
    assert second.outcomes is not first.outcomes  # a copy, not the same object


def test_a_hit_does_not_validate_again(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.load_case_data()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(data_module, "read_table", refuse)
    assert len(helpers.load_case_data().studies) > 0


def test_a_changed_file_is_validated_again(cache_folder: Path, data_copy: Path) -> None:
    helpers.load_case_data(data_copy)
    shutil.copy(FIXTURES / "groups__inconsistent_total.csv", data_copy / "groups.csv")
    with pytest.raises(DataError, match="add up to 24"):
        helpers.load_case_data(data_copy)


def test_bad_data_fails_every_time_and_is_never_stored(cache_folder: Path, data_copy: Path) -> None:
    shutil.copy(FIXTURES / "outcomes__percent_mismatch.csv", data_copy / "outcomes.csv")
    for _ in range(2):
        with pytest.raises(DataError, match="does not match 16/24"):
            helpers.load_case_data(data_copy)
    assert not list(cache_folder.glob("*.pickle"))


def test_the_key_covers_data_code_and_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "helpers"
    shutil.copytree(Path(cache.__file__).parent, code, ignore=shutil.ignore_patterns("vendor"))
    monkeypatch.setattr(cache, "_HELPERS", code)
    data_file = tmp_path / "t.csv"
    data_file.write_text("a,b\n1,2\n", encoding="utf-8")
    key = cache.key_of("case_data", [data_file])
    assert cache.key_of("case_data", [data_file]) == key  # stable
    assert cache.key_of("jak_ic50", [data_file]) != key
    data_file.write_text("a,b\n1,3\n", encoding="utf-8")
    assert cache.key_of("case_data", [data_file]) != key
    data_file.write_text("a,b\n1,2\n", encoding="utf-8")
    with (code / "schemas.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a changed rule\n")
    assert cache.key_of("case_data", [data_file]) != key


def test_a_damaged_entry_is_computed_again(cache_folder: Path) -> None:
    expected = helpers.load_case_data()
    (entry,) = cache_folder.glob("case_data-*.pickle")
    entry.write_bytes(b"not a pickle")
    _assert_same(helpers.load_case_data(), expected)
    assert isinstance(pickle.loads(entry.read_bytes()), helpers.CaseData)


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setattr(cache, "REPO_ROOT", tmp_path)  # where the default folder would be
    assert cache.cache_dir() is None
    helpers.load_case_data()
    helpers.load_table("jak_pathway")
    assert not any(tmp_path.rglob("*"))


def test_an_unwritable_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))  # cannot be created
    assert len(helpers.load_case_data().studies) > 0


def test_old_entries_are_pruned(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for kind in ("first", "second", "third"):
        assert cache.cached(kind, [], lambda kind=kind: kind) == kind
    assert len(list(cache_folder.glob("*.pickle"))) == 2


def test_the_small_tables_are_cached_too(cache_folder: Path) -> None:
    for name in ("jak_pathway", "jak_ic50", "later_evidence"):
        pd.testing.assert_frame_equal(helpers.load_table(name), helpers.load_table(name))
    names = sorted(p.name.split("-")[0] for p in cache_folder.glob("*.pickle"))
    assert names == ["jak_ic50", "jak_pathway", "later_evidence"]


def test_importing_the_helpers_does_not_import_pandera() -> None:
    """The point of the cache: a notebook whose tables are cached never pays for pandera."""
    code = (
        "import sys, pkgutil, importlib, helpers\n"
        "for m in pkgutil.iter_modules(helpers.__path__):\n"
        "    if m.name != 'schemas': importlib.import_module('helpers.' + m.name)\n"
        "assert 'pandera' not in sys.modules, 'pandera was imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_cold_load_warms_the_other_tables(cache_folder: Path) -> None:
    helpers.load_case_data()
    kinds = sorted(p.name.split("-")[0] for p in cache_folder.glob("*.pickle"))
    assert kinds == ["case_data", "jak_ic50", "jak_pathway", "later_evidence"]


def test_a_broken_other_table_does_not_break_the_case_data(
    cache_folder: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(helpers.paths.DATA_DIR_ENV, str(data_copy))
    (data_copy / "jak_ic50.csv").write_text("drug,target\n", encoding="utf-8")
    assert len(helpers.load_case_data().studies) > 0
    with pytest.raises(DataError, match=r"jak_ic50\.csv"):
        helpers.load_table("jak_ic50")  # reported by its own loader


def test_nothing_is_warmed_when_the_cache_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")

    def refuse() -> None:
        raise AssertionError("warmed the other tables with the cache off")

    monkeypatch.setattr(data_module, "_warm_other_tables", refuse)
    assert len(helpers.load_case_data().studies) > 0
