"""Spec fhir.md 2.1-2.5: patient, primary condition, laterality, histology, menopause, size,
grade. One small fixture per mapping row."""

from __future__ import annotations

import pytest

from support.fhir_bundles import (
    AJCC,
    LNC,
    SCT,
    UCUM,
    base,
    bundle,
    cc,
    condition,
    obs,
    patient,
    size,
)

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


def test_minimal_bundle_gives_the_case_with_sources(read):
    r = read(base())
    assert r.case is not None
    assert r.case.patient.age_years == 59  # 2020-03-01 minus 1960-05-20, completed years
    assert r.case.patient.sex == "female"
    assert r.case.tumour.invasive_sizes_mm == (15.0,)
    assert r.report.fact("sex").source == "Patient/p1"
    assert r.report.fact("size_mm_pathology").source == "Observation/size"
    assert r.report.fact("age_years").note == "at diagnosis 2020-03-01"
    assert not r.report.needs_review


@pytest.mark.parametrize("gender", ["female", "male"])
def test_sex_from_gender(read, gender):
    assert read(bundle(patient(gender), condition(), size(15))).case.patient.sex == gender


@pytest.mark.parametrize("gender", ["other", "unknown", None])
def test_sex_other_or_missing_is_not_assessable(read, gender):
    p = patient(gender or "female")
    if gender is None:
        del p["gender"]
    else:
        p["gender"] = gender
    r = read(bundle(p, condition(), size(15)))
    assert r.case is None
    assert any(x.startswith("patient.sex") for x in r.report.not_assessable)


def test_birth_sex_disagreeing_with_gender_is_a_conflict(read):
    ext = [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
            "valueCode": "M"}]
    r = read(bundle(patient(extension=ext), condition(), size(15)))
    assert "sex" in r.report.conflict_kinds()


@pytest.mark.parametrize(("element", "value", "age"), [
    ("onsetDateTime", "2020-03-01", 59),
    ("onsetPeriod", {"start": "2021-06-01"}, 61),
    ("recordedDate", "2019-01-10", 58),
])
def test_diagnosis_date_elements(read, element, value, age):
    c = condition(onset="")
    c[element] = value
    assert read(bundle(patient(), c, size(15))).case.patient.age_years == age


def test_asserted_date_extension(read):
    c = condition(onset="", extension=[{
        "url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
        "valueDateTime": "2022-05-19"}])
    assert read(bundle(patient(), c, size(15))).case.patient.age_years == 61


def test_onset_age_gives_the_age_directly(read):
    c = condition(onset="", onsetAge={"value": 47.5, "unit": "a", "system": UCUM, "code": "a"})
    assert read(bundle(patient(), c, size(15))).case.patient.age_years == 47.5


def test_partial_birth_date_warns_about_uncertainty(read):
    r = read(bundle(patient(birth="1960"), condition(), size(15)))
    assert r.case.patient.age_years == 59  # born late 1960: 59 on 2020-03-01; early: 60
    assert any("partial" in w for w in r.report.warnings)


@pytest.mark.parametrize("code", ["254837009", "372137005", "353431000119107", "93796005",
                                  "408643008"])
def test_breast_primary_snomed_codes(read, code):
    r = read(bundle(patient(), condition(code), size(15)))
    assert r.case is not None and r.condition_reference == "Condition/c1"


@pytest.mark.parametrize("system", ["http://hl7.org/fhir/sid/icd-10",
                                    "http://hl7.org/fhir/sid/icd-10-cm",
                                    "http://fhir.de/CodeSystem/bfarm/icd-10-gm"])
def test_breast_primary_icd10_c50(read, system):
    assert read(bundle(patient(), condition("C50.4", system), size(15))).case is not None


def test_generic_malignancy_needs_a_breast_body_site(read):
    generic = condition("363346000", bodySite=[cc(SCT, "76752008")])
    assert read(bundle(patient(), generic, size(15))).case is not None
    elsewhere = condition("363346000", bodySite=[cc(SCT, "39607008")])
    r = read(bundle(patient(), elsewhere, size(15)))
    assert r.case is None and any("no primary breast" in x for x in r.report.not_assessable)


@pytest.mark.parametrize(("code", "side"), [("7771000", "left"), ("24028007", "right"),
                                            ("51440002", "bilateral"), ("399488007", "midline")])
def test_laterality_qualifier_extension(read, code, side):
    site = {**cc(SCT, "76752008"), "extension": [
        {"url": MCODE + "mcode-laterality-qualifier", "valueCodeableConcept": cc(SCT, code)}]}
    r = read(bundle(patient(), condition(bodySite=[site]), size(15)))
    assert r.report.value("laterality") == side


@pytest.mark.parametrize(("site", "side"), [("80248007", "left"), ("73056007", "right")])
def test_lateralised_body_site(read, site, side):
    r = read(bundle(patient(), condition(bodySite=[cc(SCT, site)]), size(15)))
    assert r.report.value("laterality") == side


def test_lateralised_condition_codes(read):
    assert read(bundle(patient(), condition("353431000119107"), size(15))
                ).report.value("laterality") == "left"
    icd = condition("C50.811", "http://hl7.org/fhir/sid/icd-10-cm")
    assert read(bundle(patient(), icd, size(15))).report.value("laterality") == "right"


@pytest.mark.parametrize(("system", "code", "histology"), [
    (SCT, "82711006", "nst"), (ICDO, "8500/3", "nst"),
    ("urn:oid:2.16.840.1.113883.6.43.1", "8500/3", "nst"), (SCT, "722524005", "lobular"),
])
def test_histology_extension(read, system, code, histology):
    c = condition(extension=[{"url": MCODE + "mcode-histology-morphology-behavior",
                              "valueCodeableConcept": cc(system, code)}])
    assert read(bundle(patient(), c, size(15))).case.histology == histology


@pytest.mark.parametrize("code", ["31206-6", "59847-4", "44638-5"])
def test_histology_observation(read, code):
    r = read(base(obs(code, valueCodeableConcept=cc(SCT, "82711006"))))
    assert r.case.histology == "nst"


def test_dcis_is_not_invasive_and_lcis_is_not_staged(read):
    dcis = read(bundle(patient(), condition(), obs("31206-6", valueCodeableConcept=cc(
        SCT, "399935008"))))
    assert dcis.case.tumour.primary == "dcis" and dcis.case.tumour.invasive_sizes_mm == ()
    lcis = read(bundle(patient(), condition(), obs("31206-6", valueCodeableConcept=cc(
        SCT, "77284006"))))
    assert lcis.case.tumour.primary == "none"
    assert any("in situ" in w for w in lcis.report.warnings)


@pytest.mark.parametrize(("code", "status"), [("309606002", "pre"), ("307429007", "post")])
def test_menopausal_status(read, code, status):
    r = read(base(obs("161712005", SCT, valueCodeableConcept=cc(SCT, code))))
    assert r.case.patient.menopausal_status == status
    as_condition = condition(code)
    as_condition["id"] = "c2"
    assert read(base(as_condition)).case.patient.menopausal_status == status


def test_perimenopausal_as_text(read):
    r = read(base(obs("161712005", SCT, valueCodeableConcept={"text": "perimenopausal"})))
    assert r.case.patient.menopausal_status == "peri"


def test_size_in_cm_is_converted_and_reported(read):
    r = read(bundle(patient(), condition(), size(2.5, "cm")))
    assert r.case.tumour.invasive_sizes_mm == (25.0,)
    (conv,) = r.report.conversions
    assert (conv.original, conv.converted, conv.source) == ("2.5 cm", "25 mm", "Observation/size")


def test_size_in_another_unit_is_not_read(read):
    r = read(bundle(patient(), condition(), size(1, "[in_i]")))
    assert r.case is None and any("unit" in w for w in r.report.warnings)


def test_invasive_size_wins_over_whole_lesion_size(read):
    invasive = obs("44635-1", valueQuantity={"value": 12, "system": UCUM, "code": "mm"})
    lesion = obs("33728-7", valueQuantity={"value": 30, "system": UCUM, "code": "mm"})
    r = read(bundle(patient(), condition(), lesion, invasive))
    assert r.case.tumour.invasive_sizes_mm == (12.0,)
    assert any("whole-lesion" in w for w in r.report.warnings)


def test_pathology_size_wins_over_imaging_size(read):
    imaging = size(40, rid="imaging")
    del imaging["specimen"]
    imaging["focus"] = [{"reference": "BodyStructure/t1"}]
    r = read(bundle(patient(), condition(), imaging, size(22)))
    assert r.case.tumour.invasive_sizes_mm == (22.0,)


@pytest.mark.parametrize(("code", "value", "grade"), [
    ("372276001", cc(SCT, "1155701009"), 1), ("372276001", cc(SCT, "1155703007"), 2),
    ("372276001", cc(SCT, "1155704001"), 3), ("44648-4", cc(LNC, "LA27824-4"), 2),
])
def test_nottingham_grade(read, code, value, grade):
    system = SCT if code.isdigit() else LNC
    assert read(base(obs(code, system, valueCodeableConcept=value))).case.tumour.grade == grade


def test_mcode_grade_words_need_the_nottingham_method(read):
    nci = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
    high = obs("C18000", nci, valueCodeableConcept=cc(SCT, "1155707008"))
    r = read(base(high))
    assert r.case.tumour.grade is None
    assert any("Nottingham" in w for w in r.report.warnings)
    high["method"] = {"text": "Nottingham combined histologic grade"}
    assert read(base(high)).case.tumour.grade == 3


def test_ajcc_constant_is_the_cancerstaging_system():
    assert AJCC == "http://cancerstaging.org"


@pytest.mark.parametrize(("birth", "onset"), [("abc", "2020-01-01"), ("1960-13-40", "2020-01-01"),
                                              ("1960", "xx"), ("1960-02", "2020-02-30")])
def test_invalid_dates_leave_the_age_unknown_and_say_which(read, birth, onset):
    r = read(bundle(patient(birth=birth), condition(onset=onset), size(15)))
    assert r.case is None
    assert any("is not a valid date" in w for w in r.report.warnings)
    assert any(x.startswith("patient.age_years") for x in r.report.not_assessable)


def test_partial_diagnosis_date_gives_the_lower_age_with_a_warning(read):
    r = read(bundle(patient(birth="1960-05-20"), condition(onset="2020"), size(15)))
    assert r.case.patient.age_years == 59  # 59 before 20 May 2020, 60 after
    assert any("59 to 60" in w for w in r.report.warnings)


@pytest.mark.parametrize(("code", "side"), [("7771000", "left"), ("24028007", "right")])
def test_laterality_on_pathology(read, code, side):
    r = read(base(obs("20228-3", valueCodeableConcept=cc(SCT, code))))
    assert r.report.value("laterality") == side


def test_history_of_metastatic_cancer_is_m1(read):
    r = read(base(obs("1287652008", SCT, valueCodeableConcept=cc(SCT, "52101004"))))
    assert r.case.m == "cM1"
    assert any("metastatic disease" in w for w in r.report.warnings)


@pytest.mark.parametrize(("code", "m"), [("94381002", "cM1"), ("94222008", "cM1"),
                                         ("94181007", "cM0")])
def test_secondary_cancer_codes(read, code, m):
    secondary = condition(code)
    secondary["id"] = "c-secondary"
    assert read(base(secondary)).case.m == m


def test_secondary_known_only_by_text_is_read_with_a_warning(read):
    secondary = condition("999999", "http://example.org/local")
    secondary["id"] = "c-secondary"
    secondary["code"]["text"] = "Metastatic breast cancer to lung"
    r = read(base(secondary))
    assert r.case.m == "cM1"
    assert any("read from its text" in w for w in r.report.warnings)
