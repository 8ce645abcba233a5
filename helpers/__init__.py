"""What the notebooks of the course need but do not teach; the lessons are in their cells.

- :func:`load_case_data`, :func:`read_table`, :func:`load_table`: the curated tables, validated.
- :class:`DataError`: the one error raised for bad data, naming file, line and column.
- :func:`setup_notebook`: the shared first cell (plot theme, seed, versions).
"""

from helpers.data import (
    CaseData,
    load_case_data,
    load_table,
    raw_table_path,
    read_table,
    study_labels,
)
from helpers.errors import DataError, Problem
from helpers.notebook import SEED, setup_notebook
from helpers.paths import data_dir

__all__ = [
    "SEED",
    "CaseData",
    "DataError",
    "Problem",
    "data_dir",
    "load_case_data",
    "load_table",
    "raw_table_path",
    "read_table",
    "setup_notebook",
    "study_labels",
]
