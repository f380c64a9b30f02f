"""The node-count and applicability defects of issue 8, each failing before the fix.

Expected values by hand: NPI = 0.2 x size_cm + N + G (Haybittle 1982), CTS5 = 0.438 x N +
0.988 x (0.093 S - 0.001 S^2 + 0.375 G + 0.017 A) (Dowsett 2018); the nodes counted are the
excised axillary nodes, as pN counts them (indices spec, shared conventions; AJCC 8th).
"""

from __future__ import annotations

import copy

import pytest

import axilla
from axilla import assess, assess_many, parse_case

NEEDLE_MICRO = {
    "case_id": "needle-micro",
    "patient": {"age_years": 60, "menopausal_status": "post", "current_smoker": False},
    "tumour": {"invasive_sizes_mm": [20], "grade": 2, "er": "positive", "pr": "positive",
               "her2": "negative"},
    "nodes": [{"site": "axillary", "found_by": "sentinel", "deposit_mm": 0},
              {"site": "axillary", "found_by": "needle_biopsy", "deposit_mm": 1.0}],
    "procedure": {"kind": "sentinel"},
    "treatment": {"breast_surgery": "bcs", "radiotherapy": True, "endocrine_therapy": True},
}


def with_(**changes):
    data = copy.deepcopy(NEEDLE_MICRO)
    for path, value in changes.items():
        target = data
        *parents, leaf = path.split("__")
        for p in parents:
            target = target[p]
        target[leaf] = value
    return data


def test_negative_sentinel_plus_needle_micrometastasis_gets_npi_and_cts5():
    a = assess(NEEDLE_MICRO)
    assert a.staging.pN.display == "pN0(sn)"
    assert a.npi.applicable and a.npi.not_applicable_reasons == []
    assert a.npi.result.score == 3.4 and a.npi.result.group6 == "GPG"  # 0.4 + 1 + 2
    assert a.npi.result.counted_positive_nodes == 0
    assert a.cts5.applicable
    assert a.cts5.result.score == pytest.approx(0.988 * (1.86 - 0.4 + 0.75 + 1.02), abs=1e-12)
    assert a.cts5.result.group == "intermediate"
    assert any("needle biopsy only" in w for w in a.warnings)


def test_every_model_reads_the_same_node_count():
    """Macrometastasis on needle biopsy only, negative sentinel node: no model counts it."""
    data = with_(nodes=[{"found_by": "sentinel", "deposit_mm": 0},
                        {"found_by": "needle_biopsy", "deposit_mm": 4.0}])
    a = assess(data)
    facts = a.guidance.get("AX-08").facts if a.guidance.get("AX-08") else {}
    assert a.staging.positive_nodes == 0
    assert a.predict.inputs["nodes"] == 0.0
    assert a.npi.result.counted_positive_nodes == 0
    assert facts.get("sln_macromet_count", 0) == 0
    nodes_1_3 = next(f for f in a.recurrence.risk_factors.factors if f.id == "nodes_1_3")
    assert nodes_1_3.value == "macromet_nodes_total=0" and nodes_1_3.present is False


def test_unknown_grade_reads_as_a_reason_for_people():
    a = assess(with_(tumour__grade=None))
    assert a.npi.not_applicable_reasons == [
        "NPI needs the histological grade; it is not recorded"]
    assert a.cts5.not_applicable_reasons == [
        "CTS5 needs the histological grade; it is not recorded"]
    assert not any("got 0" in r for r in a.npi.not_applicable_reasons)


def test_dcis_reads_as_not_invasive_not_as_a_size_of_zero():
    a = assess(with_(tumour={"primary": "dcis", "grade": 2, "er": "positive"}, nodes=[]))
    assert a.npi.not_applicable_reasons == [
        "NPI is for invasive breast cancer; the tumour recorded is not invasive"]


def test_predict_outside_its_validated_ranges_says_so_in_words():
    """PREDICT 25-85 years and 1-500 mm (the ranges axilla.case.predict checks)."""
    a = assess(with_(patient={"age_years": 90}, tumour={"invasive_sizes_mm": [0.5],
                                                        "er": "positive"}))
    assert a.predict.not_applicable_reasons == [
        "PREDICT was validated for ages 25 to 85 years; the age given is 90",
        "PREDICT was validated for invasive sizes of 1 to 500 mm; the size given is 0.5 mm"]


def test_nodes_confirmed_by_needle_biopsy_only_are_assessed():
    """cN1(f): staged clinically; the assessment used to fail on the pN explanation."""
    a = assess(with_(nodes=[{"found_by": "needle_biopsy", "deposit_mm": 3.0}],
                     procedure={"kind": "none"}))
    assert a.staging.pN.display == "cN1(f)"
    assert any(e.topic == "pN" and "cN1(f)" in e.patient for e in a.explanations)


def test_public_names_at_the_top_of_the_package():
    assert axilla.__version__
    case = parse_case(NEEDLE_MICRO)
    assert isinstance(case, axilla.Case)
    assert assess(case) == assess_many([case])[0]


def test_internal_mammary_sentinel_macrometastasis_is_not_axillary() -> None:
    """NG101 1.4.12-1.4.15 speak of axillary sentinel nodes: an internal mammary sentinel
    macrometastasis with a negative axilla gets no axillary clearance or axillary radiotherapy
    (AX-06) and no "no nodal radiotherapy" (AX-11); the internal mammary chain is considered
    (RT-21, 1.13.23)."""
    a = assess({
        "patient": {"age_years": 54, "menopausal_status": "post"},
        "tumour": {"invasive_sizes_mm": [18], "grade": 2, "er": "positive", "pr": "positive",
                   "her2": "negative"},
        "nodes": [{"site": "axillary", "found_by": "sentinel", "deposit_mm": 0},
                  {"site": "internal_mammary", "found_by": "sentinel", "deposit_mm": 4.0}],
        "procedure": {"kind": "sentinel", "nodes_removed": 2},
        "treatment": {"breast_surgery": "bcs", "radiotherapy": True}})
    ids = {r.id for r in a.guidance.recommendations}
    assert a.staging.pN.display == "pN1b(sn)"
    assert "AX-06" not in ids and "AX-11" not in ids
    assert "RT-21" in ids
