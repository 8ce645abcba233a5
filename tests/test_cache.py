"""The cache of validated tables never changes a result, never hides a problem, never runs code.

A cached load gives exactly the tables a fresh validation gives; a changed file or a changed
helper is validated again; bad data fails on every load; a planted, edited, truncated, foreign
or stale entry is ignored; and the cache gets out of the way when it is turned off, open to
other users or cannot be written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
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


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding a valid entry for data/ (validated once for the module)."""
    folder = tmp_path_factory.mktemp("validated") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.CACHE_ENV, str(folder))
        helpers.load_case_data()
    return folder


@pytest.fixture
def warm_folder(cache_folder: Path, validated: Path) -> Path:
    """A private copy of ``validated`` (its key, entries and modes): the first load is a hit."""
    shutil.copytree(validated, cache_folder)
    return cache_folder


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
    assert len(list(cache_folder.glob("case_data-*.json"))) == 1
    second = helpers.load_case_data()  # read back
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    fresh = helpers.load_case_data()
    _assert_same(first, second)
    _assert_same(second, fresh)
    assert second.outcomes is not first.outcomes  # a copy, not the same object


def test_a_hit_does_not_validate_again(warm_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.load_case_data()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(data_module, "_read", refuse)
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
    assert not list(cache_folder.glob("*.json"))


def test_the_key_covers_data_code_and_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "helpers"
    shutil.copytree(Path(cache.__file__).parent, code, ignore=shutil.ignore_patterns("vendor"))
    monkeypatch.setattr(cache, "_HELPERS", code)
    key = cache.key_of("case_data", [b"a,b\n1,2\n"])
    assert cache.key_of("case_data", [b"a,b\n1,2\n"]) == key  # stable
    assert cache.key_of("jak_ic50", [b"a,b\n1,2\n"]) != key
    assert cache.key_of("case_data", [b"a,b\n1,3\n"]) != key
    assert cache.key_of("case_data", [b"a,b\n1,", b"2\n"]) != key  # where a file ends counts
    with (code / "schemas.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a changed rule\n")
    assert cache.key_of("case_data", [b"a,b\n1,2\n"]) != key


def _entry(folder: Path) -> Path:
    (entry,) = folder.glob("case_data-*.json")
    return entry


def _tamper(entry: Path) -> None:
    """Edit an entry's payload as a person would (a made-up drug), keeping its signature."""
    content = entry.read_bytes()
    old = b'\\"drug\\":\\"ruxolitinib\\"'
    assert old in content
    entry.write_bytes(content.replace(old, old.replace(b"ruxolitinib", b"snakeoilinib"), 1))


def test_a_planted_pickle_never_runs(warm_folder: Path, tmp_path: Path) -> None:
    """A pickle that runs a command when loaded, planted under every name the cache uses or
    older versions used: nothing runs, and the tables are the validated ones."""
    expected = helpers.load_case_data()
    marker = tmp_path / "planted-code-ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Exploit())
    for entry in list(warm_folder.glob("*.json")):
        entry.write_bytes(planted)
        entry.with_suffix(".pickle").write_bytes(planted)
    _assert_same(helpers.load_case_data(), expected)
    assert len(helpers.load_table("jak_ic50")) > 0
    assert not marker.exists()


def test_an_edited_entry_is_ignored(warm_folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    expected = helpers.load_case_data()
    entry = _entry(warm_folder)
    _tamper(entry)
    caplog.set_level("DEBUG", logger="helpers.cache")
    _assert_same(helpers.load_case_data(), expected)
    assert "signature does not match" in caplog.text
    assert b"snakeoilinib" not in entry.read_bytes()  # replaced by a good entry


def test_an_entry_signed_with_another_key_is_ignored(warm_folder: Path) -> None:
    """A foreign entry: well formed and signed, but not with this folder's key (e.g. copied
    from someone else's cache), saying a group has 300 patients."""
    expected = helpers.load_case_data()
    entry = _entry(warm_folder)
    stored = json.loads(entry.read_bytes().partition(b"\n")[2])
    groups = json.loads(stored["tables"]["groups"])
    groups["data"][0]["n_patients"] = 300
    stored["tables"]["groups"] = json.dumps(groups)
    forged = json.dumps(stored).encode()
    signature = hmac.new(b"k" * 32, forged, hashlib.sha256).hexdigest().encode()
    entry.write_bytes(signature + b"\n" + forged)
    _assert_same(helpers.load_case_data(), expected)


@pytest.mark.parametrize("keep", [0, 10, 64, 65, 500, -1])
def test_a_truncated_entry_is_ignored(warm_folder: Path, keep: int) -> None:
    expected = helpers.load_case_data()
    entry = _entry(warm_folder)
    entry.write_bytes(entry.read_bytes()[:keep])
    _assert_same(helpers.load_case_data(), expected)


def test_an_entry_made_for_other_files_is_ignored(warm_folder: Path, data_copy: Path) -> None:
    """A valid entry copied to the name (key) of other bytes is not served for them."""
    helpers.load_case_data()
    good = _entry(warm_folder)
    groups = data_copy / "groups.csv"
    groups.write_text(groups.read_text(encoding="utf-8").replace(",2,", ",3,", 1), "utf-8")
    files = [data_copy / f"{name}.csv" for name in data_module.TABLE_NAMES]
    key = cache.key_of("case_data", [path.read_bytes() for path in files])
    shutil.copy(good, warm_folder / f"case_data-{key}.json")
    with pytest.raises(DataError, match="add up to"):
        helpers.load_case_data(data_copy)


def test_a_file_edited_during_a_load_leaves_no_stale_entry(
    cache_folder: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bytes validated are the bytes hashed: an edit made while loading, then reverted,
    cannot make a later load return anything but the validated original."""
    groups = data_copy / "groups.csv"
    original = groups.read_text(encoding="utf-8")
    validate = data_module._load_and_check

    def edit_while_validating(files: list[Path], contents: list[bytes | None]) -> object:
        groups.write_text(original.replace(",2,", ",3,", 1), encoding="utf-8")  # bytes read
        return validate(files, contents)

    monkeypatch.setattr(data_module, "_load_and_check", edit_while_validating)
    first = helpers.load_case_data(data_copy)
    monkeypatch.setattr(data_module, "_load_and_check", validate)
    with pytest.raises(DataError, match="add up to"):  # the edit, read now, is validated
        helpers.load_case_data(data_copy)
    groups.write_text(original, encoding="utf-8")  # reverted
    again = helpers.load_case_data(data_copy)
    _assert_same(again, first)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    _assert_same(again, helpers.load_case_data(data_copy))


def test_files_are_private_and_an_open_key_is_not_used(
    warm_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    helpers.load_case_data()
    assert warm_folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in warm_folder.iterdir()} == {0o600}
    caplog.set_level("DEBUG", logger="helpers.cache")
    (warm_folder / "cache.key").chmod(0o644)  # readable by others: anyone could sign
    assert len(helpers.load_case_data().studies) > 0
    assert "not a private 32-byte key" in caplog.text


def test_the_default_folder_is_closed_and_an_open_one_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """build/cache, which older versions could leave group-writable, is closed to 700; a folder
    named by JDM_COURSE_CACHE is never chmod-ed (it may be someone's home), only skipped."""
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setattr(cache, "REPO_ROOT", tmp_path)
    default = tmp_path / "build" / "cache"
    default.mkdir(parents=True)
    default.chmod(0o777)
    helpers.load_case_data()
    assert default.stat().st_mode & 0o777 == 0o700 and list(default.glob("*.json"))
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(cache.CACHE_ENV, str(shared))
    caplog.set_level("DEBUG", logger="helpers.cache")
    assert len(helpers.load_case_data().studies) > 0
    assert shared.stat().st_mode & 0o777 == 0o777 and not any(shared.iterdir())
    assert "can be written by others" in caplog.text


@pytest.mark.skipif(getattr(os, "geteuid", lambda: 1)() != 0, reason="chown needs root")
def test_a_folder_of_another_user_is_never_read(
    warm_folder: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    expected = helpers.load_case_data()
    _tamper(_entry(warm_folder))
    for path in (warm_folder, *warm_folder.iterdir()):
        os.chown(path, 65534, 65534)  # nobody's folder, key and entries
    caplog.set_level("DEBUG", logger="helpers.cache")
    _assert_same(helpers.load_case_data(), expected)
    assert "belongs to another user" in caplog.text


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
        table = pd.DataFrame({"kind": [kind]})
        got = cache.cached(kind, [], lambda contents, table=table: {"t": table})
        pd.testing.assert_frame_equal(got["t"], table)
    assert len(list(cache_folder.glob("*.json"))) == 2


def test_the_small_tables_are_cached_too(cache_folder: Path) -> None:
    for name in ("jak_pathway", "jak_ic50", "later_evidence"):
        pd.testing.assert_frame_equal(helpers.load_table(name), helpers.load_table(name))
    names = sorted(p.name.split("-")[0] for p in cache_folder.glob("*.json"))
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
    kinds = sorted(p.name.split("-")[0] for p in cache_folder.glob("*.json"))
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
