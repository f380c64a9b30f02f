"""Ranges of the PREDICT benefits: what a clinician would check by eye, over random valid
patients (hypothesis). Source of the rule: the PREDICT 2.x web tool varies one treatment's log
hazard ratio at a time (WintonCentre/predict-v21-main@27db8a7, predict.cljs lines 171-219)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import compute, load_version
from axilla.models.predict.ranges import ranged_steps, variant
from axilla.models.predict.results import predict_one

EPS = 1e-9
YEARS = (1, 5, 10, 11, 15)

patient_2x = st.fixed_dictionaries({
    "age": st.floats(25, 85), "size": st.floats(1, 500),
    "nodes": st.one_of(st.integers(0, 50).map(float), st.just(0.5)),
    "grade": st.sampled_from([1, 2, 3, 9]), "er": st.sampled_from([0, 1]),
    "her2": st.sampled_from([0, 1, 9]), "ki67": st.sampled_from([0, 1, 9]),
    "screen": st.sampled_from([0, 1, 2]), "generation": st.sampled_from([0, 2, 3]),
    "horm": st.sampled_from([0, 1]), "traz": st.sampled_from([0, 1]),
    "bis": st.sampled_from([0, 1]), "radio": st.sampled_from([0, 1]),
})


def _all_benefits(r):
    return [*r.benefits, *(r.extended_benefits or [])]


@pytest.mark.parametrize("version", ["2.1", "2.2"])
@settings(max_examples=60, deadline=None)
@given(x=patient_2x)
def test_low_le_central_le_high_for_each_chosen_treatment_and_year(version, x):
    r = predict_one(x, version, years=YEARS)
    for b in _all_benefits(r):
        no_range = not b.chosen or (b.letter == "h10" and x["er"] == 0)
        if no_range:
            assert b.benefit_low_pp is None and b.benefit_high_pp is None, b.letter
            continue
        for t in YEARS:
            assert b.benefit_low_pp[t] - EPS <= b.benefit_pp[t] <= b.benefit_high_pp[t] + EPS
    for total in (r.total_benefit, r.extended_total_benefit):
        assert total is None or (total.benefit_low_pp is None and total.benefit_high_pp is None)


@pytest.mark.parametrize("version", ["2.1", "2.2"])
@settings(max_examples=30, deadline=None)
@given(x=patient_2x)
def test_the_central_bound_run_the_same_way_gives_benefit_pp(version, x):
    """The copy of the version with a treatment's coefficients at their central values,
    run through the engine as the ranges are, reproduces each benefit exactly."""
    v = load_version(version)
    r = predict_one(x, version, years=YEARS)
    by_step = {(b.from_column, b.to_column): b for b in _all_benefits(r)}
    cols = {k: [val] for k, val in x.items()}
    base = compute(cols, version, years=YEARS)
    for letter, steps in ranged_steps(v).items():
        run = compute(cols, variant(v.id, letter, "central"), years=YEARS)
        for a, b in steps:
            gain = 100.0 * (base.all_cause[0, base.col(a)] - run.all_cause[0, run.col(b)])
            assert np.array_equal(gain, [by_step[(a, b)].benefit_pp[t] for t in YEARS])


@pytest.mark.parametrize("version", ["3.0", "3.1", "3.2"])
@settings(max_examples=20, deadline=None)
@given(x=patient_2x, pr=st.sampled_from([0, 1, 9]))
def test_3x_has_no_range_anywhere(version, x, pr):
    r = predict_one(x | {"pr": pr}, version, years=YEARS)
    for b in [*_all_benefits(r), r.total_benefit]:
        assert b.benefit_low_pp is None and b.benefit_high_pp is None

