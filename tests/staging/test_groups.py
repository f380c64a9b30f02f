"""Anatomic and prognostic stage groups (staging spec sections 5-7; AJCC 8th, revised 2018).

Expected values typed from the specification's tables, not produced by the code.
"""

from __future__ import annotations

from importlib import resources

import pytest

from axilla.staging import anatomic_stage, prognostic_stage, stage
from axilla.staging.groups import Markers

# Spec section 5, every row, plus the rules below the table.
ANATOMIC = [
    ("Tis", "N0", "0"), ("T1", "N0", "IA"), ("T0", "N1mi", "IB"), ("T1", "N1mi", "IB"),
    ("T0", "N1", "IIA"), ("T1", "N1", "IIA"), ("T2", "N0", "IIA"), ("T2", "N1", "IIB"),
    ("T3", "N0", "IIB"), ("T0", "N2", "IIIA"), ("T1", "N2", "IIIA"), ("T2", "N2", "IIIA"),
    ("T3", "N1", "IIIA"), ("T3", "N2", "IIIA"), ("T4", "N0", "IIIB"), ("T4", "N1", "IIIB"),
    ("T4", "N2", "IIIB"), ("T0", "N3", "IIIC"), ("T2", "N3", "IIIC"), ("T4", "N3", "IIIC"),
    ("TX", "N3", "IIIC"),
    ("T2", "N1mi", "IIB"), ("T3", "N1mi", "IIIA"), ("T4", "N1mi", "IIIB"),
    ("T0", "N0", None), ("Tis", "N1", None), ("Tis", "N1mi", None), ("TX", "N0", None),
    ("TX", "N2", None), ("T1", "NX", None),
]


@pytest.mark.parametrize(("t", "n", "expected"), ANATOMIC)
def test_anatomic_table(t: str, n: str, expected: str | None) -> None:
    assert anatomic_stage(t, n, "M0") == expected


@pytest.mark.parametrize(("t", "n"), [("T0", "N0"), ("TX", "NX"), ("T3", "N2"), ("Tis", "N0")])
def test_any_m1_is_stage_iv(t: str, n: str) -> None:
    assert anatomic_stage(t, n, "M1") == "IV"
    assert prognostic_stage(t, n, "M1", Markers(None, None, None, None))[0] == "IV"


def M(grade: int, er: str, pr: str, her2: str, rs: int | None = None) -> Markers:
    full = {"+": "positive", "-": "negative"}
    return Markers(grade, full[er], full[pr], full[her2], rs)


# Cells read from spec 7.3 (pathological) and 7.5 (clinical): (T, N, markers, stage).
PATHOLOGICAL = [
    ("T1", "N0", M(2, "-", "-", "-"), "IB"), ("T1", "N0", M(3, "-", "-", "+"), "IA"),
    ("T0", "N1mi", M(3, "-", "-", "-"), "IB"), ("T1", "N1", M(1, "+", "-", "+"), "IB"),
    ("T2", "N0", M(3, "+", "+", "-"), "IB"), ("T2", "N0", M(2, "+", "-", "-"), "IIA"),
    ("T2", "N1", M(1, "+", "+", "+"), "IA"), ("T2", "N1mi", M(3, "-", "-", "-"), "IIIA"),
    ("T3", "N0", M(3, "+", "+", "-"), "IIA"), ("T1", "N2", M(3, "-", "-", "-"), "IIIC"),
    ("T3", "N1mi", M(2, "-", "-", "-"), "IIIB"), ("T0", "N2", M(3, "+", "+", "+"), "IIA"),
    ("T3", "N2", M(3, "-", "+", "-"), "IIIA"), ("T4", "N0", M(1, "+", "+", "-"), "IIIA"),
    ("T4", "N1mi", M(3, "+", "+", "-"), "IIIB"), ("T2", "N3", M(2, "-", "-", "-"), "IIIC"),
    ("TX", "N3", M(3, "+", "-", "-"), "IIIC"), ("T4", "N2", M(3, "+", "+", "+"), "IIIB"),
]
CLINICAL = [
    ("T1", "N0", M(1, "-", "-", "-"), "IB"), ("T1", "N0", M(3, "+", "-", "-"), "IB"),
    ("T1", "N1", M(1, "+", "+", "-"), "IB"), ("T2", "N0", M(2, "-", "-", "-"), "IIB"),
    ("T3", "N0", M(2, "-", "-", "-"), "IIIB"), ("T2", "N1", M(3, "+", "-", "-"), "IIIA"),
    ("T3", "N1", M(1, "+", "+", "-"), "IIA"), ("T2", "N2", M(3, "-", "-", "-"), "IIIC"),
    ("T4", "N0", M(1, "+", "+", "-"), "IIIB"), ("T4", "N3", M(3, "+", "+", "+"), "IIIB"),
    ("T1", "N1mi", M(3, "+", "+", "-"), "IA"),
]


@pytest.mark.parametrize(("t", "n", "markers", "expected"), PATHOLOGICAL)
def test_pathological_prognostic_cells(t, n, markers, expected) -> None:
    assert prognostic_stage(t, n, "M0", markers, "pathological")[0] == expected


@pytest.mark.parametrize(("t", "n", "markers", "expected"), CLINICAL)
def test_clinical_prognostic_cells(t, n, markers, expected) -> None:
    assert prognostic_stage(t, n, "M0", markers, "clinical")[0] == expected


def test_tis_n0_is_stage_0_whatever_the_markers() -> None:
    assert prognostic_stage("Tis", "N0", "M0", Markers(None, None, None, None))[0] == "0"


def test_missing_marker_gives_no_prognostic_stage() -> None:
    got, reasons = prognostic_stage("T2", "N0", "M0", Markers(2, "positive", None, "negative"))
    assert got is None
    assert "pr unknown" in reasons[0]


# Spec 7.4 "practical effect": T2 N0 ER+ HER2- cells that change with RS < 11.
@pytest.mark.parametrize(("markers", "table_value"), [
    (M(1, "+", "-", "-"), "IB"), (M(2, "+", "-", "-"), "IIA"), (M(3, "+", "+", "-"), "IB"),
    (M(3, "+", "-", "-"), "IIA"),
])
def test_oncotype_rule(markers: Markers, table_value: str) -> None:
    low = Markers(markers.grade, markers.er, markers.pr, markers.her2, 10)
    high = Markers(markers.grade, markers.er, markers.pr, markers.her2, 11)
    assert prognostic_stage("T2", "N0", "M0", low)[0] == "IA"
    assert prognostic_stage("T2", "N0", "M0", high)[0] == table_value
    assert prognostic_stage("T2", "N0", "M0", low, "clinical")[0] != "IA"  # pathological only


@pytest.mark.parametrize(("t", "n", "markers"), [
    ("T2", "N0", M(2, "+", "-", "+", 5)),     # HER2+
    ("T2", "N0", M(3, "-", "-", "-", 5)),     # ER-
    ("T2", "N1mi", M(3, "+", "-", "-", 5)),   # not N0
    ("T3", "N0", M(3, "+", "+", "-", 5)),     # not T1-T2
])
def test_oncotype_rule_does_not_apply(t, n, markers) -> None:
    plain = Markers(markers.grade, markers.er, markers.pr, markers.her2)
    assert prognostic_stage(t, n, "M0", markers)[0] == prognostic_stage(t, n, "M0", plain)[0]


def test_oncotype_scope_option_for_t1_n1() -> None:
    m = M(2, "+", "-", "-", 5)  # B2 T1 N1 G2 ER+PR- HER2-: table IIA (spec 7.3)
    assert prognostic_stage("T1", "N1", "M0", m, oncotype_scope="ajcc")[0] == "IIA"
    assert prognostic_stage("T1", "N1", "M0", m, oncotype_scope="seer")[0] == "IA"


def test_neoadjuvant_gets_anatomic_but_no_pathological_prognostic(make_case) -> None:
    r = stage(make_case([3.0, 0, 0, 0, 0, 0], neoadjuvant=True))
    assert r.anatomic_stage == "IIA"
    assert r.pathological_prognostic_stage is None
    assert r.complete_response is False


def test_complete_response_has_no_stage_group(make_case) -> None:
    none = {"primary": "none", "invasive_sizes_mm": []}
    r = stage(make_case([0] * 6, neoadjuvant=True, tumour=none))
    assert (r.pT.display, r.pN.display, r.anatomic_stage) == ("ypT0", "ypN0", None)
    assert r.complete_response is True
    r = stage(make_case([0.1] + [0] * 5, neoadjuvant=True, tumour=none))
    assert r.anatomic_stage is None
    assert r.complete_response is False  # default: ITC = residual disease


def test_m1_before_neoadjuvant_stays_stage_iv(make_case) -> None:
    none = {"primary": "none", "invasive_sizes_mm": []}
    r = stage(make_case([0] * 6, neoadjuvant=True, tumour=none, m="cM1"))
    assert r.anatomic_stage == "IV"


def test_clinical_prognostic_stage_from_entered_ct_cn(make_case) -> None:
    r = stage(make_case([0], clinical_t="T2", clinical_n="N1"))
    assert r.clinical_prognostic_stage == "IIA"  # B3 G2 HER2- ER+PR+ (spec 7.5)
    assert stage(make_case([0])).clinical_prognostic_stage is None


@pytest.mark.parametrize("name", ["anatomic_stage.csv", "prognostic_blocks.csv",
                                  "pathological_prognostic.csv", "clinical_prognostic.csv"])
def test_data_files_cite_source_edition_and_licence(name: str) -> None:
    text = resources.files("axilla.staging").joinpath("data", name).read_text("utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "8th edition" in header and "2018" in header
    assert "SEER" in header and "Licensing" in header
