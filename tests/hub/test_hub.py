"""A class on JupyterHub, proven on 127.0.0.1: five learners, one nbgitpuller link, no install.

The test starts a real JupyterHub (pinned in requirements-hub.txt) with its proxy,
configurable-http-proxy (pinned by tools/hub/package-lock.json, installed by `make test-hub`),
a test-only login (DummyAuthenticator with a password) and one local single-user server per
learner, each in its own home folder. When the test runs as root (CI), each learner's server
runs as a uid of its own, so the course's environment (the checkout's .venv, owned by root) is
read-only for them, as on a real hub.

The course comes from a bare git repository the test makes from this checkout's HEAD. Every
learner, at once, does what a browser does with the class link of `make hub-link`: opens it,
logs in, starts their server, lets nbgitpuller clone the course and lands on notebook 00 in
JupyterLab. Then each runs notebooks 00 and 03 through their server's REST and websocket API,
all learners concurrently. Checked: every cell runs without error and gives the committed
outputs (text after nbval's sanitising, figures byte for byte); each learner's kernel imports
`helpers` from the learner's own copy and keeps its cache there; nothing changes in another
learner's home, in the course copies' committed files, or in the installation (checkout and
.venv). Reported: peak memory per learner (RSS of the server, its kernels and git) and the time
from the link to the first notebook. Every process started is stopped, on failure too, and the
test fails if one is left.

`JDM_HUB_USERS=N` changes the number of learners and `JDM_HUB_REPORT=file.json` saves the
measurements (tools/hub_capacity.py uses both).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import psutil
import pytest
import requests
import websocket

import helpers
from tools import hub_link
from tools.authoring import image_outputs, sanitizer, text_outputs

ROOT = helpers.paths.REPO_ROOT
HERE = Path(__file__).resolve().parent
COURSE_BIN = Path(sys.executable).parent  # the course's .venv, with requirements-hub.txt
PROXY = ROOT / "tools" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
N_USERS = int(os.environ.get("JDM_HUB_USERS", "5"))
FOLDER = "jdm-jak-course"  # the bare repository's name, so nbgitpuller's folder in each home
NOTEBOOKS = ("notebooks/00_start_here.ipynb", "notebooks/03_comparing_the_cohorts.ipynb")
RULES = sanitizer(ROOT / "tests" / "nbval_sanitize.cfg")
UID_BASE = 64100  # learners' uids when run as root: unused by any account (checked)
#: Where a learner's own runs may write in their home: the course copy's cache and output (and
#: the bytecode of its helpers), and the dot-folders of Jupyter, IPython and matplotlib (fonts).
OWN_WRITES = (f"{FOLDER}/build/", ".cache/", ".local/", ".ipython/", ".jupyter/", ".config/")
IGNORED = {".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "node_modules"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _git(*args: str, cwd: Path = ROOT) -> str:
    # the learners' copies are theirs: git asks to be told that reading them is safe
    return subprocess.run(["git", "-c", "safe.directory=*", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def _listing(top: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``top`` with its size and modification time (caches excluded)."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d not in IGNORED]
        for name in filenames:
            info = os.lstat(os.path.join(dirpath, name))
            files[os.path.relpath(os.path.join(dirpath, name), top)] = (info.st_size,
                                                                        info.st_mtime_ns)
    return files


def _tree(home: Path) -> dict[str, tuple[str, int]]:
    """Every file of a learner's home: its SHA-256 and its owner's uid."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(home):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(dirpath, name)
            if path.is_symlink() or not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[str(path.relative_to(home))] = (digest, path.stat().st_uid)
    return files


def _open_to_all(path: Path) -> bool:
    """True if any user can reach and run ``path`` (every folder above it searchable)."""
    real = path.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in [real, *real.parents])


def _environment() -> Path:
    """The bin/ folder of the learners' environment: the course's .venv when every user can run
    its Python; else (a Python under /root, as on this machine) a copy of the environment made
    from a system Python of the same version, in build/hub-env/, installed as a hub admin would
    (pip install -r requirements-hub.txt) and rebuilt when the requirements change."""
    if os.geteuid() != 0 or _open_to_all(Path(sys.executable)):
        return COURSE_BIN
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = [Path(p, version) for p in ("/usr/bin", "/usr/local/bin")]
    python = next((p for p in system if p.exists() and _open_to_all(p)), None)
    if python is None:
        return COURSE_BIN  # learners then run as the test's user (said in the report)
    env = ROOT / "build" / "hub-env"
    wanted = hashlib.sha256(b"".join(
        (ROOT / name).read_bytes() for name in ("requirements.txt", "requirements-hub.txt",
                                                "pyproject.toml"))).hexdigest()  # fmt: skip
    stamp = env / ".installed"
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(env)], check=True)
        subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                        "requirements-hub.txt"], cwd=ROOT, check=True)  # fmt: skip
        stamp.write_text(wanted)
    return env / "bin"


def _learner_uids(names: list[str], bin_dir: Path) -> dict[str, int]:
    """A uid of their own per learner when the test runs as root and every user can run the
    environment's Python (none of the uids in use); else none: all run as the test's user."""
    if os.geteuid() != 0 or not _open_to_all(bin_dir / "python"):
        return {}
    uids, candidate = {}, UID_BASE
    for name in names:
        while True:
            candidate += 1
            try:
                pwd.getpwuid(candidate)
            except KeyError:
                break
        uids[name] = candidate
    return uids


@dataclass
class Hub:
    url: str
    token: str
    password: str
    users: list[str]
    homes: Path
    origin: Path
    uids: dict[str, int]
    process: subprocess.Popen[bytes]
    log: Path
    own_python: bool  # the learners run the interpreter that made the committed figures
    peak_rss: dict[str, int] = field(default_factory=dict)
    seen: dict[int, float] = field(default_factory=dict)  # pid -> create time
    stop: threading.Event = field(default_factory=threading.Event)

    def api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"},
                                **kwargs)  # type: ignore[arg-type]  # fmt: skip

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def _measure(hub: Hub) -> None:
    """Until ``hub.stop``: the peak RSS of each learner's server with everything it started
    (kernels, git), and every process the hub started, for the final check that none is left."""
    owner: dict[int, str] = {}
    root = psutil.Process(hub.process.pid)
    while not hub.stop.wait(0.2):
        with contextlib.suppress(psutil.Error):
            for child in root.children():
                hub.seen.setdefault(child.pid, child.create_time())
                if child.pid not in owner:
                    with contextlib.suppress(psutil.Error):
                        user = child.environ().get("JUPYTERHUB_USER")
                        if user:
                            owner[child.pid] = user
                if child.pid not in owner:
                    continue
                total = 0
                with contextlib.suppress(psutil.Error):
                    for proc in [child, *child.children(recursive=True)]:
                        hub.seen.setdefault(proc.pid, proc.create_time())
                        total += proc.memory_info().rss
                user = owner[child.pid]
                hub.peak_rss[user] = max(hub.peak_rss.get(user, 0), total)


def _stray(hub: Hub) -> list[psutil.Process]:
    """Processes the hub started (or running as a learner's uid) that are still alive."""
    alive = []
    for pid, created in hub.seen.items():
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(pid)
            if proc.create_time() == created and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
    uids = set(hub.uids.values())
    for proc in psutil.process_iter(["uids"]):
        if uids and proc.info["uids"] and proc.info["uids"].real in uids and proc not in alive:
            alive.append(proc)
    return alive


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    if not PROXY.exists():
        missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
        if missing:
            pytest.skip("JupyterHub cannot start here: its proxy, configurable-http-proxy, "
                        f"needs Node.js and npm (not found: {', '.join(missing)})")  # fmt: skip
        pytest.fail(f"{PROXY} is missing: run `make test-hub` (it installs it with npm ci)")
    users = [f"learner{i}" for i in range(1, N_USERS + 1)]
    bin_dir = _environment()
    uids = _learner_uids(users, bin_dir)
    tmp = Path(tempfile.mkdtemp(prefix="jdm-hub-"))
    tmp.chmod(0o755)  # learners must reach their homes and the course's repository
    state, homes, origin = tmp / "state", tmp / "homes", tmp / "origin" / FOLDER
    state.mkdir(mode=0o700)
    homes.mkdir(mode=0o755)
    for name in users:
        (homes / name).mkdir(mode=0o700)
        if uids:
            os.chown(homes / name, uids[name], uids[name])
    _git("init", "--quiet", "--bare", str(origin))
    _git("push", "--quiet", str(origin), "HEAD:refs/heads/main")
    (origin.parent / "gitconfig").write_text(f"[safe]\n\tdirectory = {origin}\n")
    password, token = secrets.token_urlsafe(12), secrets.token_hex(32)
    port = _free_port()
    settings = {
        "port": port, "hub_port": _free_port(), "proxy_api_port": _free_port(),
        "proxy": str(PROXY), "proxy_token": secrets.token_hex(32), "state": str(state),
        "password": password, "users": users, "api_token": token, "uids": uids,
        "homes": str(homes), "allow_root": not uids and os.geteuid() == 0, "folder": FOLDER,
        "singleuser": str(bin_dir / "jupyterhub-singleuser"),
        # git refuses a repository another uid owns unless its global configuration says so:
        # the test's origin is the test's, a real hub's is a URL
        "environment": {"GIT_CONFIG_GLOBAL": str(origin.parent / "gitconfig")},
    }  # fmt: skip
    (state / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    env = {**os.environ, "JDM_HUB_SETTINGS": str(state / "settings.json"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}  # fmt: skip
    log = state / "hub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(bin_dir / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
            cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    hub = Hub(f"http://127.0.0.1:{port}", token, password, users, homes, origin, uids,
              process, log, bin_dir == COURSE_BIN)  # fmt: skip
    meter = threading.Thread(target=_measure, args=(hub,), daemon=True)
    meter.start()
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(requests.RequestException):
                if hub.api("GET", "/").ok:
                    break
            assert process.poll() is None, f"the hub stopped:\n{hub.log_tail()}"
            assert time.monotonic() < deadline, f"no hub after 90 s:\n{hub.log_tail()}"
            time.sleep(0.5)
        yield hub
    finally:
        for name in users:
            with contextlib.suppress(requests.RequestException):
                hub.api("DELETE", f"/users/{name}/server")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(
            _server_running(hub, name) for name in users if process.poll() is None
        ):
            time.sleep(0.5)
        process.send_signal(signal.SIGTERM)  # the hub stops the proxy and any server left
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        hub.stop.set()
        meter.join()
        time.sleep(1)
        left = _stray(hub)
        for proc in left:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        assert not left, f"processes left running: {[p.pid for p in left]}"


def _server_running(hub: Hub, name: str) -> bool:
    with contextlib.suppress(requests.RequestException, KeyError):
        return bool(hub.api("GET", f"/users/{name}").json()["servers"])
    return False


def _xsrf(page: str) -> str:
    found = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)
    assert found, "no _xsrf field in the login form"
    return html.unescape(found.group(1))


def _data(page: str, name: str) -> str:
    found = re.search(rf'data-{name}="([^"]*)"', page)
    assert found, f"nbgitpuller's page has no data-{name}"
    return unquote(html.unescape(found.group(1)))


def _follow_link(hub: Hub, name: str) -> dict[str, float]:
    """What a learner's browser does with the class link, timed from the click."""
    link, folder = hub_link.link(hub.url, str(hub.origin), "main")
    assert folder == FOLDER
    session, start = requests.Session(), time.monotonic()
    page = session.get(link, timeout=60)  # not logged in: the hub asks who it is
    assert page.status_code == 200 and "/hub/login" in page.url, page.url
    page = session.post(page.url, timeout=60, data={
        "username": name, "password": hub.password, "_xsrf": _xsrf(page.text)})  # fmt: skip
    assert page.ok, f"{page.status_code} {page.url}\n{hub.log_tail()}"
    spawn = session.get(f"{hub.url}/hub/spawn/{name}", timeout=200,
                        params={"next": urlsplit(page.url).path + "?" + urlsplit(link).query})
    assert spawn.ok, spawn.status_code
    deadline = time.monotonic() + 200
    while not hub.api("GET", f"/users/{name}").json()["servers"].get("", {}).get("ready"):
        assert time.monotonic() < deadline, f"{name}'s server did not start:\n{hub.log_tail()}"
        time.sleep(0.5)
    spawned = time.monotonic()
    page = session.get(link, timeout=60)  # again: now the hub sends it on to nbgitpuller
    assert page.ok and f"/user/{name}/git-pull" in page.url, f"{page.status_code} {page.url}"
    # the page's script asks nbgitpuller's API to pull, then opens data-path
    query = {"repo": _data(page.text, "repo"), "targetpath": _data(page.text, "targetpath"),
             "branch": _data(page.text, "branch"), "_xsrf": _data(page.text, "xsrf")}  # fmt: skip
    assert (query["repo"], query["targetpath"], query["branch"]) == (str(hub.origin), FOLDER,
                                                                     "main")  # fmt: skip
    base = f"{hub.url}/user/{name}/"
    events = []
    with session.get(urljoin(base, "git-pull/api"), params=query, stream=True,
                     timeout=120) as stream:  # fmt: skip
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
                if events[-1]["phase"] in ("finished", "error"):
                    break
    assert events and events[-1]["phase"] == "finished", events[-3:]
    pulled = time.monotonic()
    target = _data(page.text, "path")
    assert target == f"lab/tree/{FOLDER}/{NOTEBOOKS[0]}"
    lab = session.get(urljoin(base, target), timeout=60)
    assert lab.ok and "JupyterLab" in lab.text, lab.status_code
    first = session.get(urljoin(base, f"api/contents/{FOLDER}/{NOTEBOOKS[0]}"), timeout=60)
    assert first.ok and first.json()["type"] == "notebook"
    end = time.monotonic()
    return {"spawn_s": spawned - start, "pull_s": pulled - spawned, "first_notebook_s": end - start}


def _execute(hub: Hub, name: str, path: str) -> tuple[nbformat.NotebookNode, str]:
    """Run every code cell of ``path`` (in the learner's copy) in a new kernel of the learner's
    server, over its websocket; return the notebook with the fresh outputs, and where its
    kernel found ``helpers``."""
    api = f"{hub.url}/user/{name}/api"
    auth = {"Authorization": f"token {hub.token}"}
    model = requests.get(f"{api}/contents/{FOLDER}/{path}", headers=auth, timeout=60)
    nb = nbformat.from_dict(model.json()["content"])
    made = requests.post(f"{api}/sessions", headers=auth, timeout=120, json={
        "path": f"{FOLDER}/{path}", "type": "notebook", "name": "",
        "kernel": {"name": "python3"}})  # fmt: skip
    assert made.status_code == 201, made.text
    kernel, session_id = made.json()["kernel"]["id"], made.json()["id"]
    channel = websocket.create_connection(
        f"ws://{urlsplit(hub.url).netloc}/user/{name}/api/kernels/{kernel}/channels",
        header=[f"Authorization: token {hub.token}"], timeout=300,
    )
    try:
        codes = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        codes.append("import helpers\nprint(helpers.__file__, end='')")
        results = []
        for code in codes:
            msg_id = uuid.uuid4().hex
            channel.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                           "session": session_id, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True}}))  # fmt: skip
            outputs: list[nbformat.NotebookNode] = []
            while True:
                msg = json.loads(channel.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(nbformat.v4.output_from_msg(msg))
                elif kind == "clear_output":
                    outputs = []
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
            results.append(outputs)
    finally:
        channel.close()
        requests.delete(f"{api}/sessions/{session_id}", headers=auth, timeout=60)
    where = results.pop()
    fresh = nbformat.from_dict(model.json()["content"])
    for cell, outputs in zip((c for c in fresh.cells if c.cell_type == "code"), results,
                             strict=True):  # fmt: skip
        cell.outputs = outputs
    assert len(where) == 1 and where[0].output_type == "stream", where
    return fresh, where[0].text


def _learner(hub: Hub, name: str) -> dict[str, object]:
    timing = _follow_link(hub, name)
    return {"name": name, **timing}


def _runs(hub: Hub, name: str) -> dict[str, object]:
    record: dict[str, object] = {"name": name}
    for path in NOTEBOOKS:
        start = time.monotonic()
        fresh, helpers_file = _execute(hub, name, path)
        record[f"run_{Path(path).name[:2]}_s"] = time.monotonic() - start
        committed = _committed(hub, path)
        errors = [out for cell in fresh.cells if cell.cell_type == "code"
                  for out in cell.outputs if out.output_type == "error"]  # fmt: skip
        assert not errors, f"{name}, {path}: {errors[0].ename}: {errors[0].evalue}"
        assert text_outputs(fresh, RULES) == text_outputs(committed, RULES), f"{name}, {path}"
        figures, expected = image_outputs(fresh), image_outputs(committed)
        if hub.own_python:  # the very interpreter that made them: byte for byte
            assert figures == expected, f"{name}, {path}: figures"
        else:  # another build of the same Python: as many figures, of the same sizes
            assert [_png_size(f) for f in figures] == [_png_size(f) for f in expected], path
            record[f"figures_differing_{Path(path).name[:2]}"] = sum(
                a != b for a, b in zip(figures, expected, strict=True))
        record["helpers"] = helpers_file
    return record


def _png_size(data: str) -> tuple[int, int]:
    header = base64.b64decode(data[:44])  # signature, IHDR length and type, width, height
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _committed(hub: Hub, path: str) -> nbformat.NotebookNode:
    """The committed notebook, as the origin holds it."""
    text = _git("show", f"main:{path}", cwd=hub.origin)
    return nbformat.reads(text, as_version=4)


def test_a_class_follows_the_link_and_runs_the_course(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    installation = _listing(ROOT)  # the checkout, with the .venv every learner runs from
    wall = time.monotonic()
    with ThreadPoolExecutor(len(hub.users)) as pool:
        opened = list(pool.map(lambda name: _learner(hub, name), hub.users))
    homes_before = {name: _tree(hub.homes / name) for name in hub.users}
    for name in hub.users:  # each copy is the origin's commit, in the learner's own home
        copy = hub.homes / name / FOLDER
        assert _git("rev-parse", "HEAD", cwd=copy) == _git("rev-parse", "main", cwd=hub.origin)
    start_runs = time.monotonic()
    with ThreadPoolExecutor(len(hub.users)) as pool:
        ran = list(pool.map(lambda name: _runs(hub, name), hub.users))
    runs_wall = time.monotonic() - start_runs

    for name, record in zip(hub.users, ran, strict=True):
        home = hub.homes / name
        copy = home / FOLDER
        # the kernel's helpers are the learner's own: data, cache and output live in the copy
        assert Path(str(record["helpers"])).resolve() == (copy / "helpers" / "__init__.py")
        cache = sorted((copy / "build" / "cache").glob("*.json"))
        assert cache, f"{name}: no cache entry in the learner's own copy"
        assert not _git("status", "--porcelain", "--untracked-files=no", cwd=copy), name
        after = _tree(home)
        before = homes_before[name]
        changed = sorted(p for p in after.keys() | before.keys() if after.get(p) != before.get(p))
        outside = [p for p in changed
                   if not p.startswith(OWN_WRITES) and "/__pycache__/" not in p]  # fmt: skip
        assert not outside, f"{name}: the run changed {outside[:5]}"
        if hub.uids:  # nothing in a home belongs to anyone but its learner
            foreign = [p for p, (_, uid) in after.items() if uid != hub.uids[name]]
            assert not foreign, f"{name}: files of another user in the home: {foreign[:5]}"
    assert _listing(ROOT) == installation, "a learner wrote in the course's installation"

    report = {
        "users": len(hub.users), "separate_uids": bool(hub.uids),
        "environment": str(_environment()), "own_python": hub.own_python,
        "cpus": os.cpu_count(), "wall_runs_s": runs_wall,
        "wall_total_s": time.monotonic() - wall,
        "learners": [{**o, **r, "peak_rss_mb": hub.peak_rss.get(o["name"], 0) / 2**20}
                     for o, r in zip(opened, ran, strict=True)],
    }  # fmt: skip
    if os.environ.get("JDM_HUB_REPORT"):
        Path(os.environ["JDM_HUB_REPORT"]).write_text(json.dumps(report, indent=1))
    with capsys.disabled():
        print(f"\n{len(hub.users)} learners (own uids: {bool(hub.uids)}; environment "
              f"{report['environment']}), {os.cpu_count()} CPUs; notebooks 00+03 for all at "
              f"once: {runs_wall:.1f} s")
        if not hub.own_python:
            print("figures compared by number and size only (another build of Python; "
                  f"differing: {[r.get('figures_differing_03') for r in ran]} in 03)")
        print(f"{'learner':<10} {'to notebook 00':>15} {'spawn':>7} {'pull':>6} "
              f"{'run 00':>7} {'run 03':>7} {'peak RSS':>9}")
        for row in report["learners"]:
            print(f"{row['name']:<10} {row['first_notebook_s']:>13.1f} s {row['spawn_s']:>5.1f} s "
                  f"{row['pull_s']:>4.1f} s {row['run_00_s']:>5.1f} s {row['run_03_s']:>5.1f} s "
                  f"{row['peak_rss_mb']:>6.0f} MB")
    assert all(hub.peak_rss.get(name) for name in hub.users), "memory was not measured"
