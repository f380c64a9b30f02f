"""Input validation of the indices (spec 1.2, 2.5, 5): refusals name field, value and range."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from axilla.case.indices import (
    CTS5Inputs,
    NPIInputs,
    VNPIInputs,
    validate_index_columns,
)
from axilla.errors import InputError

NPI_OK = {"size_mm": 20, "positive_nodes": 1, "grade": 2}
CTS5_OK = {"age_years": 60, "size_mm": 20, "grade": 2, "positive_nodes": 0}
VNPI_OK = {"size_mm": 20, "margin_mm": 5, "nuclear_grade": 2, "comedo_necrosis": True,
           "age_years": 55}


def _refused(model, base, field, value):
    with pytest.raises(InputError) as info:
        model(**{**base, field: value})
    problems = info.value.problems
    assert [p.field for p in problems] == [field]
    return problems[0], str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "range_text"),
    [
        ("size_mm", 0, "greater than 0 and at most 500 mm"),
        ("size_mm", -4, "greater than 0 and at most 500 mm"),
        ("size_mm", math.nan, "greater than 0 and at most 500 mm"),
        ("size_mm", "big", "greater than 0 and at most 500 mm"),
        ("size_mm", True, "greater than 0 and at most 500 mm"),
        ("positive_nodes", -1, "whole number from 0 to 100"),
        ("positive_nodes", 1.5, "whole number from 0 to 100"),
        ("grade", 0, "one of 1"),
        ("grade", 4, "one of 1"),
        ("grade", 2.5, "one of 1"),
        ("micrometastatic_nodes", -2, "whole number from 0 to 100"),
        ("neoadjuvant_therapy", "perhaps", "true or false"),
    ],
)
def test_npi_refusals_name_field_value_and_range(field, value, range_text):
    problem, message = _refused(NPIInputs, NPI_OK, field, value)
    assert range_text in problem.reason
    assert field in message and range_text in message
    if not (isinstance(value, float) and math.isnan(value)):
        assert repr(value) in message


@pytest.mark.parametrize(
    ("field", "value", "range_text"),
    [
        ("age_years", 17, "from 18 to 100 years"),
        ("age_years", 101, "from 18 to 100 years"),
        ("size_mm", 0, "greater than 0 and at most 500 mm"),
        ("grade", 9, "one of 1"),
        ("positive_nodes", -3, "whole number"),
        ("er_positive", False, "ER-positive"),
        ("endocrine_therapy_years", -1, "from 0 to 30 years"),
        ("postmenopausal", "unknown", "true or false"),
    ],
)
def test_cts5_refusals(field, value, range_text):
    problem, _ = _refused(CTS5Inputs, CTS5_OK, field, value)
    assert range_text in problem.reason


@pytest.mark.parametrize(
    ("field", "value", "range_text"),
    [
        ("size_mm", 0, "greater than 0 and at most 500 mm"),
        ("margin_mm", -0.1, "at least 0 mm"),
        ("nuclear_grade", 4, "one of 1"),
        ("comedo_necrosis", "maybe", "true or false"),
        ("comedo_necrosis", None, "required"),
        ("age_years", 12, "from 18 to 120 years"),
    ],
)
def test_vnpi_refusals(field, value, range_text):
    problem, _ = _refused(VNPIInputs, VNPI_OK, field, value)
    assert range_text in problem.reason


def test_micrometastases_cannot_exceed_positive_nodes():
    problem, _ = _refused(NPIInputs, NPI_OK, "micrometastatic_nodes", 2)
    assert "positive_nodes (1)" in problem.reason
    assert problem.value == 2


def test_missing_required_input_and_unknown_input_are_refused():
    with pytest.raises(InputError) as info:
        NPIInputs(size_mm=20, positive_nodes=0)
    assert info.value.problems[0].field == "grade"
    assert "required" in info.value.problems[0].reason
    with pytest.raises(InputError) as info:
        NPIInputs(**NPI_OK, colour="blue")
    assert info.value.problems[0].field == "colour"
    assert "'blue'" in str(info.value)


def test_several_problems_are_reported_together():
    with pytest.raises(InputError) as info:
        NPIInputs(size_mm=-1, positive_nodes=0.5, grade=7)
    assert {p.field for p in info.value.problems} == {"size_mm", "positive_nodes", "grade"}


def test_model_validate_is_guarded_too():
    with pytest.raises(ValidationError, match="grade: must be one of 1"):
        NPIInputs.model_validate({**NPI_OK, "grade": 5})


def test_inputs_are_frozen_and_text_numbers_accepted():
    inputs = NPIInputs(size_mm="15", positive_nodes="2", grade="3")
    assert (inputs.size_mm, inputs.positive_nodes, inputs.grade) == (15.0, 2, 3)
    with pytest.raises(ValidationError):
        inputs.grade = 1


def test_columnar_check_keeps_valid_rows_and_names_bad_rows():
    checked = validate_index_columns("NPI", {
        "size_mm": [15, -1, 20, 30],
        "positive_nodes": [0, 2, 1.5, 4],
        "grade": [1, 2, 3, 4],
    })
    assert checked.valid.tolist() == [True, False, False, False]
    assert [(row, p.field) for row, p in checked.problems] == [
        (1, "size_mm"), (2, "positive_nodes"), (3, "grade"),
    ]
    assert checked.columns["micrometastatic_nodes"].tolist() == [0, 0, 0, 0]


def test_columnar_check_accepts_numpy_arrays_and_defaults_optional_inputs():
    checked = validate_index_columns("CTS5", {
        "age_years": np.array([60.0, 45.0]), "size_mm": np.array([20.0, 10.0]),
        "grade": np.array([2, 1]), "positive_nodes": np.array([0, 3]),
    })
    assert checked.valid.all()
    assert checked.columns["er_positive"].tolist() == [1.0, 1.0]
    assert np.isnan(checked.columns["postmenopausal"]).all()
    assert [row for row, _ in checked.warnings] == [1]  # age 45: extrapolation


def test_columnar_check_refuses_unusable_batches():
    with pytest.raises(InputError, match="every input needs 2 rows"):
        validate_index_columns("NPI", {"size_mm": [1, 2], "positive_nodes": [0], "grade": [1, 2]})
    with pytest.raises(InputError, match="must be one of NPI, CTS5, VNPI"):
        validate_index_columns("MSKCC", {})  # type: ignore[arg-type]
    checked = validate_index_columns("NPI", {"size_mm": [10], "grade": [2]})
    assert not checked.valid[0]
    assert checked.problems[0][1].field == "positive_nodes"
