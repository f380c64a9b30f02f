"""Rules decided straight from their ``all``/``any`` condition's branches, and the per-rule-set
tables of the fast path (caveat cover, mask names), against hand-computed outcomes and the
interpreted reference (three-valued logic: guidance specification, section 0).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.guidance import evaluate, load_rules
from axilla.guidance.fast import tables
from axilla.guidance.program import decode
from axilla.guidance.rules import load_rule_set
from support.guidance_same import RULESET, assert_same

BRANCHES = """
source: {guideline: NICE NG101, version: "test"}
applies_when: {invasive: true}
rules:
  - id: B-01
    topic: axilla
    strength: offer
    text: Any of two.
    cite: {number: "1.0"}
    when: {any: [{er_status: positive}, {age_years: {lt: 40}}]}
    conditional:
      - {when: {sln_micromet_count: {ge: 1}}, text: Micrometastases not decided.}
  - id: B-02
    topic: axilla
    strength: offer
    text: All of a fired rule and a test.
    cite: {number: "2.0"}
    when: {all: [{fired: B-01}, {her2_status: negative}]}
  - id: B-03
    topic: axilla
    strength: offer
    text: Not the first.
    cite: {number: "3.0"}
    when: {all: [{not: {fired: B-01}}, {any: [{npi: {gt: 4}}, {her2_status: positive}]}]}
"""


def branch_rules() -> Any:
    return load_rule_set([("branches.yaml", BRANCHES)], RULESET)


def test_hand_computed_any_and_all_outcomes() -> None:
    # B-01: ER positive decides the any (true; age unknown does not matter); its conditional's
    # field is 0, so false: no conditional_on. B-02: B-01 fired and HER2 negative: true, facts
    # of both. B-03: not(fired) false decides the all: false, neither fired nor pending.
    facts = {"invasive": True, "er_status": "positive", "her2_status": "negative",
             "sln_micromet_count": 0}
    for compiled in (True, False):
        result = evaluate(facts, rules=branch_rules(), compiled=compiled)
        assert result.ids == ("B-01", "B-02")
        b1, b2 = result.recommendations
        assert b1.facts == {"er_status": "positive"} and b1.conditional_on is None
        assert b2.facts == {"er_status": "positive", "her2_status": "negative"}
        assert result.undecided == ()
    # B-01: ER negative, age missing: unknown (missing age_years); B-02 unknown through it;
    # B-03: not(unknown) unknown, the any false (npi 3 <= 4, HER2 negative): all false.
    facts = {"invasive": True, "er_status": "negative", "her2_status": "negative", "npi": 3.0}
    for compiled in (True, False):
        result = evaluate(facts, rules=branch_rules(), compiled=compiled)
        assert result.ids == ()
        assert [(u.id, u.missing) for u in result.undecided] == [
            ("B-01", ("age_years",)), ("B-02", ("age_years",))]
    # B-01 false (ER negative, age 50): B-02 false; B-03 fires on npi 5 > 4 alone (a rule not
    # fired names no facts, so neither does its ``not``).
    facts = {"invasive": True, "er_status": "negative", "age_years": 50, "npi": 5.0}
    for compiled in (True, False):
        result = evaluate(facts, rules=branch_rules(), compiled=compiled)
        assert result.ids == ("B-03",)
        assert result.recommendations[0].facts == {"npi": 5.0}
        assert [u.id for u in result.undecided] == []


@settings(max_examples=200, deadline=None)
@given(facts=st.fixed_dictionaries({}, optional={
    "invasive": st.booleans() | st.none(),
    "er_status": st.sampled_from(["positive", "negative"]) | st.none(),
    "her2_status": st.sampled_from(["positive", "negative"]) | st.none(),
    "age_years": st.integers(18, 90) | st.none(),
    "npi": st.sampled_from([2.0, 4.0, 4.5, 6.0]) | st.none(),
    "sln_micromet_count": st.integers(0, 3) | st.none()}))
def test_branch_rules_same_as_reference(facts: dict[str, Any]) -> None:
    assert_same(facts, rules=branch_rules())


def test_caveat_cover_is_the_caveat_specs_own_test() -> None:
    rules = load_rules()
    t = tables(rules)
    for k, rule in enumerate(rules.rules):
        expected = {c for c, other in enumerate(rules.rules) if other.caveat is not None
                    and other.id != rule.id
                    and (rule.topic in other.caveat.topics or rule.id in other.caveat.rules)}
        assert t.covered_by[k] == expected


def test_mask_names_kept_for_the_rule_set_never_the_values() -> None:
    # the same rules fire with the same deciding fields on two cases; the names of each mask
    # are kept, the values are each case's own
    rules = branch_rules()
    base = {"invasive": True, "her2_status": "negative", "npi": 3.0, "er_status": "negative"}
    first = evaluate({**base, "age_years": 30}, rules=rules)
    second = evaluate({**base, "age_years": 35}, rules=rules)
    assert first.recommendations[0].facts == {"age_years": 30}
    assert second.recommendations[0].facts == {"age_years": 35}
    t = tables(rules)
    assert t.named
    for mask, held in t.named.items():
        assert held == tuple(decode(mask, t.program.names))
