"""A cache of validated tables that cannot run code and cannot return what was not validated.

Validating the case tables costs about half a second per notebook (mostly importing pandera).
A successful load is kept in ``build/cache/`` as JSON (pandas' "table" format: dtypes and
values), under a key that hashes the very bytes that were validated, the source of
:mod:`helpers` and the library versions, and signed (HMAC-SHA256) with a random key that only
its owner can read. An entry that is tampered with, truncated, signed elsewhere or made for
other bytes is ignored (the reason is logged at debug level); a folder that another user owns,
or can write to, is not used. ``JDM_COURSE_CACHE=off`` turns the cache off,
``JDM_COURSE_CACHE=/a/folder`` moves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.util
import io
import json
import logging
import os
import platform
import secrets
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.paths import REPO_ROOT

#: Environment variable: ``off`` disables the cache; any other value is the cache folder.
CACHE_ENV = "JDM_COURSE_CACHE"
#: At most this many results are kept; the oldest are removed first.
MAX_ENTRIES = 64

Tables = dict[str, pd.DataFrame]
_HELPERS = Path(__file__).resolve().parent
_log = logging.getLogger(__name__)
_MEMO: dict[Path, tuple[tuple[int, int, int], Tables]] = {}  # entries verified in this process


def cache_dir() -> Path | None:
    """Return the cache folder (default ``build/cache/``), or ``None`` when it is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in {"off", "0", "false", "no"}:
        return None
    return Path(setting) if setting else REPO_ROOT / "build" / "cache"


def _version_file(name: str) -> bytes:
    """The bytes of a package's version file, found without importing the package."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return b"absent"
    version_file = Path(spec.origin).with_name("_version.py")
    return version_file.read_bytes() if version_file.is_file() else Path(spec.origin).read_bytes()


def key_of(kind: str, contents: Sequence[bytes | None]) -> str:
    """The cache key of a result of ``kind`` computed from these file contents (None: missing)."""
    digest = hashlib.sha256()
    versions = f"{platform.python_version()} {pd.__version__} {np.__version__}".encode()
    parts = [kind.encode(), versions, _version_file("pandera")]
    parts += [module.read_bytes() for module in sorted(_HELPERS.glob("*.py"))]
    for part in [*parts, *(b"\0missing" if c is None else c for c in contents)]:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()[:32]


def file_bytes(path: Path) -> bytes | None:
    """The bytes of a file, or None when it is missing or unreadable."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _private(path: Path) -> bool:
    """True if ``path`` is this user's and no one else can write it (nor read it, if a file)."""
    if not hasattr(os, "getuid"):  # Windows: no such owner and mode bits
        return True
    closed = stat.S_IWGRP | stat.S_IWOTH | (0 if path.is_dir() else stat.S_IRGRP | stat.S_IROTH)
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & closed


def _secret(folder: Path) -> bytes:
    """The folder's signing key, created (owner-only) on first use; OSError if not usable."""
    path = folder / "cache.key"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    with contextlib.suppress(FileExistsError), os.fdopen(os.open(path, flags, 0o600), "wb") as out:
        out.write(secrets.token_bytes(32))
    key = path.read_bytes()
    if len(key) != 32 or not _private(path):
        raise OSError(f"{path} is not a private 32-byte key")
    return key


def _read(entry: Path, kind: str, key: str, secret: bytes) -> Tables | None:
    """Copies of the tables of a valid entry, or None (and why, at debug level). An entry read
    before, and unchanged on disk since (same inode, size and time), is not decoded again."""
    try:
        state = (info := entry.stat()).st_ino, info.st_size, info.st_mtime_ns
        if _MEMO.get(entry, (None,))[0] != state:
            signature, _, payload = entry.read_bytes().partition(b"\n")
            if not hmac.compare_digest(signature, _sign(secret, payload)):
                raise ValueError("its signature does not match")
            stored = json.loads(payload)
            if (stored["kind"], stored["key"]) != (kind, key):
                raise ValueError("made for other files")
            tables = stored["tables"].items()
            _MEMO[entry] = (
                state,
                {n: pd.read_json(io.StringIO(t), orient="table") for n, t in tables},
            )
        return {name: table.copy() for name, table in _MEMO[entry][1].items()}
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as err:
        _log.debug("cache entry %s ignored: %s", entry.name, err)
        return None


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest().encode()


def cached(
    kind: str, files: Sequence[Path], compute: Callable[[list[bytes | None]], Tables]
) -> Tables:
    """``compute(contents)`` for the bytes of ``files`` (None: missing), from the cache when those
    bytes and the code are unchanged; ``compute`` validates exactly the bytes it is given."""
    contents = [file_bytes(path) for path in files]
    folder = cache_dir()
    if folder is None or None in contents:
        return compute(contents)
    key = key_of(kind, contents)
    entry, secret = folder / f"{kind}-{key}.json", None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder == REPO_ROOT / "build" / "cache":  # ours: older versions left it group-open
            folder.chmod(0o700)
        if not _private(folder):
            raise OSError(f"{folder} belongs to another user or can be written by others")
        secret = _secret(folder)
        found = _read(entry, kind, key, secret)
        if found is not None:
            return found
    except OSError as err:
        _log.debug("cache skipped: %s", err)
    result = compute(contents)
    if secret is None:
        return result
    tables = {name: t.to_json(orient="table", index=False) for name, t in result.items()}
    payload = json.dumps({"kind": kind, "key": key, "tables": tables}).encode()
    try:  # atomically, owner-only (mode 0600); the cache is only a convenience
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            handle.write(_sign(secret, payload) + b"\n" + payload)
        os.replace(handle.name, entry)
        for old in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError as err:
        _log.debug("cache entry not written: %s", err)
        with contextlib.suppress(OSError, NameError):
            os.unlink(handle.name)
    return result
