"""NPI and CTS5 of a few cases on plain floats equal the columnar kernels bit for bit (every
column, its dtype, NaN where NaN), on random inputs over the spec's ranges, boundaries
included; ``round_like_numpy`` equals ``np.round``; the results of ``npi_results`` and
``cts5_results`` are the same whichever path computed them."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models import batch
from axilla.models.batch import SMALL_BATCH, round_like_numpy
from axilla.models.cts5 import compute_cts5, cts5_results
from axilla.models.npi import compute_npi, npi_results

#: Sizes on the 0.1 mm grid (NPI group boundaries fall on it) and anywhere in (0, 500].
SIZE = st.one_of(st.integers(1, 5000).map(lambda k: k / 10), st.floats(0.01, 500),
                 st.sampled_from([30.0, 30.5, 50.0, 70.0, 70.5]))


@st.composite
def cases(draw: st.DrawFn, max_rows: int) -> dict[str, np.ndarray]:
    n = draw(st.integers(1, max_rows))
    positive = draw(st.lists(st.one_of(st.integers(0, 12), st.integers(0, 100)),
                             min_size=n, max_size=n))
    return {
        "size_mm": np.array(draw(st.lists(SIZE, min_size=n, max_size=n)), dtype=float),
        "grade": np.array(draw(st.lists(st.sampled_from([1, 2, 3]), min_size=n, max_size=n)),
                          dtype=float),
        "positive_nodes": np.array(positive, dtype=float),
        "micrometastatic_nodes": np.array([draw(st.integers(0, p)) for p in positive],
                                          dtype=float),
        "age_years": np.array(draw(st.lists(st.one_of(st.integers(18, 100), st.floats(18, 100)),
                                            min_size=n, max_size=n)), dtype=float),
    }


def _columnar(fn, *args, **kwargs):
    saved = batch.SMALL_BATCH
    batch.SMALL_BATCH = 0
    try:
        return fn(*args, **kwargs)
    finally:
        batch.SMALL_BATCH = saved


def _same_columns(got, expected) -> None:
    for f in fields(expected):
        a, b = getattr(got, f.name), getattr(expected, f.name)
        assert a.dtype == b.dtype, f.name
        assert a.shape == b.shape, f.name
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(a.view(np.uint64), b.view(np.uint64), err_msg=f.name)
        else:
            np.testing.assert_array_equal(a, b, err_msg=f.name)


@settings(max_examples=300)
@given(x=cases(SMALL_BATCH), count_micro=st.booleans())
def test_npi_rows_equal_columns(x, count_micro):
    args = (x["size_mm"], x["positive_nodes"], x["grade"])
    kwargs = {"micrometastatic_nodes": x["micrometastatic_nodes"],
              "count_micromets_as_positive": count_micro}
    _same_columns(compute_npi(*args, **kwargs), _columnar(compute_npi, *args, **kwargs))


@settings(max_examples=300)
@given(x=cases(SMALL_BATCH), count_micro=st.booleans(),
       cap=st.sampled_from([30.0, None, 20.0]))
def test_cts5_rows_equal_columns(x, count_micro, cap):
    args = (x["age_years"], x["size_mm"], x["grade"], x["positive_nodes"])
    kwargs = {"micrometastatic_nodes": x["micrometastatic_nodes"],
              "count_micromets_as_positive": count_micro, "size_cap_mm": cap}
    _same_columns(compute_cts5(*args, **kwargs), _columnar(compute_cts5, *args, **kwargs))


@given(x=cases(2 * SMALL_BATCH), neoadjuvant=st.booleans())
def test_results_equal_whichever_path(x, neoadjuvant):
    n = x["size_mm"].shape[0]
    neo = np.full(n, float(neoadjuvant))
    post = np.ones(n)
    npi_args = (x["size_mm"], x["positive_nodes"], x["grade"], x["micrometastatic_nodes"], neo)
    assert npi_results(*npi_args) == _columnar(npi_results, *npi_args)
    cts5_args = (x["age_years"], x["size_mm"], x["grade"], x["positive_nodes"],
                 x["micrometastatic_nodes"], neo, post)
    assert cts5_results(*cts5_args) == _columnar(cts5_results, *cts5_args)


@given(x=st.one_of(st.floats(-1e9, 1e9), st.integers(-10**7, 10**7).map(lambda k: k / 2000),
                   st.sampled_from([0.0, -0.0, 0.0005, -0.0005, 2.4005, 3.4995, 1e300])),
       decimals=st.integers(0, 8))
def test_round_like_numpy(x, decimals):
    expected = np.round(np.array([x]), decimals)[0]
    got = round_like_numpy(x, decimals)
    assert np.array([got]).view(np.uint64)[0] == np.array([expected]).view(np.uint64)[0]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_not_finite_inputs_take_the_columnar_path(bad):
    size = np.array([18.0, bad])
    with np.errstate(invalid="ignore"):  # the columnar curve of an infinite size
        out = compute_npi(size, np.array([1.0, 1.0]), np.array([2.0, 2.0]))
    assert out.score[0] == 4.36  # 0.2 x 1.8 cm + node stage 2 + grade 2
    assert out.group6.dtype == np.dtype("<U4")
