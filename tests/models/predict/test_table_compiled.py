"""The compiled glue loops of the benefit table against the NumPy path they replace.

Oracles: the NumPy path of ``benefit_table(use_compiled=False)`` (kernel.table_chunk,
tables.nearest_with_ties and r_round, the reference), the official rounded benefits of
tests/data/predict/v3.1.csv and v3.2.csv (``ben_<name>_y<T>``), the general engine's unrounded
benefits rounded by R's rule (spec sec. 1.5), and IEEE division for the tenths.
Rounded cells must be identical (sign of zero included), unrounded ones within 1e-12 pp.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import benefit_table, compiled, load_version
from axilla.models.predict import kernel as k
from axilla.models.predict.engine import prepare_inputs
from axilla.models.predict.tables import ladder_steps, r_round
from models.predict.test_properties import patients
from support.predict_reference import load_reference

TABLE_VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
ALL_YEARS = tuple(range(1, 16))


def assert_identical(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert list(a) == list(b)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
        np.testing.assert_array_equal(np.signbit(a[name]), np.signbit(b[name]), err_msg=name)


def assert_paths_agree(x: dict[str, np.ndarray], version: str, **kw: object) -> None:
    compiled_table = benefit_table(x, version, years=ALL_YEARS, **kw)
    numpy_table = benefit_table(x, version, years=ALL_YEARS, use_compiled=False, **kw)
    assert_identical(compiled_table, numpy_table)
    exact = benefit_table(x, version, years=ALL_YEARS, rounded=False, **kw)
    reference = benefit_table(x, version, years=ALL_YEARS, rounded=False, use_compiled=False,
                              **kw)
    for name in exact:
        assert np.max(np.abs(exact[name] - reference[name]), initial=0.0) <= 1e-12, name


def test_the_compiled_loops_are_built_and_load_quickly():
    """The dev install builds the extension (pyproject [tool.setuptools] ext-modules); the
    rest of this file would otherwise test the NumPy path against itself."""
    assert compiled.library() is not None, (
        "the compiled table loops were not built: reinstall with `pip install -e '.[dev]'` "
        "on a machine with a C compiler and the Python headers")


@pytest.mark.parametrize("version", TABLE_VERSIONS)
def test_compiled_equals_numpy_on_the_reference_inputs(version):
    assert_paths_agree(load_reference(version).inputs, version)


@pytest.mark.parametrize("version", ["3.1", "3.2"])
def test_compiled_rounded_benefits_equal_the_sources(version):
    ref = load_reference(version)
    table = benefit_table(ref.inputs, version, years=ALL_YEARS)
    v = load_version(version)
    for ladder in v.ladders:
        for name, _, _ in ladder_steps(v, ladder):
            expected = np.stack([ref.outputs[f"ben_{name}_y{t}"] for t in ALL_YEARS], axis=1)
            np.testing.assert_array_equal(table[name], expected, err_msg=name)


@pytest.mark.parametrize("version", TABLE_VERSIONS)
@settings(max_examples=25, deadline=None)
@given(x=patients(n=13), chunk=st.integers(1, 40))
def test_compiled_equals_numpy_on_drawn_patients(version, x, chunk):
    """Any chunking (blocks of the C loops padded past the last patient) and two threads."""
    assert_paths_agree(x, version, chunk_size=chunk, threads=2)


@pytest.mark.parametrize("window", [0.3, 0.45, 0.4999])
@settings(max_examples=15, deadline=None)
@given(x=patients(n=40))
def test_compiled_loops_flag_the_same_patients_as_numpy(window, x):
    """With the near-tie window widened, many cells count as near a tie: the patients the C
    loops send to R's rule are exactly those NumPy's nearest_with_ties finds."""
    v = load_version("3.2")
    steps = [s for ladder in v.ladders for s in ladder_steps(v, ladder)]
    columns = tuple(sorted({c for _, a, b in steps for c in (a, b)}, key=v.columns.index))
    pairs = tuple((columns.index(a), columns.index(b)) for _, a, b in steps)
    rows = (4, 9, 14)
    tp = k.table_plan(v, columns, rows, pairs)
    coded, _, _ = prepare_inputs(v, x, False)
    cov = k.table_covariates(tp, coded)
    loops = compiled.table_loops(tp, pairs, rounded=True, times=1000.0, times_after=100.0,
                                 divide_by=10.0, near_tie=0.5 - window)
    assert loops is not None
    out = np.empty((len(steps), len(rows), 40))
    who = loops(cov, out, 0)
    y = k.table_chunk(tp, cov, k.Workspace(), np.empty((len(rows), len(steps), 40)), 1000.0)
    whole = np.empty_like(y)
    np.rint(y, out=whole)
    expected = np.flatnonzero((np.abs(y - whole) > 0.5 - window).any(axis=(0, 1)))
    np.testing.assert_array_equal(who, expected)
    np.testing.assert_array_equal(out.transpose(1, 0, 2), whole / 10.0)


def age_at_a_tie(x: dict[str, np.ndarray], name: str, year: int) -> float | None:
    """An age at which the benefit ``name`` at ``year`` lies on a tie (a whole number of
    tenths plus one half) to within a few ulps, found by bisection; None if it crosses none."""
    def tenths(age: float) -> float:
        one = dict(x, age=np.array([age]))
        return 10.0 * benefit_table(one, "3.2", years=(year,), rounded=False,
                                    use_compiled=False, validate=False)[name][0, 0]

    lo, hi = 25.0, 85.0
    f_lo, f_hi = tenths(lo), tenths(hi)
    half = np.floor(min(f_lo, f_hi) - 0.5) + 1.5  # the first tie above the lower end
    if not min(f_lo, f_hi) < half < max(f_lo, f_hi):
        return None
    rising = f_hi > f_lo
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if (tenths(mid) < half) == rising:
            lo = mid
        else:
            hi = mid
    return lo


@settings(max_examples=12, deadline=None)
@given(x=patients(n=1), step=st.integers(0, 11), year=st.sampled_from([5, 10, 15]))
def test_a_benefit_on_a_tie_is_rounded_by_rs_rule_on_both_paths(x, step, year):
    """Drawn patients moved (by age) onto a tie of one benefit: both paths give R's rounding of
    the table's unrounded value, cell for cell. (Not of the general engine's: at a tie, the
    last bits of two orders of operations may fall either side of it.)"""
    v = load_version("3.2")
    name = [s[0] for ladder in v.ladders for s in ladder_steps(v, ladder)][step]
    age = age_at_a_tie(x, name, year)
    if age is None:
        return  # this benefit crosses no tie between ages 25 and 85
    tie = dict(x, age=np.array([age]))
    y = 10.0 * benefit_table(tie, "3.2", years=(year,), rounded=False)[name][0, 0]
    assert abs(abs(y - np.rint(y)) - 0.5) < 1e-6  # within the near-tie window
    assert_paths_agree(tie, "3.2")
    shown = benefit_table(tie, "3.2", years=ALL_YEARS)
    exact = benefit_table(tie, "3.2", years=ALL_YEARS, rounded=False, use_compiled=False)
    for n_, values in exact.items():
        np.testing.assert_array_equal(shown[n_], r_round(values, 1), err_msg=n_)


def test_tenths_are_formed_exactly_as_division_forms_them():
    """The loops divide by 10 with a reciprocal and one fused correction: every integer
    number of tenths a benefit can take (and far beyond), signed zeros and non-finite values
    give the same double as IEEE division."""
    k_values = np.concatenate([
        np.arange(-(2**21), 2**21 + 1, dtype=float),
        [0.0, -0.0, np.inf, -np.inf, np.nan, 2.0**53, -(2.0**60) + 4096.0, 1e308, -1e300],
    ])
    got = compiled.quotients(k_values, 10.0)
    expected = k_values / 10.0
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


def test_without_the_extension_the_numpy_path_gives_the_same_table(monkeypatch):
    """An install without a compiler: the loader finds no extension and the table is the NumPy
    path's, still the source's rounded benefits."""
    ref = load_reference("3.2")
    with_c = benefit_table(ref.inputs, "3.2", years=ALL_YEARS)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    compiled.library.cache_clear()
    try:
        assert compiled.library() is None
        v = load_version("3.2")
        tp = k.table_plan(v, tuple(v.columns), (4,), ((0, 1),))
        assert compiled.table_loops(tp, ((0, 1),), rounded=True, times=1000.0,
                                    times_after=100.0, divide_by=10.0, near_tie=0.4) is None
        without = benefit_table(ref.inputs, "3.2", years=ALL_YEARS)
    finally:
        monkeypatch.undo()
        compiled.library.cache_clear()
    assert_identical(without, with_c)
    for name, values in without.items():
        expected = np.stack([ref.outputs[f"ben_{name}_y{t}"] for t in ALL_YEARS], axis=1)
        np.testing.assert_array_equal(values, expected, err_msg=name)
    assert compiled.library() is not None


def test_a_stale_build_is_not_called(monkeypatch):
    """A library built from another revision of the C source reports another ABI number and
    is refused, rather than called with arguments it does not expect."""
    monkeypatch.setattr(compiled, "ABI", compiled.ABI + 1)
    compiled.library.cache_clear()
    try:
        assert compiled.library() is None
    finally:
        monkeypatch.undo()
        compiled.library.cache_clear()
    assert compiled.library() is not None
