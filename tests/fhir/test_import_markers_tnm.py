"""Spec fhir.md 2.6-2.7: receptors, HER2, Ki-67, Oncotype; TNM categories and stage groups in
every encoding the spec lists."""

from __future__ import annotations

import pytest

from support.fhir_bundles import AJCC, LNC, SCT, UCUM, base, cc, condition, obs

POSITIVE = [cc(LNC, "LA6576-8"), cc(SCT, "10828004"), cc(SCT, "52101004"), {"text": "pos"}]
NEGATIVE = [cc(LNC, "LA6577-6"), cc(SCT, "260385009"), cc(SCT, "2667000"), {"text": "negative"}]


@pytest.mark.parametrize(("marker", "code"), [
    ("er", "85337-4"), ("er", "16112-5"), ("er", "40556-3"), ("pr", "85339-0"),
    ("pr", "16113-3"), ("pr", "40557-1"), ("her2", "48676-1"), ("her2", "85319-2"),
    ("her2", "18474-7"), ("her2", "85318-4")])
@pytest.mark.parametrize(("values", "status"), [(POSITIVE, "positive"), (NEGATIVE, "negative")])
def test_marker_status_codes_and_answers(read, marker, code, values, status):
    for value in values:
        r = read(base(obs(code, valueCodeableConcept=value)))
        assert getattr(r.case.tumour, marker) == status, (code, value)


def test_her2_ish_snomed_code(read):
    r = read(base(obs("1363314005", SCT, valueCodeableConcept=cc(SCT, "10828004"))))
    assert r.case.tumour.her2 == "positive"


@pytest.mark.parametrize(("value", "status"), [
    (cc(LNC, "LA11843-2"), "positive"), (cc(LNC, "LA11841-6"), "negative")])
def test_her2_ihc_score_answers(read, value, status):
    assert read(base(obs("85319-2", valueCodeableConcept=value))).case.tumour.her2 == status


@pytest.mark.parametrize(("text", "status"), [("3+", "positive"), ("1+", "negative"),
                                              ("0", "negative")])
def test_her2_ihc_score_as_string(read, text, status):
    assert read(base(obs("85319-2", valueString=text))).case.tumour.her2 == status


@pytest.mark.parametrize("value", [{"valueString": "2+"},
                                   {"valueCodeableConcept": cc(SCT, "280414007")}])
def test_her2_equivocal_is_not_read_and_warns(read, value):
    r = read(base(obs("85319-2", **value)))
    assert r.case.tumour.her2 is None
    assert any("equivocal" in w for w in r.report.warnings)


@pytest.mark.parametrize(("code", "field"), [
    ("85329-1", "er_percent"), ("14228-1", "er_percent"), ("85325-9", "pr_percent"),
    ("14230-7", "pr_percent"), ("85330-9", "ki67_percent")])
def test_percent_markers(read, code, field):
    r = read(base(obs(code, valueQuantity={"value": 35, "unit": "%", "system": UCUM,
                                           "code": "%"})))
    assert getattr(r.case.tumour, field) == 35.0


def test_ki67_snomed_code(read):
    r = read(base(obs("1237281001", SCT, valueQuantity={"value": 12, "code": "%"})))
    assert r.case.tumour.ki67_percent == 12.0


@pytest.mark.parametrize(("code", "marker", "status"), [
    ("416053008", "er", "positive"), ("441117001", "er", "negative"),
    ("416561008", "pr", "positive"), ("441118006", "pr", "negative"),
    ("427685000", "her2", "positive"), ("431396003", "her2", "negative")])
def test_disorder_style_receptor_codes(read, code, marker, status):
    extra = condition(code)
    extra["id"] = "c-receptor"
    assert getattr(read(base(extra)).case.tumour, marker) == status
    as_value = obs("85337-4" if marker == "er" else "85339-0" if marker == "pr" else "48676-1",
                   valueCodeableConcept=cc(SCT, code))
    assert getattr(read(base(as_value)).case.tumour, marker) == status


def test_oncotype_recurrence_score(read):
    r = read(base(obs("509910", "http://www.ncbi.nlm.nih.gov/gtr",
                      valueQuantity={"value": 18})))
    assert r.case.tumour.oncotype_rs == 18


# --- TNM ---------------------------------------------------------------------------------------

T_CLINICAL = {"T1": "1228889001", "T1mi": "1228891009", "T1a": "1228892002",
              "T1b": "1228895000", "T1c": "1228899006", "T2": "1228929004", "T3": "1228938002",
              "T4": "1228944003", "T4a": "1228945002", "T4b": "1228946001", "T4c": "1228947005",
              "T4d": "1228948000", "Tis": "1228885007", "T0": "1228882005", "TX": "1222604002"}
T_PATH = {"T1c": "1229846008", "T2": "1229852009", "T3": "1229859000", "T4d": "1229868003",
          "T1mi": "1228958001", "Tis": "1228954004", "Tis(Paget)": "1228956002"}
CN = {"NX": "1229966003", "N0": "1229967007", "N1": "1229973008", "N1mi": "1229974002",
      "N2": "1229978004", "N2a": "1229981009", "N2b": "1229982002", "N3": "1229984001",
      "N3a": "1229985000", "N3b": "1229986004", "N3c": "1229987008"}
PN = {"N0": "1229947003", "N0(i+)": "1229949000", "N1mi": "1229952008", "N1a": "1229954009",
      "N1a(sn)": "1229953003", "N2a": "1229959004", "N3c": "1229965004", "NX": "1229945006"}
STAGES = {"0": "1222605001", "IA": "1222724007", "IB": "1222728005", "IIA": "1222766008",
          "IIB": "1222769001", "IIIA": "1222802001", "IIIB": "1222805004",
          "IIIC": "1222806003", "IV": "1222837003"}
METHOD = {"method": cc(SCT, "897275008")}


@pytest.mark.parametrize(("category", "value"), T_CLINICAL.items())
@pytest.mark.parametrize(("code", "system"), [("399504009", SCT), ("21905-5", LNC)])
def test_clinical_t_snomed_values(read, category, value, code, system):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value("ct") == category


@pytest.mark.parametrize(("category", "value"), T_PATH.items())
@pytest.mark.parametrize(("code", "system"), [("384625004", SCT), ("21899-0", LNC),
                                              ("78873005", SCT), ("21911-3", LNC)])
def test_pathological_t_snomed_values(read, category, value, code, system):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value("pt") == category


@pytest.mark.parametrize(("category", "value"), CN.items())
@pytest.mark.parametrize(("code", "system"), [("399534004", SCT), ("21906-3", LNC)])
def test_clinical_n_values(read, category, value, code, system):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value("cn") == category


@pytest.mark.parametrize(("category", "value"), PN.items())
@pytest.mark.parametrize(("code", "system"), [("371494008", SCT), ("21900-6", LNC),
                                              ("277206009", SCT), ("21912-1", LNC),
                                              ("21892-5", LNC)])
def test_pathological_n_values(read, category, value, code, system):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value("pn") == category


@pytest.mark.parametrize(("value", "m"), [("1229901006", "cM0"), ("1229902004", "cM0(i+)"),
                                          ("1229903009", "cM1"), ("1229916009", "pM1")])
@pytest.mark.parametrize(("code", "system"), [("399387003", SCT), ("371497001", SCT),
                                              ("277208005", SCT), ("21907-1", LNC),
                                              ("21901-4", LNC), ("21913-9", LNC)])
def test_m_values(read, value, m, code, system):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value("m") == m


def test_pathological_m_not_applicable_means_m_from_clinical(read):
    absent = obs("371497001", SCT, rid="pm", valueCodeableConcept=cc(
        "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-applicable"), **METHOD)
    cm0 = obs("399387003", SCT, rid="cm", valueCodeableConcept=cc(SCT, "1229901006"), **METHOD)
    r = read(base(absent, cm0))
    assert r.case.m == "cM0" and r.report.fact("m").source == "Observation/cm"


@pytest.mark.parametrize(("stage", "value"), STAGES.items())
@pytest.mark.parametrize(("code", "system", "field"), [
    ("399537006", SCT, "stage_c"), ("399588009", SCT, "stage_p"), ("399390009", SCT, "stage_c"),
    ("21908-9", LNC, "stage_c"), ("21902-2", LNC, "stage_p"), ("21914-7", LNC, "stage_c")])
def test_stage_group_snomed_values(read, stage, value, code, system, field):
    r = read(base(obs(code, system, valueCodeableConcept=cc(SCT, value), **METHOD)))
    assert r.report.value(field) == stage


@pytest.mark.parametrize(("code", "stage"), [("1A", "IA"), ("2B", "IIB"), ("3C", "IIIC"),
                                             ("4", "IV"), ("0", "0")])
def test_ajcc_system_arabic_stage_codes(read, code, stage):
    r = read(base(obs("21908-9", valueCodeableConcept=cc(AJCC, code), **METHOD)))
    assert r.report.value("stage_c") == stage


@pytest.mark.parametrize(("code", "field", "value"), [
    ("21905-5", "ct", "cT3"), ("21906-3", "cn", "cN0"), ("21899-0", "pt", "pT1c"),
    ("21900-6", "pn", "pN1mi")])
def test_ajcc_system_category_codes(read, code, field, value):
    r = read(base(obs(code, valueCodeableConcept=cc(AJCC, value), **METHOD)))
    assert r.report.value(field) == value[1:]


def test_uicc_category_with_prefix_extension(read):
    ext = [{"url": "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/"
                   "StructureDefinition/mii-ex-onko-tnm-cp-praefix", "valueCodeableConcept":
            cc("https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/CodeSystem/"
               "mii-cs-onko-tnm-cp-praefix", "p")}]
    o = obs("277206009", SCT, valueCodeableConcept=cc("https://www.uicc.org/resources/tnm",
                                                      "N1mi"), **METHOD)
    o["code"] = {**cc(SCT, "277206009"), "extension": ext}
    assert read(base(o)).report.value("pn") == "N1mi"


@pytest.mark.parametrize(("code", "category"), [("23351008", "T1"), ("67673008", "T2"),
                                                ("14410001", "T3"), ("65565005", "T4")])
def test_legacy_snomed_t_findings_are_clinical_with_a_warning(read, code, category):
    r = read(base(obs("21905-5", valueCodeableConcept=cc(SCT, code))))
    assert r.report.value("ct") == category
    assert any("legacy SNOMED" in w for w in r.report.warnings)


@pytest.mark.parametrize(("code", "stage"), [("258224005", "III"), ("258228008", "IV"),
                                             ("261638004", "IIIA")])
def test_legacy_snomed_stage_qualifiers(read, code, stage):
    r = read(base(obs("21908-9", valueCodeableConcept=cc(SCT, code))))
    assert r.report.value("stage_c") == stage


def test_text_only_category_is_read_with_a_warning(read):
    r = read(base(obs("371494008", SCT, valueCodeableConcept={"text": "pT1c(m) pN1mi(sn)"},
                      **METHOD)))
    assert r.report.value("pn") == "N1mi(sn)"
    assert any("from text" in w for w in r.report.warnings)


def test_yp_prefix_marks_neoadjuvant(read):
    r = read(base(obs("21900-6", valueCodeableConcept=cc(AJCC, "ypN0"), **METHOD)))
    assert r.case.neoadjuvant is True and r.report.value("pn") == "N0"


def test_staging_method_other_than_ajcc8_warns(read):
    r = read(base(obs("399504009", SCT, valueCodeableConcept=cc(SCT, "1228929004"),
                      method=cc(SCT, "443830009"))))
    assert any("not AJCC 8th" in w for w in r.report.warnings)


def test_final_status_wins_over_preliminary_and_entered_in_error_is_ignored(read):
    prelim = obs("399504009", SCT, rid="t-prelim", valueCodeableConcept=cc(SCT, "1228938002"),
                 **METHOD)
    prelim["status"] = "preliminary"
    final = obs("399504009", SCT, rid="t-final", valueCodeableConcept=cc(SCT, "1228929004"),
                **METHOD)
    wrong = obs("399504009", SCT, rid="t-error", valueCodeableConcept=cc(SCT, "1228944003"),
                **METHOD)
    wrong["status"] = "entered-in-error"
    r = read(base(prelim, final, wrong))
    assert r.report.value("ct") == "T2"
    assert r.report.fact("ct").source == "Observation/t-final"
    assert not any("t-error" in " ".join(c.sources) for c in r.report.conflicts)
