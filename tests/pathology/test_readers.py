"""Readers: ASAP XML, QuPath GeoJSON, polygon JSON, heatmaps; malformed files named clearly."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from axilla.interop.pathology_files import (
    PathologyFileError,
    measure_file,
    read_heatmap,
    read_outlines,
)

UM = (1.0, 1.0)


def asap(annotations: str) -> str:
    return ('<?xml version="1.0"?>\n<ASAP_Annotations><Annotations>' + annotations
            + "</Annotations><AnnotationGroups/></ASAP_Annotations>")


def ann(points, group="metastases", kind="Polygon", name="A") -> str:
    coords = "".join(f'<Coordinate Order="{i}" X="{x}" Y="{y}"/>'
                     for i, (x, y) in enumerate(points))
    return (f'<Annotation Name="{name}" Type="{kind}" PartOfGroup="{group}" Color="#F4FA58">'
            f"<Coordinates>{coords}</Coordinates></Annotation>")


SQUARE_100 = [(0, 0), (100, 0), (100, 100), (0, 100)]
HOLE = [(10, 10), (90, 10), (90, 90), (10, 90)]
FAR = [(1000, 0), (1030, 0), (1030, 40), (1000, 40)]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_asap_tumour_exclusion_and_groups(tmp_path):
    xml = asap(ann(SQUARE_100, "_0") + ann(HOLE, "_2", name="B") + ann(FAR, "Tumor"))
    m = measure_file(write(tmp_path, "a.xml", xml), UM)
    assert m.component_extents_um == pytest.approx([100 * math.sqrt(2), 50.0])
    assert m.notes == ()


def test_asap_unknown_group_is_tumour_and_noted(tmp_path):
    m = measure_file(write(tmp_path, "a.xml", asap(ann(FAR, "Lesions"))), UM)
    assert m.component_extents_um == pytest.approx([50.0])
    assert any("'Lesions'" in n and "read as tumour" in n for n in m.notes)


def test_asap_coordinate_order_attribute_is_used(tmp_path):
    # Coordinates listed out of order; by Order they form the square (not a bow-tie).
    xml = asap('<Annotation Name="A" Type="Polygon" PartOfGroup="metastases"><Coordinates>'
               '<Coordinate Order="0" X="0" Y="0"/><Coordinate Order="2" X="10" Y="10"/>'
               '<Coordinate Order="1" X="10" Y="0"/><Coordinate Order="3" X="0" Y="10"/>'
               "</Coordinates></Annotation>")
    m = measure_file(write(tmp_path, "a.xml", xml), UM)
    assert m.component_extents_um == pytest.approx([math.sqrt(200)]) and m.notes == ()


def test_geojson_from_qupath(tmp_path):
    def feature(rings, cls, multi=False):
        geom = {"type": "MultiPolygon" if multi else "Polygon",
                "coordinates": [rings] if multi else rings}
        return {"type": "Feature", "geometry": geom,
                "properties": {"objectType": "annotation",
                               "classification": {"name": cls, "color": [200, 0, 0]}}}

    data = {"type": "FeatureCollection", "features": [
        feature([SQUARE_100, HOLE], "Tumor"),  # a ring with a hole: extent unchanged
        feature([FAR], "Tumour", multi=True),
        feature([[(40, -5), (60, -5), (60, 105), (40, 105)]], "Ignore*"),  # cuts the square
    ]}
    m = measure_file(write(tmp_path, "q.geojson", json.dumps(data)), UM)
    assert m.component_extents_um == pytest.approx([math.hypot(40, 100)] * 2 + [50.0])
    # Older QuPath exports: a plain list of features, classification as a string.
    old = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [FAR]},
            "properties": {"classification": "Tumor"}}]
    assert measure_file(write(tmp_path, "old.json", json.dumps(old)), UM).largest_extent_um \
        == pytest.approx(50.0)


def test_polygon_json(tmp_path):
    data = {"positive": [{"name": "Tumor1", "vertices": SQUARE_100}],
            "negative": [{"name": "_2", "vertices": HOLE}]}
    outlines = read_outlines(write(tmp_path, "t.json", json.dumps(data)))
    assert len(outlines.tumour) == 1 and len(outlines.exclusions) == 1
    m = measure_file(write(tmp_path, "t.json", json.dumps(data)), (0.243, 0.243))
    assert m.largest_extent_um == pytest.approx(100 * math.sqrt(2) * 0.243)


def test_heatmap_npy_and_tiff(tmp_path):
    import tifffile

    h = np.zeros((20, 30), np.float32)
    h[5:8, 2:12] = 0.75
    np.save(tmp_path / "h.npy", h)
    tifffile.imwrite(tmp_path / "h.tif", h)
    tifffile.imwrite(tmp_path / "z.tiff", h, compression="zlib")  # not mappable: read whole
    for name in ("h.npy", "h.tif", "z.tiff"):
        m = measure_file(tmp_path / name, (0.5, 0.5), stride_px=32)  # 16 um cells
        assert m.largest_extent_um == pytest.approx(math.hypot(160, 48))
        assert m.provenance()["cell_um"] == [16.0, 16.0]


def test_real_camelyon17_annotation(camelyon):
    """shared/spec/pathology.md 5.1 worked check: 383, 472, 513 px -> 93, 115, 125 um."""
    path = camelyon / "camelyon17" / "lesion_annotations" / "patient_004_node_4.xml"
    m = measure_file(path, (0.243, 0.243))
    assert m.component_extents_um / 0.243 == pytest.approx([513, 472, 383], abs=1)
    assert m.component_extents_um == pytest.approx([125, 115, 93], abs=0.5)


# ----------------------------------------------------------------------------- malformed files

MALFORMED = [
    ("a.xml", "<ASAP_Annotations><Annotations>", "not well-formed XML (line 1"),
    ("a.xml", "<Other/>", "Other: root element must be ASAP_Annotations"),
    ("a.xml", "<ASAP_Annotations/>", "ASAP_Annotations: has no Annotations element"),
    ("a.xml", asap(ann(SQUARE_100, kind="Dot")), "Annotation 0 (Name='A'): Type 'Dot'"),
    ("a.xml", asap(ann([(0, 0), (1, "x"), (2, 2)])),
     "Annotation 0 (Name='A') Coordinate 1: Order must be a whole number and X, Y numbers"),
    ("a.xml", asap(ann([(0, 0), (1, "nan"), (2, 2)])), "Coordinate 1: X and Y must be finite"),
    ("a.xml", asap('<Annotation Name="A" Type="Polygon"/>'), "has no Coordinates element"),
    ("t.json", '{"positive": [', "not valid JSON"),
    ("t.json", '{"positive": [{"name": "T", "vertices": [[0, 0], [1, "a"], [2, 2]]}]}',
     "positive[0] (name='T') vertex 1: expected [x, y] with finite numbers"),
    ("t.json", '{"positive": [{"name": "T"}]}', "positive[0]: must be an object with"),
    ("t.json", '{"positive": {}}', "positive: must be a list of polygons"),
    ("t.json", '{"positive": [{"vertices": []}]}', "positive[0]: an outline needs vertices"),
    ("q.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
     '"geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1]]]}, '
     '"properties": {"classification": {"name": "Stroma"}}}]}',
     "feature 0: classification 'Stroma' is neither tumour"),
    ("q.geojson", '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}, '
     '"properties": {"classification": "Tumor"}}', "feature 0: geometry type 'Point'"),
    ("q.geojson", '{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": '
     '[[[0,0],[1,0],[1,true]]]}, "properties": {"classification": "Tumor"}}',
     "feature 0 ring 0 vertex 2"),
    ("q.geojson", '{"type": "Topology"}', "expected a FeatureCollection"),
    ("a.svg", "<svg/>", "unknown annotation suffix '.svg'"),
]


@pytest.mark.parametrize(("name", "text", "message"), MALFORMED,
                         ids=[f"{i}-{m[0]}" for i, m in enumerate(MALFORMED)])
def test_malformed_files_name_file_and_element(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    with pytest.raises(PathologyFileError) as err:
        measure_file(path, UM)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


@pytest.mark.parametrize(("array", "message"), [
    (np.zeros((4, 4, 3)), "must be 2-D"),
    (np.zeros((4, 4), np.uint8), "must hold probabilities as floats"),
])
def test_malformed_heatmaps(tmp_path, array, message):
    np.save(tmp_path / "h.npy", array)
    with pytest.raises(PathologyFileError, match=message):
        read_heatmap(tmp_path / "h.npy")


def test_heatmap_value_errors_name_the_file_and_cell(tmp_path):
    h = np.zeros((4, 4))
    h[1, 3] = 2.0
    np.save(tmp_path / "h.npy", h)
    with pytest.raises(PathologyFileError, match=r"h\.npy: heatmap\[1, 3\]: probabilities"):
        measure_file(tmp_path / "h.npy", UM, stride_px=1)


def test_not_a_heatmap_file(tmp_path):
    (tmp_path / "h.npy").write_bytes(b"not numpy")
    (tmp_path / "h.tif").write_bytes(b"not tiff")
    for name in ("h.npy", "h.tif"):
        with pytest.raises(PathologyFileError, match=f"{name}: not a readable"):
            read_heatmap(tmp_path / name)


def test_short_outlines_are_noted_not_measured(tmp_path):
    data = {"positive": [{"name": "line", "vertices": [[0, 0], [30, 40]]},
                         {"name": "sq", "vertices": SQUARE_100}]}
    m = measure_file(write(tmp_path, "t.json", json.dumps(data)), UM)
    assert m.component_extents_um == pytest.approx([100 * math.sqrt(2)])
    assert any("fewer than 3 vertices" in n and "50.0 um" in n for n in m.notes)
