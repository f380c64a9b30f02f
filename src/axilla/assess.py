"""The pipeline: a case (or a batch of cases) -> an assessment.

The only module that knows the order of the engines: staging, then PREDICT (one columnar call
for the whole batch), the indices, the recurrence checklist and event class, the guidance rules
(given the staging and model results as facts), and the explanations. Every figure carries the
model that produced it; every recommendation its rule id and citation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from axilla import __version__
from axilla.case.assessment import (
    CASE_SCHEMA_VERSION,
    PREDICT_KI67_POSITIVE_ABOVE_PCT,
    Case,
    parse_case,
)
from axilla.case.indices import CTS5Inputs, NPIInputs
from axilla.case.predict import validate_predict_columns
from axilla.case.recurrence import RecurrenceRiskInputs
from axilla.errors import InputError
from axilla.explain import (
    explain_cts5,
    explain_node_category,
    explain_npi,
    explain_pn_category,
    explain_predict_survival,
    explain_recommendation_strength,
    explain_recurrence_class,
    explain_stage_group,
    icon_array_svg,
    icon_counts,
    survival_curves_svg,
)
from axilla.guidance import FIELDS, RULESET_VERSION, GuidanceResult, evaluate, validate_facts
from axilla.models.cts5 import cts5_for_case
from axilla.models.npi import npi_for_case
from axilla.models.predict import CURRENT_VERSION, compute, load_version
from axilla.models.predict.results import PredictResult, results
from axilla.recurrence import classify_recurrence, risk_factor_summary
from axilla.staging import StagingResult, predict_nodes, stage

ASSESSMENT_SCHEMA_VERSION = "1.0"
REPORT_YEARS = (5, 10, 15)
_NODE_WORD = {"neg": "negative", "itc": "itc", "micro": "micrometastasis",
              "macro": "macrometastasis"}
_FROZEN = ConfigDict(frozen=True)


class Provenance(BaseModel):
    """What produced an assessment: software, model and rule-set versions, the exact input."""

    model_config = _FROZEN

    axilla_version: str
    assessment_schema_version: str = ASSESSMENT_SCHEMA_VERSION
    case_schema_version: str = CASE_SCHEMA_VERSION
    staging_edition: str
    predict_version: str | None
    predict_source: str | None
    ruleset_version: str
    input_sha256: str


class Explanation(BaseModel):
    """One result in two voices: a clinician's line and a patient's sentence."""

    model_config = _FROZEN

    topic: str
    clinician: str
    patient: str
    glossary_terms: list[str] = Field(default_factory=list)


class PredictSection(BaseModel):
    """PREDICT Breast for this case, or why it was not run."""

    model_config = _FROZEN

    applicable: bool
    not_applicable_reasons: list[str] = Field(default_factory=list)
    inputs: dict[str, float] | None = Field(None, description="As coded for the model")
    result: PredictResult | None = None


class IndexSection(BaseModel):
    """One prognostic index: its result as plain data with provenance, or why not."""

    model_config = _FROZEN

    name: Literal["NPI", "CTS5"]
    applicable: bool
    not_applicable_reasons: list[str] = Field(default_factory=list)
    result: dict[str, Any] | None = None


class RecurrenceSection(BaseModel):
    """The recurrence risk-factor checklist (never a score) and the class of an event."""

    model_config = _FROZEN

    risk_factors: dict[str, Any]
    event: dict[str, Any] | None = None


class Charts(BaseModel):
    """Pictures as standalone SVG documents (no script)."""

    model_config = _FROZEN

    icon_array_year: int | None = None
    icon_array_counts: dict[str, int] | None = Field(
        None, description="Icons out of 100 for each outcome; they sum to exactly 100")
    icon_array_svg: str | None = None
    survival_curves_svg: str | None = None


class Assessment(BaseModel):
    """The whole assessment of one case. JSON schema: docs/assessment.schema.json."""

    model_config = _FROZEN

    schema_version: str = ASSESSMENT_SCHEMA_VERSION
    case_id: str | None
    provenance: Provenance
    staging: StagingResult
    predict: PredictSection
    indices: list[IndexSection]
    guidance: GuidanceResult
    recurrence: RecurrenceSection
    explanations: list[Explanation]
    charts: Charts
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# PREDICT inputs from a staged case


def _status_code(status: str | None) -> float:
    return {"positive": 1.0, "negative": 0.0}.get(status or "", 9.0)


def predict_inputs(case: Case, staging: StagingResult) -> tuple[dict[str, float], list[str],
                                                                 list[str]]:
    """PREDICT's inputs for a case, the reasons it does not apply, and notes on defaults.

    PREDICT is for women after primary surgery for early invasive breast cancer (model papers
    and web tool): it does not apply to in-situ disease, M1, neoadjuvant treatment or men.
    Missing markers take the source's missing codes; nothing is clamped.
    """
    t, p, plan = case.tumour, case.patient, case.treatment
    reasons: list[str] = []
    notes: list[str] = []
    size = case.invasive_size_mm()
    if t.primary != "invasive":
        reasons.append(f"PREDICT is for invasive cancer; the primary is {t.primary}")
    if size is None and t.primary == "invasive":
        reasons.append("PREDICT needs the invasive tumour size in mm")
    if case.m in ("cM1", "pM1"):
        reasons.append("PREDICT is for early breast cancer; M1 disease is outside it")
    if case.neoadjuvant:
        reasons.append("PREDICT estimates adjuvant benefit after primary surgery; it does not "
                       "apply after neoadjuvant therapy")
    if case.recurrence is not None:
        reasons.append("PREDICT estimates outcomes from the diagnosis of a primary cancer; it "
                       "does not apply once a recurrence is recorded")
    if p.sex != "female":
        reasons.append("PREDICT was developed and validated in women")
    er = t.receptor("er")
    if er is None:
        reasons.append("PREDICT needs ER status")
    ki67 = 9.0
    if t.ki67_percent is not None:
        ki67 = 1.0 if t.ki67_percent > PREDICT_KI67_POSITIVE_ABOVE_PCT else 0.0
    heart = plan.mean_heart_dose_gy
    if heart is None:
        heart = 0.0
        if plan.radiotherapy:
            notes.append("Mean heart dose not given: taken as 0 Gy, so PREDICT's heart-dose "
                         "harm of radiotherapy is not included")
    smoker = p.current_smoker
    if smoker is None:
        notes.append("Smoking status not given: taken as non-smoker for PREDICT's "
                     "other-cause mortality")
    inputs = {
        "age": p.age_years, "size": size if size is not None else float("nan"),
        "nodes": predict_nodes(staging), "grade": float(t.grade) if t.grade else 9.0,
        "er": _status_code(er) if er else float("nan"),
        "her2": _status_code(t.her2), "ki67": ki67, "pr": _status_code(t.receptor("pr")),
        "screen": {True: 1.0, False: 0.0, None: 2.0}[case.screen_detected],
        "generation": {"none": 0.0, "second_generation": 2.0,
                       "third_generation": 3.0}[plan.chemotherapy],
        "horm": float(plan.endocrine_therapy), "traz": float(plan.trastuzumab),
        "bis": float(plan.bisphosphonates), "radio": float(plan.radiotherapy),
        "heart_gy": heart, "smoker": 1.0 if smoker else 0.0,
    }
    if not reasons:
        checked = validate_predict_columns({k: [v] for k, v in inputs.items()})
        reasons += [f"{pr.field} {pr.value}: {pr.reason} (PREDICT's validated range)"
                    for _, pr in checked.problems]
    return inputs, reasons, notes


# ---------------------------------------------------------------------------------------------
# Guidance facts from the case and its results


def guidance_facts(case: Case, staging: StagingResult, predict: PredictSection,
                   npi: IndexSection, recurrence_facts: Mapping[str, Any]) -> dict[str, Any]:
    """The guidance fields (docs/guidance.md) this case determines; given facts win."""
    t, p, plan = case.tumour, case.patient, case.treatment
    sentinel = [n for n in staging.nodes if n.found_by == "sentinel"]
    axillary = [n for n in staging.nodes if n.site in ("axillary", "intramammary")
                and n.found_by in ("sentinel", "dissection")]
    facts: dict[str, Any] = {
        "invasive": t.primary == "invasive",
        "dcis_only": t.primary == "dcis",
        "age_years": int(p.age_years),
        "sex": p.sex,
        "slnb_done": case.procedure.kind == "sentinel" or bool(sentinel),
        "anc_done": case.procedure.kind == "dissection",
        "sln_macromet_count": sum(n.category in ("macro", "pos") for n in sentinel),
        "sln_micromet_count": sum(n.category == "micro" for n in sentinel),
        "sln_itc_count": sum(n.category == "itc" for n in sentinel),
        "macromet_nodes_total": sum(n.category in ("macro", "pos") for n in axillary),
        "positive_nodes_total": staging.positive_nodes,
        "systemic_therapy_advised": (plan.endocrine_therapy or plan.trastuzumab
                                     or plan.chemotherapy != "none"),
        "trastuzumab_planned": plan.trastuzumab,
        "breast_rt_planned": plan.radiotherapy,
        "adjuvant_bisphosphonate_planned": plan.bisphosphonates,
    }
    optional = {
        "size_mm": case.invasive_size_mm(),
        "grade": t.grade,
        "er_status": t.receptor("er"),
        "pr_status": t.receptor("pr"),
        "her2_status": t.her2,
        "menopausal_status": p.menopausal_status,
        "breast_surgery": plan.breast_surgery,
        "radial_margin_min_mm": plan.radial_margin_min_mm,
        "histology": case.histology,
        "regional_nodal_rt_planned": plan.regional_nodal_radiotherapy,
    }
    facts.update({k: v for k, v in optional.items() if v is not None})
    if not case.neoadjuvant:  # after neoadjuvant therapy, which kind must be given as a fact
        facts.update(neoadjuvant_chemo_given=False, neoadjuvant_et_given=False)
    if plan.breast_surgery == "bcs":
        facts["whole_breast_rt_advised"] = plan.radiotherapy
    _put_enum(facts, "pn_category", f"p{staging.pN.category}{staging.pN.modifier}")
    _put_enum(facts, "t_category", staging.pT.category)
    if predict.result is not None:
        chemo = next((b for b in predict.result.benefits if b.letter == "c"), None)
        if chemo is not None and chemo.chosen:
            facts["predict_chemo_os_benefit_10y_pct"] = chemo.benefit_pp[10]
        facts["predict_version"] = predict.result.model.version
    if npi.result is not None:
        facts["npi"] = npi.result["score"]
    facts.update(recurrence_facts)
    facts.update(case.guidance_facts)
    return facts


def _put_enum(facts: dict[str, Any], name: str, value: str) -> None:
    """Set a coded fact only when the guidance field schema knows the code (e.g. not TX)."""
    if value in FIELDS[name].values:
        facts[name] = value


# ---------------------------------------------------------------------------------------------
# The pipeline


def _npi(case: Case, staging: StagingResult) -> IndexSection:
    micro = sum(n.category == "micro" for n in staging.nodes
                if n.site in ("axillary", "intramammary"))
    try:
        r = npi_for_case(NPIInputs(size_mm=case.invasive_size_mm() or 0.0,
                                   positive_nodes=staging.positive_nodes,
                                   grade=case.tumour.grade or 0,
                                   micrometastatic_nodes=micro,
                                   neoadjuvant_therapy=case.neoadjuvant))
    except (InputError, ValueError) as exc:
        return IndexSection(name="NPI", applicable=False, not_applicable_reasons=[str(exc)])
    return IndexSection(name="NPI", applicable=True, result=r.as_dict())


def _cts5(case: Case, staging: StagingResult) -> IndexSection:
    if case.tumour.receptor("er") != "positive":
        return IndexSection(name="CTS5", applicable=False,
                            not_applicable_reasons=["CTS5 is for ER-positive disease"])
    micro = sum(n.category == "micro" for n in staging.nodes
                if n.site in ("axillary", "intramammary"))
    try:
        r = cts5_for_case(CTS5Inputs(
            age_years=case.patient.age_years, size_mm=case.invasive_size_mm() or 0.0,
            grade=case.tumour.grade or 0, positive_nodes=staging.positive_nodes,
            micrometastatic_nodes=micro, neoadjuvant_therapy=case.neoadjuvant,
            postmenopausal=None if case.patient.menopausal_status is None
            else case.patient.menopausal_status == "post"))
    except (InputError, ValueError) as exc:
        return IndexSection(name="CTS5", applicable=False, not_applicable_reasons=[str(exc)])
    data = r.as_dict() if hasattr(r, "as_dict") else dict(r.__dict__)
    return IndexSection(name="CTS5", applicable=True, result=data)


def _risk_inputs(case: Case, staging: StagingResult) -> RecurrenceRiskInputs:
    t, plan = case.tumour, case.treatment
    macro = sum(n.category in ("macro", "pos") for n in staging.nodes
                if n.site in ("axillary", "intramammary"))
    pt = staging.pT.category
    return RecurrenceRiskInputs(
        case_id=case.case_id, breast_surgery=plan.breast_surgery,
        radial_margin_min_mm=plan.radial_margin_min_mm, dcis_only=t.primary == "dcis",
        histology=case.histology, breast_rt_given=plan.radiotherapy,
        macromet_nodes_total=macro, size_mm=case.invasive_size_mm(),
        t_category=pt if pt in FIELDS["t_category"].values else None,
        age_years=case.patient.age_years, grade=t.grade, er_status=t.receptor("er"),
        pr_status=t.receptor("pr"), her2_status=t.her2,
        lvi=case.lymphovascular_invasion, multifocal=len(t.invasive_sizes_mm) > 1,
        extranodal_extension=any(n.extranodal_extension for n in case.nodes),
        neoadjuvant_chemo_given=case.neoadjuvant,
        endocrine_therapy_taken=plan.endocrine_therapy,
        chemotherapy_given=plan.chemotherapy != "none",
    )


def _charts(predict: PredictSection, year: int = 10) -> Charts:
    r = predict.result
    if r is None:
        return Charts()
    treated = r.steps[-1]
    os_t = treated.overall_survival_pct[year]
    chosen = [b for b in r.benefits if b.chosen and b.benefit_pp[year] > 0]
    counts: dict[str, float] = {}
    extra = sum(b.benefit_pp[year] for b in chosen)
    counts["Alive with surgery only" if len(chosen) == sum(b.chosen for b in r.benefits)
           else "Alive, allowing for treatment harms"] = max(os_t - extra, 0.0)
    for b in chosen:
        counts[f"Extra alive with {b.treatment}"] = b.benefit_pp[year]
    counts["Die of breast cancer"] = treated.breast_cancer_mortality_pct[year]
    counts["Die of other causes"] = max(100.0 - sum(counts.values()), 0.0)
    model = f"{r.model.name} {r.model.version}"
    icons = icon_array_svg(counts, title=f"100 women like this, after {year} years ({model})")
    years = list(range(0, 16))
    series = {"Surgery only": [100.0, *_all_years(r.surgery_only)],
              "With chosen treatments": [100.0, *_all_years(treated)]}
    curves = survival_curves_svg(years, series, title=f"Overall survival ({model})")
    tally = dict(zip(counts, icon_counts(list(counts.values())), strict=True))
    return Charts(icon_array_year=year, icon_array_counts=tally, icon_array_svg=icons,
                  survival_curves_svg=curves)


def _all_years(row: Any) -> list[float]:
    return [row.overall_survival_pct[t] for t in range(1, 16)]


def _explanations(case: Case, staging: StagingResult, predict: PredictSection,
                  indices: Sequence[IndexSection], guidance: GuidanceResult,
                  event: Any) -> list[Explanation]:
    out: list[Explanation] = []

    def add(topic: str, e) -> None:
        out.append(Explanation(topic=topic, clinician=e.clinician, patient=e.patient,
                               glossary_terms=list(e.terms)))

    for node, result in zip(case.nodes, staging.nodes, strict=True):
        word = _NODE_WORD.get(result.category)
        if word:
            add("node", explain_node_category(word, node.deposit_mm if word != "negative"
                                              else None))
    if staging.pN.category != "NX":
        add("pN", explain_pn_category(staging.pN.display, staging.positive_nodes))
    if staging.anatomic_stage:
        add("stage", explain_stage_group(staging.anatomic_stage, "anatomic"))
    if staging.pathological_prognostic_stage:
        add("stage", explain_stage_group(staging.pathological_prognostic_stage,
                                         "pathological_prognostic"))
    r = predict.result
    if r is not None:
        names = {"h": "endocrine", "c": "chemotherapy", "t": "trastuzumab",
                 "b": "bisphosphonate", "r": "radiotherapy"}
        benefits = {names[b.letter]: max(b.benefit_pp[10], 0.0) for b in r.benefits
                    if b.chosen and b.letter in names}
        add("predict", explain_predict_survival(
            r.model.version, 10, r.surgery_only.overall_survival_pct[10],
            r.steps[-1].overall_survival_pct[10], benefits))
    for index in indices:
        if index.result is None:
            continue
        if index.name == "NPI":
            add("npi", explain_npi(index.result["score"], index.result["group6"]))
        else:
            add("cts5", explain_cts5(index.result["score"], index.result["group"]))
    if event is not None:
        add("recurrence", explain_recurrence_class(
            event.event_class, event.local_subclass, confirmed=event.confirmed,
            isolated=event.isolated))
    for rec in guidance.recommendations:
        plain = explain_recommendation_strength(rec.strength)
        out.append(Explanation(topic=f"guidance:{rec.topic}",
                               clinician=f"{rec.id} ({rec.strength}): {rec.text} [{rec.cite}]",
                               patient=plain.patient, glossary_terms=list(plain.terms)))
    return out


def assess_many(cases: Sequence[Case], *, predict_version: str = CURRENT_VERSION,
                ) -> list[Assessment]:
    """Assess a batch of cases; PREDICT runs once, columnar, over every applicable case."""
    version = load_version(predict_version)
    staged = [stage(c.staging_case()) for c in cases]
    prepared = [predict_inputs(c, s) for c, s in zip(cases, staged, strict=True)]
    runnable = [i for i, (_, reasons, _) in enumerate(prepared) if not reasons]
    typed: dict[int, PredictResult] = {}
    if runnable:
        names = prepared[runnable[0]][0].keys()
        columns = {k: [prepared[i][0][k] for i in runnable] for k in names}
        ladder_cols = sorted({c for lad in version.ladders.values() for c in lad},
                             key=version.columns.index)
        out = compute(columns, version.id, columns=ladder_cols)
        typed = dict(zip(runnable, results(out, tuple(range(1, 16))), strict=True))
    found = []
    for i, (case, staging) in enumerate(zip(cases, staged, strict=True)):
        inputs, reasons, notes = prepared[i]
        predict = PredictSection(
            applicable=not reasons, not_applicable_reasons=reasons,
            inputs=None if reasons else inputs, result=typed.get(i))
        npi, cts5 = _npi(case, staging), _cts5(case, staging)
        event = classify_recurrence(case.recurrence) if case.recurrence else None
        facts = guidance_facts(case, staging, predict, npi,
                               dict(event.guidance_facts) if event else {})
        guidance = evaluate(validate_facts(facts))
        summary = risk_factor_summary(_risk_inputs(case, staging), validated_models={
            "npi": npi.result and {"score": npi.result["score"], "group": npi.result["group6"]},
            "predict_version": version.id if predict.result else None})
        warnings = list(notes) + (list(predict.result.warnings) if predict.result else [])
        found.append(Assessment(
            case_id=case.case_id,
            provenance=Provenance(
                axilla_version=__version__, staging_edition=staging.edition,
                predict_version=version.id if predict.result else None,
                predict_source=version.source if predict.result else None,
                ruleset_version=RULESET_VERSION, input_sha256=case.input_hash()),
            staging=staging,
            predict=predict,
            indices=[npi, cts5],
            guidance=guidance,
            recurrence=RecurrenceSection(
                risk_factors=_plain(summary),
                event=_plain(event) if event else None),
            explanations=_explanations(case, staging, predict, [npi, cts5], guidance, event),
            charts=_charts(predict),
            warnings=warnings,
        ))
    return found


def assess(case: Case | Mapping[str, Any], *, predict_version: str = CURRENT_VERSION,
           ) -> Assessment:
    """Assess one case: a batch of one through the same pipeline as a cohort."""
    if not isinstance(case, Case):
        case = parse_case(case)
    return assess_many([case], predict_version=predict_version)[0]


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass result as JSON-ready data."""

    def conv(x: Any) -> Any:
        if dataclasses.is_dataclass(x):
            return {f.name: conv(getattr(x, f.name)) for f in dataclasses.fields(x)}
        if isinstance(x, Mapping):
            return {str(k): conv(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [conv(v) for v in x]
        return x

    out = conv(obj)
    if hasattr(obj, "guidance_rule_ids"):
        out["guidance_rule_ids"] = list(obj.guidance_rule_ids)
    return out


__all__ = [
    "Assessment",
    "Case",
    "assess",
    "assess_many",
    "parse_case",
]
