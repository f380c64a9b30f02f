"""Per-case node counts (computed once) and the nodes each model counts.

Expected values are counted by hand from AJCC 8th categories (<= 0.2 mm ITC, > 0.2 to 2 mm
micro, > 2 mm macro); PREDICT's 0.5 for one micrometastatic node is the web tool's convention.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case.staging import parse_staging_case
from axilla.staging import (
    count_nodes,
    guidance_node_facts,
    index_node_inputs,
    predict_node_input,
    predict_nodes,
    stage,
    stage_many,
)
from axilla.staging.nodes import ITC, MACRO, MICRO, NEGATIVE, POSITIVE_SIZE_UNKNOWN

TUMOUR = {"invasive_sizes_mm": [15], "grade": 2, "er": "positive", "pr": "positive",
          "her2": "negative"}


def case(nodes, kind="sentinel", **procedure):
    return parse_staging_case({"tumour": TUMOUR, "nodes": nodes,
                               "procedure": {"kind": kind, **procedure}})


def test_two_cases_counted_by_hand_in_one_pass():
    # case 0: sentinel macro, sentinel micro, sentinel ITC, dissection negative, needle micro;
    # case 1: dissection positive without size, infraclavicular micro, IM positive, supra macro
    c = count_nodes(
        case_index=[0, 0, 0, 0, 0, 1, 1, 1, 1], n_cases=3,
        site=["axillary"] * 5 + ["axillary", "infraclavicular", "internal_mammary",
                                 "supraclavicular"],
        found_by=["sentinel", "sentinel", "sentinel", "dissection", "needle_biopsy",
                  "dissection", "dissection", "sentinel", "dissection"],
        category=[MACRO, MICRO, ITC, NEGATIVE, MICRO, POSITIVE_SIZE_UNKNOWN, MICRO, MACRO,
                  MACRO],
        extranodal_extension=[True, False, False, False, False, False, False, False, True],
        nodes_removed=[np.nan, 20, np.nan])
    assert list(c["axillary_macro"]) == [1, 0, 0]
    assert list(c["axillary_micro"]) == [1, 0, 0]
    assert list(c["axillary_itc"]) == [1, 0, 0]
    assert list(c["axillary_negative"]) == [1, 0, 0]
    assert list(c["axillary_unknown_size"]) == [0, 1, 0]
    assert list(c["axillary_needle_only_positive"]) == [1, 0, 0]
    # NG101 1.4.12-1.4.15 speak of the axilla: the internal mammary sentinel node of case 1 is
    # not an axillary sentinel node; guidance reads it as im_macromet_nodes instead.
    assert list(c["sentinel_removed"]) == [3, 0, 0]
    assert list(c["sentinel_macro"]) == [1, 0, 0]
    assert list(c["internal_mammary_macro"]) == [0, 1, 0]
    assert list(c["infraclavicular_micro"]) == [0, 1, 0]
    assert list(c["internal_mammary_positive"]) == [0, 1, 0]
    assert list(c["supraclavicular_positive"]) == [0, 1, 0]
    assert list(c["extranodal_extension"]) == [1, 1, 0]
    assert list(c["nodes_excised"]) == [4, 3, 0]  # supraclavicular nodes are not counted
    assert list(c["nodes_examined"]) == [4, 20, 0]  # the operation note's number wins
    positive, micro = index_node_inputs(c)
    assert list(positive) == [2, 1, 0] and list(micro) == [1, 0, 0]
    # PREDICT adds the excised infraclavicular micrometastasis: 1 + 1 micro and 1 + 1 other
    assert list(predict_node_input(c)) == [2.0, 2.0, 0.0]
    facts = guidance_node_facts(c)
    assert list(facts["sln_macromet_count"]) == [1, 0, 0]
    assert list(facts["im_macromet_nodes"]) == [0, 1, 0]
    assert list(facts["macromet_nodes_total"]) == [1, 1, 0]
    assert list(facts["positive_nodes_total"]) == [2, 1, 0]


def test_negative_sentinel_node_and_needle_micrometastasis():
    """Issue 8: the needle-biopsy node is not excised; it is in no model's count."""
    s = stage(case([{"found_by": "sentinel", "deposit_mm": 0},
                    {"found_by": "needle_biopsy", "deposit_mm": 1.0}]))
    assert s.pN.display == "pN0(sn)"
    assert s.counts.axillary_micro == 0 and s.counts.axillary_needle_only_positive == 1
    assert s.positive_nodes == s.counts.axillary_positive == 0
    assert predict_nodes(s) == 0.0


@pytest.mark.parametrize(("deposits", "expected"), [
    ([1.0], 0.5), ([1.0, 0.1], 0.5), ([1.0, 1.5], 2.0), ([3.0, 1.0], 2.0), ([0.1, 0], 0.0)])
def test_predict_nodes_from_the_counts(deposits, expected):
    nodes = [{"found_by": "sentinel", "deposit_mm": d} for d in deposits]
    assert predict_nodes(stage(case(nodes))) == expected
    assert predict_nodes(case(nodes).nodes) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0, 0.1, 0.5, 1.9, 2.1, 7.0]), max_size=8),
                min_size=1, max_size=5))
def test_a_batch_counts_as_each_case_alone(batches):
    cases = [case([{"found_by": "dissection", "deposit_mm": d} for d in ds], "dissection")
             for ds in batches]
    together = stage_many(cases)
    for c, ds, s in zip(cases, batches, together, strict=True):
        assert s == stage(c)
        assert s.counts.axillary_macro == sum(d > 2 for d in ds)
        assert s.counts.axillary_micro == sum(0.2 < d <= 2 for d in ds)
        assert s.counts.axillary_itc == sum(0 < d <= 0.2 for d in ds)
        assert s.positive_nodes == sum(d > 0.2 for d in ds)
