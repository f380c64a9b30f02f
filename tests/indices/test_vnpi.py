"""Van Nuys Prognostic Index for DCIS (spec section 5): band edges, groups, 2015 refinement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.indices import VNPIInputs
from axilla.models.vnpi import (
    age_score,
    compute_vnpi,
    margin_score,
    pathology_score,
    size_score,
    vnpi_for_case,
    vnpi_group,
    vnpi_management_2015,
)

# Spec 5 worked examples: size, margin, nuclear grade, necrosis, age, sub-scores, total, group.
WORKED = [
    (10, 12, 1, False, 65, (1, 1, 1, 1), 4, "low"),
    (20, 5, 2, True, 55, (2, 2, 2, 2), 8, "intermediate"),
    (45, 0.5, 3, False, 38, (3, 3, 3, 3), 12, "high"),
    (15, 10, 3, True, 61, (1, 1, 3, 1), 6, "low"),
    (16, 9, 1, False, 40, (2, 2, 1, 2), 7, "intermediate"),
    (30, 0.8, 3, False, 45, (2, 3, 3, 2), 10, "high"),
]


@pytest.mark.parametrize(("size", "margin", "ng", "nec", "age", "subs", "total", "group"), WORKED)
def test_spec_worked_examples(size, margin, ng, nec, age, subs, total, group):
    result = vnpi_for_case(VNPIInputs(size_mm=size, margin_mm=margin, nuclear_grade=ng,
                                      comedo_necrosis=nec, age_years=age))
    assert result.subscores == subs
    assert result.score == total
    assert result.group == group
    assert "Silverstein" in result.provenance.source


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0.5, 1), (15, 1), (15.01, 2), (16, 2), (40, 2), (40.01, 3), (41, 3), (120, 3)],
)
def test_size_bands(size, expected):
    assert size_score(np.array([size]))[0] == expected


@pytest.mark.parametrize(
    ("margin", "expected"),
    [(25, 1), (10, 1), (9.99, 2), (9, 2), (1, 2), (0.99, 3), (0.5, 3), (0, 3)],
)
def test_margin_bands(margin, expected):
    assert margin_score(np.array([margin]))[0] == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [(85, 1), (61, 1), (60.5, 1), (60, 2), (50, 2), (40, 2), (39.9, 3), (39, 3), (25, 3)],
)
def test_age_bands(age, expected):
    assert age_score(np.array([age]))[0] == expected


@pytest.mark.parametrize(
    ("grade", "necrosis", "expected"),
    [(1, 0, 1), (2, 0, 1), (1, 1, 2), (2, 1, 2), (3, 0, 3), (3, 1, 3)],
)
def test_pathological_class(grade, necrosis, expected):
    assert pathology_score(np.array([grade]), np.array([necrosis]))[0] == expected


@pytest.mark.parametrize("score", range(4, 13))
def test_groups_of_the_total(score):
    expected = "low" if score <= 6 else "intermediate" if score <= 9 else "high"
    assert vnpi_group(np.array([score]))[0] == expected


@pytest.mark.parametrize(
    ("score", "margin", "band"),
    [
        (4, 0.5, "excision_alone"), (6, 0, "excision_alone"),
        (7, 3, "excision_alone"), (7, 10, "excision_alone"), (7, 2.9, "excision_radiotherapy"),
        (8, 3, "excision_radiotherapy"), (8, 2.99, "mastectomy"),
        (9, 5, "excision_radiotherapy"), (9, 4.9, "mastectomy"),
        (10, 20, "mastectomy"), (12, 0, "mastectomy"),
    ],
)
def test_2015_management_band(score, margin, band):
    assert vnpi_management_2015(np.array([score]), np.array([margin]))[0] == band


sizes = st.floats(min_value=0.1, max_value=150)
margins = st.floats(min_value=0, max_value=40)
ages = st.floats(min_value=18, max_value=120)


@given(size=sizes, margin=margins, ng=st.integers(1, 3), nec=st.booleans(), age=ages,
       more=st.floats(min_value=0, max_value=50))
def test_worse_features_never_lower_the_score(size, margin, ng, nec, age, more):
    def total(s=size, m=margin, g=ng, n=nec, a=age):
        return int(compute_vnpi(np.array([s]), np.array([m]), np.array([g]),
                                np.array([float(n)]), np.array([a])).score[0])

    base = total()
    assert 4 <= base <= 12
    assert total(s=size + more) >= base
    assert total(m=margin + more) <= base
    assert total(a=min(age + more, 120)) <= base
    assert total(g=min(ng + 1, 3)) >= base
    assert total(n=True) >= base


@given(size=sizes, margin=margins, ng=st.integers(1, 3), nec=st.booleans(), age=ages)
def test_score_is_the_sum_of_subscores_and_group_follows(size, margin, ng, nec, age):
    out = compute_vnpi(np.array([size]), np.array([margin]), np.array([ng]),
                       np.array([float(nec)]), np.array([age]))
    parts = out.size_score + out.margin_score + out.pathology_score + out.age_score
    assert out.score[0] == parts[0]
    expected = "low" if parts[0] <= 6 else "intermediate" if parts[0] <= 9 else "high"
    assert out.group[0] == expected
