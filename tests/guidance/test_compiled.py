"""The compiled condition closures equal the interpreted condition trees.

Checked on every rule's firing and non-firing facts (rule_cases.py, from the guidance
specification) through the whole engine, and condition by condition on random facts drawn from
fields.yaml (hypothesis), with random rules marked fired or undecided.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.guidance import evaluate, load_rules
from axilla.guidance.compiled import compile_condition
from axilla.guidance.conditions import Context
from axilla.guidance.engine import resolve_params

_spec = importlib.util.spec_from_file_location(
    "guidance_rule_cases_compiled", Path(__file__).with_name("rule_cases.py"))
rule_cases = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rule_cases
_spec.loader.exec_module(rule_cases)
RULES = load_rules()


def _facts_for(rule_id: str, firing: dict[str, Any], change: dict[str, Any]
               ) -> list[dict[str, Any]]:
    return [dict(firing), {**firing, **change}]


@pytest.mark.parametrize(("rule_id", "firing", "change"), rule_cases.RULE_CASES,
                         ids=[c[0] for c in rule_cases.RULE_CASES])
def test_engine_compiled_equals_interpreted_on_every_rule_case(rule_id, firing, change):
    for facts in _facts_for(rule_id, firing, change):
        assert evaluate(facts) == evaluate(facts, compiled=False)


def _value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "list":
        return st.lists(st.sampled_from(spec.values), unique=True, max_size=3)
    low = 0 if spec.min is None else spec.min
    high = low + 100 if spec.max is None else spec.max
    if spec.type == "int":
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False)


TESTABLE = {n: s for n, s in RULES.fields.items() if s.type != "text"}
FACTS = st.dictionaries(st.sampled_from(sorted(TESTABLE)), st.none(), max_size=40).flatmap(
    lambda keys: st.fixed_dictionaries({k: _value(TESTABLE[k]) for k in keys}))
IDS = sorted(RULES.by_id)


@settings(max_examples=150, deadline=None)
@given(facts=FACTS, fired=st.sets(st.sampled_from(IDS), max_size=30),
       undecided=st.sets(st.sampled_from(IDS), max_size=30))
def test_every_condition_compiled_equals_interpreted_on_random_facts(facts, fired, undecided):
    ctx = Context(facts, resolve_params(RULES, None), {r: {"f": r} for r in fired},
                  {r: frozenset({r}) for r in undecided - fired})
    for rule in RULES.rules:
        conds = [rule.when, *(v.when for v in rule.variants if v.when is not None)]
        if rule.gate is not None:
            conds.append(rule.gate)
        for cond in conds:
            assert compile_condition(cond)(ctx, {}) == cond.evaluate(ctx), rule.id


@settings(max_examples=60, deadline=None)
@given(facts=FACTS)
def test_engine_compiled_equals_interpreted_on_random_facts(facts):
    try:
        expected = evaluate(facts, compiled=False)
    except Exception as exc:
        with pytest.raises(type(exc)):
            evaluate(facts)
        return
    assert evaluate(facts) == expected
