"""Facts that contradict staging are conflicts, never silently preferred (issue 9 item 6).

AJCC 8th: pN0 has no node with a metastasis larger than 0.2 mm; pN1mi micrometastases only;
pN1a 1-3 axillary nodes with at least one larger than 2 mm; pN2a 4-9; pN3a 10 or more.
"""

from __future__ import annotations

import pytest

from axilla.guidance import evaluate

INV = {"invasive": True}


@pytest.mark.parametrize(("facts", "fields"), [
    ({"pn_category": "pN0", "positive_nodes_total": 2}, ("pn_category", "positive_nodes_total")),
    ({"pn_category": "pN1mi", "macromet_nodes_total": 1},
     ("pn_category", "macromet_nodes_total")),
    ({"pn_category": "pN1a", "macromet_nodes_total": 0}, ("pn_category", "macromet_nodes_total")),
    ({"pn_category": "pN1a", "positive_nodes_total": 0}, ("pn_category", "positive_nodes_total")),
    ({"pn_category": "pN2a", "positive_nodes_total": 3}, ("pn_category", "positive_nodes_total")),
    ({"pn_category": "pN3a", "positive_nodes_total": 9}, ("pn_category", "positive_nodes_total")),
    ({"macromet_nodes_total": 3, "positive_nodes_total": 2},
     ("macromet_nodes_total", "positive_nodes_total")),
    ({"sln_macromet_count": 2, "macromet_nodes_total": 1},
     ("sln_macromet_count", "macromet_nodes_total")),
])
def test_contradicting_node_facts_are_reported(facts, fields):
    result = evaluate({**INV, **facts})
    reported = [(c.field, *c.sources) for c in result.conflicts]
    assert fields in reported
    assert all("treated as unknown" in c.text for c in result.conflicts)


def test_a_contradicted_fact_never_makes_a_rule_fire():
    # staged pN0 (no nodal RT, RT-14) but two positive nodes counted: neither side is believed
    result = evaluate({**INV, "pn_category": "pN0", "positive_nodes_total": 2,
                       "macromet_nodes_total": 2})
    assert "RT-14" not in result.ids and "RT-21" not in result.ids
    assert {"RT-14", "RT-21"} <= {u.id for u in result.undecided}


@pytest.mark.parametrize("facts", [
    {"pn_category": "pN0(i+)", "positive_nodes_total": 0, "macromet_nodes_total": 0},
    {"pn_category": "pN1mi", "positive_nodes_total": 1, "macromet_nodes_total": 0},
    {"pn_category": "pN1a", "positive_nodes_total": 3, "macromet_nodes_total": 1},
    {"pn_category": "pN2a", "positive_nodes_total": 4, "macromet_nodes_total": 4},
    {"pn_category": "pN1b", "positive_nodes_total": 1, "macromet_nodes_total": 0,
     "im_macromet_nodes": 1},
])
def test_consistent_facts_have_no_conflict(facts):
    assert evaluate({**INV, **facts}).conflicts == ()


def test_testes_present_defaults_from_sex_and_a_given_value_is_kept() -> None:
    """NG101 1.11.9-1.11.12 (2025) speak of people with testes: for a woman the question is
    answered by her recorded sex, so it is never left open ("needs testes_present"); a value
    given for a trans or intersex person is kept."""
    from axilla.guidance import evaluate

    base = {"invasive": True, "er_status": "positive"}
    woman = evaluate({**base, "sex": "female"})
    assert "ET-07" not in woman.ids
    assert not any("testes_present" in u.missing for u in woman.undecided)
    assert "ET-07" in evaluate({**base, "sex": "male"}).ids
    assert "ET-07" in evaluate({**base, "sex": "female", "testes_present": True}).ids
