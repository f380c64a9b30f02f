"""The optional guidance facts read inline from the case table equal ``_plain`` of each cell
(a code as it is, a number as the fact's type, nothing where not recorded), value and type,
over random valid cases."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.assess.inputs import _OPTIONAL_FACTS, _plain, guidance_facts
from axilla.case.assessment import parse_case
from axilla.columns import tables
from axilla.staging import counts_columns, stage_many
from test_columns import any_case


@settings(max_examples=80, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=5))
def test_optional_facts_are_each_cell_as_its_fact_type(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    facts = guidance_facts(case_t, counts_columns([s.counts for s in staged]), staged)
    for i, case_facts in enumerate(facts):
        for name, column in _OPTIONAL_FACTS.items():
            expected = _plain(case_t.values(column)[i], name)
            if expected is None:
                assert name not in case_facts, name
            else:
                assert case_facts[name] == expected and type(case_facts[name]) is type(
                    expected), name


def test_grade_and_flag_facts_by_hand():
    """Example (a): grade 2 as a whole number, no regional nodal radiotherapy recorded."""
    path = Path(__file__).resolve().parents[2] / "examples" / "a_micrometastasis_sentinel.json"
    raw = json.loads(path.read_text())
    raw["treatment"]["regional_nodal_radiotherapy"] = False
    case = parse_case(raw)
    case_t, node_t = tables([case])
    staged = stage_many([case.staging_case()], nodes=node_t)
    (facts,) = guidance_facts(case_t, counts_columns([s.counts for s in staged]), staged)
    assert facts["grade"] == 2 and type(facts["grade"]) is int
    assert facts["regional_nodal_rt_planned"] is False
    assert facts["size_mm"] == 18.0 and type(facts["size_mm"]) is float
    assert (facts["er_status"], facts["histology"], facts["breast_surgery"]) == (
        "positive", "nst", "bcs")
    assert "radial_margin_min_mm" not in facts
