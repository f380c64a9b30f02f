"""Spec fhir.md 2.8-2.12: node counts, the per-node pattern, procedures, systemic therapy,
radiotherapy, screening and smoking."""

from __future__ import annotations

import pytest

from axilla.staging import stage
from support.fhir_bundles import LNC, SCT, UCUM, base, cc, medication, obs, procedure

AX = "https://axilla.example.org/fhir/CodeSystem/axilla"


def count(code: str, n: int, system: str = LNC, rid: str | None = None) -> dict:
    return obs(code, system, rid=rid, valueQuantity={"value": n, "system": UCUM,
                                                     "code": "{count}"})


@pytest.mark.parametrize(("code", "system"), [("92833-3", LNC), ("21894-1", LNC),
                                              ("444025001", SCT)])
def test_nodes_examined_codes(read, code, system):
    r = read(base(count(code, 4, system)))
    assert r.report.value("nodes_examined") == 4


@pytest.mark.parametrize(("code", "system"), [("92831-7", LNC), ("21893-3", LNC),
                                              ("443527007", SCT)])
def test_nodes_positive_codes_make_itemised_nodes(read, code, system):
    r = read(base(procedure("79544006"), count("92833-3", 5), count(code, 2, system)))
    assert r.report.node_level == "counts"
    assert sum(n.tumour_present is True for n in r.case.nodes) == 2
    assert sum(n.deposit_mm == 0 for n in r.case.nodes) == 3
    # 2 of 5 positive, sizes unknown: pN1 without a subcategory (pN1a needs a macrometastasis)
    assert stage(r.case.staging_case()).pN.category == "N1"


@pytest.mark.parametrize(("code", "system"), [("92832-5", LNC), ("1264491009", SCT)])
def test_sentinel_counts(read, code, system):
    r = read(base(count("85347-3", 2), count(code, 1, system)))
    assert r.report.value("sentinel_examined") == 2
    assert r.report.value("sentinel_positive") == 1
    assert r.case.procedure.kind == "sentinel"
    assert [n.found_by for n in r.case.nodes] == ["sentinel", "sentinel"]


@pytest.mark.parametrize(("code", "field"), [("85343-2", "nodes_macro"),
                                             ("85344-0", "nodes_micro"),
                                             ("85352-3", "nodes_itc")])
def test_node_category_counts(read, code, field):
    assert read(base(count(code, 1))).report.value(field) == 1


def test_positive_count_equal_to_macro_micro_itc_warns(read):
    r = read(base(procedure("79544006"), count("92833-3", 6), count("92831-7", 3),
                  count("85343-2", 1), count("85344-0", 1), count("85352-3", 1)))
    assert any("ITC-only nodes are not positive" in w for w in r.report.warnings)


def test_sentinel_observation_without_value_reads_only_nodes_examined(read):
    o = obs("92832-5", component=[{"code": cc(LNC, "92833-3"), "valueQuantity": {
        "value": 3, "system": UCUM, "code": "{Count}"}}])
    r = read(base(o))
    assert r.report.value("nodes_examined") == 3
    assert r.report.value("sentinel_positive") is None
    assert r.case.nodes == ()


def node(rid: str, deposit_mm: float | None, category: str, *, sentinel: bool = True,
         cells: int | None = None, method: str = "he") -> list[dict]:
    comps = [{"code": cc(AX, "node-category"), "valueCodeableConcept": cc(AX, category)},
             {"code": cc(AX, "sentinel"), "valueBoolean": sentinel},
             {"code": cc(AX, "detection-method"), "valueCodeableConcept": cc(AX, method)}]
    if cells is not None:
        comps.append({"code": cc(AX, "max-cells-one-section"),
                      "valueQuantity": {"value": cells, "system": UCUM, "code": "{cells}"}})
    o = obs("85351-5", rid=rid, specimen={"reference": f"Specimen/{rid}-s"}, component=comps)
    if deposit_mm is not None:
        o["valueQuantity"] = {"value": deposit_mm, "unit": "mm", "system": UCUM, "code": "mm"}
    specimen = {"resourceType": "Specimen", "id": f"{rid}-s", "subject": {"reference":
                "Patient/p1"}, "collection": {"bodySite": cc(SCT, "68171009")}}
    return [o, specimen]


def test_per_node_pattern_gives_each_node(read):
    r = read(base(procedure("396487001"), *node("n1", 0.8, "micrometastasis"),
                  *node("n2", 0.1, "itc", cells=40, method="ihc"),
                  *node("n3", 0, "negative")))
    assert r.report.node_level == "per-node"
    assert [n.deposit_mm for n in r.case.nodes] == [0.8, 0.1, 0.0]
    assert r.case.nodes[1].cells_per_section == 40 and r.case.nodes[1].method == "ihc"
    assert all(n.found_by == "sentinel" and n.site == "axillary" for n in r.case.nodes)
    result = stage(r.case.staging_case())
    assert result.pN.display == "pN1mi(sn)"
    assert not r.report.needs_review


def test_per_node_category_contradicting_the_deposit_is_a_conflict(read):
    r = read(base(procedure("396487001"), *node("n1", 3.5, "micrometastasis")))
    assert "node-category" in r.report.conflict_kinds()


def test_per_node_wins_over_counts(read):
    r = read(base(procedure("396487001"), count("92831-7", 4), count("92833-3", 9),
                  *node("n1", 2.5, "macrometastasis")))
    assert r.report.node_level == "per-node" and len(r.case.nodes) == 1


@pytest.mark.parametrize(("code", "kind"), [("396487001", "sentinel"),
                                            ("443497002", "sentinel"),
                                            ("79544006", "dissection")])
def test_axillary_procedures(read, code, kind):
    assert read(base(procedure(code))).case.procedure.kind == kind


@pytest.mark.parametrize(("code", "surgery"), [("64368001", "bcs"), ("392021009", "bcs"),
                                               ("237371007", "bcs"),
                                               ("172043006", "mastectomy")])
def test_breast_surgery(read, code, surgery):
    assert read(base(procedure(code))).case.treatment.breast_surgery == surgery


@pytest.mark.parametrize(("drugs", "chemo"), [
    (["doxorubicin", "cyclophosphamide"], "second_generation"),
    (["epirubicin"], "second_generation"),
    (["doxorubicin", "paclitaxel"], "third_generation"), (["docetaxel"], "third_generation"),
    (["cyclophosphamide"], "none")])
def test_chemotherapy_generation_from_ingredients(read, drugs, chemo):
    r = read(base(*[medication(d) for d in drugs]))
    assert r.case.treatment.chemotherapy == chemo


@pytest.mark.parametrize(("drug", "field"), [
    ("tamoxifen", "endocrine_therapy"), ("letrozole", "endocrine_therapy"),
    ("Anastrozole 1 MG Oral Tablet", "endocrine_therapy"), ("trastuzumab", "trastuzumab"),
    ("zoledronic acid", "bisphosphonates")])
def test_targeted_endocrine_and_bone_drugs(read, drug, field):
    assert getattr(read(base(medication(drug))).case.treatment, field) is True


@pytest.mark.parametrize("kind", ["MedicationRequest", "MedicationStatement",
                                  "MedicationAdministration"])
def test_rxnorm_ingredient_codes_in_each_medication_resource(read, kind):
    m = medication("x", kind=kind)
    m["medicationCodeableConcept"] = cc("http://www.nlm.nih.gov/research/umls/rxnorm", "56946")
    assert read(base(m)).case.treatment.chemotherapy == "third_generation"


def test_medication_reference(read):
    med = {"resourceType": "Medication", "id": "med1", "code": {"text": "Tamoxifen 20 mg"}}
    request = medication("x", medicationReference={"reference": "Medication/med1"})
    del request["medicationCodeableConcept"]
    assert read(base(med, request)).case.treatment.endocrine_therapy is True


def test_proposed_medication_is_not_a_given_treatment(read):
    r = read(base(medication("tamoxifen", intent="proposal")))
    assert r.case.treatment.endocrine_therapy is False
    assert r.report.value("planned_drug_endocrine") == ["tamoxifen"]


def test_systemic_therapy_before_surgery_is_neoadjuvant(read):
    r = read(base(procedure("64368001", performedDateTime="2020-09-01"),
                  medication("paclitaxel", authoredOn="2020-04-01")))
    assert r.case.neoadjuvant is True


@pytest.mark.parametrize(("code", "system"), [
    ("1217123003", SCT), ("53438000", SCT), ("445232009", SCT),
    ("USCRS-33529", "http://hl7.org/fhir/us/mcode/CodeSystem/snomed-requested-cs")])
def test_radiotherapy_codes(read, code, system):
    p = procedure(code)
    p["code"] = cc(system, code)
    assert read(base(p)).case.treatment.radiotherapy is True


@pytest.mark.parametrize(("resource", "screen"), [
    (procedure("71651007", reasonCode=[cc(SCT, "360156006")]), True),
    (procedure("241055006"), False), (procedure("71651007"), None)])
def test_screen_detected(read, resource, screen):
    assert read(base(resource)).case.screen_detected is screen


def test_smoking_daily_is_current_smoker(read):
    r = read(base(obs("72166-2", valueCodeableConcept=cc(SCT, "449868002"))))
    assert r.case.patient.current_smoker is True


def test_unconfirmed_smoking_codes_are_not_read(read):
    r = read(base(obs("72166-2", valueCodeableConcept=cc(SCT, "8517006"))))
    assert r.case.patient.current_smoker is None
    assert any("smoking status" in w for w in r.report.warnings)


def test_mean_heart_dose_in_gy(read):
    dose = obs("mean-heart-dose", AX, valueQuantity={"value": 2.5, "unit": "Gy",
                                                     "system": UCUM, "code": "Gy"})
    assert read(base(dose)).case.treatment.mean_heart_dose_gy == 2.5
    by_text = obs("x", valueQuantity={"value": 1.0, "code": "Gy"})
    by_text["code"] = {"text": "Mean heart dose"}
    assert read(base(by_text)).case.treatment.mean_heart_dose_gy == 1.0
    in_cgy = obs("mean-heart-dose", AX, valueQuantity={"value": 250, "code": "cGy"})
    r = read(base(in_cgy))
    assert r.case.treatment.mean_heart_dose_gy is None
    assert any("not in Gy" in w for w in r.report.warnings)
