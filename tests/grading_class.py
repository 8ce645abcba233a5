"""``make test-grade``: nbgrader releases the committed student copy and grades a fixture class.

Not a ``test_*.py`` file: the plain unit run skips it (it takes minutes, a kernel per
submission); ``make test`` runs it as its own step. It checks that

- the committed ``notebooks/06_exercises.ipynb`` is exactly what ``nbgrader
  generate_assignment`` releases from the solutions (``make exercises`` rewrites it);
- ``tools.grade`` grades ``tests/fixtures/class06/submissions`` to exactly
  ``expected_gradebook.csv``: a correct, a partly correct and an untouched notebook, and one
  that loops, raises, hangs past the per-submission limit, is not valid JSON, deletes and
  renames cells, is renamed, reads the solutions, writes outside its folder or reaches the
  network (a listener on 127.0.0.1 here must hear nothing); a feedback page for every student;
- nothing outside the grading folder changed (the course's files and the submissions).
"""

from __future__ import annotations

import csv
import hashlib
import socket
import threading
import time
from pathlib import Path

import pytest

from tools import grade, sandbox

ROOT = grade.REPO_ROOT
CLASS = Path(__file__).parent / "fixtures" / "class06"
SUBMISSIONS = CLASS / "submissions"
PORT = 47613  # the port the "reaches_network" submission tries (see make_class.py)


def _fingerprint() -> dict[str, str]:
    """A hash of every file the graded code must leave alone."""
    tops = ("helpers", "data", "notebooks", "tools", "tests/fixtures/class06")
    paths = [p for top in tops for p in (ROOT / top).rglob("*") if p.is_file()]
    paths = [p for p in paths if "__pycache__" not in p.parts]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


def test_the_committed_student_copy_is_nbgraders_release() -> None:
    assert grade.drift() == [], "run `make exercises` to release the student copy again"


def test_the_fixture_class_gets_exactly_its_gradebook(tmp_path: Path) -> None:
    if why := sandbox.available():
        pytest.skip(f"NO SANDBOX, grading not tested: {why}")
    heard: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", PORT))
    listener.settimeout(0.2)

    def listen() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            heard.append(connection.recv(100) or b"(connected)")
            connection.close()

    stop = threading.Event()
    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    before, start = _fingerprint(), time.perf_counter()
    try:
        gradebook = grade.grade(SUBMISSIONS, tmp_path / "out", cell_timeout=15,
                                submission_timeout=120)  # fmt: skip
    finally:
        stop.set()
        thread.join()
        listener.close()
    print(f"graded {len(list(SUBMISSIONS.iterdir()))} submissions in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    assert heard == [], "a submission reached the network"
    assert _fingerprint() == before, "grading changed a file outside the grading folder"
    got = gradebook.read_text(encoding="utf-8")
    expected = (CLASS / "expected_gradebook.csv").read_text(encoding="utf-8")
    assert got == expected
    students = [row["student_id"] for row in csv.DictReader(expected.splitlines())]
    pages = sorted(p.stem for p in (tmp_path / "out" / "feedback").glob("*.html"))
    assert pages == sorted(students) == sorted(p.name for p in SUBMISSIONS.iterdir())
