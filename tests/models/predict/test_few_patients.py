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
from axilla.models.predict import compute, kernel, load_version
from axilla.models.predict.results import ladder_and_added

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


def random_patients(seed: int, n: int) -> dict[str, np.ndarray]:
    """Valid inputs over every code and range (ages 25-85, sizes 1-500 mm, ...)."""
    rng = np.random.default_rng(seed)

    def pick(codes):
        return np.asarray(codes, dtype=float)[rng.integers(0, len(codes), n)]

    return {"age": rng.uniform(25, 85, n), "size": rng.uniform(1, 500, n),
            "nodes": pick([0, 0.5, 1, 2, 3, 5, 9, 20, 50]), "grade": pick([1, 2, 3, 9]),
            "er": pick([0, 1]), "her2": pick([0, 1, 9]), "ki67": pick([0, 1, 9]),
            "pr": pick([0, 1, 9]), "screen": pick([0, 1, 2]),
            "generation": pick([0, 1, 2, 3]), "horm": pick([0, 1]), "traz": pick([0, 1]),
            "bis": pick([0, 1]), "radio": pick([0, 1]), "heart_gy": rng.uniform(0, 50, n),
            "smoker": pick([0, 1])}


@settings(max_examples=30, deadline=None)
@given(version=st.sampled_from(["3.1", "3.2"]), seed=st.integers(0, 2**32 - 1),
       n=st.integers(1, 8))
def test_a_few_patients_alone_have_their_figures_in_a_cohort(version, seed, n):
    """End to end: the few-patient paths (the split) against a batch that takes
    the array paths, the same patients at its start."""
    cohort = random_patients(seed, kernel._SLAB_LOOP_FROM + 4)
    alone = compute({k: c[:n] for k, c in cohort.items()}, version, conditional=False)
    within = compute(cohort, version, conditional=False)
    for name in ("pi", "mi", "all_cause", "breast", "other"):
        np.testing.assert_array_equal(getattr(alone, name), getattr(within, name)[:n],
                                      err_msg=name)


@settings(max_examples=30, deadline=None)
@given(version=st.sampled_from(["2.1", "3.0", "3.2"]), seed=st.integers(0, 2**32 - 1),
       n=st.integers(1, 8))
def test_both_halves_of_the_one_run_hold_their_patients_inputs(version, seed, n):
    """Unchecked inputs are read from the stacked array; checked ones are sliced from the
    run's coded inputs: the same keys in the same order and the same values."""
    x = random_patients(seed, n)
    v = load_version(version)
    fast = ladder_and_added(v, x, validate=False, one_run=True)
    checked = ladder_and_added(v, x, validate=True, one_run=True)
    for a, b in zip(fast, checked, strict=True):
        assert (a is None) == (b is None)
        if a is None or b is None:
            continue  # no treatment to add: no added run
        assert list(a.inputs) == list(b.inputs)
        for k in a.inputs:
            np.testing.assert_array_equal(a.inputs[k], b.inputs[k], err_msg=k)
    assert {m: r.tolist() for m, r in fast[0].warnings.items()} == {
        m: r.tolist() for m, r in checked[0].warnings.items()}
