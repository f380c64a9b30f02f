"""GeoJSON as exported by QuPath -> Outlines (tumour and exclusion classifications).

Source: RFC 7946 (GeoJSON: Polygon rings, first the outer ring then holes; MultiPolygon) and
QuPath's object export (a FeatureCollection or a list of Features; the class in
``properties.classification.name``, or a plain string in older exports; coordinates in level-0
pixels). A feature whose class is neither a tumour nor an exclusion class is refused rather
than guessed: an unclassified outline may be tissue, not tumour.
"""

from __future__ import annotations

from pathlib import Path

from axilla.interop.pathology_files.errors import PathologyFileError, finite_vertices, read_json
from axilla.pathology import Outline, Outlines

#: Classes read as tumour and as exclusions (compared case-insensitively).
TUMOUR_CLASSES = ("tumor", "tumour", "metastasis", "metastases", "positive")
EXCLUSION_CLASSES = ("exclusion", "ignore", "ignore*", "negative", "non-tumour", "non-tumor")


def _class_name(props: object) -> str | None:
    if not isinstance(props, dict):
        return None
    c = props.get("classification")
    if isinstance(c, dict):
        c = c.get("name")
    return c if isinstance(c, str) else None


def _polygon(path: Path, where: str, rings: object) -> Outline:
    if not isinstance(rings, list) or not rings:
        raise PathologyFileError(path, where, "Polygon coordinates must be a list of rings")
    return tuple(finite_vertices(path, f"{where} ring {r}", ring)
                 for r, ring in enumerate(rings))


def _features(path: Path, data: object) -> list[object]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features")
        if not isinstance(feats, list):
            raise PathologyFileError(path, "features", "must be a list of Features")
        return feats
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise PathologyFileError(path, "", "expected a FeatureCollection, a Feature or a list "
                             "of Features")


def outlines_from_geojson(path: str | Path, data: object) -> Outlines:
    """Outlines from parsed GeoJSON; errors name the file and the feature."""
    path = Path(path)
    tumour: list[Outline] = []
    exclusions: list[Outline] = []
    for i, feat in enumerate(_features(path, data)):
        where = f"feature {i}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise PathologyFileError(path, where, "must be a GeoJSON Feature")
        name = _class_name(feat.get("properties"))
        if name is None or name.lower() not in TUMOUR_CLASSES + EXCLUSION_CLASSES:
            raise PathologyFileError(
                path, where, f"classification {name!r} is neither tumour "
                f"({', '.join(TUMOUR_CLASSES)}) nor exclusion ({', '.join(EXCLUSION_CLASSES)})")
        geom = feat.get("geometry")
        kind = geom.get("type") if isinstance(geom, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if kind == "Polygon":
            polys = [_polygon(path, where, coords)]
        elif kind == "MultiPolygon" and isinstance(coords, list):
            polys = [_polygon(path, f"{where} polygon {k}", c) for k, c in enumerate(coords)]
        else:
            raise PathologyFileError(path, where, f"geometry type {kind!r} has no area to "
                                     "measure; allowed: Polygon, MultiPolygon")
        (exclusions if name.lower() in EXCLUSION_CLASSES else tumour).extend(polys)
    return Outlines(tumour=tuple(tumour), exclusions=tuple(exclusions), source=str(path))


def read_geojson(path: str | Path) -> Outlines:
    """Tumour and exclusion outlines of one slide from a QuPath GeoJSON export."""
    return outlines_from_geojson(path, read_json(path))
