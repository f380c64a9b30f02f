"""The sections ``compute`` builds without validating again equal what the validated
constructors give from the same values: same fields, values, types and fields set, for the
examples and random valid cases (a field type the values do not match would show here)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from axilla.assess import compute
from axilla.case.assessment import parse_case
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _validated_again(model: BaseModel) -> BaseModel:
    return type(model)(**{name: getattr(model, name) for name in model.model_fields_set})


def _same(model: BaseModel) -> None:
    again = _validated_again(model)
    assert again == model
    assert again.model_fields_set == model.model_fields_set
    for name in type(model).model_fields:
        assert type(getattr(again, name)) is type(getattr(model, name)), name
    assert again.model_dump_json() == model.model_dump_json()


def _check(cases) -> None:
    for figures in compute(cases):
        for part in (figures, figures.provenance, figures.recurrence, *figures.indices):
            _same(part)


def test_examples():
    _check([parse_case(json.loads(p.read_text("utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_random_cases(cases):
    _check(cases)
