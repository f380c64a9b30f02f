"""The real public bundles in shared/reference/fhir (never copied into the repository) give the
facts and flags their READMEs and external/expected.json list."""

from __future__ import annotations

import json

import pytest

from axilla.assess import assess
from support.fhir_bundles import reference_dir


def load(name: str):
    return json.loads((reference_dir() / name).read_text("utf-8"))


def expected(case_id: str) -> dict:
    cases = load("external/expected.json")["cases"]
    return next(c for c in cases if c["id"] == case_id)


def test_trial_matching_patient01(read):
    r = read(load("TrialMatching_Patient01.json"))
    rep = r.report
    assert rep.patient == "Patient/mCODETrialMatchingPatientExample01"
    assert rep.value("sex") == "female" and rep.value("birth_date") == "1959-01-01"
    assert any(m.field == "diagnosis_date" for m in rep.missing)  # never today's date
    assert rep.value("histology") == "nst" and rep.value("laterality") is None
    assert rep.value("stage_c") == "IV"
    assert "liver" in rep.value("distant_secondary")
    assert "axillary" in rep.value("regional_secondary")
    assert (rep.value("er"), rep.value("pr"), rep.value("her2")) == (
        "positive", "positive", "negative")
    for name in ("ki67_percent", "grade", "size_mm", "ct", "cn", "pt", "pn"):
        assert rep.value(name) is None
    assert rep.value("drug_endocrine") == ["fulvestrant", "leuprolide"]
    for name in ("drug_anthracycline", "drug_taxane", "drug_anti_her2", "drug_bisphosphonate"):
        assert rep.value(name) is None
    assert r.case is None
    assert any(x.startswith("metastatic disease") for x in rep.not_assessable)


def test_coverage_checker_full_bundle(read):
    exp = expected("mcode-coverage-checker-full-bundle")
    facts = exp["facts"]
    r = read(load("external/" + exp["files"][0]))
    rep, case = r.report, r.case
    assert rep.patient == f"Patient/{facts['patient_id']}"
    assert case.patient.sex == facts["sex"] and rep.value("birth_date") == facts["birth_date"]
    assert rep.value("condition_onsetDateTime") == facts["diagnosis_date"]
    assert case.patient.age_years == facts["age_years"]
    assert "413448000" in facts["histology"] and "Adenocarcinoma" in rep.value("histology_text")
    assert (case.tumour.er, case.tumour.pr, case.tumour.her2) == (
        facts["er_status"], facts["pr_status"], facts["her2_status"])
    assert case.tumour.ki67_percent is facts["ki67_pct"]
    assert case.tumour.invasive_sizes_mm == (facts["size_mm"],)
    assert [c.original for c in rep.conversions] == ["2.5 cm"]
    assert (f"c{rep.value('ct')}", f"c{rep.value('cn')}", rep.value("m")) == (
        facts["ct_category"], facts["cn_category"], facts["cm_category"])
    assert rep.value("stage_c") == "IIB" and rep.value("stage_summary") == "IIIC"
    assert rep.value("pt") is facts["pt_category"] and rep.value("pn") is facts["pn_category"]
    assert rep.value("nodes_examined") == facts["nodes_examined"]
    assert rep.value("nodes_positive") is facts["nodes_positive"]
    assert case.treatment.breast_surgery == "bcs"
    assert sorted(rep.value("drug_anthracycline") + rep.value("drug_cytotoxic")
                  + rep.value("drug_taxane")) == sorted(facts["chemotherapy"])
    assert rep.value("drug_endocrine") == facts["endocrine"]
    assert case.treatment.radiotherapy is True
    assert case.tumour.oncotype_rs == facts["oncotype_dx_rs"]
    assert case.patient.current_smoker is True
    assert case.screen_detected is None
    assert rep.value("slnb_done") is facts["slnb_done"]
    # must_flag: foreign patient, duplicate, summary vs group, right-breast radiotherapy
    kinds = [c.kind for c in rep.conflicts]
    assert kinds.count("other-patient") == 1 and "patient-eve" in next(
        c.message for c in rep.conflicts if c.kind == "other-patient")
    assert "duplicate" in kinds and "us-core-procedure-mammogram-jenny-m" in next(
        c.message for c in rep.conflicts if c.kind == "duplicate")
    summary = next(c for c in rep.conflicts if c.kind == "stage-summary")
    assert "IIIC" in summary.message and "IIB" in summary.message
    rt = next(c for c in rep.conflicts if c.kind == "laterality")
    assert "right" in rt.message and "left" in rt.message
    assert rep.needs_review
    assert len(exp["must_flag"]) == 4


def test_trial_matching_patient02(read):
    exp = expected("ctm-trialmatching-patient02")
    facts = exp["facts"]
    r = read(load("external/" + exp["files"][0]))
    rep = r.report
    assert rep.patient == f"Patient/{facts['patient_id']}"
    assert rep.value("sex") == facts["sex"] and rep.value("birth_date") == facts["birth_date"]
    assert facts["diagnosis_date"] is None and facts["age_years"] is None
    assert any(m.field == "diagnosis_date" for m in rep.missing)  # must_flag
    assert rep.value("primary_condition").startswith("Infiltrating duct carcinoma of breast")
    assert rep.value("laterality") is facts["laterality"]
    assert rep.value("stage_c") == "IV"
    assert "bone" in rep.value("distant_secondary")
    assert (rep.value("er"), rep.value("pr"), rep.value("her2")) == (
        "positive", "positive", "negative")
    for name in ("grade", "size_mm_pathology", "ct", "cn", "pt", "pn"):
        assert rep.value(name) is None
    assert rep.value("breast_surgery") == "bcs" and rep.value("radiotherapy") is True
    drugs = {d for k in ("drug_endocrine", "drug_bisphosphonate", "drug_cytotoxic")
             for d in rep.value(k)}
    assert {"exemestane", "zoledronic", "anastrozole", "letrozole", "fulvestrant",
            "capecitabine", "tamoxifen"} <= drugs
    assert r.case is None  # metastatic and no age: PREDICT and adjuvant guidance not run
    assert any("metastatic disease" in x and "PREDICT" in x for x in rep.not_assessable)


def test_coverage_checker_assessment_runs_and_is_flagged(read):
    r = read(load("external/mcode-coverage-checker/fullBundle.json"))
    a = assess(r.case)
    assert a.staging.pT.category == "T2"  # from the measured 25 mm, not the recorded cT3
    assert a.staging.pN.category == "NX"  # 3 nodes examined, result not given


@pytest.mark.parametrize("name", ["TrialMatching_Patient01.json",
                                  "external/ctm-app/TrialMatching_Patient02.json"])
def test_metastatic_bundles_never_reach_predict(read, name):
    r = read(load(name))
    assert r.case is None or r.case.m in ("cM1", "pM1")
