"""Load the curated case tables, typed and validated, with errors a learner can act on.

Every notebook reads the data through :func:`load_case_data` (all tables, checked against each
other) or :func:`read_table` (one table). Reading goes in small steps so that each kind of bad
input is caught where it can still be named precisely: the file (missing, empty, wrong
encoding, ragged rows), its columns (missing, renamed, unexpected), each cell (type and allowed
values, checked with pandera) and finally the relations between tables (unknown ids, group
sizes that do not add up, counts larger than their denominators, percentages that do not match
their counts).

A successful :func:`load_case_data` is kept in ``build/cache/`` (see :mod:`helpers.cache`), so
that the next notebook gets the same validated tables without importing pandera again.
pandera and the schemas are therefore imported only when a table is actually validated.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers import cache
from helpers.errors import DataError, Problem, display_name
from helpers.paths import data_dir

if TYPE_CHECKING:
    from helpers.schemas import TableSpec

#: The cells of a yes/no column (``TableSpec.flags``), as booleans before validation.
_FLAG_VALUES = {"true": True, "false": False}


def _parse(path: Path) -> pd.DataFrame:
    """The cells of a CSV file as text (blank: missing), or a DataError on an unreadable file."""
    name, raw = display_name(path), path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = (
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8. Save the file as UTF-8 "
            "(in a spreadsheet: 'CSV UTF-8'), not Latin-1 or Windows-1252."
        )
        line, column = raw[: err.start].count(b"\n") + 1, _column_at(raw, err.start)
        raise DataError([Problem(name, message, line, column)]) from None
    if not text.strip():
        raise DataError([Problem(name, "the file is empty; it needs a header line and data rows.")])
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as err:
        match = re.search(r"line (\d+)", str(err))
        message = (
            f"the row does not have the same number of fields as the header ({err}). "
            "Check for an unquoted comma or a missing field."
        )
        raise DataError([Problem(name, message, int(match.group(1)) if match else None)]) from None
    if frame.empty:
        raise DataError([Problem(name, "the file has a header but no data rows.")])
    return frame


def _column_at(raw: bytes, offset: int) -> str | None:
    """Name the CSV column that holds the byte at ``offset`` (best effort, for messages)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    header = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    prefix = raw[start:offset].decode("utf-8", errors="replace")
    names = next(csv.reader([header]), [])
    position = len(next(csv.reader([prefix + "x"]), [""])) - 1
    return names[position].strip() if 0 <= position < len(names) else None


def _check_columns(spec: TableSpec, frame: pd.DataFrame, name: str) -> None:
    """Every column of ``spec`` is there and no other; a near miss is named as a renaming."""
    found = [str(c) for c in frame.columns]
    missing = [c for c in spec.columns if c not in found]
    unexpected = [c for c in found if c not in spec.columns]
    problems = []
    for column in missing:
        guess = difflib.get_close_matches(column, unexpected, n=1)
        hint = f" Was it renamed to '{guess[0]}'?" if guess else ""
        problems.append(Problem(name, f"required column is missing.{hint}", 1, column))
    outside = "column is not part of this table (see data/README.md for its columns)."
    for column in unexpected:
        if not difflib.get_close_matches(column, missing, n=1):  # else named as a renaming
            problems.append(Problem(name, outside, 1, column))
    if problems:
        raise DataError(problems)


def _describe(spec: TableSpec, column: str | None, check: str, value: object) -> str:
    """A failure case of pandera (the check's name and the value), worded for a learner."""
    dtype = spec.schema.columns[column].dtype if column in spec.schema.columns else None
    allowed = getattr(getattr(dtype, "type", None), "categories", None)  # of a categorical
    if allowed is not None and ("category" in check or check.startswith("isin")):
        listed = ", ".join(str(c) for c in allowed)
        return f"value {value!r} is not one of the allowed values: {listed}."
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        wanted = check[check.find("(") + 1 : check.rfind(")")].strip("'")
        return f"value {value!r} cannot be read as {wanted}."
    if check.startswith("isin"):
        return f"value {value!r} is not one of the allowed values {check[len('isin') :]}."
    if check == "field_uniqueness":
        return f"value {value!r} appears more than once; identifiers must be unique."
    if check == "not_nullable":
        return "value is empty but this column is required."
    return f"value {value!r} fails the check {check}."


def _validate(spec: TableSpec, frame: pd.DataFrame, name: str) -> pd.DataFrame:
    import pandera.pandas as pa  # here, not at the top: only validation needs it (slow import)

    try:
        return spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems: dict[tuple[int | None, str | None], Problem] = {}
        for case in err.failure_cases.itertuples(index=False):
            index = case.index
            # Row 0 is line 2, after the header (the tables keep one record per line: tested).
            line = int(index) + 2 if index is not None and not pd.isna(index) else None
            column = case.column if isinstance(case.column, str) else None
            if (line, column) in problems:  # pandera reports a bad type twice (coerce + dtype)
                continue
            value = frame[spec.id_column].get(index) if line is not None else None
            record = f"{spec.id_column}={value!r}" if isinstance(value, str) else None
            message = _describe(spec, column, str(case.check), case.failure_case)
            problems[line, column] = Problem(name, message, line, column, record)
        ordered = sorted(problems.values(), key=lambda p: (p.line or 0, p.column or ""))
        raise DataError(ordered) from None


def read_table(table: str | TableSpec, folder: Path | None = None) -> pd.DataFrame:
    """Read one table (a name such as ``"studies"``, or a TableSpec), typed and validated:
    counts as ``Int64``, measures as ``Float64``, vocabularies categorical, yes/no ``boolean``.
    A problem raises :class:`~helpers.errors.DataError` with file, line and column; relations
    *between* tables are checked by :func:`load_case_data`."""
    from helpers.schemas import REFERENCE_TABLES, TABLES, TableSpec  # builds the schemas

    specs = {spec.name: spec for spec in (*TABLES, *REFERENCE_TABLES)}
    if not isinstance(table, TableSpec) and table not in specs:
        raise KeyError(f"unknown table {table!r}; the tables are: {', '.join(specs)}")
    spec = table if isinstance(table, TableSpec) else specs[table]
    path = (folder or data_dir()) / spec.filename
    shown = display_name(path)
    if not path.is_file():
        message = "file not found. The course data lives in data/ at the repository root."
        raise DataError([Problem(shown, message)])
    frame = _parse(path)
    _check_columns(spec, frame, shown)
    flags = {column: frame[column].replace(_FLAG_VALUES).astype(object) for column in spec.flags}
    frame = _validate(spec, frame.assign(**flags), shown)
    return frame[spec.columns].reset_index(drop=True)


@dataclass(frozen=True)
class CaseData:
    """All curated tables, checked against each other; named after the files in ``data/``."""

    sources: pd.DataFrame
    studies: pd.DataFrame
    groups: pd.DataFrame
    patients: pd.DataFrame
    autoantibodies: pd.DataFrame
    prior_treatments: pd.DataFrame
    characteristics: pd.DataFrame
    outcomes: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name, in the order of :data:`helpers.schemas.TABLES`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The curated tables, in loading order (:data:`helpers.schemas.TABLES`, known without pandera).
TABLE_NAMES = tuple(f.name for f in fields(CaseData))

#: The reference tables (not case data) that :func:`load_table` reads.
REFERENCE_NAMES = ("jak_pathway", "jak_ic50", "later_evidence")


def load_case_data(folder: Path | None = None) -> CaseData:
    """Load every curated table and check the relations between them (problems raise a
    :class:`~helpers.errors.DataError` with file, line and column). Cached by
    :mod:`helpers.cache`: unchanged files, read by unchanged code, skip validation."""
    folder = folder or data_dir()
    files = [folder / f"{name}.csv" for name in TABLE_NAMES]
    return cache.cached("case_data", files, lambda: _load_and_check(folder))


def _load_and_check(folder: Path) -> CaseData:
    from helpers.crosscheck import cross_check

    data = CaseData(**{name: read_table(name, folder) for name in TABLE_NAMES})
    problems = cross_check(data, folder)
    if problems:
        raise DataError(problems)
    if cache.cache_dir() is not None and folder.resolve() == data_dir().resolve():
        _warm_other_tables()
    return data


def _warm_other_tables() -> None:
    """Validate (and so cache) the reference tables while pandera is loaded anyway, on a cold
    cache, so that notebooks 01 and 05 need not import pandera (0.4 s) again. A problem in
    them is left to :func:`load_table` to report."""
    for name in REFERENCE_NAMES:
        with contextlib.suppress(DataError):
            load_table(name)


def load_table(name: str) -> pd.DataFrame:
    """Read a reference table (one of :data:`REFERENCE_NAMES`), validated and cached like the
    case tables; the pathway's rows must also link up (:func:`helpers.crosscheck.check_pathway`).
    """
    if name not in REFERENCE_NAMES:
        raise KeyError(f"unknown reference table {name!r}; they are: {', '.join(REFERENCE_NAMES)}")
    return cache.cached(name, [data_dir() / f"{name}.csv"], lambda: _read_reference(name))


def _read_reference(name: str) -> pd.DataFrame:
    from helpers.crosscheck import check_pathway

    table = read_table(name)
    problems = check_pathway(table) if name == "jak_pathway" else []
    if problems:
        raise DataError(problems)
    return table


def study_labels(studies: pd.DataFrame, *, with_n: bool = False) -> pd.Series:
    """Readable study labels ("Le Voyer 2021", or "Le Voyer 2021 (n=10)"), indexed by study_id.

    One name per study in every table and figure. Labels are unique: a second paper of the
    same author and year keeps its id's letter ("Ding 2021b"), any other clash gets its id.
    """
    missing = [c for c in ("study_id", "first_author", "year", "n_patients") if c not in studies]
    if missing:
        raise ValueError(f"studies lacks the column(s) {missing}; pass data.studies.")
    suffix = studies["study_id"].astype(str).str.extract(r"_\d{4}([a-z])$", expand=False)
    labels = studies["first_author"].astype(str) + " " + studies["year"].astype(str)
    labels += suffix.fillna("")  # "Ding 2021b": a second paper of the same author and year
    clash = labels.duplicated(keep=False)
    labels[clash] = labels[clash] + " [" + studies.loc[clash, "study_id"].astype(str) + "]"
    if with_n:
        labels = labels + " (n=" + studies["n_patients"].astype(str) + ")"
    return pd.Series(labels.to_numpy(), index=studies["study_id"].to_numpy(), name="study")
