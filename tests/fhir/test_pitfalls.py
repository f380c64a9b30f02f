"""Spec fhir.md section 5: one test for each pitfall seen in real files."""

from __future__ import annotations

import pytest

from support.fhir_bundles import (
    AJCC,
    LNC,
    SCT,
    base,
    bundle,
    cc,
    condition,
    obs,
    patient,
    procedure,
    size,
)

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
METHOD = {"method": cc(SCT, "897275008")}


@pytest.mark.parametrize("profile", ["mcode-tnm-distant-metastases-category",
                                     "mcode-tumor-marker", "mcode-cancer-stage-group",
                                     "mcode-tnm-clinical-stage-group"])
def test_wrong_or_stu1_profile_is_ignored_and_the_code_decides(read, profile):
    nodes = obs("399534004", SCT, valueCodeableConcept=cc(SCT, "1229973008"),
                meta={"profile": [MCODE + profile]}, **METHOD)
    r = read(base(nodes))
    assert r.report.value("cn") == "N1"
    assert r.report.value("m") is None


def test_clinical_stage_group_listing_pathological_members(read):
    pt = obs("384625004", SCT, rid="pt", valueCodeableConcept=cc(SCT, "1229846008"), **METHOD)
    group = obs("399537006", SCT, rid="group", valueCodeableConcept=cc(SCT, "1222724007"),
                hasMember=[{"reference": "Observation/pt"}], **METHOD)
    r = read(base(pt, group))
    (conflict,) = [c for c in r.report.conflicts if c.kind == "stage-members"]
    assert conflict.sources == ["Observation/group", "Observation/pt"]
    assert r.report.needs_review


def test_stage_summary_disagreeing_with_the_stage_group(read):
    c = condition(stage=[{"summary": cc(AJCC, "3C"),
                          "assessment": [{"reference": "Observation/group"}]}])
    group = obs("21908-9", rid="group", valueCodeableConcept=cc(AJCC, "2B"), **METHOD)
    r = read(bundle(patient(), c, size(15), group))
    assert r.report.value("stage_c") == "IIB"
    assert "stage-summary" in r.report.conflict_kinds()


def test_stage_summary_pointing_to_an_observation_not_in_the_bundle(read):
    c = condition(stage=[{"summary": cc(SCT, "1222769001"),
                          "assessment": [{"reference": "Observation/missing"}]}])
    r = read(bundle(patient(), c, size(15)))
    assert r.report.value("stage_summary") == "IIB"
    assert any("Observation/missing is not in the bundle" in w for w in r.report.warnings)


def test_t_category_inconsistent_with_measured_size(read):
    t3 = obs("384625004", SCT, valueCodeableConcept=cc(SCT, "1229859000"), **METHOD)
    r = read(base(t3))  # 15 mm is pT1c, not pT3
    assert "size-vs-t" in r.report.conflict_kinds()
    consistent = obs("384625004", SCT, valueCodeableConcept=cc(SCT, "1229846008"), **METHOD)
    assert not read(base(consistent)).report.needs_review


def test_whole_lesion_size_next_to_invasive_size(read):
    invasive = obs("44635-1", valueQuantity={"value": 14, "code": "mm"})
    whole = obs("33728-7", valueQuantity={"value": 4.2, "code": "cm"})
    r = read(bundle(patient(), condition(), invasive, whole))
    assert r.case.tumour.invasive_sizes_mm == (14.0,)
    assert any("whole-lesion size 42 mm" in w for w in r.report.warnings)


def test_laterality_differing_between_condition_surgery_and_radiotherapy(read):
    c = condition(bodySite=[cc(SCT, "80248007")])
    surgery = procedure("64368001", bodySite=[cc(SCT, "73056007")])
    rt = procedure("1217123003", reasonCode=[cc("http://hl7.org/fhir/sid/icd-10-cm",
                                                "C50.211")])
    r = read(bundle(patient(), c, size(15), surgery, rt))
    kinds = [c.kind for c in r.report.conflicts]
    assert kinds.count("laterality") == 2  # condition vs surgery; cancer vs radiotherapy


def test_sentinel_nodes_with_metastasis_without_value_but_examined_component(read):
    o = obs("92832-5", component=[{"code": cc(LNC, "92833-3"),
                                   "valueQuantity": {"value": 2, "code": "{Count}"}}])
    r = read(base(procedure("396487001"), o))
    assert r.report.value("sentinel_positive") is None
    assert r.report.value("nodes_examined") == 2
    assert r.case.nodes == ()


def test_resource_of_another_patient_is_dropped_not_merged(read):
    other = obs("85337-4", rid="er-other", valueCodeableConcept=cc(LNC, "LA6577-6"))
    other["subject"] = {"reference": "Patient/p2"}
    mine = obs("85337-4", rid="er-mine", valueCodeableConcept=cc(LNC, "LA6576-8"))
    r = read(base(mine, other))
    assert r.case.tumour.er == "positive"
    (c,) = r.report.conflicts
    assert c.kind == "other-patient" and c.sources == ["Observation/er-other"]


def test_two_patients_in_one_bundle(read):
    p2 = patient("male")
    p2["id"] = "p2"
    r = read(bundle(patient(), p2, condition(), size(15)))
    assert r.patient_reference == "Patient/p1"
    assert "other-patient" in r.report.conflict_kinds()


def test_without_a_patient_resource_other_subjects_are_still_dropped(read):
    other = obs("85337-4", rid="er-other", valueCodeableConcept=cc(LNC, "LA6577-6"))
    other["subject"] = {"reference": "Patient/p2"}
    data = base(obs("85337-4", rid="er", valueCodeableConcept=cc(LNC, "LA6576-8")), other)
    data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] != "Patient"]
    r = read(data)
    assert r.patient_reference == "Patient/p1"
    assert r.report.value("er") == "positive"
    assert "other-patient" in r.report.conflict_kinds()
    assert any("no Patient resource" in w for w in r.report.warnings)


def test_same_resource_id_twice(read):
    er = obs("85337-4", rid="er", valueCodeableConcept=cc(LNC, "LA6576-8"))
    r = read(base(er, dict(er)))
    (c,) = r.report.conflicts
    assert c.kind == "duplicate" and c.sources == ["Observation/er"]


def test_positive_negative_as_loinc_answers_or_snomed_qualifiers(read):
    loinc = read(base(obs("85337-4", valueCodeableConcept=cc(LNC, "LA6576-8"))))
    snomed = read(base(obs("85337-4", valueCodeableConcept=cc(SCT, "52101004"))))
    assert loinc.case.tumour.er == snomed.case.tumour.er == "positive"


def test_uicc_prefix_extension_and_arabic_ajcc_stage_and_legacy_snomed(read):
    arabic = read(base(obs("21908-9", valueCodeableConcept=cc(AJCC, "3C"), **METHOD)))
    legacy = read(base(obs("21905-5", valueCodeableConcept=cc(SCT, "67673008"))))
    assert arabic.report.value("stage_c") == "IIIC"
    assert legacy.report.value("ct") == "T2"


def test_male_patient_with_a_female_breast_code(read):
    r = read(bundle(patient("male"), condition("93796005"), size(15)))
    assert r.case.patient.sex == "male"
    assert "sex" in r.report.conflict_kinds()


def test_no_diagnosis_date_means_age_unknown_never_today(read):
    r = read(bundle(patient(), condition(onset=""), size(15)))
    assert r.case is None
    assert any(m.field == "diagnosis_date" for m in r.report.missing)
    assert any("age at diagnosis unknown" in x for x in r.report.not_assessable)


def test_axillary_secondary_is_regional_not_metastatic(read):
    axillary = condition("94181007")
    axillary["id"] = "c-axilla"
    axillary["code"]["coding"][0]["display"] = "Secondary malignant neoplasm of axillary nodes"
    r = read(base(axillary))
    assert r.case.m == "cM0"
    liver = condition("94381002")
    liver["id"] = "c-liver"
    liver["code"]["coding"][0]["display"] = "Secondary malignant neoplasm of liver"
    assert read(base(liver)).case.m == "cM1"


@pytest.mark.parametrize("data", [{"resourceType": "Bundle", "entry": [{"resource": 3}]},
                                  {"no": "resourceType"}, [1, 2], "text"])
def test_not_fhir_is_refused_naming_the_field(read, data):
    from axilla.errors import InputError

    with pytest.raises(InputError) as err:
        read(data)
    assert err.value.problems[0].field in ("resourceType", "entry[0].resource")
