"""How many learners this machine holds at once before a run slows past 2x (a one-off measure).

``python -m tools.hub_capacity 1 2 4 6 8`` (after ``make test-hub`` has installed the hub) runs
the hub test (tests/hub/) once per number of learners, in a fresh hub each time, and prints,
per number: the mean time each learner's notebooks 00 and 03 took (both run by every learner
at the same moment), its ratio to one learner alone, the mean time to the first notebook and
the peak memory per learner. It stops after the first number whose ratio passes 2. Timings
depend on what else the machine does: repeat a run before trusting a number.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(users: int) -> dict:
    """One hub test with ``users`` learners; its report (see tests/hub/test_hub.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "JDM_HUB_USERS": str(users), "JDM_HUB_REPORT": str(report)}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/hub"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        return json.loads(report.read_text())


def main(argv: list[str] | None = None) -> int:
    counts = [int(n) for n in (argv if argv is not None else sys.argv[1:]) or ["1", "2", "4"]]
    base = None
    print(f"{'learners':>8} {'00+03 per learner':>18} {'x one':>6} {'to notebook 00':>15} "
          f"{'peak RSS/learner':>17}")  # fmt: skip
    for users in counts:
        report = measure(users)
        rows = report["learners"]
        run = statistics.mean(r["run_00_s"] + r["run_03_s"] for r in rows)
        base = base or run
        first = statistics.mean(r["first_notebook_s"] for r in rows)
        rss = max(r["peak_rss_mb"] for r in rows)
        print(f"{users:>8} {run:>16.1f} s {run / base:>6.2f} {first:>13.1f} s {rss:>14.0f} MB",
              flush=True)  # fmt: skip
        if run / base > 2:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
