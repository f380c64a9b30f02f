"""An axilla Case written as FHIR R4 / mCODE input resources (the import map in reverse).

Source: spec fhir.md section 2 (the codes the importer reads) and 2.8 B (the per-node pattern).
Used to hand a case to a FHIR system and to prove the import map: case -> bundle -> case.
Not carried: radial margin, lymphovascular invasion, recurrence events,
RT-PCR-only procedures, 'other' histology and extra guidance facts (no FHIR element agreed).
"""

from __future__ import annotations

from typing import Any

from axilla.case.assessment import Case
from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)
from axilla.interop.fhir.resources import (
    axilla_concept,
    bundle,
    category,
    concept,
    full_url,
    quantity,
)

_STATUS = {"positive": "LA6576-8", "negative": "LA6577-6"}
_GRADE = {v: k for k, v in C.GRADE_VALUES.items() if k.isdigit()}
_HISTOLOGY = {"nst": (C.SNOMED, "82711006", "Infiltrating duct carcinoma"),
              "lobular": (C.ICDO3[0], "8520/3", "Lobular carcinoma")}
_SITE_CODE = {v: k for k, v in C.NODE_SITES.items()}
_METHOD = {v: k for k, v in C.NODE_METHODS.items()}
_DRUGS = {"second_generation": ("doxorubicin", "cyclophosphamide"),
          "third_generation": ("doxorubicin", "cyclophosphamide", "paclitaxel")}


class _Writer:
    def __init__(self, case: Case):
        self.case = case
        self.seed = case.input_hash()
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self.patient = {"reference": "Patient/patient"}
        self.condition = {"reference": "Condition/primary"}

    def put(self, resource: dict[str, Any]) -> dict[str, Any]:
        kind = resource["resourceType"]
        rid = resource.setdefault("id", f"{kind.lower()}-{len(self.entries)}")
        if kind not in ("Patient", "Specimen"):
            resource.setdefault("subject", self.patient)
        self.entries.append((full_url(self.seed, f"{kind}/{rid}"), resource))
        return {"reference": f"{kind}/{rid}"}

    def observation(self, code: dict[str, Any], cat: str = "laboratory", **rest: Any
                    ) -> dict[str, Any]:
        return self.put({"resourceType": "Observation", "status": "final",
                         "category": category(cat), "code": code, **rest})

    def coded(self, system: str, code: str, value: dict[str, Any], cat: str = "laboratory"
              ) -> None:
        self.observation(concept(system, code), cat, valueCodeableConcept=value)


def case_bundle(case: Case) -> dict[str, Any]:
    """The case as a FHIR R4 Bundle (collection) of mCODE-style input resources."""
    w = _Writer(case)
    p, t, plan = case.patient, case.tumour, case.treatment
    w.put({"resourceType": "Patient", "id": "patient", "gender": p.sex})
    condition: dict[str, Any] = {
        "resourceType": "Condition", "id": "primary",
        "code": concept(C.SNOMED, "372137005", "Primary malignant neoplasm of breast"),
        "onsetAge": {**quantity(p.age_years, "a")}}
    if case.case_id:
        condition["identifier"] = [{"system": C.AXILLA + "/case-id", "value": case.case_id}]
    histology = (C.SNOMED, "399935008", "DCIS") if t.primary == "dcis" else _HISTOLOGY.get(
        case.histology or "")
    if histology:
        condition["extension"] = [{"url": C.HISTOLOGY_EXT,
                                   "valueCodeableConcept": concept(*histology)}]
    w.put(condition)
    if p.menopausal_status:
        code = {v: k for k, v in C.MENOPAUSE.items()}.get(p.menopausal_status)
        w.coded(C.SNOMED, C.MENOPAUSE_OBS, concept(C.SNOMED, code) if code else
                {"text": "perimenopausal"}, "exam")
    if p.current_smoker is not None:
        w.coded(C.LOINC, C.SMOKING_OBS, concept(C.SNOMED, C.SMOKES_DAILY) if p.current_smoker
                else axilla_concept("not-current-smoker", "not a current smoker"),
                "social-history")
    specimen = w.put({"resourceType": "Specimen", "id": "breast-specimen",
                      "subject": w.patient, "type": {"text": "breast excision"}})
    for size in t.invasive_sizes_mm:
        w.observation(concept(C.LOINC, C.TUMOR_SIZE), specimen=specimen, focus=[w.condition],
                      component=[{"code": concept(C.LOINC, C.LONGEST_DIMENSION),
                                  "valueQuantity": quantity(size, "mm")}])
    if t.grade:
        w.coded(C.SNOMED, "372276001", concept(C.SNOMED, _GRADE[t.grade]))
    for name, code in (("er", "85337-4"), ("pr", "85339-0"), ("her2", "48676-1")):
        status = getattr(t, name)
        if status:
            w.coded(C.LOINC, code, concept(C.LOINC, _STATUS[status], status))
    for value, code in ((t.er_percent, "85329-1"), (t.pr_percent, "85325-9"),
                        (t.ki67_percent, "85330-9")):
        if value is not None:
            w.observation(concept(C.LOINC, code), valueQuantity=quantity(value, "%"))
    if t.oncotype_rs is not None:
        w.observation(concept("http://www.ncbi.nlm.nih.gov/gtr", C.ONCOTYPE),
                      valueQuantity={"value": t.oncotype_rs})
    _staging_inputs(w, case)
    _nodes(w, case)
    _treatment(w, case, plan)
    return bundle(w.entries)


def _staging_inputs(w: _Writer, case: Case) -> None:
    method = concept(C.SNOMED, "897275008", "AJCC 8th edition")
    w.observation(concept(C.SNOMED, "399387003"), "exam", method=method, focus=[w.condition],
                  valueCodeableConcept=concept(C.SNOMED, C.M_SNOMED[case.m], case.m))
    if case.clinical_t:
        w.observation(concept(C.SNOMED, "399504009"), "exam", method=method,
                      focus=[w.condition], valueCodeableConcept=concept(
                          C.SNOMED, C.T_SNOMED[case.clinical_t][0], f"c{case.clinical_t}"))
    if case.clinical_n:
        w.observation(concept(C.SNOMED, "399534004"), "exam", method=method,
                      focus=[w.condition], valueCodeableConcept=concept(
                          C.SNOMED, C.CN_SNOMED[case.clinical_n], f"c{case.clinical_n}"))
    if case.screen_detected is not None:
        w.put({"resourceType": "Procedure", "status": "completed",
               "code": concept(C.SNOMED, "241055006" if not case.screen_detected else "71651007"),
               **({"reasonCode": [concept(C.SNOMED, C.SCREENING_INTENT)]}
                  if case.screen_detected else {})})


def _nodes(w: _Writer, case: Case) -> None:
    kind = case.procedure.kind
    if kind != "none":
        w.put({"resourceType": "Procedure", "status": "completed", "code": concept(
            C.SNOMED, "396487001" if kind == "sentinel" else "79544006", kind)})
    if case.procedure.nodes_removed is not None:
        w.observation(concept(C.LOINC, "92833-3"),
                      valueQuantity={"value": case.procedure.nodes_removed,
                                     "system": C.UCUM, "code": "{count}"})
    for i, n in enumerate(case.nodes):
        site = _SITE_CODE.get(n.site)
        specimen = w.put({"resourceType": "Specimen", "id": f"node-{i + 1}",
                          "subject": w.patient, "identifier": [{"value": f"node {i + 1}"}],
                          "collection": {"bodySite": concept(C.SNOMED, site, n.site)
                                         if site else {"text": n.site}}})
        comps = [_comp("found-by", axilla_concept(n.found_by)),
                 _comp("detection-method", axilla_concept(_METHOD[n.method])),
                 {"code": axilla_concept("sentinel"), "valueBoolean": n.found_by == "sentinel"},
                 {"code": axilla_concept("clinically-detected"),
                  "valueBoolean": n.clinically_detected},
                 {"code": concept(C.LOINC, "85350-7"), "valueCodeableConcept": concept(
                     C.SNOMED, "52101004" if n.extranodal_extension else "2667000")}]
        if n.tumour_present is not None:
            comps.append({"code": axilla_concept("tumour-present"),
                          "valueBoolean": n.tumour_present})
        if n.cells_per_section is not None:
            comps.append({"code": axilla_concept("max-cells-one-section"),
                          "valueQuantity": {"value": n.cells_per_section, "system": C.UCUM,
                                            "code": "{cells}"}})
        if n.intranodal_deposit_mm is not None:
            comps.append({"code": axilla_concept("intranodal-deposit"),
                          "valueQuantity": quantity(n.intranodal_deposit_mm, "mm")})
        extra: dict[str, Any] = {"specimen": specimen, "focus": [w.condition],
                                 "component": comps}
        if n.deposit_mm is not None:
            extra["valueQuantity"] = quantity(n.deposit_mm, "mm")
        w.observation(concept(C.LOINC, C.NODE_DEPOSIT), **extra)


def _comp(code: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"code": axilla_concept(code), "valueCodeableConcept": value}


def _treatment(w: _Writer, case: Case, plan: Any) -> None:
    surgery = {"bcs": "64368001", "mastectomy": "172043006"}.get(plan.breast_surgery or "")
    if surgery:
        w.put({"resourceType": "Procedure", "status": "completed",
               "code": concept(C.SNOMED, surgery, plan.breast_surgery)})
    if plan.radiotherapy:
        w.put({"resourceType": "Procedure", "status": "completed",
               "code": concept(C.SNOMED, "1217123003", "Radiotherapy course of treatment")})
    if plan.mean_heart_dose_gy is not None:
        w.observation(axilla_concept(C.MEAN_HEART_DOSE, "Mean heart dose (Gy)"), "therapy",
                      valueQuantity=quantity(plan.mean_heart_dose_gy, "Gy"))
    drugs = list(_DRUGS.get(plan.chemotherapy, ()))
    drugs += ["tamoxifen"] * plan.endocrine_therapy + ["trastuzumab"] * plan.trastuzumab
    drugs += ["zoledronic acid"] * plan.bisphosphonates
    for drug in drugs:
        w.put({"resourceType": "MedicationStatement", "status": "active",
               "medicationCodeableConcept": {"text": drug}})
