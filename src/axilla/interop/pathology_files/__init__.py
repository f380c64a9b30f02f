"""Pathology files -> geometry -> measured nodes: ASAP XML, QuPath GeoJSON, polygon JSON,
heatmaps (.npy, TIFF), and CAMELYON17 label files.

Sources: the formats as described in shared/spec/pathology.md section 4 (each reader names
its own). Every malformed file is refused with a ``PathologyFileError`` naming the file and
the element.

Public API
----------
``read_outlines(path) -> Outlines`` (by suffix and content: .xml ASAP; .json/.geojson polygon
JSON or GeoJSON); ``read_heatmap(path) -> array``;
``measure_file(path, spacing_um, method=..., ...) -> Measurement``;
``node_reports(measurements) -> [NodeReport]`` (category by the staging engine's rule, the
"undecidable at this resolution" flag); ``node_findings(reports, sites)`` (ordinary
``NodeFinding``s for any case); ``stage_nodes(reports) -> StagingResult`` (AJCC pN);
``read_labels``/``write_labels``/``stages_from_slides``/``kappa_from_files`` (CAMELYON17 CSV).
"""

from __future__ import annotations

from pathlib import Path

from axilla.errors import FieldProblem, InputError
from axilla.interop.pathology_files.asap import read_asap
from axilla.interop.pathology_files.errors import PathologyFileError, read_json
from axilla.interop.pathology_files.geojson import outlines_from_geojson, read_geojson
from axilla.interop.pathology_files.heatmaps import SUFFIXES as HEATMAP_SUFFIXES
from axilla.interop.pathology_files.heatmaps import read_heatmap
from axilla.interop.pathology_files.labels import (
    KappaResult,
    LabelFile,
    kappa_from_files,
    read_labels,
    stages_from_slides,
    write_labels,
)
from axilla.interop.pathology_files.nodes import (
    NodeReport,
    node_findings,
    node_reports,
    stage_nodes,
)
from axilla.interop.pathology_files.polygon_json import KEYS as POLYGON_JSON_KEYS
from axilla.interop.pathology_files.polygon_json import (
    outlines_from_polygon_json,
    read_polygon_json,
)
from axilla.pathology import (
    CAMELYON16,
    DEFAULT_THRESHOLD,
    FERET,
    HeatmapGrid,
    Measurement,
    Outlines,
    measure_camelyon16,
    measure_heatmap,
    measure_outlines,
)
from axilla.pathology.result import Spacing

OUTLINE_SUFFIXES = (".xml", ".json", ".geojson")


def is_heatmap(path: str | Path) -> bool:
    return Path(path).suffix.lower() in HEATMAP_SUFFIXES


def read_outlines(path: str | Path) -> Outlines:
    """Outlines of one slide; the format from the suffix and, for JSON, from the content."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return read_asap(path)
    if suffix not in OUTLINE_SUFFIXES:
        raise PathologyFileError(path, "", f"unknown annotation suffix {suffix!r}; allowed: "
                                 f"{', '.join(OUTLINE_SUFFIXES + HEATMAP_SUFFIXES)}")
    data = read_json(path)
    if isinstance(data, dict) and data and set(data) <= set(POLYGON_JSON_KEYS):
        return outlines_from_polygon_json(path, data)
    return outlines_from_geojson(path, data)


def measure_file(
    path: str | Path,
    spacing_um: Spacing,
    method: str = FERET,
    merge_distance_um: float = 0.0,
    threshold: float = DEFAULT_THRESHOLD,
    stride_px: float | None = None,
    origin_px: tuple[float, float] = (0.0, 0.0),
) -> Measurement:
    """Measure one node's file: outlines by ``method``; a heatmap on the grid given."""
    if is_heatmap(path):
        if stride_px is None:
            raise InputError([FieldProblem("stride_px", None, f"required for the heatmap {path} "
                                       "(level-0 pixels a heatmap cell)")])
        grid = HeatmapGrid(stride_px=stride_px, spacing_um=spacing_um, origin_px=origin_px)
        try:
            return measure_heatmap(read_heatmap(path), grid, threshold, source=str(path))
        except InputError as exc:
            p = exc.problems[0]
            raise PathologyFileError(path, p.field, f"{p.reason} (got {p.value!r})") from None
    outlines = read_outlines(path)
    if method == CAMELYON16:
        return measure_camelyon16(outlines, spacing_um)
    if method != FERET:
        raise InputError([FieldProblem("method", method, f"allowed for outlines: {FERET}, "
                                   f"{CAMELYON16}")])
    return measure_outlines(outlines, spacing_um, merge_distance_um)


__all__ = [
    "KappaResult",
    "LabelFile",
    "NodeReport",
    "PathologyFileError",
    "is_heatmap",
    "kappa_from_files",
    "measure_file",
    "node_findings",
    "node_reports",
    "read_asap",
    "read_geojson",
    "read_heatmap",
    "read_labels",
    "read_outlines",
    "read_polygon_json",
    "stage_nodes",
    "stages_from_slides",
    "write_labels",
]
