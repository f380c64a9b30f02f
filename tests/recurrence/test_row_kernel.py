"""The risk-factor equations written out once for one case (``row_kernel``) give exactly the
columnar kernel's factors (the general path, NumPy columns), NaN for NaN and in the same order,
for any row: absent fields, None and NaN values included; hand-computed rows from recurrence.md
§5; the written function holds one assignment an operation and names no factor twice."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.recurrence import row_kernel
from axilla.recurrence.risk_factors import _ROW, _ROW_SOURCE, RISK_FACTORS, _Columns, _factors

_spec = importlib.util.spec_from_file_location(
    "recurrence_risk_rows_kernel", Path(__file__).with_name("test_risk_rows.py"))
_rows = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _rows
_spec.loader.exec_module(_rows)
CASE = _rows.CASE


def _columnar(row: dict) -> dict[str, float]:
    with np.errstate(invalid="ignore"):
        cols = _factors(_Columns({k: [v] for k, v in row.items()}, 1))
    return {k: float(v[0]) for k, v in cols.items()}


def _same(got: dict[str, float], expected: dict[str, float]) -> None:
    assert list(got) == list(expected)
    for name, value in expected.items():
        assert type(got[name]) is float, name
        assert (math.isnan(got[name]) and math.isnan(value)) or got[name] == value, name


FIELDS = sorted({f for d in RISK_FACTORS for f in d.fields})


@settings(max_examples=300)
@given(row=CASE, dropped=st.sets(st.sampled_from(FIELDS), max_size=5))
def test_the_written_row_function_equals_the_columns(row: dict, dropped: set) -> None:
    _same(_ROW(row), _columnar(row))
    kept = {k: v for k, v in row.items() if k not in dropped}  # absent = unknown
    _same(_ROW(kept), _columnar({**kept, **{k: None for k in dropped}}))


@given(row=CASE, name=st.sampled_from(["radial_margin_min_mm", "size_mm", "age_years", "bmi",
                                       "alcohol_units_per_week", "breast_surgery",
                                       "er_status", "germline_brca"]))
def test_a_nan_value_is_unknown_as_in_the_columns(row: dict, name: str) -> None:
    row = {**row, name: math.nan}
    _same(_ROW(row), _columnar(row))


def test_hand_computed_rows() -> None:
    # a 0.5 mm margin after BCS for invasive disease: close (< 1 mm), not involved (> 0)
    got = _ROW({"breast_surgery": "bcs", "radial_margin_min_mm": 0.5, "dcis_only": False,
                "breast_rt_given": True, "age_years": 37.0, "grade": 3})
    assert got["margin_close"] == 1.0 and got["margin_involved"] == 0.0
    assert got["no_rt_after_bcs"] == 0.0
    assert got["age_35_39"] == 1.0 and got["age_lt_35"] == 0.0 and got["grade_3"] == 1.0
    assert math.isnan(got["nodes_1_3"])  # neither a count nor a pN category given
    # pN1mi: no macrometastasis, so 0 nodes with one; micrometastases only
    got = _ROW({"pn_category": "pN1mi", "t_category": "T4"})
    assert got["nodes_1_3"] == 0.0 and got["nodes_4_plus"] == 0.0
    assert got["micromets_only"] == 1.0
    assert math.isnan(got["t4_or_skin_chest_wall"])  # T4 without its subcategory
    assert all(math.isnan(v) for v in _ROW({}).values())  # nothing known: all unknown


def test_the_written_function_names_each_factor_once_in_table_order() -> None:
    returned = _ROW_SOURCE.rsplit("return ", 1)[1]
    ids = [d.id for d in RISK_FACTORS]
    assert [i for i in ids if f"'{i}':" in returned] == ids
    assert list(_ROW({})) == ids


def test_a_constant_that_is_not_a_number_is_refused_when_written() -> None:
    with pytest.raises(TypeError, match="cannot write the constant"):
        row_kernel.compiled(lambda o: {"x": o.where(o.num("a") == 1, "yes", 0.0)})
