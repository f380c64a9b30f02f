"""The export (spec fhir.md section 3): valid FHIR, R4 elements only, the mCODE codes of the
derived staging, one RiskAssessment per PREDICT scenario, the rules as a proposal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from axilla.assess import assess
from axilla.case.assessment import parse_case
from axilla.interop.fhir.case_bundle import case_bundle
from axilla.interop.fhir.read import read_bundle
from axilla.interop.fhir.write import assessment_bundle
from support.fhir_bundles import reference_dir

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCT = "http://snomed.info/sct"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

_BASE = {"resourceType", "id", "meta", "implicitRules", "language", "text", "contained",
         "extension", "modifierExtension"}
#: Elements of the resources axilla writes, as listed on the FHIR R4 (4.0.1) resource pages.
R4_ELEMENTS: dict[str, set[str]] = {
    "Bundle": {"identifier", "type", "timestamp", "total", "link", "entry", "signature"},
    "Device": {"identifier", "definition", "udiCarrier", "status", "statusReason",
               "distinctIdentifier", "manufacturer", "manufactureDate", "expirationDate",
               "lotNumber", "serialNumber", "deviceName", "modelNumber", "partNumber", "type",
               "specialization", "version", "property", "patient", "owner", "contact",
               "location", "url", "note", "safety", "parent"},
    "Observation": {"identifier", "basedOn", "partOf", "status", "category", "code",
                    "subject", "focus", "encounter", "effectiveDateTime", "effectivePeriod",
                    "issued", "performer", "valueQuantity", "valueCodeableConcept",
                    "valueString", "valueBoolean", "valueInteger", "dataAbsentReason",
                    "interpretation", "note", "bodySite", "method", "specimen", "device",
                    "referenceRange", "hasMember", "derivedFrom", "component"},
    "RiskAssessment": {"identifier", "basedOn", "parent", "status", "method", "code",
                       "subject", "encounter", "occurrenceDateTime", "occurrencePeriod",
                       "condition", "performer", "reasonCode", "reasonReference", "basis",
                       "prediction", "mitigation", "note"},
    "RequestGroup": {"identifier", "instantiatesCanonical", "instantiatesUri", "basedOn",
                     "replaces", "groupIdentifier", "status", "intent", "priority", "code",
                     "subject", "encounter", "authoredOn", "author", "reasonCode",
                     "reasonReference", "note", "action"},
    "GuidanceResponse": {"requestIdentifier", "identifier", "moduleUri", "moduleCanonical",
                         "moduleCodeableConcept", "status", "subject", "encounter",
                         "occurrenceDateTime", "performer", "reasonCode", "reasonReference",
                         "note", "evaluationMessage", "outputParameters", "result",
                         "dataRequirement"},
    "OperationOutcome": {"issue"},
    "Provenance": {"target", "occurredPeriod", "occurredDateTime", "recorded", "policy",
                   "location", "reason", "activity", "agent", "entity", "signature"},
    "Patient": {"identifier", "active", "name", "telecom", "gender", "birthDate",
                "deceasedBoolean", "address", "maritalStatus", "photo", "contact",
                "communication", "generalPractitioner", "managingOrganization", "link"},
    "Condition": {"identifier", "clinicalStatus", "verificationStatus", "category",
                  "severity", "code", "bodySite", "subject", "encounter", "onsetDateTime",
                  "onsetAge", "onsetPeriod", "abatementDateTime", "recordedDate", "recorder",
                  "asserter", "stage", "evidence", "note"},
    "Specimen": {"identifier", "accessionIdentifier", "status", "type", "subject",
                 "receivedTime", "parent", "request", "collection", "processing", "container",
                 "condition", "note"},
    "Procedure": {"identifier", "basedOn", "partOf", "status", "statusReason", "category",
                  "code", "subject", "encounter", "performedDateTime", "performedPeriod",
                  "recorder", "asserter", "performer", "location", "reasonCode",
                  "reasonReference", "bodySite", "outcome", "report", "complication",
                  "followUp", "note", "usedCode"},
    "MedicationStatement": {"identifier", "basedOn", "partOf", "status", "statusReason",
                            "category", "medicationCodeableConcept",
                            "medicationReference", "subject", "context", "effectiveDateTime",
                            "effectivePeriod", "dateAsserted", "informationSource",
                            "derivedFrom", "reasonCode", "reasonReference", "note", "dosage"},
}
R4_PARTS = {
    ("RiskAssessment", "prediction"): {"id", "extension", "modifierExtension", "outcome",
                                       "probabilityDecimal", "probabilityRange",
                                       "qualitativeRisk", "relativeRisk", "whenPeriod",
                                       "whenRange", "rationale"},
    ("RequestGroup", "action"): {"prefix", "title", "description", "textEquivalent",
                                 "priority", "code", "documentation", "condition",
                                 "relatedAction", "participant", "type", "groupingBehavior",
                                 "selectionBehavior", "requiredBehavior", "precheckBehavior",
                                 "cardinalityBehavior", "resource", "action"},
    ("Device", "version"): {"type", "component", "value"},
    ("Device", "deviceName"): {"name", "type"},
    ("Provenance", "agent"): {"type", "role", "who", "onBehalfOf"},
    ("Provenance", "entity"): {"role", "what", "agent"},
    ("OperationOutcome", "issue"): {"severity", "code", "details", "diagnostics", "location",
                                    "expression"},
    ("Specimen", "collection"): {"collector", "collectedDateTime", "duration", "quantity",
                                 "method", "bodySite", "fastingStatusCodeableConcept"},
}
RELATED_ARTIFACT_R4 = {"type", "label", "display", "citation", "url", "document", "resource"}


def resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"]]


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in resources(bundle) if r["resourceType"] == kind]


def assert_r4_only(bundle: dict[str, Any]) -> None:
    assert set(bundle) - _BASE <= R4_ELEMENTS["Bundle"]
    for r in resources(bundle):
        kind = r["resourceType"]
        assert set(r) - _BASE <= R4_ELEMENTS[kind], (kind, set(r) - _BASE - R4_ELEMENTS[kind])
        for (owner, part), allowed in R4_PARTS.items():
            if owner == kind:
                items = r.get(part) or []
                for item in items if isinstance(items, list) else [items]:
                    assert set(item) - {"id", "extension", "modifierExtension"} <= allowed
        for action in r.get("action") or []:
            for doc in action.get("documentation") or []:
                assert set(doc) <= RELATED_ARTIFACT_R4


def example(name: str):
    return parse_case(json.loads((EXAMPLES / name).read_text("utf-8")))


@pytest.fixture(scope="module")
def exported() -> tuple[Any, dict[str, Any]]:
    a = assess(example("b_two_macrometastases_sentinel.json"))
    return a, assessment_bundle(a, recorded=WHEN)


def test_export_is_a_valid_bundle_of_r4_elements(exported):
    _, bundle = exported
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection" and bundle["timestamp"] == "2026-01-02T03:04:05Z"
    assert_r4_only(bundle)
    kinds = [r["resourceType"] for r in resources(bundle)]
    assert kinds.count("Device") == kinds.count("Provenance") == 1
    assert kinds.count("GuidanceResponse") == kinds.count("RequestGroup") == 1


def test_input_bundles_written_from_cases_are_r4_only():
    for path in sorted(EXAMPLES.glob("*.json")):
        assert_r4_only(case_bundle(parse_case(json.loads(path.read_text("utf-8")))))


def value_code(obs: dict[str, Any]) -> tuple[str | None, str]:
    v = obs["valueCodeableConcept"]
    return (v["coding"][0]["code"] if v.get("coding") else None), v.get("text", "")


def test_derived_staging_uses_the_mcode_snomed_codes(exported):
    _, bundle = exported
    obs = {o["meta"]["profile"][0].rsplit("/", 1)[1] + ":" + o["code"]["coding"][-1]["code"]: o
           for o in of_type(bundle, "Observation") if "meta" in o}
    pt = obs["mcode-tnm-primary-tumor-category:384625004"]
    assert value_code(pt) == ("1229852009", "pT2")  # pathological T2
    pn = obs["mcode-tnm-regional-nodes-category:371494008"]
    assert value_code(pn) == ("1229953003", "pN1a(sn)")  # its own SNOMED concept
    m = obs["mcode-tnm-distant-metastases-category:399387003"]
    assert value_code(m) == ("1229901006", "cM0")
    anatomic = obs["mcode-tnm-stage-group:anatomic-stage-group"]
    prognostic = obs["mcode-tnm-stage-group:prognostic-stage-group"]
    assert value_code(anatomic) == ("1222769001", "IIB")
    assert value_code(prognostic) == ("1222766008", "IIA")
    assert anatomic["code"]["coding"][0] == {"system": SCT, "code": "399588009"}
    for o in obs.values():
        assert o["method"]["coding"][0]["code"] == "897275008"
    members = {m["reference"] for m in anatomic["hasMember"]}
    urls = {e["fullUrl"] for e in bundle["entry"] if e["resource"] in (pt, pn, m)}
    assert members == urls


def test_node_counts_are_written_and_the_pn_is_derived_from_them(exported):
    a, bundle = exported
    counts = {o["code"]["coding"][0]["code"]: o for o in of_type(bundle, "Observation")
              if "meta" not in o}
    assert counts["92833-3"]["valueQuantity"]["value"] == a.staging.nodes_examined == 3
    assert counts["92831-7"]["valueQuantity"]["value"] == a.staging.positive_nodes == 2
    pn = next(o for o in of_type(bundle, "Observation")
              if o["code"]["coding"][0]["code"] == "371494008")
    urls = {e["fullUrl"] for e in bundle["entry"] if e["resource"] in counts.values()}
    assert {r["reference"] for r in pn["derivedFrom"]} == urls


def test_suffix_without_snomed_code_sends_the_base_code_and_the_full_label():
    a = assess(example("a_micrometastasis_sentinel.json"))
    bundle = assessment_bundle(a, recorded=WHEN)
    pn = next(o for o in of_type(bundle, "Observation")
              if o["code"]["coding"][0]["code"] == "371494008")
    assert value_code(pn) == ("1229952008", "pN1mi(sn)")


def test_one_risk_assessment_per_scenario_with_the_engine_numbers(exported):
    a, bundle = exported
    r = a.predict.result
    risks = of_type(bundle, "RiskAssessment")
    assert len(risks) == 1 + len(r.steps)
    assert risks[0]["mitigation"] == "Surgery"
    assert risks[-1]["mitigation"].startswith("Surgery + radiotherapy + endocrine therapy")
    for risk, step in zip(risks, [r.surgery_only, *r.steps], strict=True):
        assert risk["identifier"][0]["value"].endswith(f"#{step.column}")
        assert len(risk["prediction"]) == 9
        for year in (5, 10, 15):
            p = {x["outcome"]["coding"][0]["code"]: x for x in risk["prediction"]
                 if x["whenRange"]["high"]["value"] == year}
            assert p["overall-survival"]["probabilityDecimal"] == pytest.approx(
                step.overall_survival_pct[year] / 100, abs=1e-12)
            total = sum(x["probabilityDecimal"] for x in p.values())
            assert total == pytest.approx(1.0, abs=1e-9)  # alive + two causes of death
            assert p["overall-survival"]["whenRange"]["high"]["code"] == "a"
    chemo = next(x for x in risks if x["identifier"][0]["value"].endswith("#rhc"))
    gain = next(x for x in chemo["prediction"] if x["outcome"]["coding"][0]["code"]
                == "overall-survival" and x["whenRange"]["high"]["value"] == 10)
    benefit = next(b for b in r.benefits if b.letter == "c")
    assert gain["extension"][0]["valueDecimal"] == pytest.approx(benefit.benefit_pp[10] / 100)
    trastuzumab = next(x for x in risks if x["identifier"][0]["value"].endswith("#rhct"))
    assert any("not in the chosen plan" in n["text"] for n in trastuzumab["note"])


def test_recommendations_are_a_proposal_with_citations(exported):
    a, bundle = exported
    (group,) = of_type(bundle, "RequestGroup")
    assert (group["status"], group["intent"]) == ("active", "proposal")
    assert [x["code"][0]["coding"][0]["code"] for x in group["action"]] == [
        rec.id for rec in a.guidance.recommendations]
    first = group["action"][0]
    rec = a.guidance.recommendations[0]
    assert first["documentation"][0]["label"] == rec.cite
    assert first["documentation"][0]["type"] == "citation"
    assert first["textEquivalent"]
    (guidance,) = of_type(bundle, "GuidanceResponse")
    full = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    assert guidance["result"]["reference"] == full[id(group)]
    (outcome,) = of_type(bundle, "OperationOutcome")
    assert guidance["evaluationMessage"][0]["reference"] == full[id(outcome)]


def test_device_and_provenance_cover_every_output(exported):
    a, bundle = exported
    (device,) = of_type(bundle, "Device")
    assert device["deviceName"] == [{"name": "axilla", "type": "model-name"}]
    assert {v["value"] for v in device["version"]} >= {a.provenance.axilla_version,
                                                       a.provenance.ruleset_version}
    (prov,) = of_type(bundle, "Provenance")
    targets = {t["reference"] for t in prov["target"]}
    others = {e["fullUrl"] for e in bundle["entry"]
              if e["resource"]["resourceType"] not in ("Device", "Provenance")}
    assert targets == others
    assert prov["agent"][0]["who"]["reference"] == next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"] is device)


def test_imported_bundle_export_cites_its_sources_and_conflicts():
    data = json.loads((reference_dir() / "external/mcode-coverage-checker/fullBundle.json"
                       ).read_text("utf-8"))
    imported = read_bundle(data)
    a = assess(imported.case)
    bundle = assessment_bundle(a, patient_reference=imported.patient_reference,
                               condition_reference=imported.condition_reference,
                               sources=imported.sources, report=imported.report,
                               recorded=WHEN)
    assert_r4_only(bundle)
    (prov,) = of_type(bundle, "Provenance")
    entities = {e["what"]["reference"] for e in prov["entity"]}
    assert {"Observation/tumor-size-jenny-m", "Patient/cancer-patient-jenny-m",
            "Observation/tumor-marker-test-er-jenny-m"} <= entities
    pt = next(o for o in of_type(bundle, "Observation")
              if o["code"]["coding"][0]["code"] == "384625004")
    assert pt["derivedFrom"] == [{"reference": "Observation/tumor-size-jenny-m"}]
    for risk in of_type(bundle, "RiskAssessment"):
        assert risk["subject"] == {"reference": "Patient/cancer-patient-jenny-m"}
        assert risk["condition"] == {"reference": "Condition/primary-cancer-condition-jenny-m"}
        assert risk["status"] == "preliminary"  # grade and Ki-67 unknown
    (outcome,) = of_type(bundle, "OperationOutcome")
    conflicts = [i for i in outcome["issue"] if i["code"] == "conflict"]
    assert len(conflicts) == len(imported.report.conflicts) == 5


def test_assumed_cm0_is_preliminary():
    data = case_bundle(example("a_micrometastasis_sentinel.json"))
    data["entry"] = [e for e in data["entry"]
                     if e["resource"].get("code", {}).get("coding", [{}])[0].get("code")
                     != "399387003"]
    imported = read_bundle(data)
    bundle = assessment_bundle(assess(imported.case), report=imported.report, recorded=WHEN)
    m = next(o for o in of_type(bundle, "Observation")
             if o["code"]["coding"][0]["code"] == "399387003")
    assert m["status"] == "preliminary"


def axilla_codes(data: Any) -> set[str]:
    """Every code of axilla's own system anywhere in a JSON document."""
    found: set[str] = set()
    if isinstance(data, dict):
        if data.get("system") == "https://axilla.example.org/fhir/CodeSystem/axilla":
            found.add(data["code"])
        for v in data.values():
            found |= axilla_codes(v)
    elif isinstance(data, list):
        for v in data:
            found |= axilla_codes(v)
    return found


def test_every_local_code_is_in_the_published_codesystem(client_codesystem):
    listed = {c["code"] for c in client_codesystem["concept"]}
    used: set[str] = set()
    for path in sorted(EXAMPLES.glob("*.json")):
        case = parse_case(json.loads(path.read_text("utf-8")))
        used |= axilla_codes(case_bundle(case))
        used |= axilla_codes(assessment_bundle(assess(case), recorded=WHEN))
    assert used and used <= listed, used - listed


@pytest.fixture(scope="module")
def client_codesystem() -> dict[str, Any]:
    from fhir.resources.R4B.codesystem import CodeSystem

    from axilla.interop.fhir.codesystem import codesystem

    data = codesystem()
    CodeSystem.model_validate(data)
    assert data["count"] == len(data["concept"])
    assert len({c["code"] for c in data["concept"]}) == len(data["concept"])
    return data


def test_the_validator_refuses_an_element_r4_does_not_have():
    from pydantic import ValidationError

    from axilla.interop.fhir.resources import bundle

    group = {"resourceType": "RequestGroup", "status": "active", "intent": "proposal",
             "subject": {"reference": "Patient/p"}, "action": [{"reason": [{"text": "x"}]}]}
    with pytest.raises(ValidationError, match=r"action\.0\.reason"):
        bundle([("urn:uuid:1", group)])
