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
PAIR_CHUNK = 2_000_000


def hull_vertices(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convex-hull vertices of each geometry: coordinates (m, 2) and the geometry index of each."""
    hulls = shapely.convex_hull(np.asarray(geometries, dtype=object))
    return shapely.get_coordinates(hulls, return_index=True)


def max_feret_diameters(coords: np.ndarray, index: np.ndarray, count: int) -> np.ndarray:
    """Largest distance between two points of each set; sets given as a ragged array.

    ``coords`` (m, 2) holds the points of every set one after another, ``index`` (m,) the set
    of each point, sorted ascending; ``count`` is the number of sets. A set with one point (or
    none) has diameter 0. Pass hull vertices (``hull_vertices``): the cost is the sum over sets
    of the squared number of points.
    """
    out = np.zeros(count)
    if len(coords) == 0:
        return out
    index = np.asarray(index, dtype=np.int64)
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
    return np.sqrt(out)


def feret_of_geometries(geometries: np.ndarray) -> np.ndarray:
    """Maximum Feret diameter of each shapely geometry (in its coordinate units)."""
    geometries = np.asarray(geometries, dtype=object)
    coords, index = hull_vertices(geometries)
    return max_feret_diameters(coords, index, len(geometries))
