"""Validation statistics on examples small enough to compute by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.errors import InputError
from axilla.validation import (
    brier_score,
    calibration,
    censoring_survival,
    harrell_c,
    kaplan_meier,
    net_benefit,
    scaled_brier,
    time_dependent_auc,
    uno_c,
)
from axilla.validation.discrimination import _later_counts

TIME = np.array([1.0, 2.0, 2.0, 3.0, 4.0])
EVENT = np.array([1, 1, 0, 1, 0])


def test_kaplan_meier_by_hand():
    km = kaplan_meier(TIME, EVENT)
    # S(1) = 4/5; S(2) = 4/5 * 3/4 (the censoring at 2 is still at risk); S(3) = 0.6 * 1/2
    np.testing.assert_allclose(km.at([0.5, 1, 2, 2.5, 3, 10]), [1, 0.8, 0.6, 0.6, 0.3, 0.3])
    assert km.at(2.0, left=True) == pytest.approx(0.8)


def test_censoring_survival_counts_events_first():
    # At 2: four rows have time >= 2, the event at 2 leaves first, so 1 censoring of 3;
    # at 4 the last row is censored: G falls to 0.
    g = censoring_survival(TIME, EVENT)
    np.testing.assert_allclose(g.at([1.5, 2, 3, 4]), [1.0, 2 / 3, 2 / 3, 0.0])


def test_harrell_c_by_hand():
    risk = np.array([0.9, 0.5, 0.7, 0.1, 0.2])
    # usable pairs: (1,2),(1,3),(1,4),(1,5); (2,3) event tied with a censoring at 2 -> usable,
    # (2,4),(2,5); (4,5). Concordant: all of row 1 (0.9 highest) = 4; (2,3) 0.5<0.7 no;
    # (2,4) yes, (2,5) yes; (4,5) 0.1 < 0.2 no. 6 of 8.
    assert harrell_c(TIME, EVENT, risk) == pytest.approx(6 / 8)


def test_harrell_c_ties_in_score_count_half():
    assert harrell_c([1, 2], [1, 1], [0.3, 0.3]) == pytest.approx(0.5)


def test_uno_c_without_censoring_before_tau_is_harrell():
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    e = np.array([1, 1, 1, 1, 1, 0])
    r = np.array([6.0, 4.0, 5.0, 1.0, 2.0, 3.0])
    assert uno_c(t, e, r, tau=5.5) == pytest.approx(harrell_c(t, e, r))


def test_auc_without_censoring_is_mann_whitney():
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    e = np.ones(5)
    r = np.array([0.9, 0.2, 0.8, 0.5, 0.1])
    # at 2.5: cases rows 1-2 (0.9, 0.2), controls 0.8, 0.5, 0.1 -> 0.9 beats 3, 0.2 beats 1
    assert time_dependent_auc(t, e, r, [2.5])[0] == pytest.approx(4 / 6)


def test_brier_without_censoring_is_mean_squared_error():
    t = np.array([1.0, 2.0, 6.0, 7.0])
    e = np.array([1, 1, 1, 1])
    p = np.array([0.8, 0.4, 0.3, 0.1])
    expected = ((1 - 0.8) ** 2 + (1 - 0.4) ** 2 + 0.3**2 + 0.1**2) / 4
    assert brier_score(t, e, p, 5.0) == pytest.approx(expected)
    _, null, scaled = scaled_brier(t, e, p, 5.0)
    assert null == pytest.approx(0.25)  # everyone given the observed 50 %
    assert scaled == pytest.approx(1 - expected / 0.25)


def test_net_benefit_without_censoring():
    t = np.array([1.0, 1.0, 9.0, 9.0, 9.0])
    e = np.ones(5)
    p = np.array([0.6, 0.3, 0.5, 0.1, 0.05])
    curve = net_benefit(t, e, p, 5.0, thresholds=[0.2])
    # above 0.2: rows 1, 2, 3 -> TP 2, FP 1; NB = 2/5 - 1/5 * 0.25
    assert curve.model[0] == pytest.approx(2 / 5 - 1 / 5 * 0.25)
    assert curve.treat_all[0] == pytest.approx(2 / 5 - 3 / 5 * 0.25)


def test_calibration_by_group_and_o_e():
    rng = np.random.default_rng(4)
    p = rng.uniform(0.05, 0.6, 4000)
    died = rng.random(4000) < p
    t = np.where(died, rng.uniform(0, 5, 4000), 5.0 + rng.uniform(0, 1, 4000))
    cal = calibration(t, died, p, 5.0, n_groups=4)
    assert len(cal.groups) == 4 and sum(g.n for g in cal.groups) == 4000
    assert cal.observed == pytest.approx(died.mean())  # no censoring before 5 years
    assert cal.oe_ratio == pytest.approx(died.mean() / p.mean())
    for g in cal.groups:
        assert g.observed_lo <= g.observed <= g.observed_hi
        assert abs(g.observed - g.mean_predicted) < 0.06


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_later_counts_match_brute_force(values):
    a = np.asarray(values)
    less, equal = _later_counts(a)
    for i, v in enumerate(values):
        later = values[i + 1:]
        assert less[i] == sum(x < v for x in later)
        assert equal[i] == sum(x == v for x in later)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 8), st.booleans(), st.integers(0, 5)),
                min_size=2, max_size=25))
def test_harrell_c_matches_pairwise_definition(rows):
    t = np.array([r[0] for r in rows], float)
    e = np.array([r[1] for r in rows])
    r = np.array([r[2] for r in rows], float)
    num = den = 0.0
    for i, j in itertools.permutations(range(len(rows)), 2):
        usable = e[i] and (t[i] < t[j] or (t[i] == t[j] and not e[j]))
        if usable:
            den += 1
            num += 1.0 if r[i] > r[j] else 0.5 if r[i] == r[j] else 0.0
    c = harrell_c(t, e, r)
    if den == 0:
        assert np.isnan(c)
    else:
        assert c == pytest.approx(num / den)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: harrell_c([1, -2], [1, 0], [0.1, 0.2]), "time (row 1)"),
        (lambda: harrell_c([1, 2], [1, 2], [0.1, 0.2]), "event (row 1)"),
        (lambda: harrell_c([1, 2], [1, 0], [0.1, np.nan]), "risk (row 1)"),
        (lambda: brier_score([1, 2], [1, 0], [0.1, 1.2], 1.0), "predicted (row 1)"),
        (lambda: calibration([1, 2, 3], [1, 0], [0.1, 0.2, 0.3], 1.0), "event"),
    ],
)
def test_bad_input_names_the_field(call, field):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.problems[0].field == field
