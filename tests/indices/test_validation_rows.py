"""The index input check row by row (a few rows) equals the columnar check (any number of
rows): same rows accepted, same refusals and warnings in the same order, same columns; on
random columns of numbers, flags, text, blanks and NaN, given as lists or NumPy arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case import index_rules
from axilla.case.index_rules import INDEX_INPUTS, SMALL_BATCH, validate_index_columns

#: Cells near and beyond every rule's bounds, codes, flags written out, blanks and junk.
RAW_CELL = st.one_of(
    st.none(), st.just(""), st.just(float("nan")), st.just(float("inf")), st.booleans(),
    st.sampled_from([0, 1, 2, 3, 4, 9, 10, 17, 18, 49.9, 50, 100, 101, 120, 121, 500, 501,
                     0.5, 1.5, 4.5, 5.5, 6, -1, 200, 201]),
    st.floats(-5, 600, allow_nan=False), st.integers(-2, 250),
    st.sampled_from(["yes", "no", "true", "False", "y", " 12 ", "3_0", "nan", "abc", "2.5"]),
)
FLOAT_CELL = st.one_of(st.just(float("nan")), st.sampled_from([0.0, 1.0, 2.0, 3.0, 18.0,
                                                                 49.0, 55.0, 4.0, 6.0, 0.5]),
                       st.floats(-5, 600, allow_nan=False))


@st.composite
def batches(draw: st.DrawFn, max_rows: int) -> tuple[str, dict[str, object]]:
    index = draw(st.sampled_from(sorted(INDEX_INPUTS)))
    n = draw(st.integers(1, max_rows))
    names = draw(st.lists(st.sampled_from(list(INDEX_INPUTS[index])), unique=True, min_size=1))
    columns: dict[str, object] = {}
    for name in names:
        if draw(st.booleans()):
            columns[name] = np.array(draw(st.lists(FLOAT_CELL, min_size=n, max_size=n)))
        else:
            columns[name] = draw(st.lists(RAW_CELL, min_size=n, max_size=n))
    return index, columns


def _plain(result: index_rules.IndexColumnValidation) -> tuple:
    problems = [(r, p.field, repr(p.value), type(p.value).__name__, p.reason)
                for r, p in result.problems]
    return result.valid.tolist(), problems, result.warnings


def _check_both(index: str, columns: dict[str, object]) -> None:
    rows = validate_index_columns(index, columns)
    saved = index_rules.SMALL_BATCH
    index_rules.SMALL_BATCH = 0
    try:
        whole = validate_index_columns(index, columns)
    finally:
        index_rules.SMALL_BATCH = saved
    assert _plain(rows) == _plain(whole)
    assert list(rows.columns) == list(whole.columns)
    for name, column in whole.columns.items():
        assert rows.columns[name].dtype == column.dtype
        np.testing.assert_array_equal(rows.columns[name], column, err_msg=name)


@settings(max_examples=400)
@given(batch=batches(SMALL_BATCH))
def test_row_by_row_equals_columns(batch):
    _check_both(*batch)


@pytest.mark.parametrize("index", ["NPI", "CTS5"])
def test_refusals_and_warnings_of_one_row(index):
    columns = {"size_mm": [0], "grade": ["2"], "positive_nodes": [2],
               "micrometastatic_nodes": [3], "neoadjuvant_therapy": [True]}
    if index == "CTS5":
        columns.update(age_years=[40], postmenopausal=[False])
    _check_both(index, columns)
    ok = dict(columns, size_mm=[18], grade=[2], micrometastatic_nodes=[1])
    result = validate_index_columns(index, ok)
    assert result.valid.tolist() == [True]
    assert [m.split(":")[0] for _, m in result.warnings] == (
        ["neoadjuvant_therapy"] if index == "NPI"
        else ["neoadjuvant_therapy", "age_years", "postmenopausal"])
    assert math.isnan(validate_index_columns(index, {"size_mm": [18]}).columns["grade"][0])
