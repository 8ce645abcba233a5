"""Parse Table 3 of the review, as printed, into structured fields (notebook 02).

The published table packs several facts into each cell ("n = 3 JDM / 2/3 female / mean 8.7
years", "tofacitinib 7/25 (28%)"), uses thin spaces (U+2009) between numbers and units, and
carries typos ("baricitnib", "TIF1-y", "Aeschilimann"). The functions here turn each kind of
fact into numbers with regular expressions, one small function per kind, so that a learner can
test each one on its own. They recover what the printed text *carries*; everything else (facts
read in the original papers, corrections of the review) is curation, logged in
``data/README.md`` and stored in the curated tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: Characters the printed table uses where a plain space or hyphen is meant.
SPACE_LIKE = {"\u2009": " ", "\u00a0": " ", "\u202f": " "}  # thin, no-break, narrow no-break
DASH_LIKE = {"\u2013": "-", "\u2014": "-"}  # en dash, em dash

#: The raw table's column headings, and the short names used in code.
RAW_COLUMNS = {
    "Case study": "study",
    "JAK-inhibitors": "drugs",
    "Patient": "patient",
    "Disease course and prior treatment": "course",
    "Outcome": "outcome",
}

#: Spelling fixes: a printed name on the left, the name the curated tables use on the right.
AUTHOR_CORRECTIONS = {"Aeschilimann": "Aeschlimann"}
DRUG_CORRECTIONS = {"baricitnib": "baricitinib"}
ANTIBODY_NAMES = {
    "TIF1-y": "TIF1-γ",
    "TIF1-γ": "TIF1-γ",
    "TIF1γ": "TIF1-γ",
    "Ro-52": "Ro52",
    "Ro52": "Ro52",
    "NXP2": "NXP2",
    "MDA5": "MDA5",
    "Mi-2": "Mi-2",
    "No MSA": "none",
}
#: The myositis-specific autoantibodies (MSAs) of the course's vocabulary.
MSAS = ("NXP2", "TIF1-γ", "MDA5", "Mi-2")
#: Abbreviations and spellings of prior treatments, mapped to the curated generic names.
TREATMENT_NAMES = {
    "mmf": "mycophenolate mofetil",
    "ivig": "intravenous immunoglobulin",
    "intravenous immunoglobulin (ivig)": "intravenous immunoglobulin",
    "cyclosporine": "ciclosporin",
    "pulsed methylprednisolone": "methylprednisolone (pulsed)",
}
KNOWN_DRUGS = ("baricitinib", "ruxolitinib", "tofacitinib")

_NUMBER = r"\d+(?:\.\d+)?"
_STUDY = re.compile(r"^(?P<author>.+?)\s+et al\.?\s+(?P<year>\d{4})\s*\[(?P<ref>\d+)\]$")
_FRACTION = re.compile(
    rf"(?P<count>\d+)\s*/\s*(?P<total>\d+)(?:\s*\((?P<percent>{_NUMBER})\s*%\))?"
)
_GROUP_SIZE = re.compile(r"\bn\s*=\s*(\d+)")
_LEADING_COUNT = re.compile(r"^(\d+)\s+(?:anti-\S+\s+)?JDM\b", re.M)
_AGE = re.compile(rf"({_NUMBER})\s*(?:year old|y/o)", re.I)
_SEXED_AGE = re.compile(rf"({_NUMBER})\s*(?:year old|y/o)\s+(male|female|fem)\b", re.I)
_FEMALE = re.compile(rf"{_FRACTION.pattern}\s+female", re.I)
_MEAN_AGE = re.compile(rf"mean\s+({_NUMBER})\s*years", re.I)
_MEAN_SD = re.compile(rf"(?P<label>[^\n]*?)\s*(?P<mean>{_NUMBER})\s*±\s*(?P<sd>{_NUMBER})\s*years")
_AGE_RANGE = re.compile(rf"({_NUMBER})\s*-\s*({_NUMBER})\s*years old")
_ANTIBODY_COUNT = re.compile(r"^(?P<name>[A-Za-z][\w-]*(?: MSA)?)\s*=\s*(?P<count>\d+)\s*$", re.M)
_ANTIBODY = re.compile(r"anti-(TIF1-[γy]|Mi-2|Ro-?52|[A-Z]{3,4}\d)")
_ANA = re.compile(r"ANA\s+(1:\d+)")
_WEEKS = re.compile(rf"({_NUMBER})\s*weeks?\b")
_REFERENCE_LIST = re.compile(r"\s*\[[\d,\s]+\]")


def _require_text(value: object, what: str) -> str:
    """Return ``value`` if it is a string; otherwise raise a ValueError a learner can act on."""
    if not isinstance(value, str):
        raise ValueError(
            f"{what} must be the text of one table cell (a str), got {type(value).__name__}: "
            f"{value!r}. Pass a single cell, e.g. raw.loc[0, 'patient'], not a column."
        )
    return value


def normalise_text(text: str) -> str:
    """Replace thin, no-break and narrow spaces by plain spaces and en/em dashes by hyphens.

    The printed table puts a thin space (U+2009) between a number and its unit ("26 weeks"),
    which looks like a space but is not matched by ``" "`` in a pattern. Normalising first keeps
    every later pattern simple.
    """
    text = _require_text(text, "text")
    for old, new in {**SPACE_LIKE, **DASH_LIKE}.items():
        text = text.replace(old, new)
    return text


def read_raw_table(path: Path | None = None) -> pd.DataFrame:
    """Read the table as printed, every cell as text, with short column names.

    ``path`` defaults to ``data/raw/table3_published.csv``. Cells are kept exactly as printed
    (thin spaces and typos included); call :func:`normalise_text` before parsing.
    """
    from helpers.paths import raw_table_path

    path = Path(path) if path is not None else raw_table_path()
    if not path.is_file():
        raise ValueError(f"no raw table at {path.name!r}; use helpers.raw_table_path().")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RAW_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(
            f"{path.name}: expected the printed columns {list(RAW_COLUMNS)}, missing {missing}."
        )
    return raw.rename(columns=RAW_COLUMNS)


def parse_study_label(text: str) -> dict[str, object]:
    """Split "Le Voyer et al. 2021 [125]" into first author, year and reference number.

    The author's name is corrected with :data:`AUTHOR_CORRECTIONS`; the study id follows the
    curated tables' rule: lowercase surname, spaces as underscores, then the year.
    """
    text = normalise_text(text).strip()
    match = _STUDY.match(text)
    if match is None:
        raise ValueError(f"not a study label like 'Author et al. 2021 [125]': {text!r}")
    author = AUTHOR_CORRECTIONS.get(match["author"], match["author"])
    year = int(match["year"])
    return {
        "study_id": study_id(author, year),
        "first_author": author,
        "year": year,
        "review_ref": int(match["ref"]),
    }


def study_id(author: str, year: int) -> str:
    """Build the curated identifier of a study: ``"Le Voyer", 2021`` gives ``"le_voyer_2021"``."""
    author = _require_text(author, "author")
    slug = re.sub(r"[^a-z0-9]+", "_", author.lower()).strip("_")
    if not slug:
        raise ValueError(f"cannot build a study id from the author {author!r}")
    return f"{slug}_{int(year)}"


def parse_fraction(text: str) -> dict[str, float | int | None] | None:
    """Read the first "count/total (percent%)" in ``text``, e.g. "11/25 (44%)".

    Returns ``{"count", "total", "percent"}`` (``percent`` is ``None`` when not printed), or
    ``None`` when the text holds no fraction.
    """
    match = _FRACTION.search(normalise_text(text))
    if match is None:
        return None
    percent = match["percent"]
    return {
        "count": int(match["count"]),
        "total": int(match["total"]),
        "percent": float(percent) if percent is not None else None,
    }


def parse_drugs(text: str) -> list[dict[str, object]]:
    """Read the drug cell: one entry per drug line, with its patient count when printed.

    "tofacitinib 7/25 (28%)" gives ``{"drug": "tofacitinib", "n_patients": 7, "total": 25,
    "percent": 28.0}``; a bare "baricitnib" gives the corrected name and ``None`` counts.
    Unknown drug names raise a ValueError (a new typo should be seen, not silently kept).
    """
    entries = []
    for line in normalise_text(text).splitlines():
        line = line.strip()
        if not line:
            continue
        name = line.split()[0].lower()
        name = DRUG_CORRECTIONS.get(name, name)
        if name not in KNOWN_DRUGS:
            raise ValueError(
                f"unknown drug {name!r} in {line!r}; add its spelling to DRUG_CORRECTIONS "
                f"if it is a typo of {', '.join(KNOWN_DRUGS)}."
            )
        fraction = parse_fraction(line)
        entries.append(
            {
                "drug": name,
                "n_patients": fraction["count"] if fraction else None,
                "total": fraction["total"] if fraction else None,
                "percent": fraction["percent"] if fraction else None,
            }
        )
    return entries


def parse_group_sizes(text: str) -> list[int]:
    """Read the group sizes printed in a patient cell, in order.

    "n = 3 JDM ... n = 7 JDM" gives ``[3, 7]``; a cell opening with a count ("4 JDM",
    "2 anti-MDA5 JDM patients") gives that count; a single case ("13 year old") gives one
    patient per individual age. An empty list means the cell states no size.
    """
    text = normalise_text(text)
    sizes = [int(n) for n in _GROUP_SIZE.findall(text)]
    if sizes:
        return sizes
    leading = _LEADING_COUNT.findall(text)
    if leading:
        return [int(leading[0])]
    ages = parse_individual_ages(text)
    return [len(ages)] if ages else []


def parse_individual_ages(text: str) -> list[float]:
    """Read the ages of individual patients ("13 year old", "12y/o male"), in order."""
    return [float(a) for a in _AGE.findall(normalise_text(text))]


def parse_individual_sexes(text: str) -> list[str | None]:
    """Read the sex of each individual patient, aligned with :func:`parse_individual_ages`.

    "12y/o male" gives ``"M"``, "11y/o fem" or "15y/o female" ``"F"``; an age printed without
    a sex ("13 year old") gives ``None`` (not stated: never guessed).
    """
    text = normalise_text(text)
    sexes: list[str | None] = []
    for line in text.splitlines():
        for _ in _AGE.findall(line):
            match = _SEXED_AGE.search(line)
            sexes.append(None if match is None else ("M" if match[2].lower() == "male" else "F"))
    return sexes


def parse_female_counts(text: str) -> list[dict[str, float | int | None]]:
    """Read every "k/n female" or "k/n (p%) female" in a patient cell, one per group."""
    found = []
    for match in _FEMALE.finditer(normalise_text(text)):
        percent = match["percent"]
        found.append(
            {
                "count": int(match["count"]),
                "total": int(match["total"]),
                "percent": float(percent) if percent is not None else None,
            }
        )
    return found


def parse_mean_ages(text: str) -> list[float]:
    """Read group mean ages ("mean 8.7 years [25,26,...]"), ignoring the reference lists."""
    return [float(m) for m in _MEAN_AGE.findall(normalise_text(text))]


def parse_mean_sd(text: str) -> list[dict[str, object]]:
    """Read "label mean ± sd years" lines, e.g. "Mean age of onset 4.6 ± 3.3 years"."""
    found = []
    for match in _MEAN_SD.finditer(normalise_text(text)):
        found.append(
            {
                "label": match["label"].strip(),
                "mean": float(match["mean"]),
                "sd": float(match["sd"]),
            }
        )
    return found


def parse_age_range(text: str) -> tuple[float, float] | None:
    """Read an age range such as "(5.8–20.7 years old)"; ``None`` when there is none."""
    match = _AGE_RANGE.search(normalise_text(text))
    return (float(match[1]), float(match[2])) if match else None


def normalise_antibody(name: str) -> str:
    """Map a printed antibody name to the course's vocabulary ("TIF1-y" gives "TIF1-γ")."""
    name = normalise_text(name).strip()
    if name not in ANTIBODY_NAMES:
        raise ValueError(
            f"unknown antibody {name!r}; known spellings: {', '.join(sorted(ANTIBODY_NAMES))}."
        )
    return ANTIBODY_NAMES[name]


def parse_antibody_counts(text: str) -> list[dict[str, object]]:
    """Read the per-group MSA counts of an aggregate cell ("NXP2 = 1", "No MSA = 0").

    Each group starts at an "n = k" line; the result has one row per group and antibody, with
    ``group`` (0, 1, ... in printed order), ``antibody`` (normalised), ``n_positive`` and
    ``n_tested`` (the group size).
    """
    text = normalise_text(text)
    rows: list[dict[str, object]] = []
    starts = [m.start() for m in _GROUP_SIZE.finditer(text)]
    for group, start in enumerate(starts):
        end = starts[group + 1] if group + 1 < len(starts) else len(text)
        block = text[start:end]
        size = int(_GROUP_SIZE.search(block)[1])  # type: ignore[index]
        for match in _ANTIBODY_COUNT.finditer(block):
            if match["name"] == "n":
                continue
            rows.append(
                {
                    "group": group,
                    "antibody": normalise_antibody(match["name"]),
                    "n_positive": int(match["count"]),
                    "n_tested": size,
                }
            )
    return rows


def parse_patient_antibodies(line: str) -> dict[str, object]:
    """Read one patient's antibodies from a line such as "11y/o fem (ANA 1:320, anti-MDA5)".

    Returns ``msa`` (the first myositis-specific antibody, ``"none"`` when the line says
    "Negative", ``None`` when nothing is printed), ``other_antibodies`` (";"-joined) and
    ``ana_titre``.
    """
    line = normalise_text(line)
    names = [normalise_antibody(n) for n in _ANTIBODY.findall(line)]
    msas = [n for n in names if n in MSAS]
    others = [n for n in names if n not in MSAS]
    ana = _ANA.search(line)
    if msas:
        msa: str | None = msas[0]
    elif re.search(r"\bnegative\b", line, re.I):
        msa = "none"
    else:
        msa = None
    return {
        "msa": msa,
        "other_antibodies": ";".join(others) if others else None,
        "ana_titre": ana[1] if ana else None,
    }


def parse_followup_weeks(text: str) -> float | None:
    """Read the first number of weeks in an outcome cell ("After 26 weeks (6 months)")."""
    match = _WEEKS.search(normalise_text(text))
    return float(match[1]) if match else None


def split_treatments(text: str) -> list[str]:
    """Split a printed list of treatments into normalised generic names.

    "methotrexate, IVIG, plasma exchange, MMF and rituximab" gives methotrexate, intravenous
    immunoglobulin, plasma exchange, mycophenolate mofetil, rituximab. Abbreviations are
    expanded with :data:`TREATMENT_NAMES`.
    """
    text = normalise_text(text).strip().rstrip(".")
    parts = re.split(r",\s*|\s+and\s+", text)
    names = []
    for part in parts:
        part = part.strip().lower()
        if part:
            names.append(TREATMENT_NAMES.get(part, part))
    return names


_TREATED_WITH = re.compile(r"(?:treatment including;?|treatment with)\s+(.+)$", re.I | re.M)


def parse_prior_treatments(text: str) -> list[list[str]]:
    """Read the lists of prior treatments in a disease-course cell, one list per patient line.

    Only lists introduced by "treatment including" or "treatment with" are read; a drug named
    elsewhere ("Prednisolone dependant") is left to curation, because turning "dependant" into
    "received" is a judgement, not a parse.
    """
    return [split_treatments(m) for m in _TREATED_WITH.findall(normalise_text(text))]


def _patient_lines(cell: str) -> list[str]:
    """The lines of a patient cell that describe one individual (they carry an age)."""
    return [line for line in normalise_text(cell).splitlines() if _AGE.search(line)]


def parse_studies(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per study with what the printed table carries at study level.

    Columns: study_id, first_author, year, review_ref, drugs (";"-joined, sorted like the
    curated table), n_patients, n_female (``<NA>`` when the sex of some patients is not
    printed) and followup_weeks (the first number of weeks in the outcome cell).
    """
    rows = []
    for record in raw.itertuples(index=False):
        label = parse_study_label(record.study)
        drugs = parse_drugs(record.drugs)
        groups = parse_group_sizes_for_row(record.drugs, record.patient)
        females = parse_female_counts(record.patient)
        sexes = parse_individual_sexes(record.patient)
        n_patients = sum(groups)
        if females:
            n_female: int | None = sum(int(f["count"]) for f in females)  # type: ignore[arg-type]
        elif sexes and None not in sexes:
            n_female = sexes.count("F")
        else:
            n_female = None
        rows.append(
            {
                **label,
                "drugs": ";".join(sorted({d["drug"] for d in drugs})),  # type: ignore[misc]
                "n_patients": n_patients,
                "n_female": n_female,
                "followup_weeks": parse_followup_weeks(record.outcome),
            }
        )
    frame = pd.DataFrame(rows)
    frame["n_female"] = frame["n_female"].astype("Int64")
    return frame


def parse_group_sizes_for_row(drug_cell: str, patient_cell: str) -> list[int]:
    """Group sizes of one study: from the drug cell's counts, else from the patient cell.

    Ding's drug cell prints "tofacitinib 7/25 (28%)", so its groups are 7 and 18 even though
    the patient cell prints the total "n = 25".
    """
    counts = [d["n_patients"] for d in parse_drugs(drug_cell)]
    if counts and all(c is not None for c in counts):
        return [int(c) for c in counts]  # type: ignore[arg-type]
    return parse_group_sizes(patient_cell)


def parse_groups(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per study and drug: group size, printed percentage and female count.

    Drugs and groups are paired **in printed order**. For Le Voyer 2021 this pairs the first
    drug line (baricitinib) with the first group (n = 3): an assumption the printed table
    invites but does not state (see the corrections log). When a study prints one group and
    one drug, they pair trivially.
    """
    rows = []
    for record in raw.itertuples(index=False):
        sid = parse_study_label(record.study)["study_id"]
        drugs = parse_drugs(record.drugs)
        sizes = parse_group_sizes_for_row(record.drugs, record.patient)
        females = parse_female_counts(record.patient)
        if len(sizes) != len(drugs):
            raise ValueError(f"{sid}: {len(drugs)} drug(s) but {len(sizes)} group size(s).")
        per_group_female: list[dict[str, object] | None]
        if len(females) == len(drugs):
            per_group_female = list(females)
        else:
            per_group_female = [None] * len(drugs)
            sexes = parse_individual_sexes(record.patient)
            if len(drugs) == 1 and sexes and None not in sexes:
                per_group_female = [{"count": sexes.count("F")}]
        for drug, size, female in zip(drugs, sizes, per_group_female, strict=True):
            rows.append(
                {
                    "study_id": sid,
                    "drug": drug["drug"],
                    "n_patients": size,
                    "n_female": female["count"] if female else None,
                    "percent_of_study_reported": drug["percent"],
                }
            )
    frame = pd.DataFrame(rows)
    frame["n_female"] = frame["n_female"].astype("Int64")
    frame["percent_of_study_reported"] = frame["percent_of_study_reported"].astype("Float64")
    return frame


def parse_patients(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per individual patient the printed table describes (never from aggregates).

    Columns: study_id, label_in_source, age_years, sex, msa, other_antibodies, ana_titre.
    When one line describes a patient but the study's antibody is printed once for all its
    patients ("2 anti-MDA5 JDM patients"), that antibody applies to each of them.
    """
    rows = []
    for record in raw.itertuples(index=False):
        sid = parse_study_label(record.study)["study_id"]
        lines = _patient_lines(record.patient)
        if not lines:
            continue
        shared = parse_patient_antibodies(normalise_text(record.patient).splitlines()[0])
        sexes = parse_individual_sexes(record.patient)
        for line, sex in zip(lines, sexes, strict=True):
            own = parse_patient_antibodies(line)
            antibodies = own if own["msa"] is not None else shared
            label = re.split(r";|\s*\(", line.strip())[0].strip()
            rows.append(
                {
                    "study_id": sid,
                    "label_in_source": label,
                    "age_years": parse_individual_ages(line)[0],
                    "sex": sex,
                    **antibodies,
                }
            )
    return pd.DataFrame(rows)


def parse_aggregate_antibodies(raw: pd.DataFrame) -> pd.DataFrame:
    """MSA counts per study and drug group, from the cells that print "NXP2 = 1" lines.

    Groups are paired with drugs in printed order (see :func:`parse_groups`).
    """
    rows = []
    for record in raw.itertuples(index=False):
        sid = parse_study_label(record.study)["study_id"]
        drugs = [d["drug"] for d in parse_drugs(record.drugs)]
        for row in parse_antibody_counts(record.patient):
            group = int(row.pop("group"))  # type: ignore[call-overload]
            rows.append({"study_id": sid, "drug": drugs[group], **row})
    return pd.DataFrame(rows, columns=["study_id", "drug", "antibody", "n_positive", "n_tested"])


def differences(
    parsed: pd.DataFrame, curated: pd.DataFrame, key: str, columns: list[str]
) -> pd.DataFrame:
    """List every value where the parse and the curated table disagree.

    Returns one row per (key, column) with both values; missing values on both sides count as
    agreement. An empty result means the printed table and the curated data say the same thing
    for these columns.
    """
    for frame, what in ((parsed, "parsed"), (curated, "curated")):
        absent = [c for c in [key, *columns] if c not in frame.columns]
        if absent:
            raise ValueError(f"the {what} table has no column(s) {absent}.")
    left = parsed.set_index(key)
    right = curated.set_index(key).reindex(left.index)
    rows = []
    for column in columns:
        for ident in left.index:
            a, b = left.at[ident, column], right.at[ident, column]
            if pd.isna(a) and pd.isna(b):
                continue
            if pd.isna(a) or pd.isna(b) or (str(a) != str(b) and _as_float(a) != _as_float(b)):
                rows.append({key: ident, "column": column, "parsed": a, "curated": b})
    return pd.DataFrame(rows, columns=[key, "column", "parsed", "curated"])


def _as_float(value: object) -> object:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value
