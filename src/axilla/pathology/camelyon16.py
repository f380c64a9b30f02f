"""The CAMELYON16 evaluation's lesion convention, on outlines: dilate, fill, fit an ellipse.

Source: CAMELYON16 official evaluation code (GitHub computationalpathologygroup/Camelyon16,
commit 546b6138, Python/Evaluation_FROC.py), as re-described in shared/spec/pathology.md
section 2.2: tumour within 75 / 2 um of a lesion is added (a 75 um, "about 5 tumour cells",
growth of the diameter), holes are filled, each connected part is one lesion, and a lesion whose
fitted-ellipse major axis (regionprops) is under 275 um (200 um + 75 um) is an ITC lesion.

The official code works on the level-5 raster mask (about 7.8 um pixels); here the same steps
run on the exact outlines: the dilation is a geometric buffer and the ellipse comes from the
polygon's exact second moments (major axis = 4 sqrt(largest eigenvalue of the area-normalised
central second-moment matrix), the regionprops definition). This is the metric's filter, not the
AJCC greatest dimension (spec section 5.2 step 7): use it to reproduce CAMELYON16, never to stage.
"""

from __future__ import annotations

import numpy as np
import shapely

from axilla.pathology.outlines import Outlines, tumour_region
from axilla.pathology.result import CAMELYON16, Measurement, Spacing

#: Growth of a lesion's outline, um (half of the 75 um diameter growth).
DILATION_RADIUS_UM = 37.5
#: Outlines are simplified by this much (um) before growing: far below the official 7.8 um
#: raster, and it makes the growth of dense hand-drawn outlines about 50 times faster.
SIMPLIFY_UM = 0.5
#: Lesions whose major axis is below this (um) are ITC in the CAMELYON16 evaluation.
ITC_MAJOR_AXIS_UM = 275.0


def major_axis_lengths(polygons: np.ndarray) -> np.ndarray:
    """Major axis of the ellipse with the same second moments as each polygon's outer ring."""
    rings = shapely.get_exterior_ring(np.asarray(polygons, dtype=object))
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    n = len(polygons)
    if not len(coords):
        return np.zeros(n)
    # Shift each ring to its first vertex for numerical stability (moments are central anyway).
    first = np.r_[0, np.flatnonzero(idx[1:] != idx[:-1]) + 1]
    coords = coords - np.repeat(coords[first], np.diff(np.r_[first, len(coords)]), axis=0)
    same = idx[:-1] == idx[1:]
    x0, y0 = coords[:-1][same].T
    x1, y1 = coords[1:][same].T
    ring = idx[:-1][same]
    cross = x0 * y1 - x1 * y0

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(ring, weights=values, minlength=n)

    area = total(cross) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        cx = total((x0 + x1) * cross) / (6 * area)
        cy = total((y0 + y1) * cross) / (6 * area)
        mxx = total((x0 * x0 + x0 * x1 + x1 * x1) * cross) / (12 * area) - cx * cx
        myy = total((y0 * y0 + y0 * y1 + y1 * y1) * cross) / (12 * area) - cy * cy
        mxy = total((x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * cross) / (24 * area) \
            - cx * cy
        largest = (mxx + myy) / 2 + np.sqrt(((mxx - myy) / 2) ** 2 + mxy ** 2)
    return np.where(area != 0, 4 * np.sqrt(np.maximum(largest, 0)), 0.0)


def lesions(parts: np.ndarray) -> np.ndarray:
    """CAMELYON16 lesions of a tumour region's parts (um): grown by 37.5 um, joined, filled."""
    if not len(parts):
        return np.zeros(0, dtype=object)
    simple = shapely.simplify(shapely.multipolygons(parts), SIMPLIFY_UM)
    grown = shapely.get_parts(shapely.buffer(simple, DILATION_RADIUS_UM, quad_segs=16))
    filled = shapely.polygons(shapely.get_exterior_ring(grown))
    # A lesion lying in another's hole is inside it once the holes are filled.
    return shapely.get_parts(shapely.union_all(filled)) if len(filled) > 1 else filled


def measure_camelyon16(outlines: Outlines, spacing: Spacing) -> Measurement:
    """Major axis (um) of every CAMELYON16 lesion, largest first; ITC when under 275 um."""
    parts, region_notes = tumour_region(outlines, spacing)
    axes = major_axis_lengths(lesions(parts))
    return Measurement(
        source=outlines.source, method=CAMELYON16, spacing_um=spacing,
        component_extents_um=np.sort(axes)[::-1],
        notes=(*outlines.notes, *region_notes,
               f"CAMELYON16 convention: outlines grown by {DILATION_RADIUS_UM:g} um, holes "
               f"filled, fitted-ellipse major axis; ITC below {ITC_MAJOR_AXIS_UM:g} um"),
    )


def is_itc_lesion(major_axis_um: np.ndarray) -> np.ndarray:
    """CAMELYON16 ITC lesions (excluded from the FROC lesion count)."""
    return np.asarray(major_axis_um) < ITC_MAJOR_AXIS_UM
