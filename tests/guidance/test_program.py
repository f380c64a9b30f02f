"""The rule set compiled into one function, with results built from per-rule templates, gives
exactly the result of the interpreted reference (condition trees walked, every model validated).

Exactly: equal models, equal ``repr`` (so equal types: True is not 1, a tuple is not a list),
equal JSON and the same ``model_fields_set`` on every model. Checked on hand-computed outcomes
of a small rule file (three-valued logic of the guidance specification, section 0), on every
rule's firing facts (rule_cases.py), on caveats and conflicts, and on random facts drawn from
fields.yaml with random parameters (hypothesis).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from axilla.case.facts import INVALID
from axilla.errors import InputError
from axilla.guidance import FIELDS, evaluate, load_rules
from axilla.guidance.program import decode
from axilla.guidance.rules import load_rule_set
from support.guidance_same import RULESET, assert_same

_spec = importlib.util.spec_from_file_location(
    "guidance_rule_cases_program", Path(__file__).with_name("rule_cases.py"))
rule_cases = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rule_cases
_spec.loader.exec_module(rule_cases)
RULES = load_rules()




SMALL = """
source: {guideline: NICE NG101, version: "test"}
applies_when: {invasive: true}
rules:
  - id: T-01
    topic: axilla
    strength: offer
    text: Base rule.
    cite: {number: "1.0"}
    when: {all: [{sln_macromet_count: {ge: 1}}, {er_status: positive}]}
  - id: T-02
    topic: axilla
    strength: offer
    text: Depends on T-01.
    cite: {number: "2.0"}
    when: {any: [{fired: T-01}, {not: {her2_status: negative}}]}
    variants:
      - {name: younger, when: {age_years: {lt: 50}}, text: Younger wording.}
      - {name: other, text: Other wording.}
    conditional:
      - {when: {sln_micromet_count: {ge: 1}}, text: Micrometastases not decided.}
  - id: T-03
    topic: axilla
    strength: offer
    text: Above a unit threshold.
    cite: {number: "3.0"}
    when: {npi: {gt: {param: predict_chemo_benefit_lower_pct}}}
"""


def small_rules() -> Any:
    return load_rule_set([("small.yaml", SMALL)], RULESET)


def test_hand_computed_firing_variant_facts_and_conditional() -> None:
    # T-01: 2 >= 1 and ER positive: true, deciding facts both fields.
    # T-02: any(fired T-01 -> true with T-01's facts, not(HER2 unknown) -> unknown) is true;
    # variant 'younger' (45 < 50) adds age_years; the conditional's field is absent, so
    # unknown, which is not false: the recommendation is conditional on it.
    # T-03: NPI 3.2 > 3.0 (parameter default): true.
    facts = {"invasive": True, "sln_macromet_count": 2, "er_status": "positive",
             "age_years": 45, "npi": 3.2}
    for compiled in (True, False):
        result = evaluate(facts, rules=small_rules(), compiled=compiled)
        assert result.ids == ("T-01", "T-02", "T-03")
        t1, t2, t3 = result.recommendations
        assert t1.facts == {"er_status": "positive", "sln_macromet_count": 2}
        assert (t2.variant, t2.text) == ("younger", "Younger wording.")
        assert t2.facts == {"age_years": 45, "er_status": "positive", "sln_macromet_count": 2}
        assert t2.conditional_on == "Micrometastases not decided."
        assert t1.conditional_on is None and t3.facts == {"npi": 3.2}
        assert result.undecided == ()
    # a parameter raised above the NPI: T-03 no longer fires
    for compiled in (True, False):
        raised = evaluate(facts, rules=small_rules(), compiled=compiled,
                          params={"predict_chemo_benefit_lower_pct": 3.5})
        assert raised.ids == ("T-01", "T-02")


def test_hand_computed_unknowns_propagate_through_fired_and_not() -> None:
    # T-01: sln_macromet_count missing, ER positive -> unknown (missing sln_macromet_count).
    # T-02: fired T-01 unknown; not(HER2 negative) is false -> any is unknown, same missing.
    # T-03: npi missing -> unknown.
    facts = {"invasive": True, "er_status": "positive", "her2_status": "negative",
             "age_years": 60, "sln_micromet_count": 1}
    for compiled in (True, False):
        result = evaluate(facts, rules=small_rules(), compiled=compiled)
        assert result.ids == ()
        assert [(u.id, u.missing) for u in result.undecided] == [
            ("T-01", ("sln_macromet_count",)), ("T-02", ("sln_macromet_count",)),
            ("T-03", ("npi",))]
    # the gate false: nothing fires, nothing is pending; the gate unknown: all pending on it
    for compiled in (True, False):
        assert evaluate({"invasive": False}, rules=small_rules(), compiled=compiled).undecided \
            == ()
        pending = evaluate({}, rules=small_rules(), compiled=compiled).undecided
        assert [(u.id, u.missing) for u in pending] == [
            ("T-01", ("invasive",)), ("T-02", ("invasive",)), ("T-03", ("invasive",))]


def test_hand_computed_variant_when_no_variant_condition_holds() -> None:
    # T-02 true through not(HER2 positive == negative); 'younger' false (age 70), 'other' has
    # no condition: chosen, adding no facts.
    facts = {"invasive": True, "her2_status": "positive", "age_years": 70,
             "sln_micromet_count": 0, "sln_macromet_count": 0, "er_status": "negative"}
    for compiled in (True, False):
        (t2,) = evaluate(facts, rules=small_rules(), compiled=compiled).recommendations
        assert (t2.id, t2.variant, t2.text) == ("T-02", "other", "Other wording.")
        assert t2.facts == {"her2_status": "positive"}
        assert t2.conditional_on is None


@pytest.mark.parametrize("facts", [
    {"invasive": True, "sln_macromet_count": 2, "er_status": "positive", "age_years": 45},
    {"invasive": True, "er_status": "positive", "her2_status": "negative"},
    {"invasive": True, "her2_status": "positive", "age_years": 70, "npi": 3.0},
    {},
])
def test_small_rule_file_same_as_reference(facts: dict[str, Any]) -> None:
    assert_same(facts, rules=small_rules())


@pytest.mark.parametrize(("rule_id", "firing", "change"), rule_cases.RULE_CASES,
                         ids=[c[0] for c in rule_cases.RULE_CASES])
def test_every_rule_case_same_as_reference(rule_id, firing, change) -> None:
    assert rule_id in assert_same(dict(firing)).ids
    assert_same({**firing, **change})


def test_caveats_same_as_reference() -> None:
    spec = importlib.util.spec_from_file_location(
        "guidance_pregnancy_program", Path(__file__).with_name("test_pregnancy_and_context.py"))
    pregnancy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pregnancy)
    result = assert_same({**pregnancy.EXAMPLE_E_FACTS, "pregnant": True})
    assert any(rec.caveats for rec in result.recommendations)


def test_conflicts_and_disagreements_same_as_reference() -> None:
    result = assert_same({"invasive": True, "pn_category": "pN0", "positive_nodes_total": 2,
                          "macromet_nodes_total": 2, "node_positive_macro": False,
                          "er_status": "negative", "pr_status": "negative",
                          "her2_status": "negative", "triple_negative": False})
    assert len(result.conflicts) >= 2


def _value(spec: Any) -> st.SearchStrategy[Any]:
    """Any allowed value of a field, or None (not known); lists sometimes as tuples."""
    if spec.type == "bool":
        drawn: st.SearchStrategy[Any] = st.booleans()
    elif spec.type == "enum":
        drawn = st.sampled_from(spec.values)
    elif spec.type == "list":
        drawn = st.lists(st.sampled_from(spec.values), unique=True, max_size=3)
        drawn = drawn | drawn.map(tuple)
    else:
        low = 0 if spec.min is None else spec.min
        high = low + 60 if spec.max is None else spec.max
        drawn = (st.integers(int(low), int(high)) if spec.type == "int"
                 else st.floats(low, high, allow_nan=False) | st.sampled_from([low, high]))
    return st.none() | drawn


TESTABLE = {n: s for n, s in FIELDS.items() if s.type != "text"}
FACTS = st.lists(st.sampled_from(sorted(TESTABLE)), unique=True, max_size=60).flatmap(
    lambda keys: st.fixed_dictionaries({k: _value(TESTABLE[k]) for k in keys}))
PARAMS = st.fixed_dictionaries({}, optional={
    name: st.booleans() if spec.type == "bool" else st.floats(0, 20, allow_nan=False)
    for name, spec in RULES.params.items()})


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, params=PARAMS)
@example(facts={"invasive": True, "dcis_only": True}, params={})
def test_random_facts_and_parameters_same_as_reference(facts, params) -> None:
    """Facts the check refuses (e.g. invasive and DCIS only together) are refused the same way
    by both paths; every other draw gives the same result."""
    try:
        reference = evaluate(facts, compiled=False, params=params)
    except InputError as refused:
        with pytest.raises(InputError) as fast_refused:
            evaluate(facts, params=params)
        assert fast_refused.value.problems == refused.problems
        return
    assert assert_same(facts, params=params) == reference


@given(mask=st.integers(0, (1 << 110) - 1))
def test_decode_names_the_set_bits_in_order(mask: int) -> None:
    names = tuple(f"n{i:03d}" for i in range(110))
    assert decode(mask, names) == [names[i] for i in range(110) if mask >> i & 1]


@given(value=st.none() | st.booleans() | st.integers(-5, 600) | st.floats(allow_nan=True)
       | st.text(max_size=8) | st.lists(st.sampled_from(["bone", "lung", "x"]), max_size=3),
       name=st.sampled_from(sorted(FIELDS)))
def test_a_fact_check_refuses_exactly_what_it_cannot_normalise(value: Any, name: str) -> None:
    spec = FIELDS[name]
    normalised, reason = spec.check(value)
    if spec.normalised(value) is INVALID:
        assert (normalised, reason) == (value, spec.refusal())
        assert reason == f"must be {spec.allowed()}"
    else:
        assert reason is None and normalised == spec.normalised(value)


def test_equal_fact_tests_are_written_once_in_the_rule_function() -> None:
    from axilla.guidance.fast import tables

    lines = tables(RULES).program.source.splitlines()
    tests = [line.split(" = ", 1)[1] for line in lines if " is NA else " in line]
    assert len(tests) == len(set(tests))
    gates = {r.gate for r in RULES.rules if r.gate is not None and not r.gate.rule_refs()}
    assert len(gates) < sum(1 for r in RULES.rules if r.gate is not None)  # shared gates


NUMERIC = sorted(n for n, s in FIELDS.items() if s.numeric)


@given(value=st.integers(-(2**52), 2**52), name=st.sampled_from(NUMERIC))
def test_a_plain_int_is_read_as_the_same_whole_float_is(value: int, name: str) -> None:
    spec = FIELDS[name]
    fast, general = spec.normalised(value), spec.normalised(float(value))
    if general is INVALID:
        assert fast is INVALID
    else:
        assert (type(fast), fast) == (type(general), general)


def test_every_pn_code_is_left_as_it_is_by_the_pn_normalisation() -> None:
    from axilla.case.facts import _normalise_pn

    codes = FIELDS["pn_category"].values
    assert [_normalise_pn(c) for c in codes] == list(codes)
    assert FIELDS["pn_category"].normalised("ypN1mi(sn)") == "pN1mi"
