"""CTS5 (spec section 2): score, node categories, group cut-offs, size cap, approximate risk."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.indices import CTS5Inputs
from axilla.models.cts5 import (
    compute_cts5,
    cts5_for_case,
    cts5_group,
    cts5_risk_5_10y_pct,
    node_category,
)

# Spec 2.6 worked examples: age, size_mm, grade, nodes, node category, CTS5, group, risk %.
WORKED = [
    (60, 20, 2, 0, 0, 3.1912, "intermediate", 5.28),
    (55, 12, 1, 0, 0, 2.2546, "low", 2.10),
    (65, 25, 3, 2, 2, 4.7588, "high", 22.90),
    (70, 15, 2, 1, 1, 3.5107, "intermediate", 7.19),
    (50, 35, 2, 5, 3, 4.7621, "high", 22.96),
    (78, 8, 1, 0, 0, 2.3524, "low", 2.32),
    (62, 22, 2, 12, 4, 5.0776, "high", 30.07),
]


def _one(age, size, grade, nodes, **kw):
    return compute_cts5(np.array([age]), np.array([size]), np.array([grade]), np.array([nodes]),
                        **kw)


@pytest.mark.parametrize(("age", "size", "grade", "nodes", "cat", "score", "group", "risk"), WORKED)
def test_spec_worked_examples(age, size, grade, nodes, cat, score, group, risk):
    out = _one(age, size, grade, nodes)
    assert out.node_category[0] == cat
    assert out.score[0] == pytest.approx(score, abs=5e-5)
    assert out.group[0] == group
    assert out.risk_5_10y_pct[0] == pytest.approx(risk, abs=0.005)


def test_example_one_by_hand():
    # inner = 1.86 - 0.40 + 0.75 + 1.02 = 3.23; x 0.988 = 3.19124 (spec 2.6)
    assert _one(60, 20, 2, 0).score[0] == pytest.approx(3.19124, abs=1e-12)


def test_node_categories_follow_the_spec():
    nodes = np.arange(0, 60)
    expected = [0 if n == 0 else 1 if n == 1 else 2 if n <= 3 else 3 if n <= 9 else 4
                for n in nodes]
    assert node_category(nodes).tolist() == expected


def test_size_cap_is_applied_reported_and_can_be_switched_off():
    capped = _one(50, 35, 2, 5)
    assert capped.size_capped[0] and capped.size_used_mm[0] == 30
    assert capped.score[0] == pytest.approx(4.7621, abs=5e-5)
    assert capped.score_uncapped[0] == pytest.approx(4.9004, abs=5e-5)
    uncapped = _one(50, 35, 2, 5, size_cap_mm=None)
    assert not uncapped.size_capped[0]
    assert uncapped.score[0] == pytest.approx(4.9004, abs=5e-5)
    at_cap = _one(66, 30, 2, 3)
    assert not at_cap.size_capped[0]
    assert at_cap.score[0] == pytest.approx(4.5929, abs=5e-5)


@pytest.mark.parametrize(
    ("score", "group"),
    [
        (3.13, "intermediate"),
        (3.1299994, "low"),  # rounds to 3.129999
        (3.1299996, "intermediate"),  # rounds to 3.130000
        (3.129, "low"),
        (3.86, "intermediate"),
        (3.8600004, "intermediate"),  # rounds to 3.860000
        (3.8600006, "high"),  # rounds to 3.860001
        (3.861, "high"),
        (0.5, "low"),
        (9.0, "high"),
    ],
)
def test_group_cut_offs_after_rounding_to_six_decimals(score, group):
    assert cts5_group(np.array([score]))[0] == group


@given(
    micro=st.integers(min_value=2_000_000, max_value=5_000_000),
    jitter=st.floats(min_value=-4e-7, max_value=4e-7),
)
def test_group_is_decided_by_the_score_rounded_to_six_decimals(micro, jitter):
    expected = "low" if micro < 3_130_000 else "intermediate" if micro <= 3_860_000 else "high"
    assert cts5_group(np.array([micro / 1e6 + jitter]))[0] == expected


@given(
    age=st.floats(min_value=18, max_value=100),
    size=st.floats(min_value=0.1, max_value=200),
    grade=st.integers(min_value=1, max_value=3),
    nodes=st.integers(min_value=0, max_value=50),
    more_age=st.floats(min_value=0, max_value=30),
    more_size=st.floats(min_value=0, max_value=100),
    more_nodes=st.integers(min_value=0, max_value=30),
)
def test_more_disease_never_lowers_cts5(age, size, grade, nodes, more_age, more_size, more_nodes):
    base = _one(age, size, grade, nodes).score[0]
    assert _one(age, size, grade, nodes + more_nodes).score[0] >= base
    assert _one(age, size + more_size, grade, nodes).score[0] >= base - 1e-12
    assert _one(age, size, min(grade + 1, 3), nodes).score[0] >= base
    assert _one(min(age + more_age, 100), size, grade, nodes).score[0] >= base - 1e-12


@given(a=st.floats(min_value=0, max_value=8), b=st.floats(min_value=0, max_value=8))
def test_risk_rises_with_the_score_and_stays_a_percentage(a, b):
    lo, hi = sorted((a, b))
    risk = cts5_risk_5_10y_pct(np.array([lo, hi]))
    assert 0 < risk[0] <= risk[1] < 100


def test_risk_reproduces_the_group_anchors():
    # spec 2.4: 4.97 % at 3.13 and 10.04 % at 3.86
    risk = cts5_risk_5_10y_pct(np.array([3.13, 3.86]))
    assert risk[0] == pytest.approx(4.97, abs=0.005)
    assert risk[1] == pytest.approx(10.04, abs=0.005)
    assert risk[0] == pytest.approx(100 * (1 - math.exp(-0.00223 * math.exp(3.13))))


def test_one_case_result_labels_the_risk_approximate():
    result = cts5_for_case(CTS5Inputs(age_years=60, size_mm=20, grade=2, positive_nodes=0))
    assert result.group == "intermediate"
    assert result.group_published_risk == "5-10 %"
    assert result.risk_5_10y_pct == pytest.approx(5.28)
    assert "approximate" in result.risk_5_10y_label
    assert result.risk_provenance.status == "RECONSTRUCTED"
    assert "Dowsett" in result.provenance.source
    assert "30 mm" in result.provenance.variant
    assert result.warnings == ()


def test_one_case_flags_cap_extrapolation_and_large_size():
    result = cts5_for_case(
        CTS5Inputs(age_years=45, size_mm=55, grade=3, positive_nodes=3, postmenopausal=False,
                   endocrine_therapy_years=3, distant_recurrence_free=False)
    )
    assert result.size_capped
    joined = " | ".join(result.warnings)
    for text in ("age_years", "postmenopausal", "endocrine_therapy_years",
                 "distant_recurrence_free", "size cap", "above 50 mm"):
        assert text in joined


def test_micrometastasis_policy_changes_the_node_category():
    inputs = CTS5Inputs(age_years=60, size_mm=20, grade=2, positive_nodes=2,
                        micrometastatic_nodes=1)
    assert cts5_for_case(inputs).node_category == 2
    result = cts5_for_case(inputs, count_micromets_as_positive=False)
    assert result.node_category == 1
    assert "not counted" in result.provenance.variant
