"""FHIR R4 / mCODE Bundle -> axilla Case plus an import report.

Source: spec fhir.md sections 1-2 and 5. The reader is tolerant (any container, every encoding
real senders use) but never guesses silently: each fact names its source, disagreement is a
conflict, and a conflict marks the case as needing review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from axilla.case.assessment import Case, parse_case
from axilla.errors import InputError
from axilla.interop.fhir.bundle import BundleIndex
from axilla.interop.fhir.elements import date_range
from axilla.interop.fhir.extract import Candidate, Extractor
from axilla.interop.fhir.nodes import node_findings
from axilla.interop.fhir.report import Conflict, FoundFact, ImportReport, MissingFact
from axilla.staging.tnm import t_category_from_size, t_group

#: Facts whose sources must agree (a disagreement is a conflict).
_MUST_AGREE = ("sex", "laterality", "er", "pr", "her2", "grade", "menopausal_status",
               "ct", "cn", "pt", "pn", "m", "stage_c", "stage_p", "size_mm_invasive",
               "size_mm_pathology", "breast_surgery")
_REPORTED_MISSING = ("age_years", "diagnosis_date", "sex", "size_mm", "grade", "er", "pr",
                     "her2", "ki67_percent", "menopausal_status", "axillary_procedure")


@dataclass
class FhirImport:
    """A case read from FHIR: the case (None when it cannot be built), the facts it was built
    from, the report, and the FHIR source of each case field (for the export)."""

    case: Case | None
    case_data: dict[str, Any]
    report: ImportReport
    sources: dict[str, list[str]] = field(default_factory=dict)
    patient_reference: str | None = None
    condition_reference: str | None = None


def _choose(cands: list[Candidate], report: ImportReport) -> dict[str, Candidate]:
    by: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        by[c.field].append(c)
    chosen: dict[str, Candidate] = {}
    for name, group in by.items():
        best = max(group, key=lambda c: (c.rank, c.when))
        chosen[name] = best
        values = {str(c.value) for c in group}
        if name in _MUST_AGREE and len(values) > 1:
            report.conflicts.append(Conflict(
                kind="laterality" if name == "laterality" else "disagreement",
                sources=sorted({c.source for c in group}),
                message=f"{name}: " + "; ".join(f"{c.value} in {c.source} {c.path}"
                                                for c in group) + f"; {best.value} is used"))
    return chosen


def _age(facts: dict[str, Candidate], report: ImportReport) -> tuple[float | None, str | None]:
    """Age at diagnosis in completed years (never from today's date), and the date used."""
    dx = next((facts[k] for k in ("condition_onsetDateTime", "asserted_date",
                                  "condition_recordedDate") if k in facts), None)
    if "onset_age" in facts:
        return facts["onset_age"].value, dx.value if dx else None
    if dx is None:
        report.missing.append(MissingFact(field="diagnosis_date", reason="not in bundle (no "
                              "onset, asserted or recorded date): age at diagnosis unknown"))
        return None, None
    birth = facts.get("birth_date")
    if birth is None:
        return None, dx.value
    born, diagnosed = date_range(birth.value), date_range(dx.value)
    if born is None or diagnosed is None:
        bad = birth if born is None else dx
        report.warnings.append(f"{bad.source} {bad.path} {bad.value!r} is not a valid date")
        report.missing.append(MissingFact(field="age_years", reason="a date is not valid"))
        return None, dx.value

    def years(b: date, d: date) -> int:
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))

    youngest, oldest = years(born[1], diagnosed[0]), years(born[0], diagnosed[1])
    if youngest != oldest:
        report.warnings.append(f"birth date {birth.value} and diagnosis date {dx.value} are "
                               f"partial: age at diagnosis {youngest} to {oldest}; "
                               f"{youngest} is used")
    return float(youngest), dx.value


def read_bundle(data: Any) -> FhirImport:
    """Read one patient's case from a FHIR Bundle, a resource or a list of resources."""
    report = ImportReport()
    index = BundleIndex(data, report)
    ex = Extractor(index)
    facts = _choose(ex.run(), report)
    found = report.found.append
    for c in sorted(facts.values(), key=lambda c: c.field):
        found(FoundFact(field=c.field, value=c.value, source=c.source, path=c.path, note=c.note))
    age, dx = _age(facts, report)
    origin = facts.get("onset_age") or facts.get("birth_date")
    if age is not None and origin is not None:
        found(FoundFact(field="age_years", value=age, source=origin.source,
                        path="birthDate / onset", note=f"at diagnosis {dx}" if dx else None))
    value = {k: c.value for k, c in facts.items()}
    _checks(value, facts, report)
    data_out, missing = _case_mapping(value, age, ex, report)
    for name in _REPORTED_MISSING:
        if name in missing and not any(m.field == name for m in report.missing):
            report.missing.append(MissingFact(field=name))
    node_meta = [(n.pop("_category", None), n.pop("_source", None))
                 for n in data_out["nodes"]]
    case = None
    try:
        case = parse_case(data_out) if not report.not_assessable else None
    except InputError as exc:
        report.not_assessable += [str(p) for p in exc.problems]
    if case is None:
        report.not_assessable += [w for w in report.warnings if w.startswith("metastatic")]
    if case is not None:
        _check_staging(case, value, facts, report, node_meta)
    sources: dict[str, list[str]] = defaultdict(list)
    for c in facts.values():
        sources[c.field].append(c.source)
    for node_res, _ in ex.nodes:
        sources["nodes"].append(f"Observation/{node_res.get('id')}")
    return FhirImport(case=case, case_data=data_out, report=report, sources=dict(sources),
                      patient_reference=report.patient,
                      condition_reference=(f"Condition/{ex.primary['id']}"
                                           if ex.primary and ex.primary.get("id") else None))


def _checks(v: dict[str, Any], facts: dict[str, Candidate], report: ImportReport) -> None:
    if "birth_sex" in v and "sex" in v and v["birth_sex"] != v["sex"]:
        report.conflicts.append(Conflict(kind="sex", sources=[facts["sex"].source],
                                message=f"gender {v['sex']} but birth sex {v['birth_sex']}"))
    if v.get("sex") == "male" and "female_breast_code" in v:
        report.conflicts.append(Conflict(
            kind="sex", sources=[facts["female_breast_code"].source, facts["sex"].source],
            message="a male patient with a 'female breast' diagnosis code"))
    cancer, rt = v.get("laterality"), v.get("radiotherapy_laterality")
    if cancer and rt and cancer != rt:
        report.conflicts.append(Conflict(
            kind="laterality", sources=[facts["laterality"].source,
                                        facts["radiotherapy_laterality"].source],
            message=f"the cancer is {cancer} but the radiotherapy names the {rt} side"))
    summary = v.get("stage_summary")
    groups = {v[k] for k in ("stage_c", "stage_p") if k in v}
    if summary and groups and summary not in groups:
        report.conflicts.append(Conflict(
            kind="stage-summary", sources=[facts["stage_summary"].source] + [
                facts[k].source for k in ("stage_c", "stage_p") if k in facts],
            message=f"Condition.stage.summary {summary} but the stage-group Observation says "
                    f"{', '.join(sorted(groups))}; the Observation is used"))
    size = v.get("size_mm_invasive") or v.get("size_mm_pathology") or v.get("size_mm_clinical")
    t = v.get("pt") or v.get("ct")
    if size and t and t_group(t) in ("T1", "T2", "T3"):
        derived = str(t_category_from_size([size])[0])
        if not (derived == t or (t in ("T1", "T2", "T3") and t_group(derived) == t)):
            src = facts["pt" if "pt" in v else "ct"].source
            report.conflicts.append(Conflict(
                kind="size-vs-t", sources=[src],
                message=f"recorded {t} but the measured size {size:g} mm is {derived}"))
    if "size_mm_lesion" in v and "size_mm_invasive" in v:
        report.warnings.append(f"whole-lesion size {v['size_mm_lesion']:g} mm next to the "
                               f"invasive size {v['size_mm_invasive']:g} mm: the invasive "
                               "size is used for staging")


def _case_mapping(v: dict[str, Any], age: float | None, ex: Extractor, report: ImportReport
                  ) -> tuple[dict[str, Any], set[str]]:
    missing: set[str] = set()
    distant = v.get("distant_secondary")
    m = v.get("m") or ("cM1" if distant or v.get("stage_c") == "IV" or v.get("stage_p") == "IV"
                       else None)
    if m in (None, "cM0") and distant:
        report.conflicts.append(Conflict(kind="disagreement", sources=[],
                                         message=f"M0 recorded but a distant secondary: {distant}"))
        m = "cM1"
    if m in ("cM1", "pM1"):
        why = [f"stage {st}" for st in (v.get("stage_c"), v.get("stage_p")) if st == "IV"]
        why += [f"distant secondary: {distant}"] if distant else []
        why += [f"{m} recorded"] if v.get("m") else []
        report.warnings.append(f"metastatic disease ({'; '.join(why)}): PREDICT and the "
                               "adjuvant guidance path do not apply")
    if ex.primary is None:
        report.not_assessable.append("no primary breast cancer Condition in the bundle")
    if age is None:
        missing.add("age_years")
        report.not_assessable.append("patient.age_years: age at diagnosis unknown (no valid "
                                     "birth and diagnosis dates, nor an onset age, in the "
                                     "bundle)")
    kind = v.get("primary_kind", "invasive")
    if kind == "lcis":
        report.warnings.append("lobular carcinoma in situ is not staged (AJCC 8th)")
        kind = "none"
    sizes = [s for s in (v.get("size_mm_invasive") or v.get("size_mm_pathology")
                         or v.get("size_mm_clinical") or v.get("size_mm_lesion"),) if s]
    if not sizes:
        missing.add("size_mm")
        if kind == "invasive":
            report.not_assessable.append("tumour.invasive_sizes_mm: no invasive tumour size "
                                         "in the bundle")
    if v.get("sex") not in ("female", "male"):
        report.not_assessable.append(f"patient.sex: {v.get('sex') or 'not in bundle'} "
                                     "(Patient.gender female or male is needed)")
    for name in ("sex", "grade", "er", "pr", "her2", "menopausal_status"):
        if name not in v:
            missing.add(name)
    if "ki67_percent" not in v:
        missing.add("ki67_percent")
    nodes, procedure, level = node_findings(v, ex, report)
    report.node_level = level
    if procedure["kind"] == "none" and not (v.get("slnb_done") or v.get("anc_done")):
        missing.add("axillary_procedure")
    plan = _treatment(v)
    data: dict[str, Any] = {
        "patient": {k: x for k, x in {
            "age_years": age, "sex": v.get("sex") if v.get("sex") in ("female", "male") else None,
            "menopausal_status": v.get("menopausal_status"),
            "current_smoker": v.get("current_smoker")}.items() if x is not None},
        "tumour": {k: x for k, x in {
            "primary": kind, "invasive_sizes_mm": tuple(sizes) if kind == "invasive" else (),
            "grade": v.get("grade"), "er": v.get("er"), "pr": v.get("pr"),
            "her2": v.get("her2"), "er_percent": v.get("er_percent"),
            "pr_percent": v.get("pr_percent"), "ki67_percent": v.get("ki67_percent"),
            "oncotype_rs": v.get("oncotype_rs") if kind == "invasive" else None}.items()
            if x is not None},
        "nodes": nodes, "procedure": procedure, "m": m or "cM0",
        "neoadjuvant": bool(v.get("neoadjuvant")) or _neoadjuvant(v, report),
        "treatment": plan,
    }
    for name, key in (("ct", "clinical_t"), ("cn", "clinical_n")):
        if name in v:
            data[key] = v[name]
    if v.get("case_id"):
        data["case_id"] = v["case_id"]
    if v.get("screen_detected") is not None:
        data["screen_detected"] = v["screen_detected"]
    if v.get("histology"):
        data["histology"] = v["histology"]
    return data, missing


def _neoadjuvant(v: dict[str, Any], report: ImportReport) -> bool:
    surgery, systemic = v.get("surgery_date"), v.get("systemic_date")
    if surgery and systemic and str(systemic)[:10] < str(surgery)[:10]:
        report.warnings.append(f"systemic therapy ({systemic}) before breast surgery "
                               f"({surgery}): read as neoadjuvant")
        return True
    return False


def _treatment(v: dict[str, Any]) -> dict[str, Any]:
    chemo = ("third_generation" if "drug_taxane" in v else
             "second_generation" if "drug_anthracycline" in v else "none")
    return {k: x for k, x in {
        "breast_surgery": v.get("breast_surgery"), "chemotherapy": chemo,
        "endocrine_therapy": "drug_endocrine" in v, "trastuzumab": "drug_anti_her2" in v,
        "bisphosphonates": "drug_bisphosphonate" in v,
        "radiotherapy": bool(v.get("radiotherapy")),
        "mean_heart_dose_gy": v.get("mean_heart_dose_gy")}.items() if x is not None}


_CATEGORY_WORD = {"neg": "negative", "itc": "itc", "micro": "micrometastasis",
                  "macro": "macrometastasis"}


def _check_staging(case: Case, v: dict[str, Any], facts: dict[str, Candidate],
                   report: ImportReport, node_meta: list[tuple[str | None, str | None]]
                   ) -> None:
    """Compare recorded node categories, pT and pN with what axilla derives from the facts."""
    from axilla.staging import stage

    result = stage(case.staging_case())
    for (recorded, source), node in zip(node_meta, result.nodes, strict=True):
        derived = _CATEGORY_WORD.get(node.category)
        if recorded and derived and recorded != derived:
            report.conflicts.append(Conflict(
                kind="node-category", sources=[source or ""],
                message=f"{source} says {recorded} but its deposit and cell count make it "
                        f"{derived}"))
    for name, derived in (("pn", result.pN.category), ("pt", result.pT.category)):
        recorded = v.get(name)
        if (recorded and derived not in ("NX", "TX", recorded)
                and recorded not in (t_group(derived), derived[:2])):
            report.conflicts.append(Conflict(
                kind=f"{name}-vs-findings", sources=[facts[name].source],
                message=f"recorded p{recorded} but the imported findings give p{derived}"))
