"""A parsed case's staging part, built without validating again, equals the one validated
from the same fields: same values, same types, same fields set."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.case.assessment import parse_case
from axilla.case.staging import StagingCase
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _check(case) -> None:
    built = case.staging_case()
    names = ("tumour", "nodes", "procedure", "m", "neoadjuvant", "clinical_t", "clinical_n")
    validated = StagingCase(**{name: getattr(case, name) for name in names})
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    for name in StagingCase.model_fields:
        assert type(getattr(built, name)) is type(getattr(validated, name)), name
    assert built.model_dump() == validated.model_dump()


def test_example_cases():
    for path in sorted(EXAMPLES.glob("*.json")):
        _check(parse_case(json.loads(path.read_text("utf-8"))))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=any_case(), clinical=st.sampled_from([{}, {"clinical_t": "T2", "clinical_n": "N1"}]))
def test_random_cases(case, clinical):
    _check(case.model_copy(update=clinical) if clinical else case)
