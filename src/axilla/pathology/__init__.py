"""Tumour outlines or probability heatmaps -> the largest deposit of each lymph node.

Source: AJCC 8th edition, chapter 48 (Breast), node categories (greatest dimension of the
largest contiguous deposit, never summed); CAMELYON16/17 challenge definitions
(shared/spec/pathology.md). Pure: geometry and arrays in, extents in micrometres out; files are
read by ``axilla.interop.pathology_files``, node categories and pN come from the staging engine
through that package.

Public API
----------
``Outlines(tumour, exclusions)``: outlines of one node in level-0 pixels.
``measure_outlines(outlines, spacing_um, merge_distance_um=0) -> Measurement``: union minus
    exclusions, connected deposits, maximum Feret diameter of each (um).
``measure_camelyon16(outlines, spacing_um) -> Measurement``: the CAMELYON16 evaluation's
    lesions (37.5 um dilation, filled, fitted-ellipse major axis; ITC under 275 um).
``HeatmapGrid(stride_px, spacing_um, origin_px)``, ``measure_heatmap(p, grid, threshold=0.5)``:
    8-connected cells at or above the threshold, Feret over cell corners, quantisation reported.
``Measurement``: ``component_extents_um`` (largest first), ``largest_extent_um``,
    ``near(boundaries_um)`` (boundaries the extent cannot be placed against), ``provenance()``.
``camelyon17``: ``stage_codes`` (simplified patient pN), ``quadratic_weighted_kappa``.
``max_feret_diameters`` / ``feret_of_geometries``: the vectorised Feret kernel.
"""

from __future__ import annotations

from axilla.pathology.camelyon16 import ITC_MAJOR_AXIS_UM, is_itc_lesion, measure_camelyon16
from axilla.pathology.feret import feret_of_geometries, max_feret_diameters
from axilla.pathology.heatmap import DEFAULT_THRESHOLD, HeatmapGrid, measure_heatmap
from axilla.pathology.outlines import Outline, Outlines, measure_outlines
from axilla.pathology.result import CAMELYON16, FERET, HEATMAP_FERET, METHODS, Measurement

__all__ = [
    "CAMELYON16",
    "DEFAULT_THRESHOLD",
    "FERET",
    "HEATMAP_FERET",
    "ITC_MAJOR_AXIS_UM",
    "METHODS",
    "HeatmapGrid",
    "Measurement",
    "Outline",
    "Outlines",
    "feret_of_geometries",
    "is_itc_lesion",
    "max_feret_diameters",
    "measure_camelyon16",
    "measure_heatmap",
    "measure_outlines",
]
