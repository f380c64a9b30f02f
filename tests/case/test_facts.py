"""The guidance fact schema lives in case/ and is checked when a case is parsed (issue 8: a bad
fact was refused later, under the wrong field name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axilla.case import facts
from axilla.case.assessment import parse_case
from axilla.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_A = json.loads((ROOT / "examples" / "a_micrometastasis_sentinel.json").read_text())


def with_facts(**given: object) -> dict:
    return {**EXAMPLE_A, "guidance_facts": given}


@pytest.mark.parametrize(("name", "value", "words"), [
    ("axillary_us", "maybe", "one of"),
    ("size_mm", True, "a number from 0 to 500 mm"),
    ("size_mm", "12", "a number"),
    ("pregnant", 1, "true or false"),
    ("grade", 4, "from 1 to 3"),
])
def test_a_bad_fact_is_refused_at_parse_time_under_its_full_path(name, value, words) -> None:
    with pytest.raises(InputError) as info:
        parse_case(with_facts(**{name: value}))
    (p,) = info.value.problems
    assert p.field == f"guidance_facts.{name}"
    assert p.value == value
    assert words in p.reason


def test_an_unknown_fact_is_refused_with_a_suggestion() -> None:
    with pytest.raises(InputError) as info:
        parse_case(with_facts(axilary_us="normal"))
    (p,) = info.value.problems
    assert p.field == "guidance_facts.axilary_us"
    assert "axillary_us" in p.reason


def test_good_facts_are_kept_as_given() -> None:
    case = parse_case(with_facts(axillary_us="normal", pregnant=False))
    assert case.guidance_facts == {"axillary_us": "normal", "pregnant": False}


def test_the_guidance_package_reexports_the_one_schema() -> None:
    from axilla.guidance import FIELDS, validate_facts
    from axilla.guidance.schema import FieldSpec, load_fields

    assert FieldSpec is facts.FieldSpec
    assert set(FIELDS) == set(load_fields()) == set(facts.load_fields())
    assert validate_facts({"axillary_us": "normal"}) == {"axillary_us": "normal"}
    with pytest.raises(InputError):
        validate_facts({"axillary_us": 3})
