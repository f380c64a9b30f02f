"""The quick ways of making words and pictures give exactly what the general ways give.

Oracles: ``decimal`` rounding half up of the shortest repr (the definition of a patient's whole
number), ``xml.sax.saxutils`` escaping, and ``str.format`` of each catalogue template with
``string.Formatter`` reading its placeholders.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.errors import DataFileError
from axilla.explain.catalogue import available_languages, catalogue, message
from axilla.explain.svg import attr, escape
from axilla.explain.texts import patient_number
from support.templates import placeholders


def _half_up(x: float) -> str:
    return str(Decimal(repr(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(("x", "expected"), [
    (12.5, "13"), (12.4999, "12"), (0.5, "1"), (0.49999999999999994, "0"), (2.5, "3"),
    (-0.5, "-1"), (-0.4, "-0"), (-0.0, "-0"), (0.0, "0"), (99.5, "100"),
    (99.49999999999999, "99"), (5e-324, "0"), (2.0 ** 52 - 0.5, "4503599627370496"),
    (2.0 ** 52 + 2, "4503599627370498"), (1e16, "10000000000000000"), (7, "7"),
])
def test_patient_numbers_by_hand(x, expected):
    assert patient_number(x) == expected == _half_up(x)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18))
def test_patient_number_is_decimal_half_up_of_the_repr(x):
    assert patient_number(x) == _half_up(x)


@given(st.integers(-10 ** 6, 10 ** 6), st.sampled_from([1, 2, 4, 8, 10, 100, 1000]))
def test_patient_number_at_and_near_halves(numerator, denominator):
    x = numerator / denominator
    assert patient_number(x) == _half_up(x)


def test_patient_number_of_nan_is_as_decimal_says():
    assert patient_number(float("nan")) == _half_up(float("nan"))


@given(st.text())
def test_escape_is_the_standard_one(text):
    assert escape(text) == sax_escape(text)


@given(st.one_of(st.text(), st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True),
                 st.text().map(lambda t: "#" + t)))
def test_attribute_quoting_is_the_standard_one(value):
    assert attr(value) == quoteattr(value)



@pytest.mark.parametrize("lang", available_languages())
def test_every_message_is_its_template_formatted(lang):
    for key, template in catalogue(lang).items():
        names = placeholders(template)
        values = {name: f"<{name}>" for name in names}
        assert message(key, lang, **values) == template.format(**values), key
        if names:
            with pytest.raises(DataFileError, match=f"missing \\['{names[0]}'\\]"):
                message(key, lang, **{n: 1 for n in names[1:]})
        with pytest.raises(DataFileError, match="unexpected \\['zz_extra'\\]"):
            message(key, lang, zz_extra=1, **values)


_ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


@given(st.lists(_ANY_FLOAT, max_size=20), st.sampled_from([(0, 100), (0, 15), (-1, 1)]))
def test_range_check_is_the_plain_one(values, bounds):
    from axilla.explain.charts import _within

    low, high = bounds
    assert _within(values, low, high) == all(low <= v <= high for v in values)


_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def _presented_one_by_one(kind: str) -> tuple[Any, Any, tuple[str, ...]]:
    """The function that checks a case's texts at once, the model it makes, its text fields."""
    from axilla.assess.model import Explanation
    from axilla.assess.present import explanations, questions
    from axilla.explain.questions import PatientQuestion

    if kind == "explanations":
        return explanations, Explanation, ("topic", "clinician", "patient")
    return questions, PatientQuestion, ("id", "question", "answer")


@pytest.mark.parametrize("kind", ["explanations", "patient_questions"])
@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_texts_checked_at_once_are_those_built_one_by_one(kind, example, lang):
    from axilla.assess import compute
    from axilla.case.assessment import parse_case

    build, model, fields = _presented_one_by_one(kind)
    case = parse_case(json.loads(example.read_text("utf-8")))
    got = build(case, compute([case])[0], lang)
    assert got
    for item in got:
        values = {name: getattr(item, name) for name in (*fields, "glossary_terms")}
        one = model(**values)
        assert type(item) is model and type(item.glossary_terms) is list
        assert all(type(v) is str for v in (*[values[n] for n in fields],
                                              *item.glossary_terms))
        assert item == one and item.model_fields_set == one.model_fields_set
        assert item.model_dump_json() == one.model_dump_json()


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_chart_counts_with_labels_read_once_are_the_general_ones(example, lang):
    from axilla.assess import compute
    from axilla.assess.present import (
        _chart_counts,
        _extra_labels,
        _outcome_labels,
        chart_counts,
    )
    from axilla.case.assessment import parse_case

    case = parse_case(json.loads(example.read_text("utf-8")))
    r = compute([case])[0].predict.result
    if r is None:
        return
    labels, extras = _outcome_labels(lang), _extra_labels(r, lang)
    assert [e is not None for e in extras] == [b.chosen for b in r.benefits]
    for year in r.years:
        quick = _chart_counts(r, year, labels, extras)
        general = chart_counts(r, year, lang)
        assert list(quick.items()) == list(general.items())
        chosen = [b for b in r.benefits if b.chosen and b.benefit_pp[year] > 0]
        assert len(quick) == 3 + len(chosen)
        first = labels[0] if len(chosen) == sum(b.chosen for b in r.benefits) else labels[1]
        assert next(iter(quick)) == first
        assert abs(sum(quick.values()) - 100.0) < 1e-9 or quick[labels[3]] == 0.0
