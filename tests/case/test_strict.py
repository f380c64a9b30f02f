"""Strict types at the edge (issue 8): a boolean or text is never read as a number, a number
never as a boolean; each refusal names the full dotted path, the value and what is allowed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case.assessment import parse_case
from axilla.errors import InputError
from axilla.staging import stage

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_A = json.loads((ROOT / "examples" / "a_micrometastasis_sentinel.json").read_text())

#: Every numeric leaf of a case, as (path to the value in example A, dotted field name).
NUMERIC = [
    (("patient", "age_years"), "patient.age_years"),
    (("tumour", "invasive_sizes_mm", 0), "tumour.invasive_sizes_mm"),
    (("tumour", "grade"), "tumour.grade"),
    (("tumour", "er_percent"), "tumour.er_percent"),
    (("tumour", "ki67_percent"), "tumour.ki67_percent"),
    (("tumour", "oncotype_rs"), "tumour.oncotype_rs"),
    (("nodes", 0, "deposit_mm"), "nodes.0.deposit_mm"),
    (("nodes", 1, "cells_per_section"), "nodes.1.cells_per_section"),
    (("procedure", "nodes_removed"), "procedure.nodes_removed"),
    (("treatment", "mean_heart_dose_gy"), "treatment.mean_heart_dose_gy"),
    (("treatment", "radial_margin_min_mm"), "treatment.radial_margin_min_mm"),
]
FLAGS = [
    (("patient", "current_smoker"), "patient.current_smoker"),
    (("neoadjuvant",), "neoadjuvant"),
    (("screen_detected",), "screen_detected"),
    (("treatment", "endocrine_therapy"), "treatment.endocrine_therapy"),
    (("nodes", 0, "extranodal_extension"), "nodes.0.extranodal_extension"),
    (("procedure", "rtpcr_positive"), "procedure.rtpcr_positive"),
]


def with_value(path: tuple[Any, ...], value: object) -> dict[str, Any]:
    case = copy.deepcopy(EXAMPLE_A)
    target: Any = case
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return case


def refused(case: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        parse_case(case)
    return info.value


@pytest.mark.parametrize(("path", "field"), NUMERIC)
@settings(max_examples=25, deadline=None)
@given(value=st.one_of(st.booleans(), st.text(max_size=8)))
def test_no_boolean_or_text_is_read_as_a_number(path, field, value) -> None:
    err = refused(with_value(path, value))
    found = {p.field: p for p in err.problems}
    assert field in found or field.rsplit(".", 1)[0] in found, err
    problem = found.get(field) or found[field.rsplit(".", 1)[0]]
    assert "not" in problem.reason and ("number" in problem.reason or "one of" in problem.reason)


@pytest.mark.parametrize(("path", "field"), FLAGS)
@settings(max_examples=25, deadline=None)
@given(value=st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=6)))
def test_no_number_or_text_is_read_as_a_boolean(path, field, value) -> None:
    err = refused(with_value(path, value))
    (problem,) = err.problems
    assert problem.field == field
    assert problem.value == value
    assert "true or false" in problem.reason


def test_deposit_true_is_refused_not_a_1_mm_micrometastasis() -> None:
    err = refused(with_value(("nodes", 1, "deposit_mm"), True))
    (p,) = err.problems
    assert (p.field, p.value) == ("nodes.1.deposit_mm", True)
    assert "0 to 200 mm" in p.reason


def test_deposit_false_is_refused_not_a_negative_node() -> None:
    # Example A is pN1mi by its 1.2 mm node; false read as 0 made it pN0.
    assert stage(parse_case(EXAMPLE_A).staging_case()).pN.without_suffix.endswith("N1mi")
    err = refused(with_value(("nodes", 0, "deposit_mm"), False))
    assert [p.field for p in err.problems] == ["nodes.0.deposit_mm"]


def test_grade_true_is_refused_not_grade_1() -> None:
    (p,) = refused(with_value(("tumour", "grade"), True)).problems
    assert (p.field, p.value) == ("tumour.grade", True)
    assert "1, 2, 3" in p.reason


def test_underscored_text_is_refused_not_30() -> None:
    (p,) = refused(with_value(("patient", "age_years"), "3_0")).problems
    assert (p.field, p.value) == ("patient.age_years", "3_0")
    assert "18 to 110 years" in p.reason


def test_whole_float_grade_and_int_sizes_stay_accepted() -> None:
    assert parse_case(with_value(("tumour", "grade"), 2.0)).tumour.grade == 2
    assert parse_case(with_value(("tumour", "invasive_sizes_mm"), [18])).invasive_size_mm() == 18


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.stem)
def test_every_example_case_is_still_accepted(path: Path) -> None:
    parse_case(json.loads(path.read_text()))
