"""The recurrence event is read as strictly as the rest of the case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axilla.case.assessment import parse_case
from axilla.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def test_recurrence_event_is_strict_too() -> None:
    case = json.loads((ROOT / "examples" / "e_regional_recurrence_during_chemotherapy.json")
                      .read_text())
    case["recurrence"]["pathology_confirmed"] = 1
    with pytest.raises(InputError) as info:
        parse_case(case)
    (p,) = info.value.problems
    assert p.field == "recurrence.pathology_confirmed"
    assert "true or false" in p.reason
