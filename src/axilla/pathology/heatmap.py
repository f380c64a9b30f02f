"""Tumour probability heatmap of one node -> deposits (8-connected cells) and their extents.

Source: shared/spec/pathology.md section 5.2: threshold the heatmap (default 0.5, reported),
label 8-connected components, extent = maximum Feret diameter of the union of each component's
cell squares (their corners), in micrometres; an extent within two cells of 200 um or 2000 um
cannot be placed at this resolution, and cells coarser than about 20 um cannot decide the
ITC/micrometastasis boundary at all. Cell size = stride (level-0 pixels a cell) x level-0
spacing (section 5.2 step 1).

The heatmap is read in strips of rows, so a memory-mapped 20,000 x 20,000 array never has to be
held whole: each strip is labelled with scipy.ndimage, only the corner points of each run of
tumour cells are kept (reduced to their convex hull per strip), and components that continue
across a strip border are joined with a union-find (scipy.sparse.csgraph).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from axilla.errors import FieldProblem, InputError
from axilla.pathology.feret import max_feret_diameters
from axilla.pathology.result import HEATMAP_FERET, Measurement, Spacing

DEFAULT_THRESHOLD = 0.5
#: Cells coarser than this (um) cannot decide the 0.2 mm boundary (spec section 5.2 step 5).
COARSEST_CELL_FOR_ITC_UM = 20.0
#: An extent is uncertain by this many cells (spec section 5.2 step 5).
QUANTISATION_CELLS = 2
_EIGHT = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class HeatmapGrid:
    """Where a heatmap lies on the slide: cell stride and origin in level-0 pixels, spacing.

    Cell (row r, column c) covers level-0 x from origin_x + c * stride to origin_x +
    (c + 1) * stride, and likewise in y.
    """

    stride_px: float
    spacing_um: Spacing
    origin_px: tuple[float, float] = (0.0, 0.0)

    @property
    def cell_um(self) -> Spacing:
        return (self.stride_px * self.spacing_um[0], self.stride_px * self.spacing_um[1])


def _check_strip(p: np.ndarray, row0: int) -> None:
    if not p.size or (p.min() >= 0 and p.max() <= 1):  # NaN fails both comparisons
        return
    ok = (p >= 0) & (p <= 1)
    r, c = (int(v) for v in np.argwhere(~ok)[0])
    raise InputError([FieldProblem(f"heatmap[{row0 + r}, {c}]", float(p[r, c]),
                                   "probabilities must be numbers from 0 to 1")])


def _run_corners(labels: np.ndarray, row0: int) -> tuple[np.ndarray, np.ndarray]:
    """Corner points (col, row in cell units) of every horizontal run, with the run's label."""
    inside = labels > 0
    starts = inside.copy()
    starts[:, 1:] &= labels[:, 1:] != labels[:, :-1]
    ends = inside
    ends[:, :-1] &= labels[:, :-1] != labels[:, 1:]
    sr, sc = np.nonzero(starts)
    er, ec = np.nonzero(ends)
    rows = np.concatenate((sr, sr + 1, er, er + 1)) + row0
    cols = np.concatenate((sc, sc, ec + 1, ec + 1))
    first, last = labels[sr, sc].astype(np.int64), labels[er, ec].astype(np.int64)
    lab = np.concatenate((first, first, last, last))
    return np.column_stack((cols, rows)).astype(float), lab


def _hulls(points: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convex-hull vertices of the points of each id (ids need not be sorted)."""
    if len(points) == 0:
        return points, ids
    order = np.argsort(ids, kind="stable")
    ids, points = ids[order], points[order]
    uniq, index = np.unique(ids, return_inverse=True)
    hulls = shapely.convex_hull(shapely.multipoints(points, indices=index))
    coords, which = shapely.get_coordinates(hulls, return_index=True)
    return coords, uniq[which]


def measure_heatmap(
    probabilities: np.ndarray,
    grid: HeatmapGrid,
    threshold: float = DEFAULT_THRESHOLD,
    tissue: np.ndarray | None = None,
    source: str = "",
    strip_rows: int = 2048,
) -> Measurement:
    """Deposits of one node from a probability heatmap (2-D, values 0-1; cells >= threshold).

    ``tissue`` (same shape, optional) restricts tumour cells to tissue. Extents are in um.
    """
    if probabilities.ndim != 2:
        raise InputError([FieldProblem("heatmap", f"{probabilities.ndim} dimensions",
                                       "must be a 2-D array of probabilities")])
    if not 0 < threshold < 1:
        raise InputError([FieldProblem("threshold", threshold, "must be between 0 and 1")])
    if tissue is not None and tissue.shape != probabilities.shape:
        raise InputError([FieldProblem("tissue", tissue.shape,
                                       f"must have the heatmap's shape {probabilities.shape}")])
    height = probabilities.shape[0]
    pts: list[np.ndarray] = []
    ids: list[np.ndarray] = []
    edges: list[np.ndarray] = []
    next_id = 1
    previous_last_row: np.ndarray | None = None
    for row0 in range(0, height, strip_rows):
        p = np.asarray(probabilities[row0:row0 + strip_rows])
        _check_strip(p, row0)
        tumour = p >= threshold
        if tissue is not None:
            tumour &= np.asarray(tissue[row0:row0 + strip_rows], dtype=bool)
        if not tumour.any():
            previous_last_row = None
            continue
        labels, n = ndimage.label(tumour, structure=_EIGHT)
        corners, lab = _run_corners(labels, row0)
        lab += next_id - 1  # labels unique over the whole heatmap
        if previous_last_row is not None:
            edges.append(_border_edges(previous_last_row, _offset(labels[0], next_id)))
        hull_pts, hull_ids = _hulls(corners, lab)
        pts.append(hull_pts)
        ids.append(hull_ids)
        previous_last_row = _offset(labels[-1], next_id)
        next_id += n
    cell = grid.cell_um
    extents = _scaled_extents(_join(pts, ids, edges, next_id), cell)
    notes = []
    if max(cell) > COARSEST_CELL_FOR_ITC_UM:
        notes.append(f"cells of {max(cell):g} um are coarser than {COARSEST_CELL_FOR_ITC_UM:g} "
                     "um: the 200 um ITC/micrometastasis boundary cannot be decided reliably "
                     "at this resolution")
    return Measurement(
        source=source, method=HEATMAP_FERET, spacing_um=grid.spacing_um,
        component_extents_um=np.sort(extents)[::-1], threshold=float(threshold),
        cell_um=cell, quantisation_um=QUANTISATION_CELLS * max(cell), notes=tuple(notes),
        grid_px={"stride": float(grid.stride_px), "origin_x": float(grid.origin_px[0]),
                 "origin_y": float(grid.origin_px[1])},
    )


def _offset(row: np.ndarray, next_id: int) -> np.ndarray:
    """One row of strip labels as heatmap-wide labels (0 stays background)."""
    row = row.astype(np.int64)
    row[row > 0] += next_id - 1
    return row


def _border_edges(above: np.ndarray, below: np.ndarray) -> np.ndarray:
    """Pairs of labels that touch across a strip border (8-connectivity: diagonals too)."""
    pairs = []
    for shift in (-1, 0, 1):
        a = above[max(0, -shift):len(above) - max(0, shift)]
        b = below[max(0, shift):len(below) - max(0, -shift)]
        both = (a > 0) & (b > 0)
        pairs.append(np.column_stack((a[both], b[both])))
    return np.concatenate(pairs)


def _join(pts: list[np.ndarray], ids: list[np.ndarray], edges: list[np.ndarray],
          n_ids: int) -> tuple[np.ndarray, np.ndarray]:
    """Hull points of each final component (strip labels joined across borders)."""
    points = np.concatenate(pts) if pts else np.zeros((0, 2))
    owner = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    pairs = np.concatenate(edges) if edges else np.zeros((0, 2), np.int64)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n_ids, n_ids))
    _, component = connected_components(graph, directed=False)
    return points, component[owner]


def _scaled_extents(joined: tuple[np.ndarray, np.ndarray], cell: Spacing) -> np.ndarray:
    """Maximum Feret diameter (um) of each component from its corner points in cell units."""
    points, comp = joined
    if len(points) == 0:
        return np.zeros(0)
    points = points * np.array(cell)
    coords, hull_owner = _hulls(points, comp)
    order = np.argsort(hull_owner, kind="stable")
    _, index = np.unique(hull_owner[order], return_inverse=True)
    return max_feret_diameters(coords[order], index, int(index.max()) + 1)

