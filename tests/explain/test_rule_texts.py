"""The words of each fired rule, written once a language and rule, are exactly the words
written afresh for every case: "guidance:<topic>", "<id> (<strength>): <text> [<citation>]",
and the strength in plain words.

Oracle: the recommendation's own fields formatted here as the explanation's format says, and
``explain_recommendation_strength`` for the patient's sentence; the kept texts emptied (or
full) changes nothing.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import compute
from axilla.assess.present import _rule_texts, explanations
from axilla.case.assessment import parse_case
from axilla.errors import InputError
from axilla.explain.catalogue import available_languages
from axilla.explain.texts import explain_recommendation_strength
from test_columns import any_case

present_module = importlib.import_module("axilla.assess.present")
_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def _told_afresh(case, lang: str) -> None:
    """The guidance explanations of ``case`` are its recommendations told word by word."""
    f = compute([case])[0]
    told = [e for e in explanations(case, f, lang) if e.topic.startswith("guidance:")]
    recs = f.guidance.recommendations
    assert len(told) == len(recs)
    for e, rec in zip(told, recs, strict=True):
        plain = explain_recommendation_strength(rec.strength, lang)
        assert e.topic == f"guidance:{rec.topic}"
        assert e.clinician == f"{rec.id} ({rec.strength}): {rec.text} [{rec.cite}]"
        assert e.patient == plain.patient
        assert e.glossary_terms == list(plain.terms)
        assert type(e.glossary_terms) is list
        assert e.model_fields_set == {"topic", "clinician", "patient", "glossary_terms"}


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_rule_words_of_examples_are_told_afresh(example, lang):
    _told_afresh(parse_case(json.loads(example.read_text("utf-8"))), lang)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(any_case(), st.sampled_from(available_languages()))
def test_rule_words_of_any_case_are_told_afresh(case, lang):
    _told_afresh(case, lang)


def test_each_case_gets_its_own_terms_list():
    case = parse_case(json.loads(_EXAMPLES[0].read_text("utf-8")))
    f = compute([case])[0]
    first = [e for e in explanations(case, f) if e.topic.startswith("guidance:")]
    second = [e for e in explanations(case, f) if e.topic.startswith("guidance:")]
    assert first and first == second
    assert all(a.glossary_terms is not b.glossary_terms for a, b in zip(first, second, strict=True))


def test_full_keep_still_tells_the_same_words(monkeypatch):
    case = parse_case(json.loads(_EXAMPLES[0].read_text("utf-8")))
    f = compute([case])[0]
    _rule_texts.cache_clear()
    fresh = explanations(case, f, "cy")
    monkeypatch.setattr(present_module, "_RULE_TEXTS_MAX", 0)
    _rule_texts.cache_clear()
    assert explanations(case, f, "cy") == fresh
    assert _rule_texts("cy") == {}  # nothing kept beyond the limit
    _rule_texts.cache_clear()


def test_unknown_strength_is_refused_as_before():
    case = parse_case(json.loads(_EXAMPLES[0].read_text("utf-8")))
    f = compute([case])[0]
    rec = f.guidance.recommendations[0].model_copy(update={"strength": "must"})
    odd = f.model_copy(update={"guidance": f.guidance.model_copy(
        update={"recommendations": [rec]})})
    with pytest.raises(InputError, match="strength"):
        explanations(case, odd)
