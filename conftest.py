"""pytest set-up shared by `make test` and `make nbval` (the notebooks and tests/).

Strict nbval proves more here than nbval does alone, in the same single execution of each
notebook (no second run just for these proofs):

- **the figures are the committed ones, byte for byte.** nbval skips ``image/png`` unless asked
  for nbdime; here it compares them, each PNG replaced by its SHA-256 before the comparison,
  so a failure prints two short digests instead of two 100-KB base64 strings. A plot that
  draws unseeded random numbers (jitter) fails it;
- **the notebooks run offline.** Every kernel starts with ``tools/offline/sitecustomize.py``
  on ``PYTHONPATH``, which refuses any connection beyond this machine (`make test` also runs
  pytest in a network namespace with only loopback, where the system allows it);
- **the notebooks write nothing in the repository.** The repository's files (sizes and
  modification times, outside build/ and other ignored folders) are listed when the session
  starts and when it ends; any difference fails the run and names the files.

nbval 0.11.0 formats every kernel message with ``pprint.pformat`` for a debug log line, whether
or not debug logging is on (``logger.debug("...%s", pformat(msg))`` in nbval/kernel.py): about
a quarter of a second of CPU per run of the eight notebooks here, measured as the pytest
process's own CPU time (1.31-1.50 s against 1.05-1.29 s). The message is now formatted only
when a debug record is actually written; what such a record says is unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pprint
from pathlib import Path
from typing import Any

import pytest

try:
    import nbval.kernel
    import nbval.plugin
except ImportError:  # pragma: no cover - nbval is pinned in requirements.txt
    nbval = None

ROOT = Path(__file__).resolve().parent
OFFLINE = ROOT / "tools" / "offline"  # holds the sitecustomize.py that refuses the network
#: Folders whose files the tests may write (git-ignored build output, caches, environments).
IGNORED = {".venv", ".git", "build", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
           "node_modules", ".ipynb_checkpoints"}  # fmt: skip
PNG_BASE64 = "iVBORw0KGgo"  # every base64-encoded PNG starts so (the PNG signature)
Snapshot = dict[str, tuple[int, int]]  # path -> (size, modification time in ns)
_BEFORE = pytest.StashKey[Snapshot]()


class _FormattedWhenLogged:
    """``pprint.pformat(obj)``, computed only when logging turns the record into text."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __str__(self) -> str:
        return pprint.pformat(self.obj)


if nbval is not None and getattr(nbval.kernel, "pformat", None) is pprint.pformat:
    nbval.kernel.pformat = _FormattedWhenLogged


def png_digest(value: Any) -> Any:
    """A base64 PNG becomes ``PNG sha256:<digest>`` of its bytes; anything else is unchanged."""
    if isinstance(value, str) and value.lstrip().startswith(PNG_BASE64):
        return f"PNG sha256:{hashlib.sha256(base64.b64decode(value)).hexdigest()}"
    return value


if nbval is not None and not hasattr(nbval.plugin.IPyNbCell.sanitize, "png_digest"):
    _sanitize = nbval.plugin.IPyNbCell.sanitize

    def _sanitize_with_png_digest(self: Any, s: Any) -> Any:
        return _sanitize(self, png_digest(s))

    _sanitize_with_png_digest.png_digest = True  # type: ignore[attr-defined]  # patched once
    nbval.plugin.IPyNbCell.sanitize = _sanitize_with_png_digest


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root`` outside the ignored folders, with its size and mtime."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in IGNORED and not d.endswith(".egg-info")]
        for name in filenames:
            stat = (Path(dirpath) / name).stat()
            files[str((Path(dirpath) / name).relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return files


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def _nbval_on(config: pytest.Config) -> bool:
    return nbval is not None and bool(config.getoption("nbval", default=False))


def pytest_configure(config: pytest.Config) -> None:
    if _nbval_on(config):  # kernels (and every Python the tests start) refuse the network
        paths = [str(OFFLINE), *filter(None, [os.environ.get("PYTHONPATH")])]
        os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


def pytest_itemcollected(item: pytest.Item) -> None:
    if nbval is not None and isinstance(item.parent, nbval.plugin.IPyNbFile):
        item.parent.skip_compare = tuple(k for k in item.parent.skip_compare if k != "image/png")


def pytest_sessionstart(session: pytest.Session) -> None:
    if _nbval_on(session.config) and not hasattr(session.config, "workerinput"):
        session.config.stash[_BEFORE] = snapshot(ROOT)


def pytest_sessionfinish(session: pytest.Session) -> None:
    before = session.config.stash.get(_BEFORE, None)
    if before is None:
        return
    changed = changed_files(before, snapshot(ROOT))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        more = f" and {len(changed) - 20} more" if len(changed) > 20 else ""
        message = "the tests changed files in the repository: " + ", ".join(changed[:20]) + more
        if reporter is not None:
            reporter.write_line(f"FAILED (writes nothing): {message}", red=True, bold=True)
        if session.exitstatus == pytest.ExitCode.OK:  # an interrupted or failed run stays so
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
