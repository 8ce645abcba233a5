"""A rule of the outcome data that notebook 04 relies on, checked with plain pandas.

The outcome tables and the statistics of notebooks 04 and 05 are built in the notebooks
themselves (strict nbval checks their outputs). What stays here are rules of the data that no
cross-table check covers: a count split by autoantibody (MSA) must add up to the whole, and the
``direction`` of a row never contradicts its own count.
"""

from __future__ import annotations

import pandas as pd

import helpers


def test_msa_subgroups_add_up_to_the_overall_count() -> None:
    outcomes = helpers.load_case_data().outcomes
    counted = outcomes.dropna(subset=["n_improved", "n_assessed"])
    keys, counts = ["study_id", "measure"], ["n_improved", "n_assessed"]
    by_msa = counted[counted["subgroup"].fillna("").str.startswith("MSA")]
    parts = by_msa.groupby(keys)[counts].sum()
    whole = counted[counted["subgroup"].isna()].set_index(keys)[counts]
    assert not parts.empty, "the data have no MSA split any more: is this test still needed?"
    assert parts.index.isin(whole.index).all(), "an MSA split without its overall count"
    pd.testing.assert_frame_equal(parts, whole.loc[parts.index], check_dtype=False)


def test_a_count_of_zero_improved_is_never_coded_improved() -> None:
    """``direction`` records the study's claim, but a row whose count shows no patient improved
    (0/k) cannot claim improvement: such a row is ``not improved``."""
    outcomes = helpers.load_case_data().outcomes
    none_improved = outcomes[outcomes["n_improved"].eq(0).fillna(False)]
    wrong = none_improved[none_improved["direction"] == "improved"]
    assert wrong.empty, f"0 improved but coded 'improved': {wrong['outcome_id'].tolist()}"
