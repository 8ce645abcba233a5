"""Measure the course's speed on this machine (run with `make bench`).

Prints, in one run:

(a) the floor: for each notebook, start a fresh kernel and import pandas, seaborn and
    matplotlib once: the cost no notebook can avoid;
(b) the full strict nbval run of every notebook, exactly as `make nbval` runs it (one serial
    pytest process with only the nbval plugin), and the ratio b / a (target: at most 1.5); also
    the fixed start-up of pytest itself, measured by the same command with --collect-only, so
    that the notebooks' own share can be seen. (a) and (b) are measured in turns, --repeat
    times (default 5: single runs on a shared 2-core machine differ by a tenth of the ratio and
    more), and the medians are compared, so that a slow moment of the machine weighs on both.
    Each nbval run starts with an empty cache of validated tables (helpers.cache), as on a
    clean clone in CI: the first notebook validates the data, the others read them back;
(c) the slowest cells: every notebook executed once with cell timings (target: none over 2 s);
(d) loading and validating a SYNTHETIC case table 100 times the real one, generated here in a
    temporary folder and never saved as data (target: < 1 s).
    The cache is off here: every load is a full validation.

Times are wall-clock seconds on whatever machine runs the script; quote them with the
machine's description (cores, Python version).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pandas as pd
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

import helpers
from helpers import cache
from helpers.schemas import TABLES

ROOT = helpers.paths.REPO_ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ID_COLUMNS = ("study_id", "group_id", "patient_id", "outcome_id")


def floor_seconds(notebooks: list[Path]) -> tuple[float, float]:
    """(a) One fresh kernel per notebook, importing the plotting stack once.

    Returns the total and the median time of the import alone (what every notebook's set-up
    cell pays before doing anything of its own).
    """
    imports = []
    start = time.perf_counter()
    for _ in notebooks:
        manager, client = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
        try:
            began = time.perf_counter()
            reply = client.execute_interactive(
                "import pandas, seaborn, matplotlib.pyplot", timeout=120
            )
            imports.append(time.perf_counter() - began)
            assert reply["content"]["status"] == "ok", reply
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return time.perf_counter() - start, statistics.median(imports)


def clear_cache() -> None:
    """Empty the cache of validated tables: a run then starts cold, as on a clean clone."""
    folder = cache.cache_dir()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def nbval_seconds(notebooks: list[Path], collect_only: bool = False) -> float:
    """(b) The strict nbval run of every notebook: ``make nbval``, timed from outside.

    With ``collect_only`` the same command only starts pytest and collects the notebooks: the
    fixed cost of the test runner itself (importing pytest, nbval and nbformat).
    """
    args = "-q -p no:cacheprovider" + (" --collect-only" if collect_only else "")
    selection = " ".join(str(p.relative_to(ROOT)) for p in notebooks)
    command = ["make", "-s", "nbval", f"ARGS={args}", f"NB={selection}"]
    clear_cache()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"nbval failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return elapsed


def slowest_cells(notebooks: list[Path], limit: float) -> list[tuple[float, str, int]]:
    """(c) Every cell's execution time; returns (seconds, notebook, cell number), slowest first."""
    timings = []
    clear_cache()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
            record_timing=True, timeout=300,
        )  # fmt: skip
        client.execute(stderr=subprocess.DEVNULL)
        number = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            number += 1
            times = cell.metadata.get("execution", {})
            if "iopub.execute_input" in times and "shell.execute_reply" in times:
                began = datetime.fromisoformat(times["iopub.execute_input"].replace("Z", "+00:00"))
                ended = datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00"))
                timings.append(((ended - began).total_seconds(), path.name, number))
    timings.sort(reverse=True)
    return timings


def synthetic_copy(folder: Path, factor: int) -> None:
    """Write a SYNTHETIC case table: every study repeated ``factor`` times with new ids.

    The copies keep every value, so all checks hold; only identifiers and author names get a
    suffix. This is made-up data for timing only, written to a temporary folder. The measures
    vocabulary (data/measures.csv) is copied as it is.
    """
    shutil.copy(helpers.data_dir() / "measures.csv", folder / "measures.csv")
    for spec in TABLES:
        frame = pd.read_csv(helpers.data_dir() / spec.filename, dtype=str, keep_default_na=False)
        if spec.name == "sources":
            frame.to_csv(folder / spec.filename, index=False)
            continue
        copies = []
        for k in range(factor):
            copy = frame.copy()
            for column in ID_COLUMNS:
                if column in copy.columns:
                    filled = copy[column] != ""
                    copy.loc[filled, column] = copy.loc[filled, column] + f"_x{k}"
            if "first_author" in copy.columns:  # distinct labels, as distinct papers have
                copy["first_author"] = copy["first_author"] + f" x{k}"
            copies.append(copy)
        pd.concat(copies).to_csv(folder / spec.filename, index=False)


def synthetic_seconds(factor: int) -> tuple[float, int]:
    """(d) Load + validate the synthetic table (no cache)."""
    os.environ[cache.CACHE_ENV] = "off"  # time the validation itself, every time
    with tempfile.TemporaryDirectory(prefix="jdm-synthetic-") as tmp:
        synthetic_copy(Path(tmp), factor)
        start = time.perf_counter()
        data = helpers.load_case_data(Path(tmp))
        loaded = time.perf_counter() - start
    return loaded, len(data.studies)


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times) + " s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--cell-limit", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5, help="runs of (a) and (b), in turns")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    os.chdir(ROOT)
    notebooks = [p.resolve() for p in args.notebooks] or NOTEBOOKS
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {len(notebooks)} notebooks")  # fmt: skip
    subprocess.run(["make", "-s", ".venv/.installed"], cwd=ROOT, check=True)  # install first
    floors, fulls, imports = [], [], []
    for _ in range(args.repeat):  # in turns, so that a slow moment of the machine hits both
        floor_total, import_median = floor_seconds(notebooks)
        floors.append(floor_total)
        imports.append(import_median)
        fulls.append(nbval_seconds(notebooks))
    floor, full = statistics.median(floors), statistics.median(fulls)
    print(f"(a) floor, kernel start + imports per notebook: {floor:6.1f} s  "
          f"(median of {_runs(floors)})")  # fmt: skip
    print(f"(b) strict nbval run of every notebook:          {full:6.1f} s  "
          f"(median of {_runs(fulls)})")  # fmt: skip
    ratios = sorted(b / a for a, b in zip(floors, fulls, strict=True))
    print(f"    ratio b / a: {full / floor:.2f} (target <= 1.5); run by run: "
          f"{', '.join(f'{r:.2f}' for r in ratios)}")  # fmt: skip
    runner = nbval_seconds(notebooks, collect_only=True)
    print(f"    of which pytest start-up and collection (fixed, not per notebook): {runner:.1f} s;"
          f" ratio without it: {(full - runner) / floor:.2f}")  # fmt: skip
    cells = slowest_cells(notebooks, args.cell_limit)
    over = [c for c in cells if c[0] > args.cell_limit]
    print(f"(c) slowest cells (target: none over {args.cell_limit:g} s):")
    for seconds, name, number in cells[:5]:
        print(f"    {seconds:5.2f} s  {name}, code cell {number}")
    imported = statistics.median(imports)
    own = [c for c in cells if c[0] - (imported if c[2] == 1 else 0.0) > args.cell_limit]
    print(f"    cells over the limit: {len(over)}; set-up cells (code cell 1) include the floor's "
          f"own imports, {imported:.2f} s in a fresh kernel (median): net of them, "
          f"{len(own)} over")  # fmt: skip
    loaded, n_studies = synthetic_seconds(args.factor)
    print(f"(d) SYNTHETIC table x{args.factor} ({n_studies} studies): load + validate "
          f"{loaded:.2f} s (target < 1 s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
