"""Paths taken for a few patients (one assessment) give exactly what the array paths give.

Oracles: the same functions on a batch large enough to take the array path (or with the
few-rows threshold lowered), on the same values; compared bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case import predict as case_predict
from axilla.case.predict import predict_warnings
from axilla.models.predict import kernel

CODES = {"generation": [0, 1, 2, 3], "horm": [0, 1], "er": [0, 1], "traz": [0, 1],
         "her2": [0, 1, 9], "radio": [0, 1]}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), columns=st.integers(1, 14),
       few=st.integers(1, 8))
def test_the_split_of_a_few_patients_is_the_slab_loops(seed, columns, few):
    rng = np.random.default_rng(seed)
    n = kernel._SLAB_LOOP_FROM + 20  # the loop over years
    s_br = np.cumprod(rng.uniform(0.9, 1.0, (15, columns, n)), axis=0)
    s_oth = np.cumprod(rng.uniform(0.95, 1.0, (15, columns, n)), axis=0)
    f_all = 1.0 - s_oth * s_br
    big = kernel.split_mortality(f_all, s_br, s_oth)
    at = rng.choice(n, few, replace=False)
    small = kernel.split_mortality(f_all[:, :, at], s_br[:, :, at], s_oth[:, :, at])
    for a, b in zip(small, big, strict=True):
        assert a.shape == (15, columns, few)
        np.testing.assert_array_equal(a, b[:, :, at])


rows = st.lists(st.fixed_dictionaries({
    **{k: st.sampled_from(v).map(float) for k, v in CODES.items()},
    "heart_gy": st.one_of(st.sampled_from([0.0, 10.0, 10.5, 50.0, float("nan")]),
                          st.floats(0, 50)),
}), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(x=rows, v3=st.booleans(), mask=st.lists(st.booleans(), min_size=8, max_size=8),
       masked=st.booleans())
def test_warnings_read_row_by_row_are_the_array_ones(x, v3, mask, masked):
    cols = {k: np.array([r[k] for r in x]) for k in x[0]}
    if not v3:
        del cols["heart_gy"]  # versions 2.x read no heart dose
    valid = np.array(mask[:len(x)]) if masked else None
    few = predict_warnings(cols, valid, uses_v3_inputs=v3)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(case_predict, "FEW_ROWS", 0)
        general = predict_warnings(cols, valid, uses_v3_inputs=v3)
    assert list(few) == list(general)
    for message, found in general.items():
        assert few[message].dtype == found.dtype
        np.testing.assert_array_equal(few[message], found)


def test_a_warning_names_its_rows():
    cols = {"generation": np.array([1.0, 0.0]), "horm": np.array([1.0, 1.0]),
            "er": np.array([0.0, 1.0]), "traz": np.array([0.0, 1.0]),
            "her2": np.array([1.0, 9.0]), "radio": np.array([0.0, 1.0]),
            "heart_gy": np.array([2.0, 12.0])}
    found = {m.split(":")[0] + (" Q10" if "Q10" in m else ""): r.tolist()
             for m, r in predict_warnings(cols).items()}
    assert found == {"generation": [0], "horm": [0], "traz": [1], "heart_gy Q10": [0],
                     "heart_gy": [1]}
