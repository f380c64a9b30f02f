"""Nottingham Prognostic Index (spec section 1): formula, groups, survival curve, policies."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.indices import NPIInputs
from axilla.models.npi import (
    compute_npi,
    node_stage,
    npi_for_case,
    npi_group,
    npi_survival10_pct,
)

# Spec 1.7 worked examples: size_mm, nodes, grade, N, NPI, 6-group, 3-group, S10 %.
WORKED = [
    (15, 0, 1, 1, 2.300, "EPG", "good", 96.22),
    (20, 0, 1, 1, 2.400, "EPG", "good", 96.03),
    (20, 0, 2, 1, 3.400, "GPG", "good", 90.89),
    (25, 0, 2, 1, 3.500, "MPG1", "moderate", 90.04),
    (18, 2, 2, 2, 4.360, "MPG1", "moderate", 80.29),
    (22, 1, 2, 2, 4.440, "MPG2", "moderate", 79.16),
    (30, 3, 3, 2, 5.600, "PPG", "poor", 58.39),
    (35, 5, 3, 3, 6.700, "VPG", "poor", 31.23),
    (20, 4, 3, 3, 6.400, "PPG", "poor", 39.36),
]

# Spec 1.3 thresholds, "<=" on each upper bound.
SIX = [(Decimal("2.4"), "EPG"), (Decimal("3.4"), "GPG"), (Decimal("4.4"), "MPG1"),
       (Decimal("5.4"), "MPG2"), (Decimal("6.4"), "PPG")]
THREE = [(Decimal("3.4"), "good"), (Decimal("5.4"), "moderate")]
FOUR = [(Decimal("2.4"), "excellent"), (Decimal("3.4"), "good"), (Decimal("5.4"), "moderate")]


def _classify(score: Decimal, table: list[tuple[Decimal, str]], last: str) -> str:
    for upper, code in table:
        if score <= upper:
            return code
    return last


@pytest.mark.parametrize(("size", "nodes", "grade", "n", "score", "g6", "g3", "s10"), WORKED)
def test_spec_worked_examples(size, nodes, grade, n, score, g6, g3, s10):
    out = compute_npi(np.array([size]), np.array([nodes]), np.array([grade]))
    assert out.node_stage[0] == n
    assert out.score[0] == pytest.approx(score, abs=1e-9)
    assert out.group6[0] == g6
    assert out.group3[0] == g3
    assert out.surv10_pct[0] == pytest.approx(s10, abs=0.005)


def test_node_stage_follows_haybittle():
    nodes = np.arange(0, 40)
    expected = np.where(nodes == 0, 1, np.where(nodes <= 3, 2, 3))
    assert np.array_equal(node_stage(nodes), expected)


# Sizes in steps of 0.05 mm give NPI values that are exact at 3 decimals, so every boundary
# (and its neighbours 0.001 either side) is reached exactly.
@given(
    size_twentieths=st.integers(min_value=1, max_value=20 * 120),
    nodes=st.integers(min_value=0, max_value=30),
    grade=st.integers(min_value=1, max_value=3),
)
def test_groups_match_the_spec_thresholds(size_twentieths, nodes, grade):
    size_mm = size_twentieths / 20
    n = 1 if nodes == 0 else 2 if nodes <= 3 else 3
    exact = Decimal(size_twentieths) / Decimal(1000) + n + grade
    out = compute_npi(np.array([size_mm]), np.array([nodes]), np.array([grade]))
    assert Decimal(str(out.score[0])) == exact
    assert out.group6[0] == _classify(exact, SIX, "VPG")
    assert out.group3[0] == _classify(exact, THREE, "poor")
    assert out.group4[0] == _classify(exact, FOUR, "poor")


@pytest.mark.parametrize(
    ("score", "g6", "g3"),
    [
        (2.4, "EPG", "good"), (2.401, "GPG", "good"), (2.4004, "EPG", "good"),
        (3.4, "GPG", "good"), (3.401, "MPG1", "moderate"), (3.4004, "GPG", "good"),
        (3.4000000000000004, "GPG", "good"),
        (4.4, "MPG1", "moderate"), (4.401, "MPG2", "moderate"),
        (5.4, "MPG2", "moderate"), (5.401, "PPG", "poor"), (5.4004, "MPG2", "moderate"),
        (6.4, "PPG", "poor"), (6.401, "VPG", "poor"),
    ],
)
def test_boundaries_are_inclusive_after_rounding_to_three_decimals(score, g6, g3):
    assert npi_group(np.array([score]), "groups6")[0] == g6
    assert npi_group(np.array([score]), "groups3")[0] == g3


@given(
    size=st.floats(min_value=0.1, max_value=150),
    nodes=st.integers(min_value=0, max_value=40),
    extra_nodes=st.integers(min_value=0, max_value=40),
    extra_size=st.floats(min_value=0, max_value=50),
    grade=st.integers(min_value=1, max_value=3),
)
def test_more_disease_never_lowers_the_npi(size, nodes, extra_nodes, extra_size, grade):
    base = compute_npi(np.array([size]), np.array([nodes]), np.array([grade]))
    more_nodes = compute_npi(np.array([size]), np.array([nodes + extra_nodes]), np.array([grade]))
    bigger = compute_npi(np.array([size + extra_size]), np.array([nodes]), np.array([grade]))
    worse_grade = compute_npi(np.array([size]), np.array([nodes]), np.array([min(grade + 1, 3)]))
    for other in (more_nodes, bigger, worse_grade):
        assert other.score_unrounded[0] >= base.score_unrounded[0]
        assert other.score[0] >= base.score[0]
        order = ["EPG", "GPG", "MPG1", "MPG2", "PPG", "VPG"]
        assert order.index(other.group6[0]) >= order.index(base.group6[0])


@given(a=st.floats(min_value=2.05, max_value=6.9), b=st.floats(min_value=2.05, max_value=6.9))
def test_survival_never_rises_with_npi_above_the_curve_vertex(a, b):
    lo, hi = sorted((a, b))
    s = npi_survival10_pct(np.array([lo, hi]))
    assert s[1] <= s[0] + 1e-9


def test_survival_curve_is_given_only_for_npi_2_to_6_9():
    s = npi_survival10_pct(np.array([1.999, 2.0, 6.9, 6.9004, 6.901, 7.2]))
    assert np.isnan(s[0])
    assert s[1] == pytest.approx(-3.0079 * 4 + 12.30 * 2 + 83.84)
    assert s[2] == pytest.approx(-3.0079 * 6.9**2 + 12.30 * 6.9 + 83.84)
    assert not np.isnan(s[3])  # rounds to 6.900
    assert np.isnan(s[4]) and np.isnan(s[5])


def test_one_case_result_above_curve_range_says_why():
    result = npi_for_case(NPIInputs(size_mm=60, positive_nodes=5, grade=3))
    assert result.score == pytest.approx(7.2)
    assert result.group6 == "VPG"
    assert result.surv10_pct is None
    assert "2 to 6.9" in result.surv10_note


def test_one_case_result_carries_provenance():
    result = npi_for_case(NPIInputs(size_mm=18, positive_nodes=2, grade=2))
    assert result.score == pytest.approx(4.36)
    assert result.group6 == "MPG1" and result.group6_label == "Moderate I"
    assert result.surv10_pct == pytest.approx(80.29)
    assert "Haybittle" in result.provenance.source
    assert "Blamey" in result.group_sources["groups6"]
    assert "Galea" in result.group_sources["groups4"]
    assert "1545" in result.survival_provenance.source
    assert "not treatment-adjusted" in result.surv10_note
    assert result.provenance.variant == "micrometastases counted as positive"


def test_micrometastasis_policy_is_a_recorded_choice():
    inputs = NPIInputs(size_mm=20, positive_nodes=1, micrometastatic_nodes=1, grade=2)
    counted = npi_for_case(inputs)
    not_counted = npi_for_case(inputs, count_micromets_as_positive=False)
    assert counted.node_stage == 2 and counted.score == pytest.approx(4.4)
    assert not_counted.node_stage == 1 and not_counted.score == pytest.approx(3.4)
    assert not_counted.provenance.variant == "micrometastases not counted"
    assert not not_counted.count_micromets_as_positive


def test_large_tumours_and_neoadjuvant_therapy_are_flagged_not_refused():
    result = npi_for_case(NPIInputs(size_mm=65, positive_nodes=0, grade=2))
    assert result.score == pytest.approx(4.3)
    assert any("50 mm" in w for w in result.warnings)
    treated = npi_for_case(
        NPIInputs(size_mm=20, positive_nodes=0, grade=2, neoadjuvant_therapy=True)
    )
    assert any(w.startswith("neoadjuvant_therapy") for w in treated.warnings)
    plain = npi_for_case(NPIInputs(size_mm=20, positive_nodes=0, grade=2))
    assert plain.warnings == ()


def test_batch_equals_cases_one_by_one():
    size = np.array([15, 20, 35, 65.5])
    nodes = np.array([0, 4, 5, 0])
    grade = np.array([1, 3, 3, 2])
    batch = compute_npi(size, nodes, grade)
    for i in range(4):
        one = npi_for_case(NPIInputs(size_mm=size[i], positive_nodes=nodes[i], grade=grade[i]))
        assert one.score == batch.score[i]
        assert one.group6 == batch.group6[i]
