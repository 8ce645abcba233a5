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

#: The curated tables, in the order the loaders read them (the names of
#: :data:`helpers.schemas.TABLES`, kept here so that a cached load needs no pandera).
TABLE_NAMES = (
    "sources",
    "studies",
    "groups",
    "patients",
    "autoantibodies",
    "prior_treatments",
    "characteristics",
    "outcomes",
)

_FLAG_VALUES = {"true": True, "false": False}


def _line_of(index: int) -> int:
    """File line of a data row: the header is line 1, so row 0 is line 2.

    Multi-line quoted cells would shift this; the curated tables keep one record per line
    (a test checks it), so the mapping holds for them.
    """
    return int(index) + 2


def _decode(path: Path, raw: bytes) -> str:
    name = display_name(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = _column_at(raw, err.start)
        raise DataError(
            [
                Problem(
                    name,
                    f"byte 0x{raw[err.start]:02x} is not valid UTF-8. Save the file as UTF-8 "
                    "(in a spreadsheet: 'CSV UTF-8'), not Latin-1 or Windows-1252.",
                    line=line,
                    column=column,
                )
            ]
        ) from None


def _column_at(raw: bytes, offset: int) -> str | None:
    """Name the CSV column that holds the byte at ``offset`` (best effort, for messages)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    header = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    prefix = raw[start:offset].decode("utf-8", errors="replace")
    names = next(csv.reader([header]), [])
    position = len(next(csv.reader([prefix + "x"]), [""])) - 1
    return names[position].strip() if 0 <= position < len(names) else None


def _parse_csv(path: Path, text: str) -> pd.DataFrame:
    name = display_name(path)
    if not text.strip():
        raise DataError([Problem(name, "the file is empty; it needs a header line and data rows.")])
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as err:
        match = re.search(r"line (\d+)", str(err))
        line = int(match.group(1)) if match else None
        raise DataError(
            [
                Problem(
                    name,
                    f"the row does not have the same number of fields as the header ({err}). "
                    "Check for an unquoted comma or a missing field.",
                    line=line,
                )
            ]
        ) from None
    if frame.empty:
        raise DataError([Problem(name, "the file has a header but no data rows.")])
    return frame


def _check_columns(spec: TableSpec, frame: pd.DataFrame, name: str) -> None:
    expected = spec.columns
    found = [str(c) for c in frame.columns]
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    problems = []
    for column in missing:
        guess = difflib.get_close_matches(column, unexpected, n=1)
        hint = f" Was it renamed to '{guess[0]}'?" if guess else ""
        problems.append(Problem(name, f"required column is missing.{hint}", line=1, column=column))
    for column in unexpected:
        if not difflib.get_close_matches(column, missing, n=1):
            problems.append(
                Problem(
                    name,
                    "column is not part of this table (see data/README.md for its columns).",
                    line=1,
                    column=column,
                )
            )
    if problems:
        raise DataError(problems)


def _convert_flags(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in spec.flags:
        values = frame[column]
        frame[column] = values.map(lambda v: _FLAG_VALUES.get(v, v) if isinstance(v, str) else v)
        frame[column] = frame[column].astype(object)
    return frame


def _record(spec: TableSpec, frame: pd.DataFrame, index: object) -> str | None:
    if spec.id_column in frame.columns and index in frame.index:
        value = frame.at[index, spec.id_column]
        if isinstance(value, str):
            return f"{spec.id_column}={value!r}"
    return None


def _allowed(spec: TableSpec, column: str | None) -> list[str] | None:
    """The allowed values of a categorical column, or ``None`` for other columns."""
    if column is None or column not in spec.schema.columns:
        return None
    dtype = spec.schema.columns[column].dtype
    categories = getattr(getattr(dtype, "type", None), "categories", None)
    return [str(c) for c in categories] if categories is not None else None


def _describe_check(check: str, value: object, allowed: list[str] | None = None) -> str:
    if allowed is not None and ("category" in check or check.startswith("isin")):
        return f"value {value!r} is not one of the allowed values: {', '.join(allowed)}."
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
        cases = err.failure_cases
        problems: dict[tuple[int | None, str | None], Problem] = {}
        for case in cases.itertuples(index=False):
            index = case.index
            line = _line_of(index) if index is not None and not pd.isna(index) else None
            column = case.column if isinstance(case.column, str) else None
            key = (line, column)
            if key in problems:  # pandera reports a bad type twice (coerce + dtype): keep one
                continue
            record = _record(spec, frame, index) if line is not None else None
            message = _describe_check(str(case.check), case.failure_case, _allowed(spec, column))
            problems[key] = Problem(name, message, line, column, record)
        ordered = sorted(problems.values(), key=lambda p: (p.line or 0, p.column or ""))
        raise DataError(ordered) from None


def read_table(table: str | TableSpec, folder: Path | None = None) -> pd.DataFrame:
    """Read one curated table (e.g. ``"studies"``), typed and validated against its schema.

    ``table`` is the name of one of the course tables (:data:`helpers.schemas.TABLES`) or a
    :class:`~helpers.schemas.TableSpec` of another CSV file in ``data/`` (a notebook's own small
    table). Text columns come back as strings, counts as nullable integers (``Int64``),
    measurements as nullable floats, controlled vocabularies (drug, sex, antibody, domain...) as
    categoricals, yes/no columns as nullable booleans. Any problem raises
    :class:`~helpers.errors.DataError` naming the file, line and column. Relations *between*
    tables are checked by :func:`load_case_data`.
    """
    from helpers.schemas import TABLES, TableSpec  # builds the pandera schemas

    if isinstance(table, TableSpec):
        spec = table
    else:
        specs = {spec.name: spec for spec in TABLES}
        if table not in specs:
            raise KeyError(f"unknown table {table!r}; the tables are: {', '.join(specs)}")
        spec = specs[table]
    path = (folder or data_dir()) / spec.filename
    shown = display_name(path)
    if not path.is_file():
        raise DataError(
            [
                Problem(
                    shown, "file not found. The course data lives in data/ at the repository root."
                )
            ]
        )
    frame = _parse_csv(path, _decode(path, path.read_bytes()))
    _check_columns(spec, frame, shown)
    frame = _validate(spec, _convert_flags(spec, frame), shown)
    return frame[spec.columns].reset_index(drop=True)


@dataclass(frozen=True)
class CaseData:
    """All curated tables of the course, loaded and checked against each other.

    Attributes are named after the files in ``data/``; see ``data/README.md`` for the columns.
    """

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


def load_case_data(folder: Path | None = None) -> CaseData:
    """Load every curated table and check the relations between them.

    Raises :class:`~helpers.errors.DataError` listing every problem found, each with its file,
    line and column. The validated tables are cached (:mod:`helpers.cache`): loading the same
    files with the same code again returns the same tables without validating them again.
    """
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
    """Validate (and so cache) the course's other tables while pandera is loaded anyway.

    This runs only when the cache is on and the case tables were not in it, i.e. pandera has
    just been imported (about 0.4 s) and each further table costs a few milliseconds. Without
    it, the notebooks that read the pathway, IC50 and later-evidence tables would each import
    pandera again on a cold cache. A problem in one of those tables is not reported here: its
    own loader reports it, with file, line and column, when a notebook calls it.
    """
    from helpers.outcomes import load_later_evidence
    from helpers.pathway import load_ic50, load_pathway

    for load in (load_pathway, load_ic50, load_later_evidence):
        with contextlib.suppress(DataError):
            load()


def study_labels(studies: pd.DataFrame, *, with_n: bool = False) -> pd.Series:
    """Readable study labels ("Le Voyer 2021", or "Le Voyer 2021 (n=10)"), indexed by study_id.

    One function for every table and figure of the course, so that a study carries the same
    name everywhere. Labels are unique (figures and tables index by them): a second paper of
    the same author and year keeps the letter of its id ("Ding 2021b"), and any remaining clash
    gets its id in brackets. ``studies`` is the ``studies`` table of :func:`load_case_data`.
    """
    missing = [c for c in ("study_id", "first_author", "year", "n_patients") if c not in studies]
    if missing:
        raise ValueError(f"studies lacks the column(s) {missing}; pass data.studies.")
    suffix = studies["study_id"].astype(str).str.extract(r"_\d{4}([a-z])$", expand=False)
    labels = (
        studies["first_author"].astype(str)
        + " "
        + studies["year"].astype(str)
        + suffix.fillna("")  # "Ding 2021b": a second paper of the same author and year
    )
    clash = labels.duplicated(keep=False)
    labels[clash] = labels[clash] + " [" + studies.loc[clash, "study_id"].astype(str) + "]"
    if with_n:
        labels = labels + " (n=" + studies["n_patients"].astype(str) + ")"
    return pd.Series(labels.to_numpy(), index=studies["study_id"].to_numpy(), name="study")
