"""Checks that span tables: ids that exist, totals that add up, counts within denominators.

pandera checks each table on its own (types, allowed values, unique ids); the rules here need
two tables at once. Each rule returns :class:`~helpers.errors.Problem` objects naming the file,
line and column of the row that breaks it, so that a new study added with a slip is caught with
a message that points at the slip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers.errors import Problem, display_name

if TYPE_CHECKING:
    from helpers.data import CaseData

#: A printed percentage matches its count when it is within this many points of
#: 100 * count / denominator (a percentage printed as a whole number is off by up to 0.5).
PERCENT_TOLERANCE = 0.5


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


def _known(rep: _Reporter, column: str, known: set[str], what: str, where: str) -> None:
    for index, value in rep.frame[column].items():
        if pd.notna(value) and value not in known:
            rep.add(index, column, f"{what} {value!r} is not in {where}.")


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows as plain dicts (much faster than ``iterrows`` on a large table)."""
    yield from zip(map(int, frame.index), frame.to_dict("records"), strict=True)


def _check_percent(
    rep: _Reporter, index: int, column: str, percent: object, count: object, total: object
) -> None:
    if _present(percent) and _present(count) and _present(total) and total:
        expected = 100 * float(count) / float(total)  # type: ignore[arg-type]
        if abs(float(percent) - expected) > PERCENT_TOLERANCE:  # type: ignore[arg-type]
            rep.add(
                index,
                column,
                f"{float(percent):g}% does not match {float(count):g}/{float(total):g} "  # type: ignore[arg-type]
                f"(= {expected:.1f}%).",
            )


def _ids(data: CaseData, folder: Path) -> list[Problem]:
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
            for index, row in _rows(frame):
                ref = row[ref_column]
                if _present(ref) and ref in mapping and mapping[ref] != row["study_id"]:
                    rep.add(
                        index,
                        ref_column,
                        f"{label} {ref!r} belongs to study "
                        f"{mapping[ref]!r}, not {row['study_id']!r}.",
                    )
        problems += rep.problems
    return problems


def _totals(data: CaseData, folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    studies = data.studies.set_index("study_id")
    rep = _Reporter(folder, "studies", data.studies, "study_id")
    groups_of = {sid: rows for sid, rows in data.groups.groupby("study_id", observed=True)}
    for index, row in _rows(data.studies):
        sid = row["study_id"]
        if sid not in groups_of:
            rep.add(index, "study_id", "study has no treatment group in data/groups.csv.")
            continue
        groups = groups_of[sid]
        total = int(groups["n_patients"].sum())
        if total != row["n_patients"]:
            rep.add(
                index,
                "n_patients",
                f"{row['n_patients']} patients, but its groups in "
                f"data/groups.csv add up to {total}.",
            )
        if _present(row["n_female"]) and groups["n_female"].notna().all():
            female = int(groups["n_female"].sum())
            if female != row["n_female"]:
                rep.add(
                    index,
                    "n_female",
                    f"{row['n_female']} female, but its groups add up to {female}.",
                )
        if _present(row["n_female"]) and row["n_female"] > row["n_patients"]:
            rep.add(index, "n_female", "more female patients than patients.")
        drugs = ";".join(sorted(set(groups["drug"].astype(str))))
        if row["drugs"] != drugs:
            rep.add(
                index,
                "drugs",
                f"{row['drugs']!r} should list the groups' drugs, alphabetically: {drugs!r}.",
            )
        low, high = row["followup_min_weeks"], row["followup_max_weeks"]
        if _present(low) and low > row["followup_weeks"]:
            rep.add(index, "followup_min_weeks", "minimum follow-up exceeds followup_weeks.")
        if _present(high) and high < row["followup_weeks"]:
            rep.add(index, "followup_max_weeks", "maximum follow-up is below followup_weeks.")
    problems += rep.problems

    rep = _Reporter(folder, "groups", data.groups, "group_id")
    members_of = {gid: rows for gid, rows in data.patients.groupby("group_id", observed=True)}
    for index, row in _rows(data.groups):
        if _present(row["n_female"]) and row["n_female"] > row["n_patients"]:
            rep.add(index, "n_female", "more female patients than patients.")
        study_n = studies["n_patients"].get(row["study_id"])
        _check_percent(
            rep,
            index,
            "percent_of_study_reported",
            row["percent_of_study_reported"],
            row["n_patients"],
            study_n,
        )
        if row["reporting"] != "patient-level":
            continue
        members = members_of.get(row["group_id"], data.patients.iloc[0:0])
        if len(members) != row["n_patients"]:
            rep.add(
                index,
                "n_patients",
                f"patient-level group of {row['n_patients']}, but "
                f"data/patients.csv has {len(members)} patient(s) in it.",
            )
        if _present(row["n_female"]) and members["sex"].notna().all():
            female = int((members["sex"] == "F").sum())
            if female != row["n_female"]:
                rep.add(
                    index,
                    "n_female",
                    f"{row['n_female']} female, but data/patients.csv has {female}.",
                )
    problems += rep.problems
    return problems


def _denominators(data: CaseData, folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    study_n = data.studies.set_index("study_id")["n_patients"]
    group_n = data.groups.set_index("group_id")["n_patients"]

    def size_of(row: dict[str, object]) -> int:
        if "group_id" in row and _present(row["group_id"]):
            return int(group_n.get(row["group_id"], 0))
        return int(study_n.get(row["study_id"], 0))

    rep = _Reporter(folder, "outcomes", data.outcomes, "outcome_id")
    for index, row in _rows(data.outcomes):
        assessed = row["n_assessed"]
        for column in ("n_improved", "n_events"):
            if _present(row[column]) and not _present(assessed):
                rep.add(index, column, "a count needs its denominator in n_assessed.")
            elif _present(row[column]) and row[column] > assessed:
                rep.add(index, column, f"{row[column]} is more than the {assessed} assessed.")
        if _present(assessed) and assessed > size_of(row):
            rep.add(
                index,
                "n_assessed",
                f"{assessed} assessed, but the study or group has only {size_of(row)} patients.",
            )
        count = row["n_events"] if _present(row["n_events"]) else row["n_improved"]
        _check_percent(rep, index, "percent_reported", row["percent_reported"], count, assessed)
        if (_present(row["value_before"]) or _present(row["value_after"])) and not _present(
            row["unit"]
        ):
            rep.add(index, "unit", "a value needs its unit.")
    problems += rep.problems

    rep = _Reporter(folder, "characteristics", data.characteristics, "study_id")
    for index, row in _rows(data.characteristics):
        if row["n"] > size_of(row):
            rep.add(
                index, "n", f"{row['n']} patients, but the study or group has only {size_of(row)}."
            )
        if row["statistic"] == "count":
            if row["value"] > row["n"]:
                rep.add(index, "value", f"count {row['value']:g} is more than n = {row['n']}.")
            _check_percent(
                rep, index, "percent_reported", row["percent_reported"], row["value"], row["n"]
            )
    problems += rep.problems
    return problems


def _antibodies(data: CaseData, folder: Path) -> list[Problem]:
    rep = _Reporter(folder, "autoantibodies", data.autoantibodies, "group_id")
    group_n = data.groups.set_index("group_id")["n_patients"]
    for index, row in _rows(data.autoantibodies):
        if row["n_positive"] > row["n_tested"]:
            rep.add(
                index,
                "n_positive",
                f"{row['n_positive']} positive out of {row['n_tested']} tested.",
            )
        if row["group_id"] in group_n.index and row["n_tested"] > group_n[row["group_id"]]:
            rep.add(
                index,
                "n_tested",
                f"{row['n_tested']} tested, but the group has {group_n[row['group_id']]} patients.",
            )
    # MSAs are mutually exclusive (with rare exceptions), so a group's MSA rows plus its
    # "no MSA detected" row must account for every patient tested.
    exclusive = data.autoantibodies[
        data.autoantibodies["antibody_class"].isin(["myositis-specific", "no MSA detected"])
    ]
    for group_id, rows in exclusive.groupby("group_id", observed=True):
        tested = sorted({int(n) for n in rows["n_tested"]})
        total = int(rows["n_positive"].sum())
        has_none = (rows["antibody_class"] == "no MSA detected").any()
        if has_none and tested != [total]:
            rep.add(
                int(rows.index[0]),
                "n_positive",
                f"the MSA counts of group {group_id!r} add up to {total}, not to the "
                f"{' or '.join(map(str, tested))} tested.",
            )
    # Patient-level groups: the counts must be the patients' own antibodies.
    grouped = data.patients.assign(msa=data.patients["msa"].astype(str))
    own_counts = grouped.groupby(["group_id", "msa"]).size().to_dict()
    described = set(grouped["group_id"])
    for index, row in _rows(data.autoantibodies):
        exclusive_class = row["antibody_class"] in ("myositis-specific", "no MSA detected")
        if row["group_id"] not in described or not exclusive_class:
            continue
        own = int(own_counts.get((row["group_id"], str(row["antibody"])), 0))
        if own != row["n_positive"]:
            rep.add(
                index,
                "n_positive",
                f"{row['n_positive']} positive for "
                f"{row['antibody']}, but data/patients.csv lists {own}.",
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
