"""The proofs that ride on strict nbval's one execution of every notebook (root conftest.py).

No second execution of the notebooks: nbval's own run compares the figures byte for byte (as
SHA-256 digests of the PNGs), its kernels start with a socket guard that refuses any connection
beyond this machine, and the session fails if a file of the repository changed. These tests
show each proof can fail, on a throw-away project that uses the same conftest.py.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import helpers

ROOT = helpers.paths.REPO_ROOT
# the root conftest.py, under a name of its own (pytest has loaded it as a plugin already)
_spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(40))).decode()
BLOCKED = "network access blocked by the offline test: 192.0.2.1"


def _offline_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root_conftest.OFFLINE))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_the_guard_refuses_the_network_and_keeps_loopback() -> None:
    refused = _offline_python("import socket; socket.create_connection(('192.0.2.1', 80), 1)")
    assert refused.returncode != 0 and BLOCKED in refused.stderr
    local = _offline_python(
        "import socket; s = socket.create_server(('127.0.0.1', 0)); "
        "socket.create_connection(s.getsockname(), 1).close(); print('ok')"
    )
    assert local.stdout.strip() == "ok", local.stderr


def test_a_png_is_compared_by_its_digest() -> None:
    other = base64.b64encode(base64.b64decode(PNG)[:-1] + b"\x00").decode()
    assert root_conftest.png_digest(PNG).startswith("PNG sha256:")
    assert root_conftest.png_digest(PNG) == root_conftest.png_digest(PNG + "\n")
    assert root_conftest.png_digest(PNG) != root_conftest.png_digest(other)
    assert root_conftest.png_digest("plain text") == "plain text"


def test_a_snapshot_names_every_changed_file(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("a")
    (tmp_path / "edited.txt").write_text("a")
    (tmp_path / "build").mkdir()
    before = root_conftest.snapshot(tmp_path)
    (tmp_path / "edited.txt").write_text("ab")
    (tmp_path / "new.txt").write_text("a")
    (tmp_path / "build" / "ignored.txt").write_text("a")
    changed = root_conftest.changed_files(before, root_conftest.snapshot(tmp_path))
    assert changed == ["edited.txt", "new.txt"]


def test_nbval_compares_the_figures_of_the_course(request: pytest.FixtureRequest) -> None:
    cells = [i for i in request.session.items if i.nodeid.startswith("notebooks/")]
    if not cells:
        pytest.skip("the notebooks are not collected in this run (make test collects them)")
    assert all("image/png" not in cell.parent.skip_compare for cell in cells)


def test_the_proofs_fail_a_notebook_that_writes_or_goes_online(tmp_path: Path) -> None:
    """A throw-away project with the root conftest.py: its notebook prints the guard's refusal
    (committed, so nbval passes the cell only if the guard is on) and then writes a file."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    shutil.copytree(root_conftest.OFFLINE, tmp_path / "tools" / "offline")
    online = nbformat.v4.new_code_cell(
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), 1)\n"
        "except OSError as error:\n    print(error)",
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=BLOCKED + "\n")],
        execution_count=1,
    )
    writes = nbformat.v4.new_code_cell("open('written.txt', 'w').close()", execution_count=2)
    nb = nbformat.v4.new_notebook(cells=[online, writes])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, tmp_path / "nb.ipynb")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
               "--nbval", "--nbval-current-env", "nb.ipynb"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the project sets its own
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "2 passed" in result.stdout, result.stdout[-3000:]
    assert "FAILED (writes nothing)" in result.stdout and "written.txt" in result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED
