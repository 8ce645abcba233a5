"""The pathway and IC50 tables (helpers.pathway): loading, relations, figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers.data import read_table
from helpers.errors import DataError
from helpers.paths import data_dir
from helpers.pathway import (
    DRUG_MARKS,
    PATHWAYS,
    check_pathway,
    draw_pathway,
    drug_targets,
    fold_selectivity,
    ic50_spec,
    load_ic50,
    load_pathway,
    pathway_spec,
    plot_jak_selectivity,
)


@pytest.fixture(scope="module")
def pathway() -> pd.DataFrame:
    return load_pathway()


@pytest.fixture(scope="module")
def ic50() -> pd.DataFrame:
    return load_ic50()


def test_pathway_table_loads_with_every_pathway(pathway: pd.DataFrame) -> None:
    assert list(pathway.columns) == pathway_spec().columns
    assert set(pathway["pathway"].astype(str)) == set(PATHWAYS)
    assert check_pathway(pathway) == []


def test_kinases_sit_on_the_documented_receptor_chains(pathway: pd.DataFrame) -> None:
    chain = pathway.set_index("element_id")["links_to"]
    assert chain["tyk2"] == "ifnar1" and chain["jak1_ifnar"] == "ifnar2"
    assert chain["jak1_ifngr"] == "ifngr1" and chain["jak2"] == "ifngr2"
    assert chain["jak3"] == "il2rg"


def test_drug_targets(pathway: pd.DataFrame) -> None:
    targets = drug_targets(pathway).groupby("drug")["kinase"].agg(lambda s: set(s))
    assert targets["tofacitinib"] == {"JAK1", "JAK3"}
    assert targets["ruxolitinib"] == {"JAK1", "JAK2"}
    assert targets["baricitinib"] == {"JAK1", "JAK2"}


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
    text = (data_dir() / pathway_spec().filename).read_text(encoding="utf-8")
    (tmp_path / pathway_spec().filename).write_text(
        text.replace(",receptor chain,IFNAR1,", ",receptor,IFNAR1,"), encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        read_table(pathway_spec(), tmp_path)
    assert "line 3" in str(err.value) and "'kind'" in str(err.value)


def test_draw_pathway_labels_every_element_and_drug(pathway: pd.DataFrame) -> None:
    fig = draw_pathway(pathway)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for label in pathway["label"]:
        assert label in texts
    gids = {t.get_gid() for t in ax.texts if t.get_gid()}
    expected = {
        f"drug:{drug}:{row['element_id']}"
        for _, row in pathway.iterrows()
        if isinstance(row["inhibited_by"], str)
        for drug in row["inhibited_by"].split(";")
    }
    assert gids == expected
    assert {DRUG_MARKS[d][0] for d in DRUG_MARKS} <= set(texts)
    plt.close(fig)


def test_draw_pathway_refuses_bad_tables(pathway: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="lacks the column"):
        draw_pathway(pathway.drop(columns="kind"))
    with pytest.raises(ValueError, match="empty"):
        draw_pathway(pathway.iloc[0:0])


def test_ic50_table_keeps_assay_kinds_apart(ic50: pd.DataFrame) -> None:
    assert list(ic50.columns) == ic50_spec().columns
    pairs = ic50[ic50["assay_kind"] == "JAK pair"]
    assert set(pairs["drug"].astype(str)) == {"tofacitinib"}
    assert pairs["target"].str.contains("/").all()
    assert not ic50.loc[ic50["assay_kind"] == "single enzyme", "target"].str.contains("/").any()


def test_selectivity_plot_has_two_log_panels(ic50: pd.DataFrame) -> None:
    fig = plot_jak_selectivity(ic50)
    left, right = fig.axes[:2]
    assert left.get_xscale() == right.get_xscale() == "log"
    assert {t.get_text() for t in right.get_yticklabels()} == {
        "JAK1/JAK2",
        "JAK1/JAK3",
        "JAK2/JAK2",
    }
    assert "JAK pair" in right.get_title()
    plt.close(fig)


def test_fold_selectivity(ic50: pd.DataFrame) -> None:
    # 406 / 56 = 7.25 (tofacitinib, both JAK-pair values)
    assert fold_selectivity(ic50, "tofacitinib", "JAK1/JAK2", "JAK1/JAK3") == pytest.approx(7.25)
    with pytest.raises(ValueError, match="only a bound"):
        fold_selectivity(ic50, "baricitinib", "JAK3", "JAK1")
    with pytest.raises(ValueError, match="no IC50"):
        fold_selectivity(ic50, "ruxolitinib", "TYK2", "JAK1")
