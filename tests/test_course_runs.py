"""The course runs offline, gives the same text on every run, and writes nothing in the repo.

One extra execution of every notebook, with the network cut off (a new network namespace via
``unshare -n`` where the machine allows it, and in every case a socket guard that refuses any
connection beyond this machine), compared with the committed outputs: the text a reader sees
and the figures, byte for byte. nbval's run in the same
``make test`` compares a second fresh execution with the same committed outputs, so two
executions agree with each other. Before and after, the repository's files are listed with
their sizes and modification times: the notebooks must not have written anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import helpers
from tools.authoring import image_outputs, sanitizer, text_outputs

ROOT = helpers.paths.REPO_ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RULES = sanitizer(ROOT / "tests" / "nbval_sanitize.cfg")
IGNORED = {".venv", ".git", "build", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}

GUARD = '''
"""Installed by tests/test_course_runs.py: refuse every connection that leaves this machine."""
import socket

_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _check(address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if not str(host).startswith(_LOCAL) and socket.AF_UNIX != getattr(address, "family", None):
        raise OSError(f"network access blocked by the offline test: {host}")


def connect(self, address):
    if self.family != socket.AF_UNIX:
        _check(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family != socket.AF_UNIX:
        _check(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
'''


def _snapshot() -> dict[str, tuple[int, int]]:
    files = {}
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in IGNORED and not d.endswith(".egg-info")]
        for name in filenames:
            path = Path(dirpath) / name
            stat = path.stat()
            files[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return files


def _offline_env(tmp_path: Path) -> dict[str, str]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(guard),
        MPLCONFIGDIR=str(tmp_path / "mpl"),
        IPYTHONDIR=str(tmp_path / "ipython"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        HOME=str(tmp_path / "home"),
    )
    return env


def _can_unshare() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(
        ["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, check=False
    )
    return probe.returncode == 0


def test_the_socket_guard_blocks_the_network(tmp_path: Path) -> None:
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=_offline_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "network access blocked by the offline test" in result.stderr


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_notebooks_run_offline_identically_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "executed"
    command = [sys.executable, "-m", "tools.authoring", "--output-dir", str(out)]
    command += [str(p) for p in NOTEBOOKS]
    if _can_unshare():  # a namespace with only a loopback interface: no route out at all
        command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    before = _snapshot()
    result = subprocess.run(
        command, cwd=tmp_path, env=_offline_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert _snapshot() == before, "executing the notebooks changed files in the repository"
    for path in NOTEBOOKS:
        committed = text_outputs(nbformat.read(path, as_version=4), RULES)
        fresh = text_outputs(nbformat.read(out / path.name, as_version=4), RULES)
        for index, (old, new) in enumerate(zip(committed, fresh, strict=True), start=1):
            assert old == new, f"{path.name}, code cell {index}: output differs from the commit"
        # figures too: a plot that draws unseeded random numbers (e.g. jitter) would differ
        old_images = image_outputs(nbformat.read(path, as_version=4))
        new_images = image_outputs(nbformat.read(out / path.name, as_version=4))
        assert old_images == new_images, f"{path.name}: a figure differs from the committed one"
