"""`axilla pathology measure|stage|kappa` run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest


def axilla(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", "pathology", *args],
                          capture_output=True, text=True, timeout=120)


def test_measure_table_and_stage(camelyon):
    xml = camelyon / "camelyon17" / "lesion_annotations" / "patient_004_node_4.xml"
    out = axilla("measure", str(xml), "--spacing-um", "0.243", "--stage")
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("patient_004_node_4.xml"))
    assert line.split()[1:4] == ["124.6", "itc", "3"]
    assert "method feret; spacing 0.243 um/px" in out.stdout
    assert "pN pN0(i+)(sn)" in out.stdout
    assert "assumed" not in out.stdout


def test_measure_json_heatmap_and_fallback_spacing(tmp_path):
    h = np.zeros((10, 40), np.float32)
    h[4, 2:15] = 0.9  # 13 cells of 15.552 um (stride 64 at 0.243): 202.2 um long
    np.save(tmp_path / "node.npy", h)
    out = axilla("measure", str(tmp_path / "node.npy"), "--stride-px", "64", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    node = data["nodes"][0]
    cell = 64 * 0.243
    assert node["largest_extent_um"] == pytest.approx(np.hypot(13 * cell, cell))
    assert node["category"] == "micro" and node["undecidable_at_this_resolution"]
    assert node["provenance"]["threshold"] == 0.5
    assert node["provenance"]["spacing_um"] == [0.243, 0.243]
    assert "0.243 um/px assumed" in data["notes"][0]


@pytest.mark.parametrize(("args", "message"), [
    (["measure", "x.npy"], "--stride-px is required"),
    (["measure", "x.xml", "--spacing-um", "0"], "--spacing-um: must be a number above 0"),
    (["measure", "x.xml", "--threshold", "1.2"], "--threshold: must be between 0 and 1"),
    (["measure", "missing.xml"], "missing.xml"),
    (["measure", "x.xml", "--method", "area"], "--method: invalid choice"),
    (["kappa", "a.csv"], "the following arguments are required"),
])
def test_bad_arguments_give_one_line_and_exit_2(args, message):
    out = axilla(*args)
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_malformed_file_gives_one_line_naming_file_and_element(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"positive": [{"name": "T", "vertices": [[0, 0], [1, "a"], [1, 1]]}]}')
    out = axilla("measure", str(bad))
    assert out.returncode == 2
    assert f"{bad}: positive[0] (name='T') vertex 1" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_stage_real_labels_round_trip(camelyon, tmp_path):
    labels = camelyon / "camelyon17" / "stage_labels.csv"
    out = axilla("stage", str(labels), "--output", str(tmp_path / "out.csv"))
    assert out.returncode == 0, out.stderr
    written = (tmp_path / "out.csv").read_text().splitlines()
    assert sorted(written) == sorted(labels.read_text().splitlines())


def test_stage_slides_only(tmp_path):
    src = tmp_path / "slides.csv"
    src.write_text("patient,stage\n" + "".join(
        f"patient_042_node_{i}.tif,{lab}\n"
        for i, lab in enumerate(["macro", "micro", "micro", "macro", "itc"])))
    assert axilla("stage", str(src), "--output", str(tmp_path / "o.csv")).returncode == 0
    assert (tmp_path / "o.csv").read_text().splitlines()[:2] == \
        ["patient,stage", "patient_042.zip,pN2"]


def test_kappa_official_example_and_missing_patient(camelyon, tmp_path):
    ex = camelyon / "camelyon17" / "evaluation_example"
    out = axilla("kappa", str(ex / "reference.csv"), str(ex / "submission.csv"))
    assert out.returncode == 0
    assert "quadratic weighted kappa 0.888889 over 5 patients" in out.stdout
    short = tmp_path / "short.csv"
    short.write_text("patient,stage\npatient_000.zip,pN0\n")
    out = axilla("kappa", str(ex / "reference.csv"), str(short))
    assert out.returncode == 2
    assert "patient_005.zip, patient_007.zip, patient_013.zip, patient_019.zip: missing" \
        in out.stderr


def test_stage_notes_input_stages_that_differ_from_the_rule(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("patient,stage\npatient_001.zip,pN1\npatient_001_node_0.tif,micro\n"
                   "patient_001_node_1.tif,negative\n")
    out = axilla("stage", str(src), "--output", str(tmp_path / "o.csv"))
    assert out.returncode == 0
    assert "patient_001 (given pN1, rule pN1mi)" in out.stderr
    assert (tmp_path / "o.csv").read_text().splitlines()[1] == "patient_001.zip,pN1mi"


def test_heatmap_provenance_names_the_grid(tmp_path):
    np.save(tmp_path / "h.npy", np.full((3, 3), 0.9))
    out = axilla("measure", str(tmp_path / "h.npy"), "--stride-px", "16", "--origin-px",
                 "1024,2048", "--spacing-um", "0.25", "--threshold", "0.8", "--json")
    prov = json.loads(out.stdout)["nodes"][0]["provenance"]
    assert prov["grid_px"] == {"stride": 16.0, "origin_x": 1024.0, "origin_y": 2048.0}
    assert prov["cell_um"] == [4.0, 4.0] and prov["threshold"] == 0.8
    assert prov["method"] == "heatmap_feret"


def test_missing_pathology_extra_is_one_line(monkeypatch, capsys, tmp_path):
    from axilla.cli import main

    for name in [m for m in sys.modules if m.startswith(("axilla.pathology",
                                                          "axilla.interop.pathology_files"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "shapely", None)  # as if the extra were not installed
    assert main(["pathology", "kappa", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]) == 2
    err = capsys.readouterr().err
    assert "needs the Python package 'shapely'" in err and "axilla[pathology]" in err


def test_stage_with_node_sites(camelyon):
    ann = camelyon / "camelyon16" / "ncrf_jsons" / "valid" / "Tumor_101.json"
    out = axilla("measure", str(ann), str(ann), "--stage", "--sites",
                 "axillary,internal_mammary", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [n["category"] for n in data["nodes"]] == ["macro", "macro"]
    assert data["pN"] == "pN1c(sn)"  # axillary macro + internal mammary sentinel node
    bad = axilla("measure", str(ann), "--stage", "--sites", "armpit")
    assert bad.returncode == 2 and "unknown site 'armpit'" in bad.stderr
    short = axilla("measure", str(ann), str(ann), "--stage", "--sites", "axillary")
    assert short.returncode == 2 and "one site a file (2 files, 1 sites)" in short.stderr


def test_compare_marks_the_node_where_the_methods_disagree(camelyon):
    ncrf = camelyon / "camelyon16" / "ncrf_jsons"
    out = axilla("measure", "--compare", "--spacing-um", "0.243",
                 str(ncrf / "train" / "Tumor_008.json"), str(ncrf / "train" / "Tumor_017.json"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].startswith("Tumor_008.json") and lines[1].endswith("DISAGREE on ITC")
    assert "itc" in lines[2] and "DISAGREE" not in lines[2]
    assert "1 of 2 nodes disagree on ITC" in out.stdout
    assert axilla("measure", "--compare", "x.npy", "--stride-px", "4").returncode == 2
