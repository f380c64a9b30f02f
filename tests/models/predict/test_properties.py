"""Invariants a clinician would check by eye, over random valid patients (hypothesis)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import compute, load_version

SURVIVAL_VERSIONS = ("2.1", "2.2", "3.0", "3.0_only", "3.1", "3.2")
EPS = 1e-12


@st.composite
def patients(draw, n: int = 8):
    """A small batch of valid patients spanning the validated ranges and every code."""
    def col(strategy):
        return np.array(draw(st.lists(strategy, min_size=n, max_size=n)), dtype=float)

    nodes_int = st.integers(0, 50).map(float)
    return {
        "age": col(st.floats(25, 85)),
        "size": col(st.floats(1, 500)),
        "nodes": col(st.one_of(nodes_int, st.just(0.5))),
        "grade": col(st.sampled_from([1, 2, 3, 9])),
        "er": col(st.sampled_from([0, 1])),
        "her2": col(st.sampled_from([0, 1, 9])),
        "ki67": col(st.sampled_from([0, 1, 9])),
        "pr": col(st.sampled_from([0, 1, 9])),
        "screen": col(st.sampled_from([0, 1, 2])),
        "generation": col(st.sampled_from([0, 2, 3])),
        "horm": col(st.sampled_from([0, 1])),
        "traz": col(st.sampled_from([0, 1])),
        "bis": col(st.sampled_from([0, 1])),
        "radio": col(st.sampled_from([0, 1])),
        "heart_gy": col(st.floats(0, 10)),
        "smoker": col(st.sampled_from([0, 1])),
    }


@pytest.mark.parametrize("version", SURVIVAL_VERSIONS)
@settings(max_examples=40, deadline=None)
@given(x=patients())
def test_survival_never_increases_and_stays_in_range(version, x):
    out = compute(x, version)
    os_ = 100.0 * (1.0 - out.all_cause)
    assert np.all(np.diff(os_, axis=-1) <= EPS)
    assert np.all((os_ >= -EPS) & (os_ <= 100.0 + EPS))
    assert np.all(out.breast >= -EPS) and np.all(out.other >= -EPS)
    assert np.all(np.diff(out.breast, axis=-1) >= -EPS)


@pytest.mark.parametrize("version", SURVIVAL_VERSIONS)
@settings(max_examples=40, deadline=None)
@given(x=patients(), extra=st.integers(1, 20))
def test_more_positive_nodes_never_improve_breast_cancer_survival(version, x, extra):
    more = dict(x, nodes=np.minimum(np.floor(x["nodes"]) + extra, 50.0))
    more["nodes"] = np.maximum(more["nodes"], x["nodes"])
    a, b = compute(x, version), compute(more, version)
    assert np.all(b.breast >= a.breast - EPS)
    assert np.all(b.all_cause >= a.all_cause - EPS)


@pytest.mark.parametrize("version", SURVIVAL_VERSIONS)
@settings(max_examples=40, deadline=None)
@given(x=patients())
def test_treatments_without_other_cause_harm_never_lower_survival(version, x):
    """Endocrine therapy, trastuzumab and bisphosphonates act on breast-cancer mortality only
    (spec sec. 1.4), so adding them never lowers overall survival. Chemotherapy and
    radiotherapy carry other-cause harms from v3.1 (sec. 4.4) and may show a net loss."""
    v = load_version(version)
    out = compute(x, version)
    for ladder in v.ladders.values():
        for a, b in itertools.pairwise(ladder):
            added = set(v.column_terms[v.columns.index(b)]) - set(
                v.column_terms[v.columns.index(a)])
            harmful = {"c", "r"} & added and v.logic["treatment_harms"] == "by_column"
            if not harmful:
                assert np.all(out.benefit_vs(b, a) >= -EPS), (a, b)


@settings(max_examples=40, deadline=None)
@given(x=patients())
def test_v32_endocrine_therapy_gives_er_negative_women_nothing(x):
    x = dict(x, er=np.zeros_like(x["er"]), horm=np.ones_like(x["horm"]))
    out = compute(x, "3.2")
    assert np.all(out.benefit_vs("rh", "r") == 0.0)
    assert np.all(out.benefit_vs("rh10", "r") == 0.0)


@settings(max_examples=40, deadline=None)
@given(x=patients())
def test_v32_ten_years_of_endocrine_therapy_is_at_least_five(x):
    out = compute(x, "3.2")
    assert np.all(out.benefit_vs("rh10", "rh") >= -EPS)


@settings(max_examples=30, deadline=None)
@given(x=patients())
def test_v22_extended_endocrine_quirk_is_reproduced_for_er_negative(x):
    """Q3: v2.2 adds the extended effect in years 11-15 even without endocrine benefit."""
    x = dict(x, er=np.zeros_like(x["er"]))
    out = compute(x, "2.2")
    assert np.all(out.benefit_vs("h10", "h")[:, :10] == 0.0)
    late = out.benefit_vs("h10", "h")[:, 10:]
    alive = out.overall_survival("h")[:, 9] > 1.0  # where anyone is left to benefit
    assert np.all(late >= -EPS) and np.all(late[alive] > 0.0)


@settings(max_examples=30, deadline=None)
@given(x=patients(), heart=st.floats(0.1, 10))
def test_v32_heart_dose_harm_applies_without_radiotherapy(x, heart):
    """Q10: with radio = 0 and a positive heart dose, the radiotherapy step is pure harm."""
    x = dict(x, radio=np.zeros_like(x["radio"]), heart_gy=np.full_like(x["age"], heart))
    out = compute(x, "3.2")
    harm = out.benefit_vs("r", "s")[:, -1]
    alive = out.overall_survival("s")[:, -1] > 1.0
    assert np.all(harm <= EPS) and np.all(harm[alive] < 0.0)


def test_a_batch_equals_its_rows_one_by_one():
    rng = np.random.default_rng(7)
    n = 50
    x = {
        "age": rng.integers(25, 86, n), "size": rng.integers(1, 200, n),
        "nodes": rng.integers(0, 20, n), "grade": rng.choice([1, 2, 3, 9], n),
        "er": rng.choice([0, 1], n), "her2": rng.choice([0, 1, 9], n),
        "ki67": rng.choice([0, 1, 9], n), "pr": rng.choice([0, 1, 9], n),
        "screen": rng.choice([0, 1, 2], n), "generation": rng.choice([0, 2, 3], n),
        "horm": rng.choice([0, 1], n), "traz": rng.choice([0, 1], n),
        "bis": rng.choice([0, 1], n), "radio": rng.choice([0, 1], n),
        "heart_gy": rng.uniform(0, 10, n), "smoker": rng.choice([0, 1], n),
    }
    whole = compute(x, "3.2", chunk_size=7)
    for i in (0, 13, 49):
        one = compute({k: v[i:i + 1] for k, v in x.items()}, "3.2")
        np.testing.assert_array_equal(one.breast[0], whole.breast[i])
        np.testing.assert_array_equal(one.other[0], whole.other[i])
