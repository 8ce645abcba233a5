"""A cache of validated tables, keyed by everything that could change them.

Validating the case tables costs about half a second per notebook (mostly importing pandera),
the same work with the same result in every notebook. A successful load is kept in
``build/cache/``, keyed by a hash of the input files' bytes, the source of every module of
:mod:`helpers` and the versions of Python, pandas, NumPy and pandera, so that what is read back
is what a fresh validation would give. Only successes are kept. ``JDM_COURSE_CACHE=off`` turns
the cache off, ``JDM_COURSE_CACHE=/some/folder`` moves it; an unwritable folder is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import platform
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from helpers.paths import REPO_ROOT

#: Environment variable: ``off`` disables the cache; any other value is the cache folder.
CACHE_ENV = "JDM_COURSE_CACHE"
#: At most this many results are kept; the oldest are removed first.
MAX_ENTRIES = 64

T = TypeVar("T")

_HELPERS = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Return the cache folder (default ``build/cache/``), or ``None`` when it is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in {"off", "0", "false", "no"}:
        return None
    return Path(setting) if setting else REPO_ROOT / "build" / "cache"


def _package_version_file(name: str) -> bytes:
    """The bytes of a package's version file, found without importing the package."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return b"absent"
    version_file = Path(spec.origin).with_name("_version.py")
    return version_file.read_bytes() if version_file.is_file() else Path(spec.origin).read_bytes()


def key_of(kind: str, files: Sequence[Path]) -> str:
    """Return the cache key of a result of ``kind`` computed from ``files``.

    Raises :class:`OSError` when a file cannot be read (the caller then validates for real,
    which reports the missing file properly).
    """
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)

    add("kind", kind.encode())
    add("versions", f"{platform.python_version()} {pd.__version__} {np.__version__}".encode())
    add("pandera", _package_version_file("pandera"))
    for module in sorted(_HELPERS.glob("*.py")):
        add(f"helpers/{module.name}", module.read_bytes())
    for path in files:
        add(f"input/{path.name}", path.read_bytes())
    return digest.hexdigest()[:32]


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)


def cached(kind: str, files: Sequence[Path], compute: Callable[[], T]) -> T:
    """Return ``compute()``, reading it from the cache when ``files`` and the code are unchanged.

    ``files`` are every file ``compute`` reads. A missing or damaged entry is computed again;
    an exception of ``compute`` is raised and nothing stored. Writes are atomic.
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    try:
        key = key_of(kind, files)
    except OSError:
        return compute()
    entry = folder / f"{kind}-{key}.pickle"
    try:
        stored = entry.read_bytes()
    except OSError:  # not cached yet, or the folder cannot be read: compute it
        stored = None
    if stored is not None:
        try:
            return pickle.loads(stored)  # our own file, named by the hash of its inputs
        except Exception:  # a damaged entry (e.g. a disk that filled up): compute it again
            with contextlib.suppress(OSError):
                entry.unlink()
    result = compute()
    _store(folder, entry, result)
    return result


def _store(folder: Path, entry: Path, result: object) -> None:
    """Write ``result`` to ``entry`` atomically; give up quietly where the folder is read-only."""
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            handle.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, entry)
        temporary = None
        _prune(folder)
    except OSError:  # the cache is only a convenience
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
