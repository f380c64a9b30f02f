"""Tumour outlines of one node -> connected deposits and the greatest dimension of each.

Source: AJCC 8th edition, chapter 48 (Breast), node categories: the size of a node is the
greatest dimension of its largest contiguous deposit, measured per cluster and never summed
(shared/spec/staging.md section 1, rules 1-4); the polygon procedure of
shared/spec/pathology.md section 5.1: tumour region = union of tumour polygons minus union of
exclusion polygons, components = its connected parts (touching or overlapping outlines merge),
extent = maximum Feret diameter; an optional merge distance (desmoplastic stroma, rule 2)
defaults to 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from axilla.pathology.feret import feret_of_geometries
from axilla.pathology.result import FERET, Measurement, Spacing

#: One outline: its outer ring, then any holes; each ring an (n, 2) array of level-0 pixel
#: coordinates (x to the right, y down), implicitly closed.
Outline = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Outlines:
    """Tumour and exclusion outlines of one node (one slide), in level-0 pixels."""

    tumour: tuple[Outline, ...]
    exclusions: tuple[Outline, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = field(default=())


def _polygons(outlines: Sequence[Outline], spacing: Spacing) -> np.ndarray:
    """Shapely polygons in micrometres; outlines without holes are built in one call."""
    scale = np.array([spacing[0], spacing[1]], dtype=float)
    simple = [o[0] for o in outlines if len(o) == 1]
    out: list[shapely.Geometry] = []
    if simple:
        sizes = np.array([len(r) for r in simple])
        coords = np.concatenate(simple).astype(float) * scale
        # Close every ring explicitly (an annotation's last vertex is not repeated).
        first = np.cumsum(np.r_[0, sizes[:-1]])
        idx = np.repeat(np.arange(len(simple)), sizes + 1)
        closed = np.insert(coords, np.r_[first[1:], len(coords)], coords[first], axis=0)
        rings = shapely.linearrings(closed, indices=idx)
        out.extend(shapely.polygons(rings))
    for o in outlines:
        if len(o) > 1:
            out.append(shapely.Polygon(np.asarray(o[0], float) * scale,
                                       [np.asarray(h, float) * scale for h in o[1:]]))
    return np.array(out, dtype=object)


def _valid(polygons: np.ndarray) -> tuple[np.ndarray, int]:
    """Repair self-intersecting outlines (common in hand-drawn annotations); count repairs.

    A repair can return lines or points beside the polygons (zero area): only polygons stay.
    """
    if len(polygons) == 0:
        return polygons, 0
    bad = ~shapely.is_valid(polygons)
    if bad.any():
        repaired = shapely.get_parts(shapely.get_parts(shapely.make_valid(polygons[bad])))
        repaired = repaired[shapely.get_type_id(repaired) == shapely.GeometryType.POLYGON]
        polygons = np.concatenate((polygons[~bad], repaired))
    return polygons, int(bad.sum())


def _with_area(outlines: Sequence[Outline], what: str, spacing: Spacing,
               notes: list[str]) -> list[Outline]:
    """Outlines whose outer ring has 3 or more vertices; the others are noted with their size."""
    kept = [o for o in outlines if len(o[0]) >= 3]
    dropped = [o[0] for o in outlines if len(o[0]) < 3]
    if dropped:
        scale = np.array(spacing, dtype=float)
        sizes = [float(np.linalg.norm((r[-1] - r[0]) * scale)) for r in dropped]
        notes.append(f"{len(dropped)} {what} outline(s) with fewer than 3 vertices have no "
                     f"area and were not measured (extent {', '.join(f'{v:.1f}' for v in sizes)}"
                     " um)")
    return kept


def _groups(parts: np.ndarray, merge_distance_um: float = 0.0) -> np.ndarray:
    """Group number of each part: parts that intersect (or lie within the distance) join."""
    tree = shapely.STRtree(parts)
    if merge_distance_um > 0:
        a, b = tree.query(parts, predicate="dwithin", distance=merge_distance_um)
    else:
        a, b = tree.query(parts, predicate="intersects")
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(parts), len(parts)))
    return connected_components(graph, directed=False)[1]


def _union_overlapping(polygons: np.ndarray) -> np.ndarray:
    """Union of the polygons, as disjoint pieces: only polygons that meet are merged.

    Same result as one union of everything, but isolated outlines (most of a slide's) skip
    the overlay entirely.
    """
    if len(polygons) < 2:
        return polygons
    group = _groups(polygons)
    order = np.argsort(group, kind="stable")
    heads = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    sizes = np.diff(np.r_[heads, len(order)])
    out = list(polygons[order[heads[sizes == 1]]])
    for head, size in zip(heads[sizes > 1], sizes[sizes > 1], strict=True):
        out.append(shapely.union_all(polygons[order[head:head + size]]))
    return np.array(out, dtype=object)


def tumour_region(outlines: Outlines, spacing: Spacing) -> tuple[np.ndarray, list[str]]:
    """Union of tumour outlines minus union of exclusions, in micrometres, as polygon parts."""
    notes: list[str] = []
    tumour, fixed_t = _valid(_polygons(_with_area(outlines.tumour, "tumour", spacing, notes),
                                       spacing))
    exclusions, fixed_e = _valid(_polygons(
        _with_area(outlines.exclusions, "exclusion", spacing, notes), spacing))
    if fixed_t or fixed_e:
        notes.append(f"{fixed_t + fixed_e} self-intersecting outline(s) repaired "
                     "(GEOS make_valid) before measuring")
    pieces = _union_overlapping(tumour)
    if len(exclusions) and len(pieces):
        excluded = shapely.union_all(exclusions)
        hit = shapely.intersects(pieces, excluded)
        pieces[hit] = shapely.difference(pieces[hit], excluded)
    # Keep areas only: make_valid and differences can leave lines or points of zero area.
    parts = shapely.get_parts(pieces)
    parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    return parts[shapely.area(parts) > 0], notes


def components(parts: np.ndarray, merge_distance_um: float = 0.0) -> np.ndarray:
    """Connected deposits from polygon parts; parts that touch, or lie within the merge
    distance, form one deposit.

    Parts that meet at a single point are one deposit (as 8-connected cells are in a
    heatmap). With a merge distance d > 0, parts whose gap is at most d belong to one deposit;
    the deposit is the union of its original parts, so the gap adds only the span between them.
    """
    if len(parts) < 2:
        return parts
    group = _groups(parts, merge_distance_um)
    order = np.argsort(group, kind="stable")
    return shapely.multipolygons(parts[order], indices=group[order])


def measure_outlines(
    outlines: Outlines, spacing: Spacing, merge_distance_um: float = 0.0
) -> Measurement:
    """Largest deposit of one node from its outlines: Feret diameter of every component, in um.

    ``spacing`` is the level-0 pixel spacing (x, y) in micrometres a pixel.
    """
    if merge_distance_um < 0 or not np.isfinite(merge_distance_um):
        raise ValueError(f"merge_distance_um must be 0 or more, got {merge_distance_um}")
    parts, notes = tumour_region(outlines, spacing)
    parts = components(parts, merge_distance_um)
    extents = np.sort(feret_of_geometries(parts))[::-1] if len(parts) else np.zeros(0)
    return Measurement(
        source=outlines.source,
        method=FERET,
        spacing_um=spacing,
        component_extents_um=extents,
        merge_distance_um=float(merge_distance_um),
        notes=(*outlines.notes, *notes),
    )
