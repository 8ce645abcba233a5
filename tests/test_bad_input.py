# ruff: noqa: E501  (the expected messages are kept whole, one per line)
"""Hostile data: every kind of slip is rejected with one exact message at the right place.

Each case copies ``data/`` to a temporary folder, makes one edit (as a learner, a teacher or a
spreadsheet would) and loads the tables: the case tables with ``load_case_data``, a reference
table with ``read_table`` (which also checks the rows of a reference table against each
other). The expected problems are written out whole: file, line as a text editor counts it,
record, column and message. Nothing bad may load, and nothing else may be reported.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import DataError

REFERENCE = {"jak_pathway", "jak_ic50", "later_evidence"}
#: The committed tables: the expected messages name their lines, so the cases edit these (and
#: not a grown copy that JDM_COURSE_DATA_DIR may point at).
DATA = helpers.paths.REPO_ROOT / "data"
RAW = "raw/table3_published.csv"
MISSING = "stands for a missing value: leave the cell empty when a value is not reported."
WHOLE = (
    "is not a whole number: write digits only, such as 12 (no decimals, words, units or "
    "thousands separators)."
)
NUMBER = (
    "is not a number: write digits with a decimal point, such as 2.5 (no % sign, units, words "
    "or thousands separators)."
)
FAR = "is far outside the bounds of this column (listed in data/README.md)."
NUL = "contains an invisible NUL character (byte 0x00): retype the cell, or save the file again as CSV UTF-8."
IDENT = "an identifier: lowercase letters, digits and _, starting with a letter (yu_2020)"
RAGGED = "Check for a missing or unquoted comma."

Edit = Callable[[Path], None]


def replace(table: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace the first ``count`` occurrences of ``old`` in ``data/<table>`` (must be there)."""

    def edit(folder: Path) -> None:
        path = folder / table
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= count, f"the case no longer matches {table}: {old!r}"
        path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")

    return edit


#: The header line of each table (a case may repeat it, as joined files do).
HEADER = {p.name: p.read_text(encoding="utf-8").split("\n", 1)[0] for p in DATA.glob("*.csv")}


def line_edit(table: str, number: int, change: Callable[[str], str]) -> Edit:
    """Change line ``number`` (1 = header) of ``data/<table>`` with ``change``."""

    def edit(folder: Path) -> None:
        path = folder / table
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[number - 1] = change(lines[number - 1])
        path.write_text("\n".join(lines), encoding="utf-8", newline="")

    return edit


def both(first: Edit, second: Edit) -> Edit:
    def edit(folder: Path) -> None:
        first(folder)
        second(folder)

    return edit


def raw_bytes(table: str, change: Callable[[bytes], bytes]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / table
        path.write_bytes(change(path.read_bytes()))

    return edit


def field(line: str, index: int, value: str) -> str:
    """Line with its ``index``-th comma-separated field set to ``value`` (unquoted lines only)."""
    cells = line.split(",")
    cells[index] = value
    return ",".join(cells)


#: (case id, the edit); the problems each must raise are in EXPECTED, below.
CASES: list[tuple[str, Edit]] = []


def case(name: str, edit: Edit) -> None:
    CASES.append((name, edit))


G, P, S, OUT = "groups.csv", "patients.csv", "studies.csv", "outcomes.csv"
AB, PT, CH = "autoantibodies.csv", "prior_treatments.csv", "characteristics.csv"
IC, LE, PW, SO = "jak_ic50.csv", "later_evidence.csv", "jak_pathway.csv", "sources.csv"

# --- references that were never checked ---------------------------------------------------------
case(
    "treatment_of_unknown_patient",
    replace(
        PT,
        "aeschlimann_2018,aeschlimann_2018_p1,prednisolone",
        "aeschlimann_2018,aeschlimann_2018_p9,prednisolone",
    ),
)
case(
    "treatment_of_patient_of_other_study",
    replace(
        PT,
        "aeschlimann_2018,aeschlimann_2018_p1,prednisolone",
        "aeschlimann_2018,yu_2020_p1,prednisolone",
    ),
)
case(
    "antibody_of_unknown_group",
    replace(
        AB,
        "aeschlimann_2018,aeschlimann_2018_rux,NXP2",
        "aeschlimann_2018,aeschlimann_2018_bari,NXP2",
    ),
)
case(
    "antibody_of_group_of_other_study",
    replace(AB, "aeschlimann_2018,aeschlimann_2018_rux,NXP2", "aeschlimann_2018,yu_2020_tofa,NXP2"),
)
# --- exact repeats and conflicting values ------------------------------------------------------
case("repeated_antibody_row", line_edit(AB, 2, lambda s: s + "\n" + s))
case("repeated_prior_treatment_row", line_edit(PT, 3, lambda s: s + "\n" + s))
case("repeated_characteristic_row", line_edit(CH, 2, lambda s: s + "\n" + s))
case(
    "second_ic50_for_same_drug_and_target",
    line_edit(IC, 2, lambda s: s + "\n" + s.replace(",5.9,", ",7.1,", 1)),
)
case("repeated_ic50_row", line_edit(IC, 2, lambda s: s + "\n" + s))
# --- NaN and inf written out ------------------------------------------------------------------
case("inf_in_weeks", line_edit(S, 2, lambda s: field(s, 8, "inf")))
case("minus_inf_in_count", line_edit(OUT, 2, lambda s: field(s, 11, "-inf")))
case("infinity_in_percent", line_edit(G, 8, lambda s: field(s, 5, "Infinity")))
case("nan_in_age", line_edit(P, 2, lambda s: field(s, 4, "NaN")))
case("nan_in_optional_text", line_edit(G, 2, lambda s: field(s, 7, "NaN")))
case("na_in_category", line_edit(P, 2, lambda s: field(s, 5, "NA")))
case("null_in_required_count", line_edit(S, 2, lambda s: field(s, 5, "null")))
case("n/a_in_id", line_edit(OUT, 2, lambda s: field(s, 3, "N/A")))
# --- bounds and overflow --------------------------------------------------------------------
case("study_of_10^15_patients", line_edit(S, 2, lambda s: field(s, 5, "1000000000000000")))
case(
    "groups_that_wrap_int64",
    both(*(line_edit(G, n, lambda s: field(s, 3, "9223372036854775807")) for n in (6, 7))),
)
case("count_above_bound", line_edit(S, 2, lambda s: field(s, 5, "20000")))
case("age_above_bound", line_edit(P, 2, lambda s: field(s, 4, "45")))
case("weeks_above_bound", line_edit(S, 2, lambda s: field(s, 8, "2000")))
case("percent_above_100", line_edit(G, 8, lambda s: field(s, 5, "150")))
case("negative_count", line_edit(G, 2, lambda s: field(s, 3, "-1")))
case("year_out_of_range", line_edit(S, 2, lambda s: field(s, 2, "1890")))
case("ic50_of_zero", line_edit(IC, 2, lambda s: field(s, 4, "0")))
# --- numbers that are not numbers -------------------------------------------------------------
case("count_as_word", line_edit(S, 3, lambda s: field(s, 5, "ten")))
case("year_with_decimals", line_edit(S, 3, lambda s: field(s, 2, "2020.5")))
case("count_with_thousands_separator", line_edit(S, 3, lambda s: field(s, 5, '"1,000"')))
case("percent_with_sign", line_edit(G, 8, lambda s: field(s, 5, "28%")))
case("count_written_3.0", line_edit(G, 5, lambda s: field(s, 3, "3.0")))
case("nan_in_count", line_edit(G, 5, lambda s: field(s, 3, "nan")))
case("number_with_unit", line_edit(P, 2, lambda s: field(s, 4, "13 years")))
case("decimal_comma_splits_the_row", line_edit(P, 2, lambda s: field(s, 4, "13,5")))
case("bad_value_does_not_report_empty_cells", line_edit(S, 3, lambda s: field(s, 6, "one")))
# --- ragged rows and NUL bytes -----------------------------------------------------------------
case("short_row", line_edit(G, 3, lambda s: s.rsplit(",", 1)[0]))
case("row_with_an_extra_field", line_edit(G, 3, lambda s: s + ",extra"))
case("nul_in_text", line_edit(P, 2, lambda s: field(s, 3, "13 year\x00 old")))
case("nul_in_id", line_edit(G, 3, lambda s: field(s, 0, "papadopoulou_2019_bari\x00")))
# --- later_evidence rows -----------------------------------------------------------------------
case("later_percent_disagrees", replace(LE, "patients,88,44,50,", "patients,88,44,60,"))
case(
    "later_drug_not_a_jak_inhibitor",
    replace(
        LE,
        ",tofacitinib,clinical complete response,patients,88",
        ",prednisolone,clinical complete response,patients,88",
    ),
)
case("later_count_over_total_reported_once", replace(LE, "patients,88,44,50,", "patients,88,99,,"))
# --- line numbers stay right -------------------------------------------------------------------
case("after_a_blank_line", line_edit(G, 3, lambda s: "\n" + s.replace("baricitinib", "baricitnib")))
case(
    "after_a_quoted_line_break",
    both(
        replace(
            P,
            ",Admitted to intensive care; severe symptoms over 18 months.",
            ',"Admitted to\nintensive care; severe symptoms over 18 months."',
        ),
        line_edit(P, 4, lambda s: field(s, 4, "ten")),
    ),
)
case(
    "windows_line_endings",
    raw_bytes(
        G, lambda b: b.replace(b"\n", b"\r\n").replace(b"baricitinib,1,", b"baricitnib,1,", 1)
    ),
)
# --- whole-file problems ----------------------------------------------------------------------
case("tab_separated", raw_bytes(G, lambda b: b.replace(b",", b"\t")))
case("semicolon_separated", raw_bytes(G, lambda b: b.replace(b",", b";")))
case("utf16", raw_bytes(G, lambda b: b.decode("utf-8").encode("utf-16")))
case(
    "latin1",
    raw_bytes(
        P,
        lambda b: (
            b.decode("utf-8").replace("13 year old", "13 año old").encode("latin-1", "replace")
        ),
    ),
)
case("quote_left_open", line_edit(G, 4, lambda s: field(s, 7, '"twice daily')))
case("duplicated_header_name", line_edit(G, 1, lambda s: s.replace("n_female", "n_patients")))
case("header_repeated_as_a_row", line_edit(G, 3, lambda s: s + "\n" + HEADER[G]))
case("empty_file", raw_bytes(S, lambda b: b""))
case("header_only", raw_bytes(S, lambda b: b.split(b"\n")[0] + b"\n"))
case("missing_file", lambda folder: (folder / OUT).unlink())
# --- identifiers and locators, in words --------------------------------------------------------
case("id_with_capitals_and_space", line_edit(OUT, 2, lambda s: field(s, 0, "Aeschlimann 2018 o1")))
case(
    "locator_without_prefix",
    replace(SO, ",doi:10.1186/s12969-021-00637-8,", ",10.1186/s12969-021-00637-8,"),
)
case("pathway_link_to_nowhere", replace(PW, ",ifnar1;ifnar2,", ",ifnar1;ifnar9,"))
case("target_that_is_no_jak", line_edit(IC, 2, lambda s: field(s, 1, "JAK5")))
# --- more slips of a spreadsheet -------------------------------------------------------------------
case("yes_for_true", line_edit(P, 2, lambda s: field(s, 9, "yes")))
case("date_for_a_year", line_edit(S, 2, lambda s: field(s, 2, "2018-05")))
case("negative_percent", line_edit(G, 8, lambda s: field(s, 5, "-5")))
case("p_value_above_1", line_edit(OUT, 2, lambda s: field(s, 18, "1.5")))
case("unknown_source", line_edit(G, 2, lambda s: field(s, 8, "review_table4")))
case("space_before_a_category", line_edit(G, 3, lambda s: field(s, 2, " baricitinib")))
# --- vocabularies and the data model of issue M ---------------------------------------------------
case(
    "unknown_characteristic",
    replace(CH, ",refractory disease,count,", ",refractory and/or severe disease,count,"),
)
case("unknown_measure", replace(OUT, ",pSTAT1,52,", ",phospho-STAT1,52,"))
case("p_value_without_qualifier", line_edit(OUT, 22, lambda s: field(s, 17, "")))
case("category_count_in_n_improved", line_edit(OUT, 2, lambda s: field(s, 9, "partial response")))
case(
    "categories_over_the_assessed",
    both(
        line_edit(
            OUT, 2, lambda s: field(field(field(s, 9, "complete response"), 11, ""), 12, "1")
        ),
        line_edit(
            OUT,
            3,
            lambda s: field(
                field(
                    field(
                        field(s, 6, "disease activity score (unspecified)"), 9, "partial response"
                    ),
                    11,
                    "",
                ),
                12,
                "1",
            ),
        ),
    ),
)

# --- the appraisal table (issue I): one row per study and item, quotes only from papers read -----
AP = "appraisal.csv"
case("appraisal_item_twice", replace(AP, "yu_2020,2 exposure,", "yu_2020,1 selection,"))
case(
    "quote_from_a_paper_not_read",
    replace(AP, "kim_2021,1 selection,not assessed,,", "kim_2021,1 selection,not assessed,Baricitinib was given,"),
)
case(
    "quote_of_26_words",
    replace(AP, "yu_2020,2 exposure,yes,Tofacitinib", "yu_2020,2 exposure,yes,a b c d e f Tofacitinib"),
)
case("appraisal_of_unknown_study", replace(AP, "yu_2020,1 selection", "yu_2021,1 selection"))
case("judgement_outside_the_tool", replace(AP, "le_voyer_2021,4 other causes,no,", "le_voyer_2021,4 other causes,partly,"))
case("item_outside_the_tool", replace(AP, "ding_2021,8 detail,", "ding_2021,8 details,"))


def table_of(name: str, folder: Path) -> str:
    """The table a case edits: the one file of ``folder`` that differs from data/."""
    changed = [
        path.stem
        for path in DATA.glob("*.csv")
        if not (folder / path.name).is_file()
        or (folder / path.name).read_bytes() != path.read_bytes()
    ]
    assert len(changed) == 1, f"case {name} should edit one table, not {changed}"
    return changed[0]


#: The problems each case must raise, whole: (file, line, record, column, message).
EXPECTED = {
    "treatment_of_unknown_patient": [
        (
            "prior_treatments.csv",
            2,
            "patient_id='aeschlimann_2018_p9'",
            "patient_id",
            "patient 'aeschlimann_2018_p9' is not in data/patients.csv.",
        ),
    ],
    "treatment_of_patient_of_other_study": [
        (
            "prior_treatments.csv",
            2,
            "patient_id='yu_2020_p1'",
            "patient_id",
            "patient 'yu_2020_p1' belongs to study 'yu_2020', not 'aeschlimann_2018'.",
        ),
    ],
    "antibody_of_unknown_group": [
        (
            "autoantibodies.csv",
            2,
            "group_id='aeschlimann_2018_bari'",
            "group_id",
            "group 'aeschlimann_2018_bari' is not in data/groups.csv.",
        ),
    ],
    "antibody_of_group_of_other_study": [
        (
            "autoantibodies.csv",
            2,
            "group_id='yu_2020_tofa'",
            "group_id",
            "group 'yu_2020_tofa' belongs to study 'yu_2020', not 'aeschlimann_2018'.",
        ),
    ],
    "repeated_antibody_row": [
        (
            "autoantibodies.csv",
            3,
            "group_id='aeschlimann_2018_rux'",
            "group_id",
            "this row repeats line 2 exactly; delete one of them.",
        ),
    ],
    "repeated_prior_treatment_row": [
        (
            "prior_treatments.csv",
            4,
            "patient_id='aeschlimann_2018_p1'",
            "patient_id",
            "this row repeats line 3 exactly; delete one of them.",
        ),
    ],
    "repeated_characteristic_row": [
        (
            "characteristics.csv",
            3,
            "study_id='aeschlimann_2018'",
            "study_id",
            "this row repeats line 2 exactly; delete one of them.",
        ),
    ],
    "second_ic50_for_same_drug_and_target": [
        (
            "jak_ic50.csv",
            3,
            "drug='baricitinib'",
            "ic50_nM",
            "a second IC50 for baricitinib on JAK1; keep one value per drug and target.",
        ),
    ],
    "repeated_ic50_row": [
        (
            "jak_ic50.csv",
            3,
            "drug='baricitinib'",
            "drug",
            "this row repeats line 2 exactly; delete one of them.",
        ),
    ],
    "inf_in_weeks": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "followup_weeks",
            "value 'inf' is not a finite number.",
        ),
    ],
    "minus_inf_in_count": [
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "n_improved",
            "value '-inf' is not a finite number.",
        ),
    ],
    "infinity_in_percent": [
        (
            "groups.csv",
            8,
            "group_id='ding_2021_tofa'",
            "percent_of_study_reported",
            "value 'Infinity' is not a finite number.",
        ),
    ],
    "nan_in_age": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "age_years",
            "value 'NaN' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "nan_in_optional_text": [
        (
            "groups.csv",
            2,
            "group_id='aeschlimann_2018_rux'",
            "dose_as_reported",
            "value 'NaN' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "na_in_category": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "sex",
            "value 'NA' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "null_in_required_count": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "n_patients",
            "value 'null' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "n/a_in_id": [
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "patient_id",
            "value 'N/A' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "study_of_10^15_patients": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "n_patients",
            "value '1000000000000000' is far outside the bounds of this column (listed in data/README.md).",
        ),
    ],
    "groups_that_wrap_int64": [
        (
            "groups.csv",
            6,
            "group_id='le_voyer_2021_bari'",
            "n_patients",
            "value '9223372036854775807' is far outside the bounds of this column (listed in data/README.md).",
        ),
        (
            "groups.csv",
            7,
            "group_id='le_voyer_2021_rux'",
            "n_patients",
            "value '9223372036854775807' is far outside the bounds of this column (listed in data/README.md).",
        ),
    ],
    "count_above_bound": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "n_patients",
            "value 20000 is not valid: it must be between 1 and 10,000.",
        ),
    ],
    "age_above_bound": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "age_years",
            "value 45 is not valid: it must be between 0 and 30.",
        ),
    ],
    "weeks_above_bound": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "followup_weeks",
            "value 2000 is not valid: it must be between 0 and 1040.",
        ),
    ],
    "percent_above_100": [
        (
            "groups.csv",
            8,
            "group_id='ding_2021_tofa'",
            "percent_of_study_reported",
            "value 150 is not valid: it must be between 0 and 100.",
        ),
    ],
    "negative_count": [
        (
            "groups.csv",
            2,
            "group_id='aeschlimann_2018_rux'",
            "n_patients",
            "value -1 is not valid: it must be between 1 and 10,000.",
        ),
    ],
    "year_out_of_range": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "year",
            "value 1890 is not valid: it must be between 1990 and 2100.",
        ),
    ],
    "ic50_of_zero": [
        (
            "jak_ic50.csv",
            2,
            "drug='baricitinib'",
            "ic50_nM",
            "value 0 is not valid: it must be between 0.001 and 100,000.",
        ),
    ],
    "count_as_word": [
        (
            "studies.csv",
            3,
            "study_id='papadopoulou_2019'",
            "n_patients",
            "value 'ten' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "year_with_decimals": [
        (
            "studies.csv",
            3,
            "study_id='papadopoulou_2019'",
            "year",
            "value '2020.5' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "count_with_thousands_separator": [
        (
            "studies.csv",
            3,
            "study_id='papadopoulou_2019'",
            "n_patients",
            "value '1,000' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "percent_with_sign": [
        (
            "groups.csv",
            8,
            "group_id='ding_2021_tofa'",
            "percent_of_study_reported",
            "value '28%' is not a number: write digits with a decimal point, such as 2.5 (no % sign, units, words or thousands separators).",
        ),
    ],
    "count_written_3.0": [
        (
            "groups.csv",
            5,
            "group_id='yu_2020_tofa'",
            "n_patients",
            "value '3.0' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "nan_in_count": [
        (
            "groups.csv",
            5,
            "group_id='yu_2020_tofa'",
            "n_patients",
            "value 'nan' stands for a missing value: leave the cell empty when a value is not reported.",
        ),
    ],
    "number_with_unit": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "age_years",
            "value '13 years' is not a number: write digits with a decimal point, such as 2.5 (no % sign, units, words or thousands separators).",
        ),
    ],
    "decimal_comma_splits_the_row": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            None,
            "the row has 15 fields but the header has 14 (one too many). Check for a missing or unquoted comma.",
        ),
    ],
    "bad_value_does_not_report_empty_cells": [
        (
            "studies.csv",
            3,
            "study_id='papadopoulou_2019'",
            "n_female",
            "value 'one' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "short_row": [
        (
            "groups.csv",
            3,
            "group_id='papadopoulou_2019_bari'",
            None,
            "the row has 8 fields but the header has 9 (a field is missing). Check for a missing or unquoted comma.",
        ),
    ],
    "row_with_an_extra_field": [
        (
            "groups.csv",
            3,
            "group_id='papadopoulou_2019_bari'",
            None,
            "the row has 10 fields but the header has 9 (one too many). Check for a missing or unquoted comma.",
        ),
    ],
    "nul_in_text": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "label_in_source",
            "value '13 year\\x00 old' contains an invisible NUL character (byte 0x00): retype the cell, or save the file again as CSV UTF-8.",
        ),
    ],
    "nul_in_id": [
        (
            "groups.csv",
            3,
            "group_id='papadopoulou_2019_bari\\x00'",
            "group_id",
            "value 'papadopoulou_2019_bari\\x00' contains an invisible NUL character (byte 0x00): retype the cell, or save the file again as CSV UTF-8.",
        ),
    ],
    "later_percent_disagrees": [
        (
            "later_evidence.csv",
            2,
            "evidence_id='zhang_2023_ccr_last'",
            "percent_reported",
            "60% does not match 44/88 (= 50.0%).",
        ),
    ],
    "later_drug_not_a_jak_inhibitor": [
        (
            "later_evidence.csv",
            2,
            "evidence_id='zhang_2023_ccr_last'",
            "drug",
            "'prednisolone' is not a JAK inhibitor (write its generic name first, or 'any JAK inhibitor'); only a historical comparator row names another treatment.",
        ),
    ],
    "later_count_over_total_reported_once": [
        (
            "later_evidence.csv",
            2,
            "evidence_id='zhang_2023_ccr_last'",
            "n_with_outcome",
            "99 is more than the total of 88.",
        ),
    ],
    "after_a_blank_line": [
        (
            "groups.csv",
            4,
            "group_id='papadopoulou_2019_bari'",
            "drug",
            "value 'baricitnib' is not one of the allowed values: baricitinib, ruxolitinib, tofacitinib.",
        ),
    ],
    "after_a_quoted_line_break": [
        (
            "patients.csv",
            4,
            "patient_id='papadopoulou_2019_p1'",
            "age_years",
            "value 'ten' is not a number: write digits with a decimal point, such as 2.5 (no % sign, units, words or thousands separators).",
        ),
    ],
    "windows_line_endings": [
        (
            "groups.csv",
            3,
            "group_id='papadopoulou_2019_bari'",
            "drug",
            "value 'baricitnib' is not one of the allowed values: baricitinib, ruxolitinib, tofacitinib.",
        ),
    ],
    "tab_separated": [
        (
            "groups.csv",
            1,
            None,
            None,
            "the columns are separated by tabs, not commas. Save the file as CSV (comma-separated), UTF-8.",
        ),
    ],
    "semicolon_separated": [
        (
            "groups.csv",
            1,
            None,
            None,
            "the columns are separated by semicolons, not commas. Save the file as CSV (comma-separated), UTF-8.",
        ),
    ],
    "utf16": [
        (
            "groups.csv",
            None,
            None,
            None,
            "the file is saved as UTF-16. Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8').",
        ),
    ],
    "latin1": [
        (
            "patients.csv",
            2,
            None,
            "label_in_source",
            "byte 0xf1 is not valid UTF-8. Save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'), not Latin-1 or Windows-1252.",
        ),
    ],
    "quote_left_open": [
        (
            "groups.csv",
            4,
            None,
            None,
            'a quote (") opened on this line is never closed: a quote may only open and close a whole cell; inside a cell, write it as "".',
        ),
    ],
    "duplicated_header_name": [
        ("groups.csv", 1, None, None, "the header names the column 'n_patients' more than once."),
    ],
    "header_repeated_as_a_row": [
        (
            "groups.csv",
            4,
            None,
            None,
            "this line repeats the header (were two files joined?); delete it.",
        ),
    ],
    "empty_file": [
        (
            "studies.csv",
            None,
            None,
            None,
            "the file is empty; it needs a header line and data rows.",
        ),
    ],
    "header_only": [
        ("studies.csv", None, None, None, "the file has a header but no data rows."),
    ],
    "missing_file": [
        (
            "outcomes.csv",
            None,
            None,
            None,
            "file not found. The course data lives in data/ at the repository root.",
        ),
    ],
    "id_with_capitals_and_space": [
        (
            "outcomes.csv",
            2,
            "outcome_id='Aeschlimann 2018 o1'",
            "outcome_id",
            "value 'Aeschlimann 2018 o1' is not valid: it must be an identifier: lowercase letters, digits and _, starting with a letter (yu_2020).",
        ),
    ],
    "locator_without_prefix": [
        (
            "sources.csv",
            2,
            "source_id='review_table3'",
            "locator",
            "value '10.1186/s12969-021-00637-8' is not valid: it must be a locator such as doi:10.1186/…, pmid:34717683, pmc:PMC…, url:https://….",
        ),
    ],
    "pathway_link_to_nowhere": [
        (
            "jak_pathway.csv",
            2,
            "element_id='ifn_ab'",
            "links_to",
            "links to 'ifnar9', which is not an element_id of the table.",
        ),
    ],
    "target_that_is_no_jak": [
        (
            "jak_ic50.csv",
            2,
            "drug='baricitinib'",
            "target",
            "value 'JAK5' is not valid: it must be JAK1, JAK2, JAK3 or TYK2, or a pair such as JAK1/JAK3.",
        ),
    ],
    "yes_for_true": [
        (
            "patients.csv",
            2,
            "patient_id='aeschlimann_2018_p1'",
            "refractory",
            "value 'yes' is not true or false (leave the cell empty when it is not reported).",
        ),
    ],
    "date_for_a_year": [
        (
            "studies.csv",
            2,
            "study_id='aeschlimann_2018'",
            "year",
            "value '2018-05' is not a whole number: write digits only, such as 12 (no decimals, words, units or thousands separators).",
        ),
    ],
    "negative_percent": [
        (
            "groups.csv",
            8,
            "group_id='ding_2021_tofa'",
            "percent_of_study_reported",
            "value -5 is not valid: it must be between 0 and 100.",
        ),
    ],
    "p_value_above_1": [
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "p_value",
            "value 1.5 is not valid: it must be between 0 and 1.",
        ),
    ],
    "unknown_source": [
        (
            "groups.csv",
            2,
            "group_id='aeschlimann_2018_rux'",
            "source",
            "source 'review_table4' is not in data/sources.csv.",
        ),
    ],
    "space_before_a_category": [
        (
            "groups.csv",
            3,
            "group_id='papadopoulou_2019_bari'",
            "drug",
            "value ' baricitinib' is not one of the allowed values: baricitinib, ruxolitinib, tofacitinib.",
        ),
    ],
    "unknown_characteristic": [
        (
            "characteristics.csv",
            5,
            "study_id='le_voyer_2021'",
            "characteristic",
            "value 'refractory and/or severe disease' is not one of the allowed values: age at onset, age at JAK inhibitor start, age (time point not stated), disease duration before JAK inhibitor, treatment duration, refractory disease, new-onset disease, glucocorticoid-dependent, ineffective prior treatment, prior immunomodulatory drugs failed, indication: refractory muscle involvement, indication: ulcerative skin disease.",
        ),
    ],
    "unknown_measure": [
        (
            "outcomes.csv",
            3,
            "outcome_id='aeschlimann_2018_o2'",
            "measure",
            "measure 'phospho-STAT1' is not in data/measures.csv: use its name there, or add the measure (with its source) first.",
        ),
    ],
    "p_value_without_qualifier": [
        (
            "outcomes.csv",
            22,
            "outcome_id='le_voyer_2021_o7'",
            "p_qualifier",
            "p_qualifier (= or <) and p_value go together: give both or neither.",
        ),
    ],
    "category_count_in_n_improved": [
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "n_improved",
            "a response category's count goes in n_events (n_improved is for all improved).",
        ),
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "n_events",
            "a response category's count goes in n_events (n_improved is for all improved).",
        ),
    ],
    "categories_over_the_assessed": [
        (
            "outcomes.csv",
            2,
            "outcome_id='aeschlimann_2018_o1'",
            "n_events",
            "the categories of 'disease activity score (unspecified)' add up to 2, more than the 1 assessed.",
        ),
    ],
    "appraisal_item_twice": [
        ("appraisal.csv", 27, "study_id='yu_2020'", "item", "a second judgement of '1 selection' for this study; keep one row per study and item."),
    ],
    "quote_from_a_paper_not_read": [
        ("appraisal.csv", 50, "study_id='kim_2021'", "evidence", "a paper that was 'not assessed' was not read: leave its evidence empty (or read it and judge the item)."),
    ],
    "quote_of_26_words": [
        ("appraisal.csv", 27, "study_id='yu_2020'", "evidence", "value 'a b c d e f Tofacitinib was given to three refractory JDM patients with a dose of 5 mg twice per day for at least 6 months.' is not valid: it must be at most 25 words."),
    ],
    "appraisal_of_unknown_study": [
        ("appraisal.csv", 26, "study_id='yu_2021'", "study_id", "study 'yu_2021' is not in data/studies.csv."),
    ],
    "judgement_outside_the_tool": [
        ("appraisal.csv", 37, "study_id='le_voyer_2021'", "judgement", "value 'partly' is not one of the allowed values: yes, no, unclear, not reported, not assessed."),
    ],
    "item_outside_the_tool": [
        ("appraisal.csv", 49, "study_id='ding_2021'", "item", "value '8 details' is not one of the allowed values: 1 selection, 2 exposure, 3 outcome, 4 other causes, 5 rechallenge, 6 dose-response, 7 follow-up, 8 detail."),
    ],
}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for path in DATA.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_every_case_has_its_expected_problems() -> None:
    assert [name for name, _ in CASES] == list(EXPECTED)
    assert len(CASES) >= 60


@pytest.mark.parametrize(("name", "edit"), CASES, ids=[name for name, _ in CASES])
def test_bad_input_is_rejected_at_the_right_place(name: str, edit: Edit, data_copy: Path) -> None:
    edit(data_copy)
    table = table_of(name, data_copy)
    with pytest.raises(DataError) as caught:
        if table in REFERENCE:
            helpers.read_table(table, data_copy)
        else:
            helpers.load_case_data(data_copy)
    found = [(p.file, p.line, p.record, p.column, p.message) for p in caught.value.problems]
    assert found == EXPECTED[name]
    assert caught.value.__context__ is None or caught.value.__suppress_context__  # no traceback
    assert "Error(" not in str(caught.value) and "dtype" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (None, None, "file not found. The course data lives in data/ at the repository root."),
        (b"", None, "the file is empty; it needs a header line and data rows."),
        (
            b"Case study,JAK-inhibitors\nA\xf1o,tofacitinib\n",
            2,
            "byte 0xf1 is not valid UTF-8. Save the file as UTF-8 (in a spreadsheet: "
            "'CSV UTF-8'), not Latin-1 or Windows-1252.",
        ),
        (
            b"Case study,JAK-inhibitors\nYu et al. 2020,tofacitinib,extra\n",
            2,
            "the row has 3 fields but the header has 2 (one too many). Check for a missing or "
            "unquoted comma.",
        ),
    ],
    ids=["missing", "empty", "undecodable", "ragged"],
)
def test_the_raw_table_is_checked_before_notebook_02_reads_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    line: int | None,
    message: str,
) -> None:
    """Notebook 02 reads ``helpers.raw_table_path()`` with ``pd.read_csv``: a broken file
    raises the course's DataError there, never a pandas or Unicode exception."""
    (tmp_path / "raw").mkdir()
    if content is not None:
        (tmp_path / "raw" / "table3_published.csv").write_bytes(content)
    monkeypatch.setenv(helpers.paths.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataError) as caught:
        helpers.raw_table_path()
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.message) == ("table3_published.csv", line, message)


def test_a_byte_order_mark_and_windows_line_endings_load(data_copy: Path) -> None:
    """What a spreadsheet saves as 'CSV UTF-8' on Windows is fine, and reads the same."""
    for path in data_copy.glob("*.csv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    loaded, expected = helpers.load_case_data(data_copy), helpers.load_case_data(DATA)
    for name, frame in expected.tables().items():
        pd.testing.assert_frame_equal(loaded.tables()[name], frame)
