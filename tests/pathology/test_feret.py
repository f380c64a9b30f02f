"""Known Feret diameters of outlines: squares, discs, L-shapes, rings, merging, boundaries."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import pdist

from axilla.interop.pathology_files import node_reports
from axilla.pathology import Outlines, max_feret_diameters, measure_outlines
from pathology.shapes import disc, rect, square

UM = (1.0, 1.0)  # 1 um a pixel: pixel coordinates are micrometres


def extents(tumour, exclusions=(), spacing=UM, merge=0.0) -> list[float]:
    m = measure_outlines(Outlines(tuple(tumour), tuple(exclusions)), spacing, merge)
    return [float(v) for v in m.component_extents_um]


L_SHAPE = (np.array([[0, 0], [30, 0], [30, 10], [10, 10], [10, 40], [0, 40]], float),)
# Feret of the L: its far corners (30, 0) and (0, 40) -> 50.
RING = (np.array([[0, 0], [60, 0], [60, 80], [0, 80]], float),
        np.array([[10, 10], [50, 10], [50, 70], [10, 70]], float))

KNOWN = [
    ("square 10", [square(0, 0, 10)], 10 * math.sqrt(2)),
    ("rectangle 30x40", [rect(5, 5, 30, 40)], 50.0),
    ("disc r=100", [disc(0, 0, 100)], 200.0),
    ("L-shape", [L_SHAPE], 50.0),
    ("ring with a hole", [RING], 100.0),
]


@pytest.mark.parametrize(("name", "tumour", "expected"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_shapes(name, tumour, expected):
    assert extents(tumour) == pytest.approx([expected], rel=1e-9)


def test_hole_from_an_exclusion_does_not_change_the_extent():
    assert extents([rect(0, 0, 60, 80)], [rect(10, 10, 40, 60)]) == pytest.approx([100.0])


def test_exclusion_cutting_a_deposit_in_two_gives_two_deposits():
    # A 100 x 10 bar with a 2 um band removed at x 49-51: two 49 x 10 bars, never summed.
    out = extents([rect(0, 0, 100, 10)], [rect(49, -1, 2, 12)])
    assert out == pytest.approx([math.hypot(49, 10)] * 2)


def test_overlapping_and_touching_outlines_merge():
    overlapping = extents([square(0, 0, 10), square(5, 0, 10)])
    assert overlapping == pytest.approx([math.hypot(15, 10)])
    touching = extents([square(0, 0, 10), square(10, 0, 10)])
    assert touching == pytest.approx([math.hypot(20, 10)])
    corner = extents([square(0, 0, 10), square(10, 10, 10)])  # touch at one point
    assert corner == pytest.approx([math.hypot(20, 20)])


def test_separate_outlines_stay_separate_and_are_not_summed():
    # Three foci of 90, 70 and 60 um with gaps: the node is the largest (staging spec 1, rule 1).
    out = extents([rect(0, 0, 90, 0.001), rect(200, 0, 70, 0.001), rect(400, 0, 60, 0.001)])
    assert out == pytest.approx([90.0, 70.0, 60.0], abs=1e-3)


def test_merge_distance_joins_close_deposits_only():
    tumour = [square(0, 0, 10), square(15, 0, 10), square(100, 0, 10)]
    assert extents(tumour) == pytest.approx([math.hypot(10, 10)] * 3)
    merged = extents(tumour, merge=5.0)  # gap of exactly 5 um: joined
    assert merged == pytest.approx([math.hypot(25, 10), math.hypot(10, 10)])
    assert extents(tumour, merge=4.9) == pytest.approx([math.hypot(10, 10)] * 3)


def test_anisotropic_spacing_scales_each_axis():
    assert extents([rect(0, 0, 100, 100)], spacing=(0.3, 0.4)) == pytest.approx([50.0])


def test_no_tumour_is_a_negative_node():
    m = measure_outlines(Outlines(()), UM)
    assert m.largest_extent_um == 0 and m.component_count == 0
    assert node_reports([m])[0].category == "neg"


@pytest.mark.parametrize(("side_um", "category"), [
    (200.0, "itc"), (200.02, "micro"), (2000.0, "micro"), (2000.02, "macro")])
def test_boundaries_200_and_2000_um(side_um, category):
    # A thin bar whose length is the extent (height 1e-6 um adds < 1e-9 um).
    m = measure_outlines(Outlines((rect(0, 0, side_um, 1e-6),)), UM)
    assert m.largest_extent_um == pytest.approx(side_um, abs=1e-6)
    assert node_reports([m])[0].category == category


def test_extent_of_a_square_disc_and_real_spacing_at_the_boundary():
    # 0.2 mm diagonal: a square of side 200/sqrt(2) um drawn at 0.25 um/px.
    side_px = 200 / math.sqrt(2) / 0.25
    m = measure_outlines(Outlines((square(1000, 1000, side_px),)), (0.25, 0.25))
    assert m.largest_extent_um == pytest.approx(200.0, rel=1e-12)


SHAPES = [k[1] for k in KNOWN] + [[square(0, 0, 10), square(10, 10, 10)]]


@settings(max_examples=40, deadline=None)
@given(angle=st.floats(0, 2 * math.pi), dx=st.floats(-1e5, 1e5), dy=st.floats(-1e5, 1e5),
       which=st.integers(0, len(SHAPES) - 1))
def test_rotated_and_moved_copies_have_the_same_extent(angle, dx, dy, which):
    shape = SHAPES[which]
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    moved = [tuple(ring @ rot.T + (dx, dy) for ring in outline) for outline in shape]
    assert extents(moved) == pytest.approx(extents(shape), rel=1e-7, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)),
                         min_size=1, max_size=70), min_size=1, max_size=8))
def test_feret_kernel_equals_brute_force_over_all_pairs(sets):
    coords = np.array([p for s in sets for p in s], float)
    index = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    expected = [pdist(np.array(s)).max() if len(s) > 1 else 0.0 for s in sets]
    assert max_feret_diameters(coords, index, len(sets)) == pytest.approx(expected)


def test_feret_kernel_in_several_chunks(monkeypatch):
    import axilla.pathology.feret as feret

    rng = np.random.default_rng(3)
    sets = [rng.normal(size=(rng.integers(1, 150), 2)) * 100 for _ in range(50)]
    coords = np.concatenate(sets)
    index = np.repeat(np.arange(50), [len(s) for s in sets])
    monkeypatch.setattr(feret, "PAIR_CHUNK", 97)
    monkeypatch.setattr(feret, "DENSE_CHUNK", 500)  # large sets: a band of rows at a time
    expected = [pdist(s).max() if len(s) > 1 else 0.0 for s in sets]
    assert feret.max_feret_diameters(coords, index, 50) == pytest.approx(expected)


def test_self_intersecting_outline_is_repaired_and_noted():
    bow_tie = (np.array([[0, 0], [10, 10], [10, 0], [0, 10]], float),)
    m = measure_outlines(Outlines((bow_tie,)), UM)
    assert m.component_extents_um == pytest.approx([10 * math.sqrt(2)])
    assert any("self-intersecting" in n for n in m.notes)


def test_camelyon16_lesions_fill_holes_and_join_within_75_um():
    from axilla.pathology import measure_camelyon16
    from axilla.pathology.camelyon16 import major_axis_lengths

    # A ring (outer 1000 um square, 800 um hole) with a small focus in the middle of the hole:
    # after filling, one lesion, the filled square grown by 37.5 um.
    ring = (np.array([[0, 0], [1000, 0], [1000, 1000], [0, 1000]], float),
            np.array([[100, 100], [900, 100], [900, 900], [100, 900]], float))
    m = measure_camelyon16(Outlines((ring, square(495, 495, 10))), UM)
    assert m.component_count == 1
    # Two 100 x 10 bars 70 um apart (< 75 um) join; 80 um apart they stay two lesions.
    join = measure_camelyon16(Outlines((rect(0, 0, 100, 10), rect(170, 0, 100, 10))), UM)
    apart = measure_camelyon16(Outlines((rect(0, 0, 100, 10), rect(180, 0, 100, 10))), UM)
    assert join.component_count == 1 and apart.component_count == 2
    # Ellipse major axis of a filled rectangle a x b: 4 sqrt(a^2 / 12) = a * 2 / sqrt(3).
    import shapely

    assert major_axis_lengths(np.array([shapely.box(0, 0, 300, 30)], dtype=object)) == \
        pytest.approx([300 * 2 / math.sqrt(3)])
