"""Where the course's files live, resolved from the package, never from the working directory,
so that a notebook finds its data wherever it was started (JupyterLab, a terminal, nbval)."""

from __future__ import annotations

import os
from pathlib import Path

#: Name of the environment variable that points the loaders at another copy of ``data/``.
#: Tests use it to run the notebooks against a temporary, modified copy of the data.
DATA_DIR_ENV = "JDM_COURSE_DATA_DIR"

#: The repository root: ``helpers`` is installed in editable mode, so it sits one level below.
REPO_ROOT: Path = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder of the curated CSV tables: ``data/``, or the folder ``JDM_COURSE_DATA_DIR``
    names (tests use it to run the notebooks on a modified copy of the data)."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override).resolve() if override else REPO_ROOT / "data"


def notebooks_dir() -> Path:
    """Return the folder holding the course notebooks."""
    return REPO_ROOT / "notebooks"
