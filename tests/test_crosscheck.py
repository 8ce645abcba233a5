"""Each cross-table rule catches the slip it is written for, and names where it is.

Every case edits one value in a copy of the real data (the edit is the whole test input, so a
reader sees the slip at a glance) and checks the problem reported for it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import helpers
from helpers import DataError
from helpers.data import Located
from helpers.schemas import TABLES


def places(data: helpers.CaseData) -> dict[str, Located]:
    """Where each row of tables in memory sits: row i on line i + 2 of data/<table>.csv."""
    return {
        spec.name: Located(
            f"data/{spec.filename}", list(range(2, len(frame) + 2)), frame[spec.id_column]
        )
        for spec, frame in zip(TABLES, data.tables().values(), strict=True)
    }


# table, text to find, replacement, (file, column) expected, phrase expected in the message
CASES = [
    (
        "groups",
        "le_voyer_2021_rux,le_voyer_2021,ruxolitinib,7,5,",
        "le_voyer_2021_rux,le_voyer_2021,ruxolitinib,7,4,",
        ("studies.csv", "n_female"),
        "7 female, but its groups add up to 6",
    ),
    (
        "groups",
        "yu_2020_tofa,yu_2020,tofacitinib,3,2,",
        "yu_2020_tofa,yu_2020,tofacitinib,3,3,",
        ("groups.csv", "n_female"),
        "3 female, but data/patients.csv has 2",
    ),
    (
        "patients",
        "yu_2020_p3,yu_2020,yu_2020_tofa,",
        "yu_2020_p3,yu_2020,sabbagh_2019_tofa,",
        ("patients.csv", "group_id"),
        "belongs to study 'sabbagh_2019', not 'yu_2020'",
    ),
    (
        "studies",
        ",baricitinib;ruxolitinib,26,",
        ",ruxolitinib;baricitinib,26,",
        ("studies.csv", "drugs"),
        "alphabetically: 'baricitinib;ruxolitinib'",
    ),
    (
        "studies",
        ",ruxolitinib;tofacitinib,30,median follow-up,13,91,",
        ",ruxolitinib;tofacitinib,30,median follow-up,31,91,",
        ("studies.csv", "followup_min_weeks"),
        "minimum follow-up exceeds followup_weeks",
    ),
    (
        "outcomes",
        "global activity,clinically inactive disease,26,improved,,4,3,",
        "global activity,clinically inactive disease,26,improved,,14,3,",
        ("outcomes.csv", "n_assessed"),
        "14 assessed, but the study or group has only 10 patients",
    ),
    (
        "outcomes",
        "1.1,0.1,mg/kg/day,",
        "1.1,0.1,,",
        ("outcomes.csv", "unit"),
        "a value needs its unit",
    ),
    (
        "characteristics",
        "ineffective prior treatment,count,8,patients,25,32,",
        "ineffective prior treatment,count,8,patients,25,42,",
        ("characteristics.csv", "percent_reported"),
        "42% does not match 8/25",
    ),
    (
        "autoantibodies",
        "sabbagh_2019_tofa,MDA5,myositis-specific,2,2,",
        "sabbagh_2019_tofa,NXP2,myositis-specific,2,2,",
        ("autoantibodies.csv", "n_positive"),
        "2 positive for NXP2, but data/patients.csv lists 0",
    ),
    (
        "outcomes",
        ",review_table3\n",
        ",review_table_3\n",
        ("outcomes.csv", "source"),
        "source 'review_table_3' is not in data/sources.csv",
    ),
]


@pytest.mark.parametrize(("table", "old", "new", "where", "phrase"), CASES)
def test_rule_catches_its_slip(
    tmp_path: Path, table: str, old: str, new: str, where: tuple[str, str], phrase: str
) -> None:
    for path in helpers.data_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / f"{table}.csv"
    text = target.read_text(encoding="utf-8")
    assert old in text, "the test's edit no longer matches the data; update the case"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        helpers.load_case_data(tmp_path)
    found = [p for p in caught.value.problems if phrase in p.message]
    assert found, str(caught.value)
    assert (found[0].file, found[0].column) == where
    assert found[0].line is not None and found[0].line >= 2


def test_the_real_data_passes_every_rule() -> None:
    data = helpers.load_case_data()
    assert helpers.crosscheck.cross_check(data, places(data)) == []


def test_problems_come_rule_by_rule_in_file_order() -> None:
    """Several slips at once: every one reported, rule after rule, each rule in file order."""
    data = helpers.load_case_data()
    studies = data.studies.copy()
    studies.loc[[1, 5], "n_patients"] = [2, 26]  # also puts ding_2021's group percentages off
    studies.loc[5, "drugs"] = "tofacitinib"
    outcomes = data.outcomes.copy()
    outcomes.loc[15, "n_improved"] = 11
    broken = replace(data, studies=studies, outcomes=outcomes)
    problems = helpers.crosscheck.cross_check(broken, places(data))
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("data/studies.csv", 3, "n_patients"),
        ("data/studies.csv", 7, "n_patients"),
        ("data/studies.csv", 7, "drugs"),
        ("data/groups.csv", 8, "percent_of_study_reported"),
        ("data/groups.csv", 9, "percent_of_study_reported"),
        ("data/outcomes.csv", 17, "n_improved"),
    ]
    assert [p.message for p in problems] == [
        "2 patients, but its groups in data/groups.csv add up to 1.",
        "26 patients, but its groups in data/groups.csv add up to 25.",
        "'tofacitinib' should list the groups' drugs, alphabetically: 'ruxolitinib;tofacitinib'.",
        "28% does not match 7/26 (= 26.9%).",
        "72% does not match 18/26 (= 69.2%).",
        "11 is more than the 10 assessed.",
    ]
    assert problems[2].record == "study_id='ding_2021'"
