"""Invariants of the guidance engine over random valid facts (hypothesis).

* evaluation never raises on valid facts; every fired recommendation has a citation, a strength
  from the allowed vocabulary (spec section 0) and a source kind matching that strength;
* three-valued logic: learning more facts never withdraws a recommendation (monotone);
* the facts reported for a recommendation are facts of the case with their values.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from axilla.guidance import FIELDS, evaluate, load_rules

ALLOWED_STRENGTHS = {"offer", "consider", "do_not_offer", "discuss", "ta_option", "dg_option",
                     "info", "practice", "inference"}
NON_NICE = {"practice", "inference"}


def value_strategy(spec):
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "list":
        return st.lists(st.sampled_from(spec.values), unique=True, max_size=len(spec.values))
    if spec.type == "text":
        return st.sampled_from(["v2.1", "v3.0"])
    lo = spec.min if spec.min is not None else 0
    hi = spec.max if spec.max is not None else 100
    if spec.type == "int":
        return st.integers(int(lo), int(hi))
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def facts_strategy(include_derived=True):
    names = [n for n, s in FIELDS.items() if include_derived or not s.derived]
    return st.fixed_dictionaries(
        {}, optional={n: value_strategy(FIELDS[n]) for n in names}
    ).filter(lambda f: not (f.get("invasive") and f.get("dcis_only")))


@settings(max_examples=300, deadline=None)
@given(facts_strategy())
def test_every_fired_recommendation_is_cited_with_an_allowed_strength(facts):
    rules = load_rules()
    result = evaluate(facts)
    ids = result.ids
    assert len(ids) == len(set(ids))
    assert not set(ids) & {u.id for u in result.undecided}
    for rec in result.recommendations:
        assert rec.strength in ALLOWED_STRENGTHS
        assert rec.cite.strip() and rec.citation.guideline
        assert rec.text.strip()
        assert rec.topic in rules.topics
        if rec.source_kind in NON_NICE:
            assert rec.strength == rec.source_kind
        else:
            assert rec.source_kind == "nice" and rec.strength not in NON_NICE


@settings(max_examples=200, deadline=None)
@given(facts_strategy(include_derived=False), st.data())
def test_more_facts_never_withdraw_a_recommendation(full, data):
    """Kleene logic: a rule true on part of the facts stays true on all of them.

    Facts with a default (recurrence_event none, exception facts false) are assumptions, not
    unknowns: both sides carry the same value so the default cannot change the setting.
    """
    defaults = {n: full.get(n, s.default) for n, s in FIELDS.items() if s.default is not None}
    kept = data.draw(st.lists(st.sampled_from(sorted(full)), unique=True) if full else st.just([]))
    part = {**{k: full[k] for k in kept}, **defaults}
    full = {**full, **defaults}
    # contradictory facts (pN0 with positive nodes) are treated as unknown: no monotonicity
    assume(not evaluate(full).conflicts)
    assert set(evaluate(part).ids) <= set(evaluate(full).ids)


@settings(max_examples=200, deadline=None)
@given(facts_strategy())
def test_reported_facts_are_facts_of_the_case(facts):
    result = evaluate(facts)
    known = {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items()}
    known.update(result.derived)
    for rec in result.recommendations:
        for name, value in rec.facts.items():
            assert known[name] == value
