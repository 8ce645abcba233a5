"""`make lab` works: JupyterLab starts from this environment and serves its page.

The test starts the same server `make lab` starts (without a browser, on a free loopback port,
with a one-off token), fetches `/lab` and the first notebook through the contents API, then
stops the server. It needs no network beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import helpers

ROOT = helpers.paths.REPO_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback only
        return response.status, response.read()


def test_jupyterlab_serves_the_course(tmp_path: Path) -> None:
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
    ]  # fmt: skip
    if os.name == "posix" and os.geteuid() == 0:  # as `make lab` does for root (e.g. in CI)
        command.append("--allow-root")
    env = {"JUPYTER_RUNTIME_DIR": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
           "HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent)}  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"{base}/lab", token)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start within 60 s"
                time.sleep(0.5)
        assert status == 200 and b"JupyterLab" in body
        status, body = _get(f"{base}/api/contents/notebooks/00_start_here.ipynb", token)
        assert status == 200
        assert json.loads(body)["type"] == "notebook"
    finally:
        server.terminate()
        server.wait(timeout=30)
