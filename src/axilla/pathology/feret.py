"""Maximum Feret diameter (greatest dimension) of many point sets at once.

The maximum Feret diameter of a region is the largest distance between two of its points; it is
reached between two vertices of its convex hull (Preparata & Shamos, Computational Geometry,
1985, section 4.2), so holes and concavities never change it. This is the "greatest dimension"
of a deposit in AJCC 8th edition, chapter 48 (node categories; project spec
shared/spec/staging.md section 1 and shared/spec/pathology.md section 5.1 step 4).

Hulls come from GEOS (shapely.convex_hull, one call over every region); the diameters are then
found by comparing every pair of hull vertices of each region, for all regions together in
bounded chunks of pairs (exact, no angular sampling).
"""

from __future__ import annotations

import numpy as np
import shapely

#: Pairs of hull vertices compared in one NumPy step; bounds the working memory (~40 bytes a pair).
PAIR_CHUNK = 250_000


def hull_vertices(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convex-hull vertices of each geometry: coordinates (m, 2) and the geometry index of each."""
    hulls = shapely.convex_hull(np.asarray(geometries, dtype=object))
    coords, index = shapely.get_coordinates(hulls, return_index=True)
    # A polygon's ring repeats its first vertex at the end: drop the repeat.
    last = np.r_[index[1:] != index[:-1], True]
    ring = shapely.get_type_id(hulls)[index] == shapely.GeometryType.POLYGON
    keep = ~(last & ring)
    return coords[keep], index[keep]


#: Pairs in one dense block: small enough for the CPU cache (about 1 MB a temporary array).
DENSE_CHUNK = 131_072
#: Sets of more points than this are compared as dense blocks (all pairs by broadcasting).
DENSE_FROM = 32


def max_feret_diameters(coords: np.ndarray, index: np.ndarray, count: int) -> np.ndarray:
    """Largest distance between two points of each set; sets given as a ragged array.

    ``coords`` (m, 2) holds the points of every set one after another, ``index`` (m,) the set
    of each point, sorted ascending; ``count`` is the number of sets. A set with one point (or
    none) has diameter 0. Pass hull vertices (``hull_vertices``): the cost is the sum over sets
    of the squared number of points. Small sets (most hulls) are paired in one ragged pass;
    larger ones are padded to a common width and compared as dense blocks.
    """
    out = np.zeros(count)
    if len(coords) == 0:
        return out
    coords = np.asarray(coords, dtype=float)
    index = np.asarray(index, dtype=np.int64)
    sizes = np.bincount(index, minlength=count)
    large = sizes[index] > DENSE_FROM
    _ragged(coords[~large], index[~large], count, out)
    _dense(coords[large], index[large], out)
    return np.sqrt(out)


def _dense(coords: np.ndarray, index: np.ndarray, out: np.ndarray) -> None:
    """Squared diameters of larger sets, padded (with their first point) to equal widths."""
    if not len(coords):
        return
    sets, first, row, sizes = np.unique(index, return_index=True, return_inverse=True,
                                        return_counts=True)
    position = np.arange(len(coords)) - first[row]
    width = -(-sizes // DENSE_FROM) * DENSE_FROM  # round up to a multiple of DENSE_FROM
    for w in np.unique(width):
        members = np.flatnonzero(width == w)
        block = np.repeat(coords[first[members]][:, None, :], w, axis=1)
        chosen = np.isin(row, members)
        block[np.searchsorted(members, row[chosen]), position[chosen]] = coords[chosen]
        step = max(1, DENSE_CHUNK // (w * w))
        rows = max(1, min(w, DENSE_CHUNK // w)) if step == 1 else w
        for s0 in range(0, len(members), step):
            b = block[s0:s0 + step]
            best = np.zeros(len(b))
            for r0 in range(0, w, rows):  # very large sets: a band of rows at a time
                dx = b[:, r0:r0 + rows, None, 0] - b[:, None, :, 0]
                dy = b[:, r0:r0 + rows, None, 1] - b[:, None, :, 1]
                best = np.maximum(best, (dx * dx + dy * dy).max(axis=(1, 2)))
            out[sets[members[s0:s0 + step]]] = best


def _ragged(coords: np.ndarray, index: np.ndarray, count: int, out: np.ndarray) -> None:
    """Squared diameters of small sets: every point paired with the later points of its set."""
    if not len(coords):
        return
    sizes = np.bincount(index, minlength=count)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # Each point is paired with every point of its own set that comes after it.
    point_start = starts[index]
    position = np.arange(len(coords)) - point_start
    partners = sizes[index] - position - 1
    cum = np.concatenate(([0], np.cumsum(partners)))
    first = 0
    while first < len(coords):
        # Take whole points until the chunk holds about PAIR_CHUNK pairs (at least one point).
        last = int(np.searchsorted(cum, cum[first] + PAIR_CHUNK, side="right")) - 1
        last = min(max(last, first + 1), len(coords))
        n_pairs = int(cum[last] - cum[first])
        if n_pairs:
            reps = partners[first:last]
            a = np.repeat(np.arange(first, last), reps)
            offset = np.arange(n_pairs) - np.repeat(cum[first:last] - cum[first], reps)
            b = a + 1 + offset
            d = coords[a] - coords[b]
            dist2 = np.einsum("ij,ij->i", d, d)
            owner = index[a]  # sorted: points of one set are adjacent
            heads = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            sets = owner[heads]
            out[sets] = np.maximum(out[sets], np.maximum.reduceat(dist2, heads))
        first = last


def feret_of_geometries(geometries: np.ndarray) -> np.ndarray:
    """Maximum Feret diameter of each shapely geometry (in its coordinate units)."""
    geometries = np.asarray(geometries, dtype=object)
    coords, index = hull_vertices(geometries)
    return max_feret_diameters(coords, index, len(geometries))
