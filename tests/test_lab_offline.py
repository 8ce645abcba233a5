"""JupyterLab, as `make lab` opens it, stays offline: no news from the internet, no error.

JupyterLab asks by default whether to fetch Jupyter news from the internet (and, once allowed,
fetches it and looks for updates). The course turns that off with a settings override shipped
in tools/lab-settings/ and installed into the environment with the course (pyproject.toml,
`[tool.flit.external-data]`, so `make lab`, a plain `pip install -r requirements.txt` and
Binder all get it).

The test starts the server `make lab` starts (on a free loopback port, with a one-off token and
an empty user configuration), checks the setting as JupyterLab serves it, then opens the first
notebook in headless Chromium with every host name but 127.0.0.1 unresolvable and every
connection off the machine sent to a closed local port (tools/site/browser.py): every request
must go to 127.0.0.1, and JupyterLab must show no toast (the news question is one) and log no
error. Without the override the news question appears and the test fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from test_lab import _request, _start_lab  # the server `make lab` starts, and a request

import helpers
from tools.site import browser

ROOT = helpers.paths.REPO_ROOT
NOTEBOOK = "notebooks/00_start_here.ipynb"
NOTIFICATIONS = "@jupyterlab/apputils-extension:notification"
#: JupyterLab saves an open notebook every two minutes: never while the test looks at the course.
USER_SETTINGS = {"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A running JupyterLab server on 127.0.0.1 (started as test_lab starts it): address, token."""
    home = tmp_path_factory.mktemp("lab")
    for name, settings in USER_SETTINGS.items():
        path = home / "cfg" / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(settings))
    server, base, token = _start_lab(ROOT, home)
    try:
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_course_turns_jupyterlab_news_off(lab: tuple[str, str]) -> None:
    base, token = lab
    schema = json.loads(_request(f"{base}/lab/api/settings/{NOTIFICATIONS}", token))["schema"]
    assert schema["properties"]["fetchNews"]["default"] == "false"
    assert schema["properties"]["checkForUpdates"]["default"] is False


def test_jupyterlab_asks_nothing_of_the_internet(lab: tuple[str, str]) -> None:
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    base, token = lab
    with browser.offline_chromium(loopback=True) as chromium:
        page = chromium.new_page()
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", wait_until="load")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=60_000)
        page.wait_for_timeout(1500)  # the news question comes just after start-up, if at all
        toasts = page.eval_on_selector_all(".Toastify__toast", "ts => ts.map(t => t.innerText)")
        hosts = {urlsplit(url).hostname for url in page.requests + sockets}
        assert hosts == {"127.0.0.1"}, f"JupyterLab asked other hosts: {hosts - {'127.0.0.1'}}"
        assert len(sockets) >= 1, "the notebook's kernel was not reached"
        assert toasts == [], f"JupyterLab shows: {toasts}"
        assert page.errors == []
