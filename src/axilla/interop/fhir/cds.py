"""CDS Hooks: the discovery document and the cards of the ``patient-view`` service.

Source: CDS Hooks 2.0 (HL7), spec fhir.md section 3.6. Every number on a card comes from the
same Assessment the FHIR export writes; cards state uncertainty and never advise the patient.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)
from axilla.interop.fhir.read import FhirImport

SERVICE_ID = "axilla-breast-assessment"
_SUMMARY_MAX = 140
_OBSERVATION_CODES = sorted(
    {f"{C.LOINC}|{c}" for c in (C.ER_STATUS | C.PR_STATUS | C.HER2_STATUS | C.KI67_PERCENT
                               | C.NODES_EXAMINED | C.NODES_POSITIVE | C.SENTINEL_POSITIVE
                               | {C.TUMOR_SIZE, C.INVASIVE_SIZE, C.NODE_DEPOSIT})
     if "-" in c}
    | {f"{C.SNOMED}|{c}" for c, (kind, _) in C.TNM_OBS.items() if "-" not in c})


def discovery() -> dict[str, Any]:
    """The CDS Hooks discovery document (GET /cds-services)."""
    return {"services": [{
        "hook": "patient-view", "id": SERVICE_ID, "title": "axilla breast cancer assessment",
        "description": "Staging (AJCC 8th), PREDICT Breast survival and benefits, and NICE "
                       "NG101 options for a patient with early breast cancer. Decision "
                       "support, not a medical device.",
        "prefetch": {
            "patient": "Patient/{{context.patientId}}",
            "conditions": "Condition?patient={{context.patientId}}",
            "observations": "Observation?patient={{context.patientId}}&code="
                            + ",".join(_OBSERVATION_CODES),
            "procedures": "Procedure?patient={{context.patientId}}",
            "medications": "MedicationRequest?patient={{context.patientId}}",
        }}]}


def prefetch_resources(prefetch: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The resources of every prefetch value (a resource or a searchset Bundle)."""
    out: list[dict[str, Any]] = []
    for value in prefetch.values():
        if isinstance(value, dict) and value.get("resourceType") == "Bundle":
            out += [e["resource"] for e in value.get("entry") or []
                    if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
        elif isinstance(value, dict) and "resourceType" in value:
            out.append(value)
    return out


def _short(text: str) -> str:
    return text if len(text) < _SUMMARY_MAX else text[:_SUMMARY_MAX - 2].rstrip() + "…"


def cards(imported: FhirImport, assessment: Any | None, *, hook_instance: str,
          app_url: str) -> list[dict[str, Any]]:
    """The cards for one patient: review, validity, staging, PREDICT, one per NICE option."""
    out: list[dict[str, Any]] = []
    link = [{"label": "Open axilla for the full explanation", "url": app_url,
             "type": "absolute"}]

    def card(summary: str, indicator: str, detail: str, source: dict[str, Any],
             **rest: Any) -> None:
        uid = uuid.uuid5(uuid.NAMESPACE_URL, f"{hook_instance}/{len(out)}/{summary}")
        out.append({"uuid": str(uid), "summary": _short(summary), "indicator": indicator,
                    "detail": detail, "source": source, **rest})

    report = imported.report
    if report.needs_review:
        card(f"Review the record: {len(report.conflicts)} conflicting entries", "warning",
             "\n".join(f"- {c.message}" for c in report.conflicts), {"label": "axilla"})
    if assessment is None:
        card("axilla not shown: " + "; ".join(report.not_assessable), "warning",
             "\n".join(f"- {r}" for r in report.not_assessable), {"label": "axilla"})
        return out
    s = assessment.staging
    prognostic = (f", prognostic {s.pathological_prognostic_stage or 'not assigned'}"
                  if s.system == "AJCC8" else "")
    card(f"{s.pT.display} {s.pN.display} {s.M} — anatomic {s.anatomic_stage or 'not assigned'}"
         f"{prognostic} ({s.system})", "info", "\n".join(f"- {r}" for r in s.reasons),
         {"label": f"axilla staging ({s.edition})"}, links=link)
    p = assessment.predict
    if p.result is None:
        card("PREDICT not shown: " + "; ".join(p.not_applicable_reasons), "warning",
             "\n".join(f"- {r}" for r in p.not_applicable_reasons), {"label": "axilla"})
    else:
        r = p.result
        chosen = [b for b in r.benefits if b.chosen]
        gains = ", ".join(f"{b.treatment} adds {b.displayed_pp[10]:.1f} %" for b in chosen)
        rows = [f"| {' + '.join(st.treatments) or 'surgery only'} | "
                + " | ".join(f"{st.overall_survival_pct[y]:.1f}" for y in (5, 10, 15)) + " |"
                for st in [r.surgery_only, *r.steps]]
        card(f"PREDICT v{r.model.version}: 10-year survival "
             f"{r.steps[-1].overall_survival_pct[10]:.0f} %" + (f"; {gains}" if gains else ""),
             "info", "Overall survival % (an estimate for people like this patient, not a "
             "certainty)\n\n| Treatments | 5 y | 10 y | 15 y |\n|---|---|---|---|\n"
             + "\n".join(rows) + "".join(f"\n\n{w}" for w in r.warnings),
             {"label": f"{r.model.name} v{r.model.version}"}, links=link)
    for rec in assessment.guidance.recommendations:
        if rec.source_kind != "nice":
            continue
        source: dict[str, Any] = {"label": f"{rec.cite} (axilla rule {rec.id})", "topic": {
            "system": C.AXILLA_CODES, "code": rec.id}}
        if rec.citation.url:
            source["url"] = rec.citation.url
        card(rec.text, "info", f"**{rec.strength}** ({rec.cite}): {rec.text}", source,
             overrideReasons=[{"code": "not-applicable", "system": C.AXILLA_CODES,
                               "display": "Not applicable to this patient"}],
             selectionBehavior="at-most-one")
    return out
