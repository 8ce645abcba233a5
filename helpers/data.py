"""Load the curated case tables, typed and validated, with errors a learner can act on.

:func:`load_case_data` reads all case tables and checks them against each other,
:func:`load_table` a reference table, :func:`read_table` one table. Each kind of bad input is
caught where it can still be named precisely: the file (missing, not UTF-8, not comma-separated,
a quote left open, ragged rows), its columns, each cell (``NaN`` or ``inf`` written out, numbers
that are not numbers, NUL bytes, repeated rows; then types, bounds and allowed values with
pandera, imported only then) and the relations between tables. Each problem names the file, the
line as a text editor counts it, the record and the column. Results are cached (helpers.cache).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import numbers
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers import cache
from helpers.errors import DataError, Problem, display_name
from helpers.paths import data_dir

if TYPE_CHECKING:
    from helpers.schemas import TableSpec

_FLAG_VALUES = {"true": True, "false": False}  # the cells of a yes/no column (TableSpec.flags)
_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
#: What a count and a decimal number look like in a cell, and what to write instead.
_FORMATS = {
    "Int64": (r"-?\d+", "a whole number: write digits only, such as 12 (no decimals, words, "
              "units or thousands separators)"),
    "Float64": (r"-?\d+(\.\d+)?", "a number: write digits with a decimal point, such as 2.5 "
                "(no % sign, units, words or thousands separators)"),
    "boolean": ("true|false", "true or false (leave the cell empty when it is not reported)"),
}  # fmt: skip


def _parse(
    name: str, raw: bytes | None, id_column: str | None = None
) -> tuple[pd.DataFrame, list[int]]:
    """The cells of a CSV file as text (blank: missing) and the line on which each row starts
    (as a text editor counts lines), or a DataError that says what is wrong with the file."""

    def whole_file(message: str, line: int | None = None) -> DataError:
        return DataError([Problem(name, message, line)])

    if raw is None:
        raise whole_file("file not found. The course data lives in data/ at the repository root.")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise whole_file("the file is saved as UTF-16. Save it as UTF-8 (in a spreadsheet: "
                         "'CSV UTF-8').")  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = (
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8. Save the file as UTF-8 "
            "(in a spreadsheet: 'CSV UTF-8'), not Latin-1 or Windows-1252."
        )
        line, lines = raw[: err.start].count(b"\n") + 1, raw.decode(errors="replace").split("\n")
        header, cells = csv.reader([lines[0], lines[line - 1]])  # the column: best effort
        column = next((h for h, c in zip(header, cells, strict=False) if "\ufffd" in c), None)
        raise DataError([Problem(name, message, line, column)]) from None
    if not text.strip():
        raise whole_file("the file is empty; it needs a header line and data rows.")
    reader, rows, end = csv.reader(io.StringIO(text, newline=""), strict=True), [], 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if record:  # a blank line is skipped, but still counted
                rows.append((start, record))
    except csv.Error as err:
        reason = "a quote (\") opened on this line is never closed" if "end of data" in str(err) \
            else f"the line cannot be read as CSV ({err})"  # fmt: skip
        advice = 'a quote may only open and close a whole cell; inside a cell, write it as ""'
        raise whole_file(f"{reason}: {advice}.", end + 1) from None
    (_, header), body = rows[0], rows[1:]
    separator = next((s for s in _SEPARATORS if len(header) == 1 and s in header[0]), None)
    if separator:
        raise whole_file(f"the columns are separated by {_SEPARATORS[separator]}, not commas. "
                         "Save the file as CSV (comma-separated), UTF-8.", 1)  # fmt: skip
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise whole_file(f"the header names the column {repeated[0]!r} more than once.", 1)
    again = next((line for line, record in body if record == header), None)
    if again:
        raise whole_file("this line repeats the header (were two files joined?); delete it.", again)
    if not body:
        raise whole_file("the file has a header but no data rows.")
    at = header.index(id_column) if id_column in header else 0
    ragged = [
        Problem(name, f"the row has {len(record)} fields but the header has {len(header)}"
                f" ({'a field is missing' if len(record) < len(header) else 'one too many'})."
                " Check for a missing or unquoted comma.", line, None,
                f"{header[at]}={record[at]!r}" if at < len(record) else None)
        for line, record in body if len(record) != len(header)
    ]  # fmt: skip
    if ragged:
        raise DataError(ragged)
    frame = pd.DataFrame([record for _, record in body], columns=header, dtype="str")
    return frame.mask(frame == ""), [line for line, _ in body]


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
    """A failure case of pandera (the check's name or error text and the value), in words."""
    dtype = spec.schema.columns[column].dtype if column in spec.schema.columns else None
    allowed = getattr(getattr(dtype, "type", None), "categories", None)  # of a categorical
    if allowed is not None and ("category" in check or check.startswith("isin")):
        listed = ", ".join(str(c) for c in allowed)
        return f"value {value!r} is not one of the allowed values: {listed}."
    if check.startswith("must "):  # the schemas word their checks (helpers.schemas._rule)
        shown = f"{value:g}" if isinstance(value, numbers.Real) else repr(value)
        return f"value {shown} is not valid: it {check}"
    if check == "field_uniqueness":
        return f"value {value!r} appears more than once; identifiers must be unique."
    if check == "not_nullable":
        return "value is empty but this column is required."
    return f"value {value!r} fails the check {check}."


def _problems_of_cells(spec: TableSpec, frame: pd.DataFrame, at: Located) -> list[Problem]:
    """Cells no schema check words well: NUL bytes, NaN or inf written out, numbers that are
    not numbers, exact repeats of a row. The bad cells are blanked in ``frame``."""
    problems = []
    cells = frame.stack().dropna()  # every cell with text, indexed by (row, column), at once
    dtypes = {c: str(col.dtype) for c, col in spec.schema.columns.items()}
    kinds = cells.index.levels[1].map(dtypes)[cells.index.codes[1]]  # each cell's column type
    codes, texts = pd.factorize(cells)  # each distinct text is matched once, not once per cell
    fits = lambda pattern: texts.str.fullmatch(pattern)[codes]  # noqa: E731
    checks = [
        (fits("(?s).*\x00.*"), "contains an invisible NUL character "
         "(byte 0x00): retype the cell, or save the file again as CSV UTF-8."),
        (fits(r"(?i)\s*(nan|na|n/a|#n/a|null|nat|<na>)\s*"), "stands for a "
         "missing value: leave the cell empty when a value is not reported."),
        (fits(r"(?i)\s*[+-]?inf(inity)?\s*"), "is not a finite number."),
        (kinds.isin(["Int64", "Float64"]) & fits(r"-?\d{10,}(\.\d*)?"),
         "is far outside the bounds of this column (listed in data/README.md)."),
        *(((kinds == kind) & ~fits(pattern), f"is not {meaning}.")
          for kind, (pattern, meaning) in _FORMATS.items()),
    ]  # fmt: skip
    for bad, text in checks:
        for index, column in cells.index[bad]:
            if not pd.isna(value := frame.at[index, column]):  # one problem per cell
                problems.append(at(index, column, f"value {value!r} {text}"))
                frame.at[index, column] = None
    if not spec.unique_id:  # tables without a key: a row must not repeat another exactly
        rows = frame.index.to_series().groupby([frame[c] for c in frame], dropna=False)
        first = rows.transform("first")
        for index in first.index[first != first.index]:
            text = f"this row repeats line {at.lines[first[index]]} exactly; delete one of them."
            problems.append(at(index, spec.id_column, text))
    return problems


def _validate(
    spec: TableSpec, frame: pd.DataFrame, at: Located, found: list[Problem]
) -> pd.DataFrame:
    import pandera.pandas as pa  # here, not at the top: only validation needs it (slow import)

    problems = {(p.line, p.column): p for p in found}
    try:
        frame = spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for case in err.failure_cases.itertuples(index=False):
            column = case.column if isinstance(case.column, str) else None
            if case.index is None or pd.isna(case.index):
                problem = Problem(at.name, str(case.check), None, column)
            else:
                message = _describe(spec, column, str(case.check), case.failure_case)
                problem = at(int(case.index), column, message)
            problems.setdefault((problem.line, problem.column), problem)  # one per cell
    if problems:
        raise DataError(sorted(problems.values(), key=lambda p: (p.line or 0, p.column or "")))
    return frame


@dataclass(frozen=True)
class Located:
    """Names the place of a row of a table in its file: ``at(index, column, message)``."""

    name: str
    lines: list[int]
    records: pd.Series  # the id of each row, for "line 5 (study_id='yu_2020')"

    def __call__(self, index: int, column: str | None, message: str) -> Problem:
        record = self.records.get(index)
        label = f"{self.records.name}={record!r}" if isinstance(record, str) else None
        return Problem(self.name, message, self.lines[index], column, label)


def _read(spec: TableSpec, name: str, raw: bytes | None) -> tuple[pd.DataFrame, Located]:
    """Parse and validate one table from the bytes of its file (see :func:`read_table`)."""
    from helpers.crosscheck import check_reference

    frame, lines = _parse(name, raw, spec.id_column)
    _check_columns(spec, frame, name)
    at = Located(name, lines, frame[spec.id_column].copy())
    found = _problems_of_cells(spec, frame, at)
    flags = {column: frame[column].replace(_FLAG_VALUES).astype(object) for column in spec.flags}
    frame = _validate(spec, frame.assign(**flags), at, found)[spec.columns]
    problems = check_reference(spec.name, frame, at)  # the rows of a reference table
    if problems:
        raise DataError(problems)
    return frame.reset_index(drop=True), at


def _spec(name: str) -> TableSpec:
    from helpers.schemas import REFERENCE_TABLES, TABLES  # builds the schemas (imports pandera)

    specs = {spec.name: spec for spec in (*TABLES, *REFERENCE_TABLES)}
    if name not in specs:
        raise KeyError(f"unknown table {name!r}; the tables are: {', '.join(specs)}")
    return specs[name]


def read_table(table: str | TableSpec, folder: Path | None = None) -> pd.DataFrame:
    """One table (``"studies"``, or a TableSpec), typed and validated on its own (relations
    between tables: :func:`load_case_data`); a problem raises :class:`~helpers.errors.DataError`."""
    spec = _spec(table) if isinstance(table, str) else table
    path = (folder or data_dir()) / spec.filename
    return _read(spec, display_name(path), cache.file_bytes(path))[0]


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
    appraisal: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name, in the order of :data:`helpers.schemas.TABLES`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The curated tables, in loading order (:data:`helpers.schemas.TABLES`, known without pandera).
TABLE_NAMES = tuple(f.name for f in fields(CaseData))

#: The reference tables (not case data) that :func:`load_table` reads.
REFERENCE_NAMES = ("jak_pathway", "jak_ic50", "later_evidence")


def load_case_data(folder: Path | None = None) -> CaseData:
    """Every curated table, checked against each other (a problem raises a DataError); the same
    bytes, read by the same code, are not validated twice (:mod:`helpers.cache`)."""
    folder = folder or data_dir()
    files = [folder / f"{name}.csv" for name in (*TABLE_NAMES, "measures")]
    tables = cache.cached("case_data", files, lambda contents: _load_and_check(files, contents))
    return CaseData(**tables)


def _load_and_check(files: list[Path], contents: list[bytes | None]) -> dict[str, pd.DataFrame]:
    from helpers.crosscheck import cross_check

    tables = zip(files, contents[:-1], strict=False)  # the last file: the measures vocabulary
    read = [_read(_spec(p.stem), display_name(p), raw) for p, raw in tables]
    data = CaseData(*(frame for frame, _ in read))
    places = {p.stem: at for p, (_, at) in zip(files, read, strict=False)}
    problems = cross_check(data, places)
    measures = set(_parse(display_name(files[-1]), contents[-1])[0]["measure"])
    unknown = data.outcomes["measure"][~data.outcomes["measure"].isin(measures)]
    problems += [places["outcomes"](i, "measure", f"measure {m!r} is not in data/measures.csv: "
                 "use its name there, or add the measure (with its source) first.")
                 for i, m in unknown.items()]  # fmt: skip
    if problems:
        raise DataError(problems)
    if cache.cache_dir() is not None and files[0].parent.resolve() == data_dir().resolve():
        _warm_other_tables()
    return data.tables()


def _warm_other_tables() -> None:
    """Validate (so cache) the reference tables while pandera is loaded anyway: notebooks 01 and 05
    then need not import it (0.4 s). A problem in them is left to :func:`load_table`."""
    for name in REFERENCE_NAMES:
        with contextlib.suppress(DataError):
            load_table(name)


def load_table(name: str) -> pd.DataFrame:
    """A reference table (:data:`REFERENCE_NAMES`), validated (its rows too: see
    :func:`helpers.crosscheck.check_reference`) and cached like the case tables."""
    if name not in REFERENCE_NAMES:
        raise KeyError(f"unknown reference table {name!r}; they are: {', '.join(REFERENCE_NAMES)}")
    path = data_dir() / f"{name}.csv"
    read = lambda contents: {name: _read(_spec(name), display_name(path), contents[0])[0]}  # noqa: E731
    return cache.cached(name, [path], read)[name]


def raw_table_path() -> Path:
    """The path of Table 3 as published (``data/raw/table3_published.csv``), once the file is
    known to be readable CSV (else a :class:`~helpers.errors.DataError` with file and line)."""
    path = data_dir() / "raw" / "table3_published.csv"
    _parse(display_name(path), cache.file_bytes(path))
    return path


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
