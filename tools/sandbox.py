"""The kernel that runs a submission while ``make grade`` grades it: a sandbox around ipykernel.

nbgrader starts this module as the kernel of each submission (the ``jdm-sandbox`` kernelspec
that :mod:`tools.grade` writes); it execs ``bwrap`` (bubblewrap, the sandbox of Flatpak) with:

- no network (``--unshare-net``: not even the grading machine's 127.0.0.1), its own process,
  IPC and host-name namespaces, and ``--die-with-parent``;
- a read-only view of what a kernel needs and nothing else of the machine: the system's
  ``/usr`` and ``/etc``, Python, the course's virtual environment, ``helpers/`` and ``data/``.
  The notebooks (so the solutions), ``tools/``, the nbgrader course folder (its source
  notebook, its database), other submissions and the home folder are not there at all;
- one writable folder, the submission's own copy in ``autograded/<student>/``, plus the
  kernel's sockets folder and an empty ``/scratch`` (home and temporary files) that vanishes
  with the kernel; everything else, ``/tmp`` included, is read-only;
- an emptied environment and limits on memory, file size and CPU time (``resource``).

The kernel talks to nbgrader over Unix sockets (``KernelManager.transport = "ipc"``), which
cross the network namespace through the bound sockets folder. When bubblewrap is missing or
cannot create namespaces here, :func:`available` says why and :mod:`tools.grade` refuses to
grade unless told ``--no-sandbox`` (then this module runs the kernel with the limits only).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.paths import REPO_ROOT

#: Set by tools.grade for each submission: the only folder the kernel may write to must lie
#: inside this grading folder; "off" runs without bubblewrap (limits only).
ROOT_ENV, MODE_ENV = "JDM_GRADE_ROOT", "JDM_GRADE_SANDBOX"
MEMORY = 3 * 2**30  # address space per kernel (bytes): pandas + matplotlib need about 1 GB
FILE_SIZE = 64 * 2**20  # largest file a submission may write (bytes)
CPU_SECONDS = 300  # CPU time per kernel; the wall-clock limit per submission is tools.grade's
SCRATCH = "/scratch"  # the kernel's home and temporary folder: an empty tmpfs, gone with it


def _read_only() -> list[str]:
    """``--ro-bind`` arguments: the system, Python, the venv, helpers/ and data/ (no notebooks)."""
    args = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for top in ("bin", "lib", "lib32", "lib64", "sbin"):  # merged /usr: symlinks into /usr
        path = Path("/", top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    mounts = [Path(sys.base_prefix).resolve(), Path(sys.prefix), REPO_ROOT / "helpers"]
    for path in dict.fromkeys([*mounts, REPO_ROOT / "data"]):
        if not {Path("/usr"), Path("/etc")} & set(path.parents):
            args += ["--ro-bind", str(path), str(path)]
    return args


def bwrap_command(kernel: list[str], writable: list[Path], also_read: list[Path] = ()) -> list[str]:  # type: ignore[assignment]
    """The bubblewrap command line that runs ``kernel`` with only ``writable`` writable."""
    binds = [arg for path in writable for arg in ("--bind", str(path), str(path))]
    binds += [arg for path in also_read for arg in ("--ro-bind", str(path), str(path))]
    env = {"HOME": SCRATCH, "TMPDIR": SCRATCH, "MPLCONFIGDIR": SCRATCH, "LANG": "C.UTF-8",
           "PATH": "/usr/bin:/bin", "JDM_COURSE_CACHE": "off", "PYTHONDONTWRITEBYTECODE": "1"}
    # /tmp first (the course may live under it), then the binds; the folders bubblewrap made
    # for them stay read-only (/ and /tmp remounted), so a write lands nowhere but `writable`
    return [
        "bwrap", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--unshare-net",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox",
        "--tmpfs", "/tmp", *_read_only(), "--dev", "/dev", "--proc", "/proc", *binds,
        "--tmpfs", SCRATCH, "--remount-ro", "/tmp", "--remount-ro", "/", "--clearenv",
        *[a for k, v in env.items() for a in ("--setenv", k, v)], "--chdir", str(writable[0]),
        "--", *kernel,
    ]  # fmt: skip


def available() -> str | None:
    """None if bubblewrap can sandbox a process here, else why not (one sentence)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)"
    probe = bwrap_command([sys.executable, "-c", "pass"], [Path.cwd()])
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start: {error}"
    if done.returncode:
        return f"bubblewrap cannot create its sandbox here: {done.stderr.strip()[:200]}"
    return None


def _limit() -> None:
    limits = {resource.RLIMIT_AS: MEMORY, resource.RLIMIT_FSIZE: FILE_SIZE,
              resource.RLIMIT_CPU: CPU_SECONDS, resource.RLIMIT_CORE: 0}  # fmt: skip
    for limit, value in limits.items():
        resource.setrlimit(limit, (value, value))


def main(argv: list[str]) -> None:
    """``python -m tools.sandbox CONNECTION_FILE``: exec the sandboxed kernel (never returns)."""
    connection_file = Path(argv[0]).resolve()
    workdir, root = Path.cwd().resolve(), Path(os.environ[ROOT_ENV]).resolve()
    info = json.loads(connection_file.read_text(encoding="utf-8"))
    sockets = (workdir / info["ip"]).parent.resolve()  # ipc: the sockets' folder
    for path in (workdir, sockets):  # nbgrader runs a submission in its autograded/ folder
        if info["transport"] != "ipc" or root not in path.parents:
            sys.exit(f"refusing to run a kernel outside the grading folder {root}: {path}")
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file)]
    _limit()
    if os.environ.get(MODE_ENV) == "off":
        os.execv(sys.executable, kernel)
    command = bwrap_command(kernel, [workdir, sockets], also_read=[connection_file])
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
