"""Patient level: CAMELYON17 rule and AJCC pN through the staging engine; kappa."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from axilla.errors import InputError
from axilla.interop.pathology_files import (
    PathologyFileError,
    kappa_from_files,
    node_findings,
    node_reports,
    read_labels,
    stage_nodes,
    stages_from_slides,
)
from axilla.pathology import Outlines, measure_outlines
from axilla.pathology.camelyon17 import STAGES, quadratic_weighted_kappa, stage_codes
from pathology.shapes import rect

# ------------------------------------------------------------------ CAMELYON17 simplified rule


@pytest.mark.parametrize(("itc", "micro", "macro", "stage"), [
    (0, 0, 0, "pN0"), (2, 0, 0, "pN0(i+)"), (1, 1, 0, "pN1mi"), (0, 5, 0, "pN1mi"),
    (0, 0, 1, "pN1"), (0, 2, 1, "pN1"), (3, 1, 2, "pN1"), (0, 3, 1, "pN2"), (0, 0, 5, "pN2"),
    (0, 4, 5, "pN2"),
])
def test_camelyon17_rule(itc, micro, macro, stage):
    assert STAGES[stage_codes([itc], [micro], [macro])[0]] == stage


def test_camelyon17_rule_has_no_pn3():
    with pytest.raises(ValueError, match=r"positions \[1\].*no pN3"):
        stage_codes([0, 0], [1, 4], [0, 6])


def test_real_training_labels_restaged_from_slides(camelyon):
    """All 100 CAMELYON17 training patients: the rule on their 5 slide labels gives the stage
    the organisers published (shared/spec/pathology.md section 3.2)."""
    labels = read_labels(camelyon / "camelyon17" / "stage_labels.csv")
    assert len(labels.stages) == 100 and sum(len(v) for v in labels.slides.values()) == 500
    assert stages_from_slides(labels) == labels.stages
    counts = {s: list(labels.stages.values()).count(s) for s in STAGES}
    assert counts == {"pN0": 25, "pN0(i+)": 11, "pN1mi": 21, "pN1": 30, "pN2": 13}


# Representative deposits (mm) for each slide label; the AJCC engine must agree with the
# CAMELYON17 rule (pN1 = pN1a, pN2 = pN2a with axillary nodes only; spec section 3.3).
SIZE_OF_LABEL_MM = {"negative": 0.0, "itc": 0.15, "micro": 1.0, "macro": 6.0}
AJCC_TO_CAMELYON = {"pN0": "pN0", "pN0(i+)": "pN0(i+)", "pN1mi": "pN1mi", "pN1a": "pN1",
                    "pN2a": "pN2"}


def bar_outlines(size_mm: float) -> Outlines:
    if size_mm == 0:
        return Outlines(())
    return Outlines((rect(0, 0, size_mm * 1000, 1e-6),))


def test_ajcc_through_the_staging_engine_agrees_with_camelyon17_on_real_patients(camelyon):
    labels = read_labels(camelyon / "camelyon17" / "stage_labels.csv")
    for patient, nodes in labels.slides.items():
        ms = [measure_outlines(bar_outlines(SIZE_OF_LABEL_MM[lab]), (1.0, 1.0))
              for lab in nodes.values()]
        reports = node_reports(ms)
        assert [r.camelyon_label for r in reports] == list(nodes.values())
        result = stage_nodes(reports, procedure="dissection")
        assert AJCC_TO_CAMELYON[result.pN.display] == \
            labels.stages[patient], patient


def test_measured_nodes_become_ordinary_node_findings():
    ms = [measure_outlines(bar_outlines(mm), (1.0, 1.0)) for mm in (2.5, 0.5, 0.1, 0.0)]
    result = stage_nodes(node_reports(ms))
    assert result.node_categories == ("macro", "micro", "itc", "neg")
    assert result.nodes[0].size_used_mm == pytest.approx(2.5)
    assert result.positive_nodes == 2 and result.itc_nodes == 1
    assert result.pN.display == "pN1a(sn)"
    # Node sites when known: a positive internal mammary sentinel node with 2 axillary -> pN1c.
    sites = ["axillary", "axillary", "axillary", "internal_mammary"]
    ms[3] = measure_outlines(bar_outlines(0.8), (1.0, 1.0))
    assert stage_nodes(node_reports(ms), sites=sites).pN.category == "N1c"


def test_camelyon16_measurements_are_not_staged():
    from axilla.pathology import measure_camelyon16

    m = measure_camelyon16(bar_outlines(1.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="not a staging measure"):
        stage_nodes(node_reports([m]))


# ------------------------------------------------------------------------------------ kappa


def test_kappa_hand_computed():
    # Perfect agreement -> 1.
    assert quadratic_weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == 1.0
    # Two patients, reference [0, 4], submission [4, 0]: O = E off the diagonal... by hand:
    # O has 1 at (0,4) and (4,0): sum wO = 2 * 1 = 2; E = outer([1,0,0,0,1],[1,0,0,0,1]) / 2
    # -> 0.5 at (0,0), (0,4), (4,0), (4,4): sum wE = 2 * 0.5 * 1 = 1 -> kappa = 1 - 2 = -1.
    assert quadratic_weighted_kappa([0, 4], [4, 0]) == pytest.approx(-1.0)
    # Reference [0, 1, 2], submission [0, 2, 2]: w = (i-j)^2 / 16.
    # sum wO = w(1,2) = 1/16. Row sums r = [1,1,1,0,0], column sums c = [1,0,2,0,0], N = 3:
    # E(i,j) = r_i c_j / 3; sum wE = (1/3)(w(0,2)*2 + w(1,0) + w(1,2)*2 + w(2,0))
    #        = (1/3)(8/16 + 1/16 + 2/16 + 4/16) = 15/48 -> kappa = 1 - (1/16) / (15/48) = 0.8.
    assert quadratic_weighted_kappa([0, 1, 2], [0, 2, 2]) == pytest.approx(0.8)
    assert math.isnan(quadratic_weighted_kappa([2, 2], [2, 2]))


def test_official_example_kappa_is_8_over_9(camelyon):
    ex = camelyon / "camelyon17" / "evaluation_example"
    result = kappa_from_files(ex / "reference.csv", ex / "submission.csv")
    assert result.kappa == pytest.approx(8 / 9, abs=1e-12)
    assert len(result.patients) == 5
    assert np.trace(result.confusion) == 3


def write_csv(path, rows):
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([("patient", "stage"), *rows])
    return path


def test_missing_patients_are_named(tmp_path):
    ref = write_csv(tmp_path / "ref.csv", [("patient_000.zip", "pN0"), ("patient_001.zip", "pN1"),
                                           ("patient_001_node_0.tif", "macro")])
    sub = write_csv(tmp_path / "sub.csv", [("patient_000.zip", "PN0")])
    with pytest.raises(PathologyFileError, match=r"sub\.csv: patient_001\.zip: missing"):
        kappa_from_files(ref, sub)
    sub2 = write_csv(tmp_path / "sub2.csv", [("patient_000.zip", "pN0"),
                                             ("patient_001.zip", "pN1"),
                                             ("patient_007.zip", "pN1")])
    with pytest.raises(PathologyFileError, match=r"ref\.csv: patient_007\.zip: missing"):
        kappa_from_files(ref, sub2)


@pytest.mark.parametrize(("row", "message"), [
    (("patient_000.zip", "pN3"), "line 2: stage 'pN3': allowed pN0"),
    (("patient_000_node_0.tif", "big"), "line 2: label 'big': allowed negative"),
    (("slide_1.tif", "itc"), "line 2: first column 'slide_1.tif' must be"),
    (("patient_000.zip", "pN0", "x"), "line 2: expected 2 columns, got 3"),
])
def test_bad_label_rows(tmp_path, row, message):
    path = write_csv(tmp_path / "l.csv", [row])
    with pytest.raises(PathologyFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_labels(path)


def test_bad_header(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("id,label\npatient_000.zip,pN0\n")
    with pytest.raises(PathologyFileError, match="line 1: header must be patient,stage"):
        read_labels(path)


def test_node_findings_for_any_case():
    ms = [measure_outlines(bar_outlines(mm), (1.0, 1.0)) for mm in (0.5, 0.0)]
    nodes = node_findings(node_reports(ms), sites=["axillary", "intramammary"],
                          found_by="dissection")
    assert [(n.site, n.found_by, n.deposit_mm) for n in nodes] == [
        ("axillary", "dissection", pytest.approx(0.5)), ("intramammary", "dissection", 0.0)]
    with pytest.raises(InputError, match="sites: one site a node"):
        node_findings(node_reports(ms), sites=["axillary"])
    with pytest.raises(InputError, match=r"nodes\[0\]\.site"):
        node_findings(node_reports(ms[:1]), sites=["armpit"])
