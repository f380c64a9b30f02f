"""Heatmaps with known blobs: 8-connected cells, Feret over cell corners, quantisation flag."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.errors import InputError
from axilla.interop.pathology_files import node_reports
from axilla.pathology import HeatmapGrid, measure_heatmap

GRID_1UM = HeatmapGrid(stride_px=4, spacing_um=(0.25, 0.25))  # 1 um cells


def blobs(shape=(60, 80)) -> np.ndarray:
    h = np.zeros(shape)
    h[10:20, 10:14] = 0.9  # 10 rows x 4 columns: extent hypot(4, 10)
    h[20, 14] = 0.8  # touches the block diagonally only: joins it (8-connected)
    h[40, 40] = 0.5  # exactly at the threshold: tumour, one cell: extent sqrt(2)
    h[50:52, 0:80] = 0.6  # 2 x 80 bar across the whole width
    h[45, 60] = 0.4999  # below the threshold
    return h


def test_known_blobs_and_eight_connectivity():
    m = measure_heatmap(blobs(), GRID_1UM)
    expected = [math.hypot(80, 2), math.hypot(5, 11), math.sqrt(2)]
    assert m.component_extents_um == pytest.approx(expected)
    assert m.threshold == 0.5 and m.provenance()["threshold"] == 0.5
    assert m.cell_um == (1.0, 1.0)


def test_cells_one_apart_are_separate():
    h = np.zeros((5, 9))
    h[2, 2] = h[2, 4] = 1.0
    m = measure_heatmap(h, GRID_1UM)
    assert m.component_extents_um == pytest.approx([math.sqrt(2)] * 2)


def test_threshold_is_applied_and_reported():
    m = measure_heatmap(blobs(), GRID_1UM, threshold=0.7)
    assert m.component_extents_um == pytest.approx([math.hypot(5, 11)])
    assert m.provenance()["threshold"] == 0.7


def test_tissue_mask_restricts_tumour_cells():
    tissue = np.ones((60, 80), bool)
    tissue[50:52, 40:] = False
    m = measure_heatmap(blobs(), GRID_1UM, tissue=tissue)
    assert m.component_extents_um[0] == pytest.approx(math.hypot(40, 2))


def test_cell_size_is_stride_times_spacing_per_axis():
    h = np.zeros((10, 10))
    h[2:5, 3:7] = 1  # 3 rows x 4 columns
    grid = HeatmapGrid(stride_px=64, spacing_um=(0.25, 0.5))  # cells 16 x 32 um
    m = measure_heatmap(h, grid)
    assert m.largest_extent_um == pytest.approx(math.hypot(4 * 16, 3 * 32))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), strip=st.integers(1, 40))
def test_strips_do_not_change_the_result(seed, strip):
    rng = np.random.default_rng(seed)
    h = (rng.random((37, 23)) > 0.6).astype(float)
    whole = measure_heatmap(h, GRID_1UM, strip_rows=1000).component_extents_um
    assert measure_heatmap(h, GRID_1UM, strip_rows=strip).component_extents_um == \
        pytest.approx(whole)


def test_rotating_the_heatmap_by_90_degrees_keeps_extents():
    h = blobs()
    a = measure_heatmap(h, GRID_1UM).component_extents_um
    for k in (1, 2, 3):
        assert measure_heatmap(np.rot90(h, k), GRID_1UM).component_extents_um == \
            pytest.approx(a)


def bar(cells: int) -> np.ndarray:
    h = np.zeros((3, cells + 2))
    h[1, 1:cells + 1] = 1
    return h


def test_extent_within_two_cells_of_200_um_is_undecidable():
    # 15 um cells; a bar of 13 cells: extent hypot(195, 15) = 195.6 um (ITC), within 30 um
    # of 200 um -> flagged; a bar of 8 cells (hypot(120, 15) = 120.9 um) is not.
    grid = HeatmapGrid(stride_px=60, spacing_um=(0.25, 0.25))
    near, far = node_reports([measure_heatmap(bar(13), grid), measure_heatmap(bar(8), grid)])
    assert near.measurement.largest_extent_um == pytest.approx(math.hypot(195, 15))
    assert near.category == "itc" and near.undecidable
    assert near.undecidable_near_um == (200.0,)
    assert near.measurement.quantisation_um == 30.0
    assert far.category == "itc" and not far.undecidable


def test_extent_within_two_cells_of_2000_um_is_undecidable():
    grid = HeatmapGrid(stride_px=60, spacing_um=(0.25, 0.25))  # 15 um cells
    (r,) = node_reports([measure_heatmap(bar(134), grid)])  # hypot(2010, 15) = 2010.06
    assert r.category == "macro" and r.undecidable_near_um == (2000.0,)


def test_coarse_cells_are_said_to_be_unable_to_decide_itc():
    grid = HeatmapGrid(stride_px=256, spacing_um=(0.243, 0.243))  # 62.2 um cells
    m = measure_heatmap(bar(2), grid)
    assert any("cannot be decided" in n for n in m.notes)
    assert not any("cannot be decided" in n for n in measure_heatmap(bar(2), GRID_1UM).notes)


def test_empty_heatmap_is_a_negative_node():
    (r,) = node_reports([measure_heatmap(np.zeros((8, 8)), GRID_1UM)])
    assert r.category == "neg" and r.measurement.component_count == 0 and not r.undecidable


@pytest.mark.parametrize("bad", [np.nan, -0.1, 1.5])
def test_values_outside_0_1_are_refused_naming_the_cell(bad):
    h = np.zeros((5, 5))
    h[3, 2] = bad
    with pytest.raises(InputError, match=r"heatmap\[3, 2\].*from 0 to 1"):
        measure_heatmap(h, GRID_1UM)


@pytest.mark.parametrize("threshold", [0.0, 1.0, -1.0])
def test_threshold_outside_0_1_is_refused(threshold):
    with pytest.raises(InputError, match="threshold"):
        measure_heatmap(np.zeros((2, 2)), GRID_1UM, threshold=threshold)


def brute_force_extents(h: np.ndarray, threshold: float = 0.5) -> list[float]:
    """Every corner of every cell of each 8-connected component, all pairs compared."""
    from scipy import ndimage
    from scipy.spatial.distance import pdist

    labels, n = ndimage.label(h >= threshold, structure=np.ones((3, 3)))
    out = []
    for k in range(1, n + 1):
        r, c = np.nonzero(labels == k)
        corners = np.concatenate([np.column_stack((c + dx, r + dy))
                                  for dx in (0, 1) for dy in (0, 1)]).astype(float)
        out.append(pdist(corners).max())
    return sorted(out, reverse=True)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), fill=st.floats(0.05, 0.7))
def test_random_heatmaps_match_brute_force(seed, fill):
    rng = np.random.default_rng(seed)
    h = rng.random((30, 41)) * (rng.random((30, 41)) < fill)
    got = measure_heatmap(h, GRID_1UM, strip_rows=7).component_extents_um
    assert got == pytest.approx(brute_force_extents(h))
