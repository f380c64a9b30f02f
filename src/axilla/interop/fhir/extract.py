"""Read case facts out of FHIR resources, classifying each resource by its code (never by
``meta.profile``). Each fact is a candidate with its source; read.py chooses between them.

Source: spec fhir.md section 2 (import map) and section 5 (pitfalls seen in real files).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)
from axilla.interop.fhir.bundle import BundleIndex, Resource, key
from axilla.interop.fhir.elements import code_in, codings, rank, text_of, when
from axilla.interop.fhir.observations import read_observation
from axilla.interop.fhir.report import Conflict, Conversion


@dataclass
class Candidate:
    """One reading of a fact, with where it came from and how much to trust it."""

    field: str
    value: Any
    source: str
    path: str
    rank: int = 2
    when: str = ""
    note: str | None = None












class Extractor:
    """Walk the resources of one patient and collect candidates for every case fact."""

    def __init__(self, index: BundleIndex):
        self.index = index
        self.report = index.report
        self.cands: list[Candidate] = []
        self.primary: Resource | None = None
        self.nodes: list[tuple[Resource, dict[str, Any]]] = []
        self.drugs: dict[str, list[tuple[str, Resource]]] = {}

    def add(self, field: str, value: Any, res: Mapping[str, Any], path: str,
            note: str | None = None) -> None:
        r = rank(res)
        if r is not None and value is not None:
            self.cands.append(Candidate(field, value, key(res), path, r, when(res), note))

    def run(self) -> list[Candidate]:
        ix = self.index
        if ix.patient is not None:
            self._safely(self.patient, ix.patient)
        for res in ix.of_type("Condition"):
            self._safely(self.condition, res)
        steps = (("Observation",), self.observation), (("Procedure",), self.procedure), (
            ("MedicationRequest", "MedicationStatement", "MedicationAdministration"),
            self.medication)
        for types, handler in steps:
            for res in ix.of_type(*types):
                if rank(res) is not None:
                    self._safely(handler, res)
        self.add_drugs()
        return self.cands

    def _safely(self, handler: Callable[[Resource], None], res: Resource) -> None:
        """Read one resource; a malformed one is set aside as a conflict, never a crash."""
        kept = len(self.cands)
        try:
            handler(res)
        except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
            del self.cands[kept:]
            self.report.conflicts.append(Conflict(
                kind="unreadable", sources=[key(res)],
                message=f"{key(res)} is malformed ({type(exc).__name__}: {exc}); not read"))

    # --- patient and conditions -------------------------------------------------------------
    def patient(self, p: Resource) -> None:
        if p.get("gender") in ("female", "male", "other", "unknown"):
            self.add("sex", p["gender"], p, "gender")
        for ext in p.get("extension") or []:
            if ext.get("url") == C.BIRTHSEX_EXT and ext.get("valueCode") in ("F", "M"):
                self.add("birth_sex", {"F": "female", "M": "male"}[ext["valueCode"]], p,
                         "extension(us-core-birthsex)")
        if isinstance(p.get("birthDate"), str):
            self.add("birth_date", p["birthDate"], p, "birthDate")

    def condition(self, res: Resource) -> None:
        code = res.get("code")
        menopause = code_in(code, C.MENOPAUSE)
        if menopause:
            self.add("menopausal_status", C.MENOPAUSE[menopause], res, "code")
        disorder = code_in(code, C.RECEPTOR_DISORDERS)
        if disorder:
            marker, status = C.RECEPTOR_DISORDERS[disorder]
            self.add(marker, status, res, "code")
        if self._is_breast_primary(res):
            self.primary_condition(res)
        elif code_in(code, C.REGIONAL_SECONDARY):
            self.add("regional_secondary", text_of(code) or "axillary nodes", res, "code")
        elif code_in(code, C.DISTANT_SECONDARY):
            self.add("distant_secondary", text_of(code) or "distant secondary", res, "code")
        elif self._is_secondary(res):
            self.report.warnings.append(f"{key(res)}: secondary cancer read from its text "
                                        f"{text_of(code)!r} (code not known)")
            self.add("distant_secondary", text_of(code), res, "code.text")

    def _is_breast_primary(self, res: Resource) -> bool:
        code = res.get("code")
        if code_in(code, C.BREAST_PRIMARY):
            return True
        if any(s in C.ICD10 and c.upper().startswith("C50") for s, c, _ in codings(code)):
            return True
        return bool(code_in(code, C.GENERIC_MALIGNANT)
                    and any(code_in(b, C.BREAST_SITES) for b in res.get("bodySite") or []))

    @staticmethod
    def _is_secondary(res: Resource) -> bool:
        words = text_of(res.get("code")).lower()
        return ("secondary" in words or "metasta" in words) and "axilla" not in words

    def primary_condition(self, res: Resource) -> None:
        if self.primary is not None:
            self.report.warnings.append(f"more than one breast primary Condition; "
                                        f"{key(self.primary)} is used, {key(res)} is not")
            return
        self.primary = res
        code = res.get("code")
        self.add("primary_condition", text_of(code) or "breast cancer", res, "code")
        for ident in res.get("identifier") or []:
            if ident.get("system") == C.AXILLA + "/case-id":
                self.add("case_id", ident.get("value"), res, "identifier")
        if code_in(code, C.FEMALE_BREAST):
            self.add("female_breast_code", code_in(code, C.FEMALE_BREAST), res, "code")
        if isinstance(res.get("onsetAge"), dict) and res["onsetAge"].get("value") is not None:
            self.add("onset_age", float(res["onsetAge"]["value"]), res, "onsetAge")
        for ext in res.get("extension") or []:
            if ext.get("url") == C.ASSERTED_DATE_EXT and ext.get("valueDateTime"):
                self.add("asserted_date", ext["valueDateTime"], res, "extension(assertedDate)")
            if ext.get("url") == C.HISTOLOGY_EXT:
                self.histology(ext.get("valueCodeableConcept"), res, "extension(histology)")
        for name in ("onsetDateTime", "recordedDate"):
            if isinstance(res.get(name), str):
                self.add(f"condition_{name}", res[name], res, name)
        period = res.get("onsetPeriod")
        if isinstance(period, dict) and period.get("start"):
            self.add("condition_onsetDateTime", period["start"], res, "onsetPeriod.start")
        if code_in(code, "408643008"):
            self.histology(code, res, "code")
        self.laterality(res, res.get("bodySite") or [], "bodySite")
        lat = code_in(code, C.CONDITION_LATERALITY)
        if lat:
            self.add("laterality", C.CONDITION_LATERALITY[lat], res, "code")
        self.laterality(res, [code], "code")
        for i, stage in enumerate(res.get("stage") or []):
            label = self.stage_value(stage.get("summary"))
            if label:
                self.add("stage_summary", label, res, f"stage[{i}].summary")
            for ref in stage.get("assessment") or []:
                if self.index.resolve(ref) is None:
                    self.report.warnings.append(
                        f"{key(res)} stage[{i}].assessment {ref.get('reference')} is not in "
                        "the bundle")

    def laterality(self, res: Resource, sites: list[Any], path: str,
                   field: str = "laterality") -> None:
        for site in sites:
            for system, code, _ in codings(site):
                if system in C.ICD10 and re.fullmatch(r"C50\.\d\d1", code.upper()):
                    self.add(field, "right", res, f"{path} (ICD-10-CM)")
            for ext in (site.get("extension") or []) if isinstance(site, dict) else []:
                if ext.get("url") == C.LATERALITY_EXT:
                    c = code_in(ext.get("valueCodeableConcept"), C.LATERALITY)
                    if c:
                        self.add(field, C.LATERALITY[c], res, f"{path}.extension")
            c = code_in(site, C.BREAST_SITES)
            if c and C.BREAST_SITES[c]:
                self.add(field, C.BREAST_SITES[c], res, path)

    def histology(self, cc: Any, res: Resource, path: str) -> None:
        label = text_of(cc) or "histology"
        if code_in(cc, C.HISTOLOGY_DCIS):
            self.add("primary_kind", "dcis", res, path, label)
        elif code_in(cc, C.HISTOLOGY_LCIS):
            self.add("primary_kind", "lcis", res, path, label)
        kind = ("nst" if code_in(cc, C.HISTOLOGY_NST) else
                "lobular" if code_in(cc, C.HISTOLOGY_LOBULAR) else None)
        self.add("histology", kind, res, path, label)
        if kind is None:
            self.add("histology_text", label, res, path)

    # --- observations -------------------------------------------------------------------------
    def observation(self, res: Resource) -> None:
        read_observation(self, res)

    def stage_value(self, cc: Any) -> str | None:
        for s, c, _ in codings(cc):
            label = C.snomed_lookup(C.STAGE_SNOMED, c) if s == C.SNOMED else None
            if s == C.AJCC:
                label = C.ajcc_stage_label(c)
            if s == C.SNOMED and c in C.LEGACY_TNM and C.LEGACY_TNM[c].startswith(("I", "V")):
                label = C.LEGACY_TNM[c]
            if label:
                return label
        text = text_of(cc).strip().upper().removeprefix("STAGE ").strip()
        return C.ajcc_stage_label(text) if text else None

    def convert_mm(self, q: Any, res: Resource, field: str, path: str) -> float | None:
        """A length in mm from a UCUM mm/cm Quantity; a conversion is reported."""
        if not isinstance(q, dict) or not isinstance(q.get("value"), int | float):
            return None
        unit = q.get("code") or q.get("unit")
        factor = C.SIZE_UNIT_MM.get(str(unit)) or C.SIZE_UNIT_MM.get(
            {"centimeters": "cm", "millimeters": "mm"}.get(str(unit), ""))
        if factor is None:
            self.report.warnings.append(f"{key(res)} {path}: unit {unit!r} is not mm or cm; "
                                        "ignored")
            return None
        mm = round(float(q["value"]) * factor, 6)
        if factor != 1.0:
            self.report.conversions.append(Conversion(
                field=field, source=key(res), original=f"{q['value']} {unit}",
                converted=f"{mm:g} mm"))
        return mm

    # --- procedures and medication ------------------------------------------------------------
    def procedure(self, res: Resource) -> None:
        code = res.get("code")
        if res.get("status") not in (None, "completed", "in-progress"):
            return
        sites = res.get("bodySite") or []
        if code_in(code, C.SLNB):
            self.add("slnb_done", True, res, "code")
        elif code_in(code, C.ANC):
            self.add("anc_done", True, res, "code")
        elif code_in(code, C.BCS):
            self.add("breast_surgery", "bcs", res, "code")
            self.add("surgery_date", when(res) or None, res, "performed[x]")
        elif code_in(code, C.MASTECTOMY):
            self.add("breast_surgery", "mastectomy", res, "code")
            self.add("surgery_date", when(res) or None, res, "performed[x]")
        elif code_in(code, C.RADIOTHERAPY):
            self.add("radiotherapy", True, res, "code")
            self.laterality(res, [*(res.get("reasonCode") or []), *sites], "reasonCode/bodySite",
                            "radiotherapy_laterality")
            return
        elif code_in(code, C.MAMMOGRAPHY):
            reasons = res.get("reasonCode") or []
            if code_in(code, C.SYMPTOMATIC_MAMMOGRAM) or any(
                    code_in(r, C.SYMPTOMATIC_MAMMOGRAM) for r in reasons):
                self.add("screen_detected", False, res, "code")
            elif any(code_in(r, C.SCREENING_INTENT) for r in reasons):
                self.add("screen_detected", True, res, "reasonCode")
            return
        else:
            return
        self.laterality(res, sites, "bodySite")

    def medication(self, res: Resource) -> None:
        cc = res.get("medicationCodeableConcept")
        if cc is None and isinstance(res.get("medicationReference"), dict):
            med = self.index.resolve(res["medicationReference"])
            cc = med.get("code") if med else None
        words = " ".join([text_of(cc)] + [d for _, _, d in codings(cc)]).lower()
        words += " " + " ".join(C.RXNORM_INGREDIENTS.get(c, "") for _, c, _ in codings(cc))
        planned = res.get("intent") in ("proposal", "plan")
        for drug_class, names in C.DRUGS.items():
            hit = next((n for n in names if n in words), None)
            if hit:
                field = f"{'planned_' if planned else ''}drug_{drug_class}"
                self.drugs.setdefault(field, []).append((hit, res))

    def add_drugs(self) -> None:
        """One fact per drug class: the drugs found and their sources; the first date."""
        dated: list[tuple[str, Resource]] = []
        for field, found in self.drugs.items():
            names = sorted({name for name, _ in found})
            self.add(field, names, found[0][1], "medication[x]",
                     "from " + ", ".join(sorted({key(r) for _, r in found})))
            dated += [(when(r), r) for _, r in found if when(r) and not field.startswith("p")]
        if dated:
            first, res = min(dated, key=lambda d: d[0])
            self.add("systemic_date", first, res, "date")
