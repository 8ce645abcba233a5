"""`make lab` works: JupyterLab starts from this environment, serves its page, and opening and
saving a notebook leaves it as committed.

The tests start the same server `make lab` starts (without a browser, on a free loopback port,
with a one-off token), fetch `/lab` and the notebooks through the contents API, then stop the
server. They need no network beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

import helpers
from tools import export

ROOT = helpers.paths.REPO_ROOT
NOTEBOOKS = export.course_notebooks()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(url: str, token: str, method: str = "GET", body: dict | None = None) -> bytes:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        assert response.status in (200, 201), f"{method} {url}: {response.status}"
        return response.read()


def _start_lab(root_dir: Path, home: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start JupyterLab as `make lab` does, serving ``root_dir``; wait until `/lab` answers."""
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
    ]  # fmt: skip
    if os.name == "posix" and os.geteuid() == 0:  # as `make lab` does for root (e.g. in CI)
        command.append("--allow-root")
    env = {"JUPYTER_RUNTIME_DIR": str(home), "JUPYTER_CONFIG_DIR": str(home / "cfg"),
           "HOME": str(home), "PATH": str(Path(sys.executable).parent)}  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            body = _request(f"{base}/lab", token)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise AssertionError(
                    "JupyterLab did not start within 60 s\n" + server.stderr.read().decode()[-2000:]
                ) from None
            time.sleep(0.5)
    assert b"JupyterLab" in body
    return server, base, token


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A running JupyterLab serving a copy of the repository's notebooks/ (base, token, root)."""
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    server, base, token = _start_lab(root, tmp_path_factory.mktemp("home"))
    try:
        yield base, token, root
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_jupyterlab_serves_the_course(lab: tuple[str, str, Path]) -> None:
    base, token, _ = lab
    body = _request(f"{base}/api/contents/notebooks/00_start_here.ipynb", token)
    assert json.loads(body)["type"] == "notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_saving_an_unchanged_notebook_keeps_its_bytes(
    lab: tuple[str, str, Path], path: Path
) -> None:
    """JupyterLab saves a notebook by PUTting the model it read back through the contents API:
    for an unchanged notebook the file on disk must stay byte-identical (nbformat's layout:
    indent 1, sorted keys, UTF-8 unescaped, a final newline), so that nbgitpuller never sees a
    change the learner did not make."""
    base, token, root = lab
    url = f"{base}/api/contents/notebooks/{path.name}"
    model = json.loads(_request(url, token))
    _request(url, token, "PUT", {"type": "notebook", "format": "json", "content": model["content"]})
    saved = (root / "notebooks" / path.name).read_bytes()
    assert saved == path.read_bytes(), f"saving {path.name} unchanged rewrote it"


def test_the_kernel_writes_the_language_info_the_notebooks_carry() -> None:
    """JupyterLab copies the kernel's ``language_info`` into a notebook when the kernel starts:
    committed notebooks carry the same, so opening one does not change it. Only the patch
    release of Python may differ (JupyterLab then rewrites that one line; docs/jupyterhub.md)."""
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        info = client.kernel_info(reply=True, timeout=30)["content"]["language_info"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    for path in NOTEBOOKS:
        committed = dict(nbformat.read(path, as_version=4).metadata.language_info)
        minor = [d.get("version", "").rsplit(".", 1)[0] for d in (committed, info)]
        assert minor[0] == minor[1], f"{path.name} was run with Python {committed.get('version')}"
        assert {**committed, "version": info["version"]} == info, (
            f"{path.name}: language_info differs from the kernel's; re-run `make execute`"
        )
