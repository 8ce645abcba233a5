"""The pathway schematic of notebook 01 (helpers.pathway.draw_pathway) and the drug targets."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import helpers
from helpers.pathway import DRUG_MARKS, draw_pathway


@pytest.fixture(scope="module")
def pathway() -> pd.DataFrame:
    return helpers.load_table("jak_pathway")


def test_drugs_sit_on_the_kinases_the_sources_name(pathway: pd.DataFrame) -> None:
    # Reference 10 of notebook 01: tofacitinib is a JAK1/3, ruxolitinib and baricitinib JAK1/2
    # inhibitors. The notebook counts these pairs with .str.split + .explode + pd.crosstab.
    targets = (
        pathway.assign(drug=pathway["inhibited_by"].str.split(";"))
        .explode("drug")
        .dropna(subset=["drug"])
        .groupby("drug")["label"]
        .agg(set)
    )
    assert targets.to_dict() == {
        "baricitinib": {"JAK1", "JAK2"},
        "ruxolitinib": {"JAK1", "JAK2"},
        "tofacitinib": {"JAK1", "JAK3"},
    }


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
