"""The reference tables of notebooks 01 and 05 (helpers.load_table): schemas and relations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.crosscheck import check_reference
from helpers.data import Located
from helpers.errors import DataError
from helpers.paths import data_dir
from helpers.schemas import JAK_IC50, JAK_PATHWAY, LATER_EVIDENCE
from helpers.vocabulary import PATHWAYS


def check_pathway(table: pd.DataFrame) -> list:
    """The pathway's rules on a table in memory (row i read from line i + 2)."""
    lines = list(range(2, len(table) + 2))
    return check_reference(
        "jak_pathway", table, Located("jak_pathway.csv", lines, table["element_id"])
    )


@pytest.fixture(scope="module")
def pathway() -> pd.DataFrame:
    return helpers.load_table("jak_pathway")


def test_pathway_table_loads_with_every_pathway(pathway: pd.DataFrame) -> None:
    assert list(pathway.columns) == JAK_PATHWAY.columns
    assert set(pathway["pathway"].astype(str)) == set(PATHWAYS)
    assert check_pathway(pathway) == []


def test_kinases_sit_on_the_documented_receptor_chains(pathway: pd.DataFrame) -> None:
    chain = pathway.set_index("element_id")["links_to"]
    assert chain["tyk2"] == "ifnar1" and chain["jak1_ifnar"] == "ifnar2"
    assert chain["jak1_ifngr"] == "ifngr1" and chain["jak2"] == "ifngr2"
    assert chain["jak3"] == "il2rg"


def test_check_pathway_finds_bad_links_and_misplaced_drugs(pathway: pd.DataFrame) -> None:
    bad = pathway.copy()
    bad.loc[bad["element_id"] == "tyk2", "links_to"] = "ifngr1"  # another pathway's chain
    bad.loc[bad["element_id"] == "isre", "links_to"] = "nowhere"
    bad.loc[bad["element_id"] == "stat2", ["inhibited_by", "drug_source"]] = [
        "ruxolitinib",
        "doi:10.3389/fped.2022.962585",
    ]
    messages = [p.message for p in check_pathway(bad)]
    assert any("another pathway" in m for m in messages)
    assert any("'nowhere'" in m for m in messages)
    assert any("only kinases" in m for m in messages)


def test_a_bad_value_in_the_csv_names_file_line_and_column(tmp_path: Path) -> None:
    text = (data_dir() / JAK_PATHWAY.filename).read_text(encoding="utf-8")
    (tmp_path / JAK_PATHWAY.filename).write_text(
        text.replace(",receptor chain,IFNAR1,", ",receptor,IFNAR1,"), encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        helpers.read_table("jak_pathway", tmp_path)
    assert "line 3" in str(err.value) and "'kind'" in str(err.value)


def test_ic50_table_keeps_assay_kinds_apart() -> None:
    ic50 = helpers.load_table("jak_ic50")
    assert list(ic50.columns) == JAK_IC50.columns
    pairs = ic50[ic50["assay_kind"] == "JAK pair"]
    assert set(pairs["drug"].astype(str)) == {"tofacitinib"}
    assert pairs["target"].str.contains("/").all()
    assert not ic50.loc[ic50["assay_kind"] == "single enzyme", "target"].str.contains("/").any()


def test_later_evidence_loads_and_is_consistent() -> None:
    table = helpers.load_table("later_evidence").set_index("evidence_id")
    assert list(table.reset_index().columns) == LATER_EVIDENCE.columns
    row = table.loc["zhang_2023_ccr_last"]
    assert (row["n_with_outcome"], row["n_total"]) == (44, 88)
    assert row["percent_reported"] == pytest.approx(100 * 44 / 88)
    comparator = table.loc["myocit_comparator"]
    assert round(100 * comparator["n_with_outcome"] / comparator["n_total"]) == 28
    # every row with both a count and a percent agrees to the printed precision
    both = table.dropna(subset=["n_total", "n_with_outcome", "percent_reported"])
    computed = 100 * both["n_with_outcome"] / both["n_total"]
    assert (abs(computed - both["percent_reported"]) < 0.5).all()


def test_later_evidence_schema_catches_bad_rows(tmp_path: Path) -> None:
    good = helpers.load_table("later_evidence")
    bad = good.copy()
    bad.loc[0, "n_with_outcome"] = 99  # more than n_total = 88
    bad.to_csv(tmp_path / "later_evidence.csv", index=False)
    with pytest.raises(DataError):
        helpers.read_table("later_evidence", tmp_path)
    bad = good.copy()
    bad["kind"] = bad["kind"].astype(str)
    bad.loc[0, "kind"] = "RCT"
    bad.to_csv(tmp_path / "later_evidence.csv", index=False)
    with pytest.raises(DataError, match="kind"):
        helpers.read_table("later_evidence", tmp_path)


def test_load_table_refuses_an_unknown_name() -> None:
    with pytest.raises(KeyError, match="jak_pathway"):
        helpers.load_table("studies")
