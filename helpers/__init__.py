"""What the notebooks need but do not teach (the lessons are in their cells): the curated tables,
validated (:func:`load_case_data`, :func:`load_table`, :func:`read_table`), the one error for bad
data (:class:`DataError`) and the shared first cell (:func:`setup_notebook`)."""

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
