"""Where the course's files live, resolved from the package, never from the working directory.

Notebooks are opened from many places (JupyterLab's file browser, a terminal in ``notebooks/``,
nbval run from the repository root). Resolving paths from this file makes every notebook find
its data wherever it was started.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Name of the environment variable that points the loaders at another copy of ``data/``.
#: Tests use it to run the notebooks against a temporary, modified copy of the data.
DATA_DIR_ENV = "JDM_COURSE_DATA_DIR"

#: The repository root: ``helpers`` is installed in editable mode, so it sits one level below.
REPO_ROOT: Path = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the folder holding the curated CSV tables.

    The folder is ``data/`` at the repository root unless the environment variable
    ``JDM_COURSE_DATA_DIR`` names another folder (used to test a modified copy of the data).
    """
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override).resolve() if override else REPO_ROOT / "data"


def notebooks_dir() -> Path:
    """Return the folder holding the course notebooks."""
    return REPO_ROOT / "notebooks"
