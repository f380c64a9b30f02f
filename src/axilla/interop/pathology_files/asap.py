"""ASAP XML annotations (CAMELYON16/17 lesion outlines) -> Outlines.

Source: the ASAP annotation format as used by CAMELYON16 and CAMELYON17, re-described in
shared/spec/pathology.md section 4.1: ``ASAP_Annotations/Annotations/Annotation`` elements with
``Type``, ``PartOfGroup`` and ``Coordinates/Coordinate`` (``Order``, ``X``, ``Y`` in level-0
pixels; rings implicitly closed). Group ``_2`` (and the exclusion names below) are non-tumour
regions drawn inside tumour and are subtracted; every other group is tumour, and a group name
not known from CAMELYON is noted in the result.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from axilla.interop.pathology_files.errors import PathologyFileError
from axilla.pathology import Outlines

#: Groups subtracted from the tumour (compared case-insensitively).
EXCLUSION_GROUPS = ("_2", "exclusion", "exclusions", "non-tumour", "non-tumor")
#: Tumour groups of CAMELYON16 (Tumor, _0, _1) and CAMELYON17 (metastases).
TUMOUR_GROUPS = ("tumor", "tumour", "_0", "_1", "metastases", "metastasis")
#: Annotation types read as polygons. A Spline is read through its points (a noted
#: approximation); a Rectangle's four corners are exact.
POLYGON_TYPES = ("Polygon", "Rectangle", "Spline")


def _coordinates(path: Path, where: str, ann: ET.Element) -> np.ndarray:
    coords = ann.find("Coordinates")
    if coords is None:
        raise PathologyFileError(path, where, "has no Coordinates element")
    rows = []
    for j, c in enumerate(coords.findall("Coordinate")):
        try:
            order = int(c.get("Order", str(j)))
            x, y = float(c.get("X", "")), float(c.get("Y", ""))
        except ValueError:
            raise PathologyFileError(
                path, f"{where} Coordinate {j}",
                f"Order must be a whole number and X, Y numbers; got Order={c.get('Order')!r} "
                f"X={c.get('X')!r} Y={c.get('Y')!r}") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise PathologyFileError(path, f"{where} Coordinate {j}",
                                     f"X and Y must be finite, got X={x} Y={y}")
        rows.append((order, x, y))
    if not rows:
        raise PathologyFileError(path, where, "has no Coordinate elements")
    rows.sort(key=lambda r: r[0])
    return np.array([(x, y) for _, x, y in rows])


def read_asap(path: str | Path) -> Outlines:
    """Tumour and exclusion outlines of one slide from an ASAP XML file."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line, col = exc.position
        raise PathologyFileError(path, "", f"not well-formed XML (line {line}, column {col})") \
            from None
    if root.tag != "ASAP_Annotations":
        raise PathologyFileError(path, root.tag, "root element must be ASAP_Annotations")
    block = root.find("Annotations")
    if block is None:
        raise PathologyFileError(path, "ASAP_Annotations", "has no Annotations element")
    tumour, exclusions, notes, unknown = [], [], [], set()
    for i, ann in enumerate(block.findall("Annotation")):
        where = f"Annotation {i} (Name={ann.get('Name', '')!r})"
        kind = ann.get("Type", "")
        if kind not in POLYGON_TYPES:
            raise PathologyFileError(path, where, f"Type {kind!r} has no area to measure; "
                                     f"allowed: {', '.join(POLYGON_TYPES)}")
        ring = _coordinates(path, where, ann)
        if kind == "Spline":
            notes.append(f"{where}: spline read as the polygon through its points")
        group = ann.get("PartOfGroup", "")
        if group.lower() in EXCLUSION_GROUPS:
            exclusions.append((ring,))
        else:
            tumour.append((ring,))
            if group.lower() not in TUMOUR_GROUPS:
                unknown.add(group)
    for group in sorted(unknown):
        notes.append(f"group {group!r} is not a CAMELYON group name: read as tumour")
    return Outlines(tumour=tuple(tumour), exclusions=tuple(exclusions), source=str(path),
                    notes=tuple(notes))
