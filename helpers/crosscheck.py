"""Checks that span tables: ids that exist, totals that add up, counts within denominators.

Each rule returns :class:`~helpers.errors.Problem` objects naming the file, line and column of
the row that breaks it. Rules work on whole columns, so hundreds of studies are checked in
milliseconds; only the rows that break one (normally none) are visited, in file order, to word
the messages. A missing value never breaks a rule, unless the rule is about it being missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from helpers.errors import Problem
from helpers.vocabulary import DRUGS

#: helpers.data's CaseData and the Located of each table (not imported: it imports this module).
CaseData = Any
Located = Any
Places = dict[str, Any]

#: A printed percentage matches its count when it is within this many points of
#: 100 * count / denominator (a percentage printed as a whole number is off by up to 0.5).
PERCENT_TOLERANCE = 0.5

#: Antibody classes that exclude one another: a patient has one MSA, or "no MSA detected".
EXCLUSIVE_CLASSES = ("myositis-specific", "no MSA detected")

#: The tables whose rows name studies, sources, groups or patients of other tables.
_REFS = ("groups", "patients", "autoantibodies", "prior_treatments", "characteristics", "outcomes",
         "appraisal")  # fmt: skip

#: A rule: the column it reports on, a mask of the rows that break it (NA counts as False), and
#: its message: a ``str.format`` template or a function of the row's values.
Rule = tuple[str, Any, str | Callable[[dict[str, Any]], str]]


def _holds(condition: pd.Series) -> pd.Series:
    """True where ``condition`` is true; False where it is false or NA (a missing value)."""
    return condition.fillna(False).astype(bool)


def _report(at: Located, frame: pd.DataFrame, rules: Sequence[Rule]) -> list[Problem]:
    """The problems of the rows of ``frame`` that break ``rules``, row by row in file order,
    worded from dicts of Python values (``3``, not ``np.int64(3)``)."""
    masks = pd.DataFrame({i: mask for i, (_, mask, _) in enumerate(rules)}, index=frame.index)
    broken = masks.apply(_holds)
    failing = broken.any(axis=1)
    if not failing.any():  # the usual case: skip to_dict's fixed cost
        return []
    rows = zip(frame.index[failing], frame[failing].to_dict("records"), strict=True)
    return [
        at(index, column, message(row) if callable(message) else message.format(**row))
        for (index, row), flags in zip(rows, broken[failing].to_numpy(), strict=True)
        for (column, _, message), flag in zip(rules, flags, strict=True)
        if flag
    ]


def _percent(frame: pd.DataFrame, percent: str, count: str, total: str, where: Any = True) -> Rule:
    """Rule: ``percent`` is within :data:`PERCENT_TOLERANCE` of 100 * count / total (a missing
    value or a zero total passes); mask and message compute alike in float64."""
    totals = frame[total].astype("Float64")
    expected = 100 * frame[count].astype("Float64") / totals.where(totals != 0)
    off = (frame[percent].astype("Float64") - expected).abs() > PERCENT_TOLERANCE

    def message(row: dict[str, Any]) -> str:
        shown, counted, of = float(row[percent]), float(row[count]), float(row[total])
        return f"{shown:g}% does not match {counted:g}/{of:g} (= {100 * counted / of:.1f}%)."

    return percent, where & off, message


def _references(frame: pd.DataFrame, column: str, ids: Any, label: str, file: str) -> list[Rule]:
    """Rules: ``column`` names an id of ``data/<file>.csv`` (blank cells pass) and, when ``ids``
    maps ids to their studies, one of the row's own study."""
    refs = frame[column]
    unknown = f"{label} {{{column}!r}} is not in data/{file}.csv."  # "study {study_id!r} is..."
    rules: list[Rule] = [(column, refs.notna() & ~refs.isin(set(ids)), unknown)]
    if isinstance(ids, dict):  # compared as Python objects, as ``!=`` does (NA studies differ)
        other = refs.map(ids).to_numpy(object) != frame["study_id"].to_numpy(object)

        def message(row: dict[str, Any]) -> str:
            owner = ids[row[column]]
            return f"{label} {row[column]!r} belongs to study {owner!r}, not {row['study_id']!r}."

        rules.append((column, refs.notna() & refs.isin(list(ids)) & other, message))
    return rules


def _ids(data: CaseData, at: Places) -> list[Problem]:
    """Every study, source, group and patient named in a table exists, in the right study;
    reported rule by rule (unknown studies first), each rule in file order."""
    problems: list[Problem] = []
    for table in _REFS:
        frame = getattr(data, table)
        rules = [
            *_references(frame, "study_id", data.studies["study_id"], "study", "studies"),
            *_references(frame, "source", data.sources["source_id"], "source", "sources"),
        ]
        for column, label in (("group_id", "group"), ("patient_id", "patient")):
            if column in frame.columns and f"{label}s" != table:  # not a table's own key
                owners = getattr(data, f"{label}s")
                study_of = dict(zip(owners[column], owners["study_id"], strict=True))
                rules += _references(frame, column, study_of, label, f"{label}s")
        for rule in rules:
            problems += _report(at[table], frame, [rule])
    return problems


def _studies(data: CaseData, at: Places) -> list[Problem]:
    """Each study against its groups: sizes and female counts add up, drugs are listed."""
    groups = data.groups
    # The drugs of each study, sorted and joined with ";": a sum of "drug;" strings per study.
    listed = (
        groups.assign(drug=groups["drug"].astype(str))
        .drop_duplicates(["study_id", "drug"])
        .sort_values("drug")
    )
    per_study = (
        groups.assign(female_missing=groups["n_female"].isna())
        .groupby("study_id")
        .agg(n=("n_patients", "sum"), female=("n_female", "sum"), missing=("female_missing", "sum"))
        .assign(drugs=(listed["drug"] + ";").groupby(listed["study_id"]).sum().str[:-1])
    )
    studies = data.studies.join(per_study.add_prefix("groups_"), on="study_id")
    has_groups = studies["study_id"].isin(per_study.index)
    n_patients, n_female = studies["n_patients"], studies["n_female"]
    female_off = n_female.notna() & (studies["groups_missing"] == 0)
    female_off &= studies["groups_female"] != n_female
    drugs_differ = studies["drugs"].to_numpy(object) != studies["groups_drugs"].to_numpy(object)
    min_over = studies["followup_min_weeks"] > studies["followup_weeks"]
    max_under = studies["followup_max_weeks"] < studies["followup_weeks"]
    rules: list[Rule] = [
        ("n_patients", studies["groups_n"] != n_patients,
         "{n_patients} patients, but its groups in data/groups.csv add up to {groups_n}."),
        ("n_female", female_off, "{n_female} female, but its groups add up to {groups_female}."),
        ("n_female", n_female > n_patients, "more female patients than patients."),
        ("drugs", drugs_differ,
         "{drugs!r} should list the groups' drugs, alphabetically: {groups_drugs!r}."),
        ("followup_min_weeks", min_over, "minimum follow-up exceeds followup_weeks."),
        ("followup_max_weeks", max_under, "maximum follow-up is below followup_weeks."),
    ]
    # A study without groups gets that one message: its sums would only repeat it.
    no_groups = ("study_id", ~has_groups, "study has no treatment group in data/groups.csv.")
    rules = [no_groups, *((column, has_groups & mask, text) for column, mask, text in rules)]
    return _report(at["studies"], studies, rules)


def _groups(data: CaseData, at: Places) -> list[Problem]:
    """Each group against its study and, when reported patient by patient, its patients."""
    sex = data.patients["sex"]
    per_group = (
        data.patients.assign(female=sex == "F", unknown=sex.isna())
        .groupby("group_id")
        .agg(members=("female", "size"), female=("female", "sum"), missing=("unknown", "sum"))
    )
    groups = data.groups
    members = per_group.reindex(groups["group_id"], fill_value=0).set_axis(groups.index)  # none: 0
    study_n = groups["study_id"].map(data.studies.set_index("study_id")["n_patients"])
    groups = groups.join(members).assign(study_n=study_n)
    n_patients, n_female = groups["n_patients"], groups["n_female"]
    patient_level = groups["reporting"] == "patient-level"
    female_off = patient_level & n_female.notna() & (groups["missing"] == 0)
    female_off &= groups["female"] != n_female
    rules: list[Rule] = [
        ("n_female", n_female > n_patients, "more female patients than patients."),
        _percent(groups, "percent_of_study_reported", "n_patients", "study_n"),
        ("n_patients", patient_level & (groups["members"] != n_patients),
         "patient-level group of {n_patients}, but data/patients.csv has {members} "
         "patient(s) in it."),
        ("n_female", female_off, "{n_female} female, but data/patients.csv has {female}."),
    ]
    return _report(at["groups"], groups, rules)


def _sizes(data: CaseData, frame: pd.DataFrame) -> pd.Series:
    """Patients in each row's group, or its study when it names none (0 when unknown)."""
    size = frame["study_id"].map(data.studies.set_index("study_id")["n_patients"])
    if "group_id" in frame.columns:
        group_size = frame["group_id"].map(data.groups.set_index("group_id")["n_patients"])
        size = size.where(frame["group_id"].isna(), group_size)
    return size.fillna(0).astype("int64")


def _outcomes(data: CaseData, at: Places) -> list[Problem]:
    """Counts within n_assessed, n_assessed within the study or group, units for values."""
    improved, events = data.outcomes["n_improved"], data.outcomes["n_events"]
    counted = events.fillna(improved)  # the count that percent_reported is a percentage of
    outcomes = data.outcomes.assign(size=_sizes(data, data.outcomes), counted=counted)
    assessed = outcomes["n_assessed"]
    alone = "a count needs its denominator in n_assessed."
    value = outcomes["value_before"].notna() | outcomes["value_after"].notna()
    both = "p_qualifier (= or <) and p_value go together: give both or neither."
    # Mutually exclusive response categories of one measure, group and time point: one count
    # each (n_events), adding up to at most the patients assessed.
    category = outcomes["response_category"].notna()
    in_events = "a response category's count goes in n_events (n_improved is for all improved)."
    keys = ["study_id", "group_id", "measure", "timepoint_weeks"]
    sets = outcomes[category].groupby(keys, dropna=False, observed=True)["n_events"]
    total = sets.transform("sum").reindex(outcomes.index)
    first = category & ~outcomes[keys].where(category).duplicated() & total.notna()
    outcomes = outcomes.assign(total=total)
    rules: list[Rule] = [
        ("n_improved", improved.notna() & assessed.isna(), alone),
        ("n_improved", improved > assessed, "{n_improved} is more than the {n_assessed} assessed."),
        ("n_events", events.notna() & assessed.isna(), alone),
        ("n_events", events > assessed, "{n_events} is more than the {n_assessed} assessed."),
        (
            "n_assessed",
            assessed > outcomes["size"],
            "{n_assessed} assessed, but the study or group has only {size} patients.",
        ),
        _percent(outcomes, "percent_reported", "counted", "n_assessed"),
        ("unit", value & outcomes["unit"].isna(), "a value needs its unit."),
        ("p_qualifier", outcomes["p_qualifier"].isna() != outcomes["p_value"].isna(), both),
        ("n_improved", category & improved.notna(), in_events),
        ("n_events", category & events.isna(), in_events),
        ("n_events", first & (total > assessed), "the categories of {measure!r} add up to "
         "{total}, more than the {n_assessed} assessed."),
    ]  # fmt: skip
    return _report(at["outcomes"], outcomes, rules)


def _characteristics(data: CaseData, at: Places) -> list[Problem]:
    """n within the study or group; a count within its n, and its percentage matching."""
    table = data.characteristics.assign(size=_sizes(data, data.characteristics))
    is_count = table["statistic"] == "count"
    count_over = is_count & (table["value"] > table["n"])
    rules: list[Rule] = [
        ("n", table["n"] > table["size"], "{n} patients, but the study or group has only {size}."),
        ("value", count_over, "count {value:g} is more than n = {n}."),
        _percent(table, "percent_reported", "value", "n", where=is_count),
    ]
    return _report(at["characteristics"], table, rules)


def _antibodies(data: CaseData, at: Places) -> list[Problem]:
    """Antibody counts within n_tested and the group, MSA counts adding up, patients agreeing."""
    group_n = data.groups.set_index("group_id")["n_patients"]
    table = data.autoantibodies.assign(group_n=data.autoantibodies["group_id"].map(group_n))
    positive_over = table["n_positive"] > table["n_tested"]
    tested_over = table["n_tested"] > table["group_n"]
    rules: list[Rule] = [
        ("n_positive", positive_over, "{n_positive} positive out of {n_tested} tested."),
        ("n_tested", tested_over, "{n_tested} tested, but the group has {group_n} patients."),
    ]
    problems = _report(at["autoantibodies"], table, rules)
    # MSAs exclude one another (with rare exceptions): in a group with a "no MSA detected" row,
    # every exclusive row has the same n_tested, and it is the sum of their n_positive.
    is_exclusive = table["antibody_class"].isin(EXCLUSIVE_CLASSES)
    exclusive = table[is_exclusive]
    by_group = exclusive.groupby("group_id", observed=True)
    total, tested = by_group["n_positive"].sum(), by_group["n_tested"]
    balanced = _holds((tested.min() == total) & (tested.max() == total))
    with_none = exclusive.loc[exclusive["antibody_class"] == "no MSA detected", "group_id"]
    for group_id in total[~balanced & total.index.isin(with_none)].index:
        rows = by_group.get_group(group_id)
        listed = " or ".join(str(n) for n in sorted({int(n) for n in rows["n_tested"]}))
        message = (
            f"the MSA counts of group {group_id!r} add up to {int(total[group_id])}, "
            f"not to the {listed} tested."
        )
        problems.append(at["autoantibodies"](rows.index[0], "n_positive", message))
    # Patient-level groups: the counts must be the patients' own antibodies.
    patients = data.patients.assign(msa=data.patients["msa"].astype(str))
    own_counts = patients.groupby(["group_id", "msa"]).size()
    keys = pd.MultiIndex.from_arrays([table["group_id"], table["antibody"].astype(str)])
    table = table.assign(own=own_counts.reindex(keys, fill_value=0).to_numpy())
    described = table["group_id"].isin(patients["group_id"]) & is_exclusive
    own_off = described & (table["own"] != table["n_positive"])
    text = "{n_positive} positive for {antibody}, but data/patients.csv lists {own}."
    return problems + _report(at["autoantibodies"], table, [("n_positive", own_off, text)])


#: Every check, in reporting order: the rest run only once every identifier is known.
CHECKS = (_ids, _studies, _groups, _outcomes, _characteristics, _antibodies)


def cross_check(data: CaseData, at: Places) -> list[Problem]:
    """Run every cross-table rule and return the problems found (empty when all hold).

    Identifiers come first: when one is unknown, the other rules are skipped, as they would
    only repeat the same mistake in other words.
    """
    return _ids(data, at) or [p for check in CHECKS[1:] for p in check(data, at)]


def check_reference(name: str, table: pd.DataFrame, at: Located) -> list[Problem]:
    """The rules between rows of the reference table ``data/<name>.csv``; empty if they hold.

    jak_pathway: links stay within a pathway; only kinases carry drugs, with a drug_source.
    jak_ic50: one value per drug and target. later_evidence: counts within totals, percentages
    matching, drugs that are JAK inhibitors (but in a comparator row). appraisal: one row per
    study and item; no quote from a paper that could not be read.
    """
    keys = {"jak_ic50": ["drug", "target"], "appraisal": ["study_id", "item"]}.get(name)
    if keys:
        first = table.index.to_series().groupby([table[k].astype(str) for k in keys])
        again = first.transform("first") != table.index
        if name == "jak_ic50":
            text = "a second IC50 for {drug} on {target}; keep one value per drug and target."
            return _report(at, table, [("ic50_nM", again, text)])
        unread = (table["judgement"] == "not assessed") & table["evidence"].notna()
        return _report(at, table, [
            ("item", again, "a second judgement of {item!r} for this study; keep one row per "
             "study and item."),
            ("evidence", unread, "a paper that was 'not assessed' was not read: leave its "
             "evidence empty (or read it and judge the item)."),
        ])  # fmt: skip
    if name == "later_evidence":
        jak = table["drug"].str.startswith(("any JAK inhibitor", *DRUGS))
        over = table["n_with_outcome"] > table["n_total"]
        rules: list[Rule] = [
            _percent(table, "percent_reported", "n_with_outcome", "n_total"),
            ("n_with_outcome", over, "{n_with_outcome} is more than the total of {n_total}."),
            (
                "drug",
                ~jak & (table["kind"] != "historical comparator"),
                "{drug!r} is not a JAK inhibitor (write its generic name first, or 'any JAK "
                "inhibitor'); only a historical comparator row names another treatment.",
            ),
        ]
        return _report(at, table, rules)
    if name != "jak_pathway":
        return []
    pathway_of = dict(zip(table["element_id"], table["pathway"].astype(str), strict=True))
    unknown, elsewhere = "is not an element_id of the table", "belongs to another pathway"
    problems: list[Problem] = []
    for index, row in table.iterrows():
        links = row["links_to"].split(";") if isinstance(row["links_to"], str) else []
        for target in links:
            if pathway_of.get(target) != str(row["pathway"]):
                reason = elsewhere if target in pathway_of else unknown
                problems.append(at(index, "links_to", f"links to {target!r}, which {reason}."))
        drugs = isinstance(row["inhibited_by"], str)
        if drugs and row["kind"] != "kinase":
            message = "only kinases can be inhibited by a JAK inhibitor in this table."
            problems.append(at(index, "inhibited_by", message))
        if drugs != isinstance(row["drug_source"], str):
            message = "drug_source must be given exactly when inhibited_by names drugs."
            problems.append(at(index, "drug_source", message))
    return problems
