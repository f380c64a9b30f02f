"""Polygon JSON (``{"positive": [...], "negative": [...]}``) -> Outlines.

Source: the layout of the public CAMELYON16 conversions (GitHub baidu-research/NCRF,
``jsons/*/Tumor_*.json``), re-described in shared/spec/pathology.md section 4.2: each entry
``{"name": ..., "vertices": [[x, y], ...]}`` in level-0 pixels; "positive" = tumour outlines
(CAMELYON16 groups Tumor, _0, _1), "negative" = non-tumour regions inside them (group _2).
"""

from __future__ import annotations

from pathlib import Path

from axilla.interop.pathology_files.errors import PathologyFileError, finite_vertices, read_json
from axilla.pathology import Outline, Outlines

KEYS = ("positive", "negative")


def outlines_from_polygon_json(path: str | Path, data: object) -> Outlines:
    """Outlines from parsed polygon JSON; errors name the file, list and entry."""
    if not isinstance(data, dict):
        raise PathologyFileError(path, "", "expected an object with 'positive' and 'negative'")
    extra = sorted(set(data) - set(KEYS))
    if extra:
        raise PathologyFileError(path, extra[0], f"unknown key; allowed: {', '.join(KEYS)}")
    groups: dict[str, list[Outline]] = {}
    for key in KEYS:
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise PathologyFileError(path, key, "must be a list of polygons")
        out: list[Outline] = []
        for i, entry in enumerate(entries):
            where = f"{key}[{i}]"
            if not isinstance(entry, dict) or "vertices" not in entry:
                raise PathologyFileError(path, where, "must be an object with 'vertices'")
            name = entry.get("name")
            label = f"{where} (name={name!r})" if name is not None else where
            out.append((finite_vertices(path, label, entry["vertices"]),))
        groups[key] = out
    return Outlines(tumour=tuple(groups["positive"]), exclusions=tuple(groups["negative"]),
                    source=str(path))


def read_polygon_json(path: str | Path) -> Outlines:
    """Tumour and exclusion outlines of one slide from a polygon JSON file."""
    return outlines_from_polygon_json(path, read_json(path))
