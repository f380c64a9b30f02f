"""The shortcuts of the facts check and of the derivations give what the general code gives.

``validate_facts`` settles a bool of a bool field, a code of an enum field and an int (or
finite float) in range of an int (float) field without the general ``FieldSpec.normalised``;
every value, of any type, is checked here against that
general normalisation (same clean value and type, same refusal). ``derive.complete`` hands
each derivation all the facts, its own field included: each derivation reads only its
sources (derive.SOURCES), so its value is that of its sources alone. Parameters and the
default records are rule-set tables: a case's result never shares a mutable dict with the
next case's.
Source: axilla guidance specification section 0.2 (fields and derived fields).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.facts import INVALID, validate_facts
from axilla.errors import InputError
from axilla.guidance import FIELDS, derive, evaluate, load_rules

ANY_VALUE = (st.none() | st.booleans() | st.integers(-5, 600) | st.integers()
             | st.floats(allow_nan=True, allow_infinity=True)
             | st.text(max_size=8) | st.sampled_from(
                 sorted({v for s in FIELDS.values() for v in s.values}))
             | st.lists(st.sampled_from(["bone", "lung", "x"]), max_size=3))


def _reference(name: str, value: Any) -> tuple[str, Any]:
    """What the general normalisation makes of one value: ("clean", value) or ("refused",
    the reason)."""
    spec = FIELDS[name]
    normalised = spec.normalised(value)
    if normalised is INVALID:
        return "refused", spec.refusal()
    return "clean", normalised


@given(name=st.sampled_from(sorted(FIELDS)), value=ANY_VALUE)
def test_each_value_is_checked_as_the_general_normalisation_checks_it(name: str, value: Any
                                                                       ) -> None:
    if value is None:
        assert validate_facts({name: None}, FIELDS) == {}
        return
    kind, expected = _reference(name, value)
    if kind == "refused":
        with pytest.raises(InputError) as refused:
            validate_facts({name: value}, FIELDS)
        [problem] = refused.value.problems
        assert (problem.field, problem.reason) == (name, expected)
    else:
        clean = validate_facts({name: value}, FIELDS)
        assert list(clean) == [name]
        assert (type(clean[name]), clean[name]) == (type(expected), expected)


class _Code(str):
    """A str subclass: never taken by the shortcut, still checked by its value."""


def test_a_str_subclass_and_an_int_for_a_bool_take_the_general_path() -> None:
    assert validate_facts({"er_status": _Code("positive")}, FIELDS) == {"er_status": "positive"}
    with pytest.raises(InputError):
        validate_facts({"invasive": 1}, FIELDS)
    with pytest.raises(InputError):
        validate_facts({"er_status": "Positive"}, FIELDS)
    assert validate_facts({"pn_category": "ypN1mi(sn)"}, FIELDS) == {"pn_category": "pN1mi"}
    numeric = [n for n, s in FIELDS.items() if s.type == "float" and s.min is not None]
    assert numeric
    clean = validate_facts({numeric[0]: int(FIELDS[numeric[0]].min)}, FIELDS)
    assert type(clean[numeric[0]]) is float  # an int for a float field: the general path
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(InputError):
            validate_facts({numeric[0]: bad}, FIELDS)


def test_no_derivation_reads_its_own_field() -> None:
    for field, name in load_rules().derived_fields.items():
        assert field not in derive.SOURCES[name], name


def _facts_value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type in ("int", "float"):
        return st.integers(0, 60) | st.floats(0, 60)
    return st.just(("x",))


FACTS = st.fixed_dictionaries({}, optional={
    n: _facts_value(s) for n, s in FIELDS.items() if s.type != "text"})


@given(facts=FACTS)
def test_each_derivation_is_a_function_of_its_sources_alone(facts: dict[str, Any]) -> None:
    for name, function in derive.DERIVATIONS.items():
        sources = {k: facts[k] for k in derive.SOURCES[name] if k in facts}
        assert function(facts) == function(sources), name


def test_a_result_never_shares_its_parameters_with_the_next_case() -> None:
    first = evaluate({"invasive": True})
    first.parameters["predict_chemo_benefit_lower_pct"] = -1
    second = evaluate({"invasive": True})
    assert second.parameters == {n: s.default for n, s in load_rules().params.items()}
    assert second.parameters is not first.parameters
    assert load_rules().param_defaults == second.parameters


def test_the_default_records_equal_their_validated_construction() -> None:
    from axilla.guidance.models import Assumption

    result = evaluate({"invasive": True})
    assert result.assumptions
    for a in result.assumptions:
        assert a == Assumption(field=a.field, value=a.value, text=a.text)
        assert a.model_fields_set == {"field", "value", "text"}
