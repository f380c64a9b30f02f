"""The input hash is the SHA-256 of the case's canonical JSON as documented: its dump in JSON
mode, keys sorted at every level, no spaces, non-ASCII escaped (json.dumps' defaults)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from axilla.case.assessment import parse_case
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _documented(case) -> str:
    text = json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_examples_and_a_case_id_outside_ascii():
    for path in sorted(EXAMPLES.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        for data in (raw, {**raw, "case_id": "Gwen-ŵ-é"}):
            case = parse_case(data)
            assert case.input_hash() == _documented(case)
    a = parse_case(json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text()))
    b = parse_case({**json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text()),
                    "case_id": "other"})
    assert a.input_hash() != b.input_hash()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=any_case())
def test_random_cases(case):
    assert case.input_hash() == _documented(case)
