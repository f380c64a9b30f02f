"""The recurrence factor columns' membership test (one Python pass) equals NumPy's ``isin`` on
object columns with unknowns (None, NaN) mapped to NaN, on random columns of labels, booleans
and numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from axilla.recurrence.risk_factors import _is

CELLS = st.one_of(st.none(), st.just(float("nan")), st.booleans(), st.integers(0, 3),
                  st.sampled_from(["bcs", "mastectomy", "pN0", "pN1mi", "T4d", "negative"]))


def _isin_reference(raw: list[object], values: tuple[object, ...]) -> np.ndarray:
    arr = np.asarray(raw, dtype=object).reshape(-1)
    known = np.array([v is not None and not (isinstance(v, float) and np.isnan(v))
                      for v in arr], dtype=bool)
    hit = np.isin(arr, np.asarray(values, dtype=object))
    return np.where(known, hit.astype(float), np.nan)


@given(raw=st.lists(CELLS, min_size=1, max_size=12),
       values=st.lists(st.sampled_from(["bcs", "pN0", "pN1mi", "T4d", True, False, 1]),
                       min_size=1, max_size=3, unique=True))
def test_membership_equals_numpy_isin(raw, values):
    got = _is({"x": raw}, "x", len(raw), *values)
    np.testing.assert_array_equal(got, _isin_reference(raw, tuple(values)))


def test_absent_column_is_unknown():
    assert np.isnan(_is({}, "x", 3, "bcs")).all()
