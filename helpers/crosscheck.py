"""Checks that span tables: ids that exist, totals that add up, counts within denominators.

pandera checks each table on its own (types, allowed values, unique ids); the rules here need
two tables at once. Each rule returns :class:`~helpers.errors.Problem` objects naming the file,
line and column of the row that breaks it, so that a new study added with a slip is caught with
a message that points at the slip.

The rules are written on whole columns (boolean masks, sums per study or group, look-ups by
id), so that a table of hundreds of studies is checked in milliseconds. Only the rows that
break a rule (normally none) are then visited one by one, in file order, to word the messages.
A missing value never breaks a rule, unless the rule is about the value being missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers.errors import Problem, display_name

if TYPE_CHECKING:
    from helpers.data import CaseData

#: A printed percentage matches its count when it is within this many points of
#: 100 * count / denominator (a percentage printed as a whole number is off by up to 0.5).
PERCENT_TOLERANCE = 0.5

#: Antibody classes that exclude one another: a patient has one MSA, or "no MSA detected".
EXCLUSIVE_CLASSES = ("myositis-specific", "no MSA detected")


class _Reporter:
    """Collect problems for one table, turning a row index into a file line and record id."""

    def __init__(self, folder: Path, table: str, frame: pd.DataFrame, id_column: str):
        self.file = display_name(folder / f"{table}.csv")
        self.frame = frame
        self.id_column = id_column
        self.problems: list[Problem] = []

    def add(self, index: int, column: str, message: str) -> None:
        value = self.frame.at[index, self.id_column]
        self.problems.append(
            Problem(
                self.file,
                message,
                line=int(index) + 2,
                column=column,
                record=f"{self.id_column}={value!r}",
            )
        )


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows as plain dicts of Python values (``int``, ``float``, ``str``; ``None`` or NaN when
    missing), so that messages print ``3`` and ``'yu_2020'``, not numpy or pandas scalars."""
    if frame.empty:  # no row breaks the rule (the usual case): skip to_dict's fixed cost
        return
    yield from zip(map(int, frame.index), frame.to_dict("records"), strict=True)


def _holds(condition: pd.Series) -> pd.Series:
    """A plain boolean mask: True where ``condition`` is true, False where it is false or NA.

    Comparing nullable columns gives NA where a value is missing; a rule never fires on it.
    """
    return condition.fillna(False).astype(bool)


def _aligned(table: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """The row of ``table`` (indexed by id) for each id in ``keys``, indexed like ``keys``.

    An id that ``table`` lacks gets a row of missing values.
    """
    return table.reindex(keys.to_numpy()).set_axis(keys.index)


def _failures(
    frame: pd.DataFrame, checks: Mapping[str, pd.Series], **values: pd.Series
) -> Iterator[tuple[int, dict[str, object], set[str]]]:
    """The rows of ``frame`` that break at least one check, in file order.

    ``checks`` are boolean masks aligned with ``frame`` (True where the row breaks the rule).
    Yields each such row as :func:`_rows` does, with ``values`` (figures computed for the
    messages, such as a sum over the study's groups, under names that are not columns of
    ``frame``) added to it, and the names of the checks that the row breaks.
    """
    broken = pd.DataFrame(dict(checks), index=frame.index)
    failing = broken.any(axis=1)
    rows = frame[failing].assign(**{name: column[failing] for name, column in values.items()})
    for (index, row), flags in zip(_rows(rows), broken[failing].to_numpy(), strict=True):
        yield index, row, {name for name, flag in zip(broken.columns, flags, strict=True) if flag}


def _percent_off(percent: pd.Series, count: pd.Series, total: pd.Series) -> pd.Series:
    """True where a printed percentage is more than :data:`PERCENT_TOLERANCE` points away
    from 100 * count / total; never where a value is missing or the total is zero.

    The arithmetic is that of :func:`_percent_message`, in the same float64 steps, so that a
    percentage exactly at the tolerance is judged the same way here and in the message.
    """
    total = total.astype("Float64")
    expected = 100 * count.astype("Float64") / total.where(total != 0)
    return _holds((percent.astype("Float64") - expected).abs() > PERCENT_TOLERANCE)


def _percent_message(percent: object, count: object, total: object) -> str:
    """The message for a percentage that :func:`_percent_off` found off."""
    expected = 100 * float(count) / float(total)  # type: ignore[arg-type]
    return (
        f"{float(percent):g}% does not match {float(count):g}/{float(total):g} "  # type: ignore[arg-type]
        f"(= {expected:.1f}%)."
    )


def _known(rep: _Reporter, column: str, known: set[str], what: str, where: str) -> None:
    """Report rows whose ``column`` names an id missing from ``known`` (blank cells pass)."""
    values = rep.frame[column]
    for index, value in values[values.notna() & ~values.isin(known)].items():
        rep.add(index, column, f"{what} {value!r} is not in {where}.")


def _same_study(rep: _Reporter, column: str, study_of: dict[str, str], label: str) -> None:
    """Report rows whose group (or patient) in ``column`` belongs to another study."""
    refs = rep.frame[column]
    known = refs.notna() & refs.isin(list(study_of))
    # Compared as Python objects, as ``!=`` compares two values (a missing study differs).
    other = refs.map(study_of).to_numpy(object) != rep.frame["study_id"].to_numpy(object)
    for index, row in _rows(rep.frame[known & other]):
        ref = row[column]
        rep.add(
            index,
            column,
            f"{label} {ref!r} belongs to study {study_of[ref]!r}, "  # type: ignore[index]
            f"not {row['study_id']!r}.",
        )


def _ids(data: CaseData, folder: Path) -> list[Problem]:
    """Every study, source, group and patient named in a table exists, in the right study."""
    studies = set(data.studies["study_id"])
    groups = dict(zip(data.groups["group_id"], data.groups["study_id"], strict=True))
    patients = dict(zip(data.patients["patient_id"], data.patients["study_id"], strict=True))
    sources = set(data.sources["source_id"])
    problems: list[Problem] = []
    specs = {
        "groups": ("group_id", data.groups),
        "patients": ("patient_id", data.patients),
        "autoantibodies": ("group_id", data.autoantibodies),
        "prior_treatments": ("patient_id", data.prior_treatments),
        "characteristics": ("study_id", data.characteristics),
        "outcomes": ("outcome_id", data.outcomes),
    }
    for table, (id_column, frame) in specs.items():
        rep = _Reporter(folder, table, frame, id_column)
        _known(rep, "study_id", studies, "study", "data/studies.csv")
        _known(rep, "source", sources, "source", "data/sources.csv")
        for ref_column, mapping, label in (
            ("group_id", groups, "group"),
            ("patient_id", patients, "patient"),
        ):
            if ref_column not in frame.columns or ref_column == id_column:
                continue
            _known(rep, ref_column, set(mapping), label, f"data/{label}s.csv")
            _same_study(rep, ref_column, mapping, label)
        problems += rep.problems
    return problems


def _study_totals(data: CaseData, folder: Path) -> list[Problem]:
    """Each study against its groups: sizes and female counts add up, drugs are listed."""
    studies, groups = data.studies, data.groups
    # The drugs of each study, alphabetically, joined with ";": a sum of "drug;" strings per
    # study (one pass in C, not a Python call per study), less the last ";".
    listed = (
        groups.assign(drug=groups["drug"].astype(str))
        .drop_duplicates(["study_id", "drug"])
        .sort_values("drug")
    )
    drugs = (listed["drug"] + ";").groupby(listed["study_id"]).sum().str[:-1]
    per_study = (
        groups.assign(female_missing=groups["n_female"].isna())
        .groupby("study_id")
        .agg(
            n_patients=("n_patients", "sum"),
            n_female=("n_female", "sum"),
            female_missing=("female_missing", "sum"),
        )
        .assign(drugs=drugs)
    )
    own = _aligned(per_study, studies["study_id"])
    has_groups = studies["study_id"].isin(per_study.index)
    n_female, weeks = studies["n_female"], studies["followup_weeks"]
    checks = {
        "no_groups": ~has_groups,
        "n_patients": _holds(own["n_patients"] != studies["n_patients"]),
        "n_female": n_female.notna()
        & (own["female_missing"] == 0)
        & _holds(own["n_female"] != n_female),
        "female_over": _holds(n_female > studies["n_patients"]),
        "drugs": pd.Series(
            studies["drugs"].to_numpy(object) != own["drugs"].to_numpy(object), studies.index
        ),
        "min_over": _holds(studies["followup_min_weeks"] > weeks),
        "max_under": _holds(studies["followup_max_weeks"] < weeks),
    }
    # A study without groups gets that one message: its sums would only repeat it.
    checks = {
        name: mask if name == "no_groups" else mask & has_groups for name, mask in checks.items()
    }
    rep = _Reporter(folder, "studies", studies, "study_id")
    for index, row, broken in _failures(
        studies,
        checks,
        groups_n=own["n_patients"],
        groups_female=own["n_female"],
        groups_drugs=own["drugs"],
    ):
        if "no_groups" in broken:
            rep.add(index, "study_id", "study has no treatment group in data/groups.csv.")
        if "n_patients" in broken:
            rep.add(
                index,
                "n_patients",
                f"{row['n_patients']} patients, but its groups in "
                f"data/groups.csv add up to {row['groups_n']}.",
            )
        if "n_female" in broken:
            rep.add(
                index,
                "n_female",
                f"{row['n_female']} female, but its groups add up to {row['groups_female']}.",
            )
        if "female_over" in broken:
            rep.add(index, "n_female", "more female patients than patients.")
        if "drugs" in broken:
            rep.add(
                index,
                "drugs",
                f"{row['drugs']!r} should list the groups' drugs, alphabetically: "
                f"{row['groups_drugs']!r}.",
            )
        if "min_over" in broken:
            rep.add(index, "followup_min_weeks", "minimum follow-up exceeds followup_weeks.")
        if "max_under" in broken:
            rep.add(index, "followup_max_weeks", "maximum follow-up is below followup_weeks.")
    return rep.problems


def _group_totals(data: CaseData, folder: Path) -> list[Problem]:
    """Each group against its study and, when reported patient by patient, its patients."""
    groups, patients = data.groups, data.patients
    study_n = groups["study_id"].map(data.studies.set_index("study_id")["n_patients"])
    per_group = (
        patients.assign(female=patients["sex"] == "F", sex_missing=patients["sex"].isna())
        .groupby("group_id")
        .agg(
            members=("female", "size"),
            female=("female", "sum"),
            sex_missing=("sex_missing", "sum"),
        )
    )
    members = _aligned(per_group, groups["group_id"]).fillna(0).astype("int64")  # none: 0
    n_patients, n_female = groups["n_patients"], groups["n_female"]
    patient_level = groups["reporting"] == "patient-level"
    checks = {
        "female_over": _holds(n_female > n_patients),
        "percent": _percent_off(groups["percent_of_study_reported"], n_patients, study_n),
        "members": patient_level & _holds(members["members"] != n_patients),
        "female": patient_level
        & n_female.notna()
        & (members["sex_missing"] == 0)
        & _holds(members["female"] != n_female),
    }
    rep = _Reporter(folder, "groups", groups, "group_id")
    for index, row, broken in _failures(
        groups,
        checks,
        study_n=study_n,
        members_n=members["members"],
        members_female=members["female"],
    ):
        if "female_over" in broken:
            rep.add(index, "n_female", "more female patients than patients.")
        if "percent" in broken:
            message = _percent_message(
                row["percent_of_study_reported"], row["n_patients"], row["study_n"]
            )
            rep.add(index, "percent_of_study_reported", message)
        if "members" in broken:
            rep.add(
                index,
                "n_patients",
                f"patient-level group of {row['n_patients']}, but "
                f"data/patients.csv has {row['members_n']} patient(s) in it.",
            )
        if "female" in broken:
            rep.add(
                index,
                "n_female",
                f"{row['n_female']} female, but data/patients.csv has {row['members_female']}.",
            )
    return rep.problems


def _totals(data: CaseData, folder: Path) -> list[Problem]:
    """Studies against their groups, then groups against their studies and patients."""
    return _study_totals(data, folder) + _group_totals(data, folder)


def _sizes(data: CaseData, frame: pd.DataFrame) -> pd.Series:
    """Patients in the group each row names, or in its study when it names no group (0 when
    the group or study is unknown)."""
    size = frame["study_id"].map(data.studies.set_index("study_id")["n_patients"])
    if "group_id" in frame.columns:
        group_size = frame["group_id"].map(data.groups.set_index("group_id")["n_patients"])
        size = size.where(frame["group_id"].isna(), group_size)
    return size.fillna(0).astype("int64")


def _outcome_denominators(data: CaseData, folder: Path) -> list[Problem]:
    """Counts within n_assessed, n_assessed within the study or group, units for values."""
    outcomes = data.outcomes
    assessed, size = outcomes["n_assessed"], _sizes(data, outcomes)
    checks: dict[str, pd.Series] = {}
    for column in ("n_improved", "n_events"):
        checks[f"{column} alone"] = outcomes[column].notna() & assessed.isna()
        checks[f"{column} over"] = _holds(outcomes[column] > assessed)
    checks["n_assessed"] = _holds(assessed > size)
    count = outcomes["n_events"].fillna(outcomes["n_improved"])
    checks["percent"] = _percent_off(outcomes["percent_reported"], count, assessed)
    value = outcomes["value_before"].notna() | outcomes["value_after"].notna()
    checks["unit"] = value & outcomes["unit"].isna()
    rep = _Reporter(folder, "outcomes", outcomes, "outcome_id")
    for index, row, broken in _failures(outcomes, checks, size=size):
        for column in ("n_improved", "n_events"):
            if f"{column} alone" in broken:
                rep.add(index, column, "a count needs its denominator in n_assessed.")
            elif f"{column} over" in broken:
                rep.add(
                    index, column, f"{row[column]} is more than the {row['n_assessed']} assessed."
                )
        if "n_assessed" in broken:
            rep.add(
                index,
                "n_assessed",
                f"{row['n_assessed']} assessed, but the study or group has only "
                f"{row['size']} patients.",
            )
        if "percent" in broken:
            events = row["n_events"] if _present(row["n_events"]) else row["n_improved"]
            message = _percent_message(row["percent_reported"], events, row["n_assessed"])
            rep.add(index, "percent_reported", message)
        if "unit" in broken:
            rep.add(index, "unit", "a value needs its unit.")
    return rep.problems


def _characteristic_denominators(data: CaseData, folder: Path) -> list[Problem]:
    """n within the study or group; a count within its n, and its percentage matching."""
    table = data.characteristics
    size = _sizes(data, table)
    is_count = table["statistic"] == "count"
    checks = {
        "n": _holds(table["n"] > size),
        "value": is_count & _holds(table["value"] > table["n"]),
        "percent": is_count & _percent_off(table["percent_reported"], table["value"], table["n"]),
    }
    rep = _Reporter(folder, "characteristics", table, "study_id")
    for index, row, broken in _failures(table, checks, size=size):
        if "n" in broken:
            rep.add(
                index,
                "n",
                f"{row['n']} patients, but the study or group has only {row['size']}.",
            )
        if "value" in broken:
            rep.add(index, "value", f"count {row['value']:g} is more than n = {row['n']}.")
        if "percent" in broken:
            message = _percent_message(row["percent_reported"], row["value"], row["n"])
            rep.add(index, "percent_reported", message)
    return rep.problems


def _denominators(data: CaseData, folder: Path) -> list[Problem]:
    """Counts within their denominators in outcomes, then in characteristics."""
    return _outcome_denominators(data, folder) + _characteristic_denominators(data, folder)


def _antibodies(data: CaseData, folder: Path) -> list[Problem]:
    """Antibody counts within n_tested and the group, MSA counts adding up, patients agreeing."""
    table = data.autoantibodies
    rep = _Reporter(folder, "autoantibodies", table, "group_id")
    group_n = table["group_id"].map(data.groups.set_index("group_id")["n_patients"])
    checks = {
        "n_positive": _holds(table["n_positive"] > table["n_tested"]),
        "n_tested": _holds(table["n_tested"] > group_n),
    }
    for index, row, broken in _failures(table, checks, group_n=group_n):
        if "n_positive" in broken:
            rep.add(
                index,
                "n_positive",
                f"{row['n_positive']} positive out of {row['n_tested']} tested.",
            )
        if "n_tested" in broken:
            rep.add(
                index,
                "n_tested",
                f"{row['n_tested']} tested, but the group has {row['group_n']} patients.",
            )
    # MSAs are mutually exclusive (with rare exceptions), so a group's MSA rows plus its
    # "no MSA detected" row must account for every patient tested: every row of the group
    # has the same n_tested, and it is the sum of n_positive.
    is_exclusive = table["antibody_class"].isin(EXCLUSIVE_CLASSES)
    exclusive = table[is_exclusive]
    per_group = (
        exclusive.assign(no_msa=exclusive["antibody_class"] == "no MSA detected")
        .groupby("group_id", observed=True)
        .agg(
            total=("n_positive", "sum"),
            low=("n_tested", "min"),
            high=("n_tested", "max"),
            has_none=("no_msa", "any"),
        )
    )
    balanced = _holds(
        (per_group["low"] == per_group["total"]) & (per_group["high"] == per_group["total"])
    )
    unbalanced = per_group.index[per_group["has_none"] & ~balanced]
    offending = exclusive[exclusive["group_id"].isin(unbalanced)]
    for group_id, rows in offending.groupby("group_id", observed=True):
        tested = sorted({int(n) for n in rows["n_tested"]})
        total = int(rows["n_positive"].sum())
        rep.add(
            int(rows.index[0]),
            "n_positive",
            f"the MSA counts of group {group_id!r} add up to {total}, not to the "
            f"{' or '.join(map(str, tested))} tested.",
        )
    # Patient-level groups: the counts must be the patients' own antibodies.
    grouped = data.patients.assign(msa=data.patients["msa"].astype(str))
    own_counts = grouped.groupby(["group_id", "msa"]).size()
    keys = pd.MultiIndex.from_arrays([table["group_id"], table["antibody"].astype(str)])
    own = pd.Series(own_counts.reindex(keys, fill_value=0).to_numpy(), index=table.index)
    described = table["group_id"].isin(grouped["group_id"])
    checks = {"own": described & is_exclusive & _holds(own != table["n_positive"])}
    for index, row, _ in _failures(table, checks, own=own):
        rep.add(
            index,
            "n_positive",
            f"{row['n_positive']} positive for "
            f"{row['antibody']}, but data/patients.csv lists {row['own']}.",
        )
    return rep.problems


CHECKS: tuple[Callable[[CaseData, Path], list[Problem]], ...] = (
    _ids,
    _totals,
    _denominators,
    _antibodies,
)


def cross_check(data: CaseData, folder: Path) -> list[Problem]:
    """Run every cross-table rule and return the problems found (empty when all hold).

    Identifiers are checked first: when an id is unknown, the sums that depend on it would
    only repeat the same mistake in other words, so the other rules are skipped.
    """
    problems = _ids(data, folder)
    if problems:
        return problems
    for check in CHECKS[1:]:
        problems += check(data, folder)
    return problems
