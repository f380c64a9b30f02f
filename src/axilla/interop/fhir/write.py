"""An axilla Assessment -> a FHIR R4 Bundle: Device, Provenance, mCODE staging Observations,
PREDICT RiskAssessments (one per treatment scenario), GuidanceResponse + RequestGroup.

Source: spec fhir.md section 3. The only module that reads the Assessment's shape: the exporter
copies numbers, never computes them. Resources are validated with fhir.resources (R4B models,
R4 elements only; see resources.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from axilla.assess import Assessment
from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)
from axilla.interop.fhir.report import ImportReport
from axilla.interop.fhir.resources import (
    axilla_concept,
    bundle,
    category,
    concept,
    full_url,
    quantity,
)
from axilla.models.predict.results import REPORT_YEARS

_MCODE = C.MCODE_SD
_OUTCOMES = (("overall-survival", "Alive at the horizon", "overall_survival_pct"),
             ("breast-cancer-death", "Death from breast cancer", "breast_cancer_mortality_pct"),
             ("other-cause-death", "Death from other causes", "other_cause_mortality_pct"))
_IMPUTED = {"grade": 9.0, "her2": 9.0, "ki67": 9.0, "screen": 2.0, "pr": 9.0}


class _Out:
    def __init__(self, a: Assessment, subject: dict[str, Any], focus: dict[str, Any] | None,
                 when: str, sources: Mapping[str, Sequence[str]]):
        self.a, self.subject, self.focus, self.when = a, subject, focus, when
        self.sources = sources
        self.seed = a.provenance.input_sha256
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self.device = self.ref("Device", "axilla")

    def ref(self, kind: str, name: str) -> dict[str, Any]:
        return {"reference": full_url(self.seed, f"{kind}/{name}")}

    def put(self, name: str, resource: dict[str, Any]) -> dict[str, Any]:
        ref = self.ref(resource["resourceType"], name)
        self.entries.append((ref["reference"], resource))
        return ref


def assessment_bundle(a: Assessment, *, patient_reference: str | None = None,
                      condition_reference: str | None = None,
                      sources: Mapping[str, Sequence[str]] | None = None,
                      report: ImportReport | None = None,
                      recorded: datetime | None = None) -> dict[str, Any]:
    """The assessment as a FHIR R4 Bundle (collection), every resource validated."""
    when = (recorded or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    subject = ({"reference": patient_reference} if patient_reference
               else {"display": f"case {a.case_id or a.provenance.input_sha256[:12]}"})
    out = _Out(a, subject, {"reference": condition_reference} if condition_reference else None,
               when, sources or {})
    inputs = sorted({s for refs in (sources or {}).values() for s in refs})
    _device(out)
    staging = _staging(out, report)
    risks = _predict(out, inputs)
    _guidance(out, report)
    targets = [{"reference": url} for url, r in out.entries if r["resourceType"] != "Device"]
    out.put("provenance", {
        "resourceType": "Provenance", "target": targets, "recorded": when,
        "agent": [{"type": concept("http://terminology.hl7.org/CodeSystem/"
                                   "provenance-participant-type", "assembler"),
                   "who": out.device}],
        "entity": [{"role": "source", "what": {"reference": s}} for s in inputs]})
    del staging, risks
    return bundle(out.entries, timestamp=when)


def _device(out: _Out) -> None:
    p = out.a.provenance
    versions = [{"value": p.axilla_version},
                {"type": {"text": "staging"}, "value": p.staging_edition},
                {"type": {"text": "guidance rule set"}, "value": p.ruleset_version}]
    if p.predict_version:
        versions.append({"type": {"text": "PREDICT Breast"}, "value": p.predict_version})
    out.put("axilla", {"resourceType": "Device", "deviceName": [
        {"name": "axilla", "type": "model-name"}], "version": versions})


def _obs(out: _Out, name: str, profile: str, code: dict[str, Any], value: dict[str, Any],
         status: str = "final", cat: str = "laboratory", **rest: Any) -> dict[str, Any]:
    method = (concept(C.SNOMED, "897275008", "AJCC Cancer Staging Manual 8th edition")
              if out.a.staging.system == "AJCC8" else concept(C.NCIT, "C188404", "UICC stage"))
    resource = {"resourceType": "Observation", "meta": {"profile": [_MCODE + profile]},
                "status": status, "category": category(cat), "code": code,
                "subject": out.subject, "effectiveDateTime": out.when,
                "valueCodeableConcept": value, "method": method, **rest}
    if out.focus:
        resource["focus"] = [out.focus]
    return out.put(name, resource)


def _derived_from(out: _Out, *fields: str) -> dict[str, Any]:
    refs = sorted({r for f in fields for r in out.sources.get(f, ())})
    return {"derivedFrom": [{"reference": r} for r in refs]} if refs else {}


def _links(refs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"derivedFrom": refs} if refs else {}


def _node_counts(out: _Out) -> list[dict[str, Any]]:
    """Nodes examined and nodes with metastasis (micro + macro, never ITC), spec 2.8 A."""
    s = out.a.staging
    if not s.nodes_examined:
        return []
    refs = []
    for code, name, n in (("92833-3", "Lymph nodes examined", s.nodes_examined),
                          ("92831-7", "Lymph nodes with metastasis", s.positive_nodes)):
        refs.append(out.put(f"count-{code}", {
            "resourceType": "Observation", "status": "final", "category": category("laboratory"),
            "code": concept(C.LOINC, code, name), "subject": out.subject,
            "effectiveDateTime": out.when, "valueQuantity": {
                "value": n, "system": C.UCUM, "code": "{count}"},
            **({"focus": [out.focus]} if out.focus else {}),
            **_derived_from(out, "nodes", "nodes_examined", "nodes_positive",
                            "sentinel_examined", "sentinel_positive")}))
    return refs


def _staging(out: _Out, report: ImportReport | None) -> list[dict[str, Any]]:
    s = out.a.staging
    counts = _node_counts(out)
    t_code = C.T_SNOMED.get(s.pT.category, (None, None))[1 if s.pT.prefix == "p" else 0]
    t = _obs(out, "pT", "mcode-tnm-primary-tumor-category", concept(C.SNOMED, "384625004"),
             concept(C.SNOMED, t_code, s.pT.display) if t_code else {"text": s.pT.display},
             **_derived_from(out, "size_mm_invasive", "size_mm_pathology", "size_mm_clinical"))
    n_key = f"{s.pN.category}{s.pN.modifier}{'(sn)' if s.pN.suffix == '(sn)' else ''}"
    n_code = C.PN_SNOMED.get(n_key) or C.PN_SNOMED.get(f"{s.pN.category}{s.pN.modifier}") \
        or C.PN_SNOMED.get(s.pN.category)
    n = _obs(out, "pN", "mcode-tnm-regional-nodes-category", concept(C.SNOMED, "371494008"),
             concept(C.SNOMED, n_code, s.pN.display) if n_code else {"text": s.pN.display},
             **_links(counts))
    m_assumed = report is not None and report.fact("m") is None and s.M == "cM0"
    m = _obs(out, "M", "mcode-tnm-distant-metastases-category", concept(
        C.SNOMED, "371497001" if s.M.startswith("p") else "399387003"),
        concept(C.SNOMED, C.M_SNOMED.get(s.M), s.M), "preliminary" if m_assumed else "final",
        "laboratory" if s.M.startswith("p") else "exam")
    out_refs = [t, n, m]
    for kind, label, stage in (("anatomic-stage-group", "anatomic", s.anatomic_stage),
                               ("prognostic-stage-group", "pathological prognostic",
                                s.pathological_prognostic_stage)):
        if stage is None:
            continue
        code = concept(C.SNOMED, "399588009", f"Pathological {label} stage group (AJCC 8th)")
        code["coding"].append({"system": C.AXILLA_CODES, "code": kind})
        out_refs.append(_obs(out, kind, "mcode-tnm-stage-group", code,
                             concept(C.SNOMED, C.STAGE_SNOMED.get(stage), stage),
                             "preliminary" if m_assumed else "final", hasMember=[t, n, m]))
    return out_refs


def _predict(out: _Out, inputs: list[str]) -> list[dict[str, Any]]:
    section = out.a.predict
    r = section.result
    if r is None:
        return []
    imputed = [k for k, v in _IMPUTED.items() if r.inputs.get(k) == v]
    status = "preliminary" if imputed else "final"
    model = f"{r.model.name} v{r.model.version} ({r.model.source})"
    refs = []
    scenarios = [(r.surgery_only, None), *zip(r.steps, r.benefits, strict=True)]
    for step, benefit in scenarios:
        words = "Surgery" + "".join(f" + {t}" for t in step.treatments)
        predictions = []
        for code, text, attr in _OUTCOMES:
            for year in REPORT_YEARS:
                p: dict[str, Any] = {
                    "outcome": axilla_concept(code, text),
                    "probabilityDecimal": getattr(step, attr)[year] / 100.0,
                    "whenRange": {"low": quantity(0, "a"), "high": quantity(year, "a")},
                    "rationale": f"{text} {year} years after surgery, {words.lower()}: "
                                 f"{getattr(step, attr)[year]:.1f} % ({r.model.name} "
                                 f"{r.model.version})"}
                if benefit is not None and code == "overall-survival":
                    p["extension"] = [{"url": C.ABSOLUTE_BENEFIT_EXT,
                                       "valueDecimal": benefit.benefit_pp[year] / 100.0}]
                predictions.append(p)
        notes = [{"text": w} for w in r.warnings]
        if imputed:
            notes.append({"text": "Inputs not known, coded as missing for the model: "
                                  + ", ".join(imputed)})
        if benefit is not None and not benefit.chosen:
            notes.append({"text": f"{benefit.treatment} is not in the chosen plan"})
        resource = {
            "resourceType": "RiskAssessment", "status": status,
            "identifier": [{"system": C.AXILLA + "/risk-assessment",
                            "value": f"{out.seed[:16]}#{step.column}"}],
            "method": axilla_concept("predict-breast", model),
            "code": axilla_concept("breast-cancer-survival",
                                   "Estimated survival after breast cancer surgery"),
            "subject": out.subject, "occurrenceDateTime": out.when, "performer": out.device,
            "prediction": predictions, "mitigation": words,
            **({"basis": [{"reference": s} for s in inputs]} if inputs else {}),
            **({"condition": out.focus} if out.focus else {}),
            **({"note": notes} if notes else {})}
        refs.append(out.put(f"predict-{step.column}", resource))
    return refs


def _guidance(out: _Out, report: ImportReport | None) -> None:
    g = out.a.guidance
    patient_words = {e.clinician.split(" ")[0]: e.patient for e in out.a.explanations
                     if e.topic.startswith("guidance:")}
    actions = []
    for rec in g.recommendations:
        doc = {"type": "citation", "label": rec.cite, "display": rec.citation.guideline,
               "citation": f"{rec.strength}: {rec.text}"}
        if rec.citation.url:
            doc["url"] = rec.citation.url
        why = ", ".join(f"{k}={v}" for k, v in sorted(rec.facts.items()))
        # R4 RequestGroup.action has no reason element: the facts that fired the rule
        # follow the clinician sentence.
        action = {"title": f"{rec.id} {rec.topic}",
                  "description": rec.text + (f" (Fired on: {why}.)" if why else ""),
                  "code": [axilla_concept(rec.id)], "documentation": [doc]}
        if rec.id in patient_words:
            action["textEquivalent"] = patient_words[rec.id]
        actions.append({k: v for k, v in action.items() if v})
    group = out.put("request-group", {
        "resourceType": "RequestGroup", "status": "active", "intent": "proposal",
        "subject": out.subject, "authoredOn": out.when, "author": out.device,
        **({"action": actions} if actions else {})})
    issues = [{"severity": "warning", "code": "conflict", "diagnostics": c.message}
              for c in (report.conflicts if report else [])]
    issues += [{"severity": "information", "code": "informational", "diagnostics": w}
               for w in [*(report.warnings if report else []), *out.a.warnings]]
    issues += [{"severity": "information", "code": "incomplete",
                "diagnostics": f"{u.id} ({u.topic}) undecided: needs {', '.join(u.missing)}"}
               for u in g.undecided]
    if not issues:
        issues = [{"severity": "information", "code": "informational",
                   "diagnostics": "no input problems"}]
    outcome = out.put("outcome", {"resourceType": "OperationOutcome", "issue": issues})
    out.put("guidance", {
        "resourceType": "GuidanceResponse",
        "identifier": [{"system": C.AXILLA + "/assessment", "value": out.seed[:16]}],
        "moduleUri": f"{C.AXILLA}/guidance/{g.ruleset_version}",
        "status": "data-required" if g.undecided else "success", "subject": out.subject,
        "occurrenceDateTime": out.when, "performer": out.device,
        "evaluationMessage": [outcome], "result": group,
        **({"dataRequirement": [{"type": "Observation", "mustSupport": list(u.missing)}
                                for u in g.undecided]} if g.undecided else {})})
