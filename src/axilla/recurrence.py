"""Recurrence: classification of a recurrence event and the structured risk-factor summary.

Source: spec recurrence.md §1 (classification algorithm, first match wins), §5 (risk-factor
checklist, never summed into a score); guidance spec §Q (rules RC81-01..10, LR-01..07) and §0.2.
Engine: pure, no I/O. Inputs are trusted (validated by ``axilla.case.recurrence``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from axilla.case.recurrence import (
    CONTRALATERAL_BREAST_SITES,
    DISTANT_SITES,
    LOCAL_SITES,
    REGIONAL_SITES,
    RecurrenceEvent,
    RecurrenceRiskInputs,
)

__all__ = [
    "EARLY_RECURRENCE_MAX_MONTHS",
    "GUIDANCE_RULE_TOPICS",
    "RISK_FACTORS",
    "GuidanceRuleRef",
    "RecurrenceClassification",
    "RiskFactor",
    "RiskFactorDefinition",
    "RiskFactorSummary",
    "classify_recurrence",
    "guidance_distant_sites",
    "risk_factor_columns",
    "risk_factor_summary",
]

EventClass = Literal[
    "local",
    "regional",
    "locoregional",
    "distant",
    "contralateral_new_primary",
    "second_non_breast_primary",
    "de_novo_metastatic",
]
LocalSubclass = Literal[
    "ibtr_true_recurrence_possible",
    "ipsilateral_new_primary_possible",
    "ibtr_type_undetermined",
    "chest_wall_recurrence",
]

#: Early recurrence = within 5 years of the primary diagnosis (recurrence.md §1).
EARLY_RECURRENCE_MAX_MONTHS = 60.0

# --------------------------------------------------------------------------------------------
# Guidance §Q rules: id -> (topic, basis). Topics paraphrase guidance spec §Q (itself our own
# wording of NICE CG81 2026 and of ESO-ESMO / NCCN practice); the guidance engine owns the rules.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuidanceRuleRef:
    """A guidance rule that applies to a recurrence class: id, topic and its basis."""

    rule_id: str
    topic: str
    basis: str  # citation, or "practice (not NICE)"


GUIDANCE_RULE_TOPICS: dict[str, tuple[str, str]] = {
    "RC81-01": ("stage distant disease: contrast CT chest/abdomen/pelvis or FDG PET-CT",
                "NICE CG81 1.3.1 [2026]"),
    "RC81-02": ("choosing CT or PET-CT: sensitivity, lobular/low-grade FDG uptake, delay, "
                "preference", "NICE CG81 1.3.2 [2026]"),
    "RC81-03": ("if staging leaves uncertainty: add PET-CT, CT, MRI, ultrasound, bone scan "
                "or X-ray", "NICE CG81 1.3.3 [2026]"),
    "RC81-04": ("brain or spinal metastases: NICE NG99 / NG234 pathways",
                "NICE CG81 1.3.4-1.3.5 (numbers not verified)"),
    "RC81-05": ("consider re-testing ER/PR/HER2 on a biopsy of the recurrence",
                "NICE CG81 1.4.1 [2017, amended 2026]"),
    "RC81-06": ("monitor response with the staging modality; not bone scintigraphy",
                "NICE CG81 1.5.1-1.5.3"),
    "RC81-07": ("discuss the choice of systemic therapy for advanced disease",
                "NICE CG81 1.6.1, 1.7.x"),
    "RC81-08": ("uncontrolled local disease: MDT options, wound care, palliative care",
                "NICE CG81 1.12.1-1.12.3 [2009]"),
    "RC81-09": ("bone metastases: bisphosphonate (denosumab option), single 8 Gy for pain, "
                "orthopaedic review of long bones", "NICE CG81 1.13.1-1.13.4 (uncertain)"),
    "RC81-10": ("brain metastases: NG99 pathways, specialist palliative care",
                "NICE CG81 1.13.5-1.13.6 (numbers not verified)"),
    "LR-01": ("confirm on biopsy and re-test ER/PR/HER2", "practice (not NICE)"),
    "LR-02": ("restage fully before treating the recurrence as isolated", "practice (not NICE)"),
    "LR-03": ("in-breast recurrence after BCS: salvage mastectomy standard; repeat BCS with "
              "partial re-irradiation for selected people", "practice (not NICE)"),
    "LR-04": ("chest-wall recurrence: wide excision; chest-wall RT if not irradiated before",
              "practice (not NICE)"),
    "LR-05": ("nodal recurrence: surgery to the nodal basin and/or regional RT",
              "practice (not NICE)"),
    "LR-06": ("isolated, completely excised: chemotherapy if ER-negative (CALOR), endocrine "
              "therapy if ER-positive, HER2 therapy if HER2-positive", "practice (not NICE)"),
    "LR-07": ("found during (neo)adjuvant chemotherapy: treat as resistant, confirm, restage, "
              "review the systemic plan", "practice (not NICE)"),
}

_RECURRENCE_CLASSES = ("local", "regional", "locoregional", "distant")
_LOCOREGIONAL_CLASSES = ("local", "regional", "locoregional")

# Sites as the guidance field `distant_sites` names them (bone, lung, liver, brain, other).
_GUIDANCE_DISTANT_SITE: dict[str, str] = {
    "bone": "bone", "lung": "lung", "pleura": "lung", "liver": "liver",
    "brain": "brain", "meninges": "brain",
}


def guidance_distant_sites(sites: Sequence[str]) -> tuple[str, ...]:
    """Distant sites in the guidance vocabulary (bone, lung, liver, brain, other), in order.

    Pleura counts with lung and meninges with brain, as recurrence.md §2 groups them.
    """
    out: list[str] = []
    for site in sites:
        if site in DISTANT_SITES:
            name = _GUIDANCE_DISTANT_SITE.get(site, "other")
            if name not in out:
                out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class RecurrenceClassification:
    """The class of a recurrence event, why, what is uncertain and which §Q rules apply.

    ``recurrence_event`` is the value of the guidance field of that name: the class once
    confirmed, ``suspected`` until pathology confirms it, ``none`` for events that are not a
    breast-cancer recurrence. ``guidance_facts`` are the §0.2 fields the guidance engine needs.
    """

    event_class: EventClass
    recurrence_event: str
    confirmed: bool
    local_subclass: LocalSubclass | None
    locoregional_component: bool
    consider_metastasis: bool
    isolated: bool | None
    timing: Literal["early", "late"] | None
    reasons: tuple[str, ...]
    uncertainty_notes: tuple[str, ...]
    guidance_rules: tuple[GuidanceRuleRef, ...]
    guidance_facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def guidance_rule_ids(self) -> tuple[str, ...]:
        """The ids of the §Q rules that apply, in spec order."""
        return tuple(r.rule_id for r in self.guidance_rules)


def _local_subclass(event: RecurrenceEvent, notes: list[str]) -> LocalSubclass:
    """True recurrence vs possible new primary in the treated breast (recurrence.md §1 step 4)."""
    new_primary_signs = []
    if event.location_in_breast == "remote_different_quadrant":
        new_primary_signs.append("remote from the tumour bed (different quadrant)")
    if event.histology_vs_primary == "different":
        new_primary_signs.append("different histological type")
    if event.receptors_vs_primary == "different":
        new_primary_signs.append("different receptor profile")
    recurrence_signs = []
    if event.location_in_breast == "at_or_near_tumour_bed":
        recurrence_signs.append("at or near the tumour bed")
    if event.histology_vs_primary == "same":
        recurrence_signs.append("same histological type")
    if event.receptors_vs_primary == "same":
        recurrence_signs.append("same receptor profile")
    notes.append(
        "true recurrence vs new primary in the treated breast has no validated rule: "
        "clinical/pathological judgement"
    )
    if new_primary_signs:
        notes.append("possible new primary — clinical/pathological judgement ("
                     + "; ".join(new_primary_signs) + ")")
        if recurrence_signs:
            notes.append("features conflict: also " + "; ".join(recurrence_signs))
        return "ipsilateral_new_primary_possible"
    if (event.location_in_breast == "at_or_near_tumour_bed"
            and event.histology_vs_primary == "same"):
        return "ibtr_true_recurrence_possible"
    missing = [name for name in ("location_in_breast", "histology_vs_primary")
               if getattr(event, name) is None]
    notes.append("not enough information to sub-classify; missing: " + ", ".join(missing))
    return "ibtr_type_undetermined"


def _rules(event: RecurrenceEvent, event_class: str, isolated: bool | None) -> list[str]:
    """The §Q rule ids whose conditions hold for this class and event, in spec order."""
    ids: list[str] = []
    if event_class not in _RECURRENCE_CLASSES and event_class != "contralateral_new_primary":
        return ids
    distant = event_class == "distant" or event.distant_disease_suspected
    if distant:
        ids += ["RC81-01", "RC81-02", "RC81-03"]
    if distant and ("brain" in event.sites or "meninges" in event.sites
                    or event.spinal_metastases_suspected):
        ids.append("RC81-04")
    if event_class in _RECURRENCE_CLASSES:
        ids.append("RC81-05")
    if distant:
        ids.append("RC81-06")
    if event_class == "distant":
        ids.append("RC81-07")
    if event.uncontrolled_local_disease:
        ids.append("RC81-08")
    guidance_sites = guidance_distant_sites(event.sites)
    if event_class == "distant" and "bone" in guidance_sites:
        ids.append("RC81-09")
    if event_class == "distant" and "brain" in guidance_sites:
        ids.append("RC81-10")
    if event_class in _LOCOREGIONAL_CLASSES:
        ids += ["LR-01", "LR-02"]
    if event_class == "local" and event.breast_surgery == "bcs":
        ids.append("LR-03")
    if event_class == "local" and event.breast_surgery == "mastectomy":
        ids.append("LR-04")
    if event_class in ("regional", "locoregional"):
        ids.append("LR-05")
    if event_class in _LOCOREGIONAL_CLASSES and isolated:
        ids.append("LR-06")
    if event.on_adjuvant_chemotherapy:
        ids.append("LR-07")
    return ids


def classify_recurrence(event: RecurrenceEvent) -> RecurrenceClassification:
    """Classify a recurrence event, first match wins (recurrence.md §1 steps 1-5; guidance §Q)."""
    sites = event.sites
    local = [s for s in sites if s in LOCAL_SITES]
    regional = [s for s in sites if s in REGIONAL_SITES]
    distant = [s for s in sites if s in DISTANT_SITES]
    contralateral = [s for s in sites if s in CONTRALATERAL_BREAST_SITES]
    reasons: list[str] = []
    notes: list[str] = []
    subclass: LocalSubclass | None = None
    consider_metastasis = False

    if event.metastatic_at_primary_diagnosis:
        event_class: EventClass = "de_novo_metastatic"
        reasons.append("stage IV at first diagnosis: de novo metastatic disease, not a recurrence")
        notes.append("managed under NICE CG81 (advanced breast cancer), outside the §Q "
                     "recurrence rules")
    elif event.second_non_breast_primary:
        event_class = "second_non_breast_primary"
        reasons.append("a different (non-breast) cancer: recorded, not a breast-cancer recurrence")
    elif distant:
        event_class = "distant"
        reasons.append("distant site(s): " + ", ".join(distant))
        if any(s.startswith(("cervical", "contralateral_", "other_non_regional")) for s in distant):
            reasons.append("non-regional nodes are distant metastasis (M1, AJCC 8th)")
    elif contralateral and not (local or regional):
        event_class = "contralateral_new_primary"
        reasons.append("opposite breast only: a new (second) primary, not a recurrence")
        if event.distant_disease_suspected:
            consider_metastasis = True
            notes.append("consider metastasis: other sites are suspicious")
    elif regional:
        event_class = "locoregional" if local else "regional"
        reasons.append("ipsilateral regional nodes: " + ", ".join(regional))
        if local:
            reasons.append("with local disease: " + ", ".join(local))
    elif local:
        event_class = "local"
        reasons.append("treated breast or chest wall only: " + ", ".join(local))
        if "ipsilateral_breast" not in local:
            subclass = "chest_wall_recurrence"
        elif event.breast_surgery == "bcs":
            subclass = _local_subclass(event, notes)
        else:
            notes.append("in-breast event without a recorded breast-conserving operation: not "
                         "sub-classified (true recurrence vs new primary)")
    else:  # pragma: no cover - the vocabulary has no other site
        raise AssertionError(sites)

    locoregional_component = event_class == "distant" and bool(local or regional)
    if locoregional_component:
        reasons.append("with a locoregional component: " + ", ".join(local + regional))
    if contralateral and event_class in ("distant", "regional", "locoregional", "local"):
        notes.append("the opposite-breast lesion may be a second primary or metastasis: "
                     "clinical/pathological judgement")

    is_recurrence = event_class in _RECURRENCE_CLASSES
    confirmed = event.pathology_confirmed
    if is_recurrence and not confirmed:
        notes.append("not confirmed on biopsy: class kept as suspected until pathology confirms "
                     "it (rules listed are those of the suspected class)")
    if event_class == "contralateral_new_primary" and not confirmed:
        notes.append("not confirmed on biopsy")

    isolated: bool | None = None
    if event_class in _LOCOREGIONAL_CLASSES:
        if event.distant_disease_suspected:
            isolated = None
            notes.append("distant disease suspected: not isolated until restaging excludes it")
        elif event.restaging_complete:
            isolated = True
            reasons.append("isolated: restaging complete with no distant disease")
        else:
            notes.append("restaging not complete: cannot call the recurrence isolated")
    elif event_class == "distant":
        isolated = False

    timing: Literal["early", "late"] | None = None
    months = event.months_since_primary_diagnosis
    if months is None and event.months_since_primary_surgery is not None:
        months = event.months_since_primary_surgery
        notes.append("interval measured from surgery: diagnosis date not given")
    if is_recurrence and months is not None:
        timing = "early" if months <= EARLY_RECURRENCE_MAX_MONTHS else "late"
        reasons.append(f"{timing} recurrence ({months:g} months; early = within 5 years)")
        if timing == "late" and subclass == "ibtr_true_recurrence_possible":
            notes.append("long interval: a new primary is also possible")

    if is_recurrence:
        recurrence_event = event_class if confirmed else "suspected"
    elif event_class == "contralateral_new_primary":
        recurrence_event = "contralateral_new_primary"
    else:
        recurrence_event = "none"

    rule_ids = _rules(event, event_class, isolated)
    if event_class == "contralateral_new_primary":
        notes.append("the new primary is staged and treated as a new breast cancer")

    facts = {
        "recurrence_event": recurrence_event,
        "distant_sites": list(guidance_distant_sites(sites)),
        "distant_disease_suspected": bool(event.distant_disease_suspected
                                          or (event_class == "distant" and not confirmed)),
        "recurrence_isolated": bool(isolated),
        "prior_breast_rt": event.prior_breast_rt,
        "on_adjuvant_chemotherapy": event.on_adjuvant_chemotherapy,
        "uncontrolled_local_disease": event.uncontrolled_local_disease,
        "breast_surgery": event.breast_surgery,
    }
    return RecurrenceClassification(
        event_class=event_class,
        recurrence_event=recurrence_event,
        confirmed=confirmed,
        local_subclass=subclass,
        locoregional_component=locoregional_component,
        consider_metastasis=consider_metastasis,
        isolated=isolated,
        timing=timing,
        reasons=tuple(reasons),
        uncertainty_notes=tuple(notes),
        guidance_rules=tuple(GuidanceRuleRef(i, *GUIDANCE_RULE_TOPICS[i]) for i in rule_ids),
        guidance_facts=facts,
    )


# --------------------------------------------------------------------------------------------
# Risk-factor summary (recurrence.md §5). Three-valued logic over columns: 1.0 present,
# 0.0 absent, NaN unknown (data missing). Never summed.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFactorDefinition:
    """One row of the recurrence.md §5 factor table, with the evidence of §4."""

    id: str
    fields: tuple[str, ...]
    affects: tuple[str, ...]
    strength: Literal["major", "moderate", "minor"]
    evidence: str
    mitigation: str | None = None
    note: str | None = None


def _d(*args: Any, **kwargs: Any) -> RiskFactorDefinition:
    return RiskFactorDefinition(*args, **kwargs)


#: The factors of recurrence.md §5, in its order. Strength labels order the display; not weights.
RISK_FACTORS: tuple[RiskFactorDefinition, ...] = (
    _d("margin_involved", ("breast_surgery", "radial_margin_min_mm"), ("local",), "major",
       "Houssami N et al., Ann Surg Oncol 2014;21:717-730 (OR 2.44 positive vs negative); "
       "NICE NG101 1.4.3", "further surgery (guidance SX-03)"),
    _d("margin_close", ("breast_surgery", "radial_margin_min_mm", "dcis_only"), ("local",),
       "moderate",
       "Houssami N et al., Ann Surg Oncol 2014 (OR 1.74 close vs negative); NICE NG101 "
       "1.4.4-1.4.5", "consider further surgery (guidance SX-04/SX-05)"),
    _d("no_rt_after_bcs", ("breast_surgery", "breast_rt_given"), ("local",), "major",
       "EBCTCG, Lancet 2011;378:1707-1716 (10-year any first recurrence 35.0 % vs 19.3 %)",
       "whole-breast radiotherapy (guidance RT-03)"),
    _d("nodes_1_3", ("macromet_nodes_total", "pn_category"), ("regional", "distant"), "major",
       "Nodal involvement: strongest single predictor of recurrence and death (NPI, PREDICT)"),
    _d("nodes_4_plus", ("macromet_nodes_total", "pn_category"), ("regional", "distant"), "major",
       "Nodal involvement; >= 4 nodes: high locoregional risk after mastectomy "
       "(NICE NG101 PMRT and supraclavicular rules)"),
    _d("micromets_only", ("pn_category",), ("distant",), "minor",
       "AJCC 8th pN1mi", note="prognostic significance uncertain"),
    _d("tumour_gt_50mm", ("size_mm", "dcis_only"), ("local_after_mastectomy", "distant"),
       "major", "NICE NG101 1.13.11 (PMRT considered for node-negative T3/T4)"),
    _d("t4_or_skin_chest_wall", ("t_category",), ("local", "regional", "distant"), "major",
       "NICE NG101 1.13.11"),
    _d("inflammatory", ("t_category",), ("local", "regional", "distant"), "major",
       "NICE NG101 1.13.25"),
    _d("age_lt_35", ("age_years",), ("local", "any"), "major",
       "Vrieling C et al., JAMA Oncol 2017 (EORTC boost trial); Geurts YM et al., "
       "Breast Cancer Res Treat 2017"),
    _d("age_35_39", ("age_years",), ("local", "any"), "moderate",
       "Vrieling C et al., JAMA Oncol 2017; Geurts YM et al., Breast Cancer Res Treat 2017"),
    _d("grade_3", ("grade",), ("local", "distant"), "moderate",
       "Vrieling C et al., JAMA Oncol 2017; NPI; Pan H et al., N Engl J Med 2017"),
    _d("er_negative", ("er_status",), ("early_local", "early_distant"), "moderate",
       "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; magnitude not re-verified)"),
    _d("her2_positive_no_anti_her2", ("her2_status", "anti_her2_therapy_given"), ("distant",),
       "major", "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; not re-verified)"),
    _d("her2_positive", ("her2_status", "anti_her2_therapy_given"), ("distant",), "minor",
       "Subtype analyses; risk attenuated by anti-HER2 therapy"),
    _d("triple_negative", ("er_status", "pr_status", "her2_status"),
       ("early_local", "early_distant"), "moderate",
       "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; not re-verified)"),
    _d("lvi", ("lvi",), ("local", "regional", "distant"), "moderate",
       "Nottingham series (magnitude not re-verified)"),
    _d("multifocal", ("multifocal",), ("local", "any"), "minor",
       "Geurts YM et al., Breast Cancer Res Treat 2017"),
    _d("extranodal_extension", ("extranodal_extension",), ("regional",), "moderate",
       "Adverse factor (magnitude not re-verified)"),
    _d("residual_disease_after_nact", ("neoadjuvant_chemo_given", "residual_invasive_disease"),
       ("any",), "major", "Cortazar P et al., Lancet 2014 (CTNeoBC; not re-verified)"),
    _d("no_indicated_systemic_therapy",
       ("er_status", "endocrine_therapy_taken", "chemotherapy_recommended",
        "chemotherapy_given"), ("any",), "moderate",
       "Geurts YM et al., Breast Cancer Res Treat 2017 (no chemotherapy); endocrine "
       "non-adherence (general evidence)"),
    _d("germline_brca", ("germline_brca",), ("contralateral",), "major",
       "van den Broek AJ et al., J Clin Oncol 2016; Familial Cancer 2015;14:531-538"),
    _d("lifestyle", ("bmi", "alcohol_units_per_week", "physically_inactive"), ("any",),
       "minor", "NICE NG101 1.16.1 (association)"),
)

_NAN = np.nan


def _and(*xs: np.ndarray) -> np.ndarray:
    out = xs[0]
    for x in xs[1:]:
        out = np.where((out == 0) | (x == 0), 0.0, np.where((out == 1) & (x == 1), 1.0, _NAN))
    return out


def _or(*xs: np.ndarray) -> np.ndarray:
    out = xs[0]
    for x in xs[1:]:
        out = np.where((out == 1) | (x == 1), 1.0, np.where((out == 0) & (x == 0), 0.0, _NAN))
    return out


def _not(x: np.ndarray) -> np.ndarray:
    return 1.0 - x


def _num(columns: Mapping[str, Any], name: str, n: int) -> np.ndarray:
    raw = columns.get(name)
    if raw is None:
        return np.full(n, _NAN)
    arr = np.asarray(raw, dtype=object).reshape(-1)
    return np.array([_NAN if v is None else float(v) for v in arr], dtype=float)


def _is(columns: Mapping[str, Any], name: str, n: int, *values: object) -> np.ndarray:
    """1 where the column equals one of values, 0 where known and different, NaN if unknown."""
    raw = columns.get(name)
    if raw is None:
        return np.full(n, _NAN)
    arr = np.asarray(raw, dtype=object).reshape(-1)
    known = np.array([v is not None and not (isinstance(v, float) and np.isnan(v))
                      for v in arr])
    hit = np.isin(arr, np.asarray(values, dtype=object))
    return np.where(known, hit.astype(float), _NAN)


def _cmp(x: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), _NAN, ok.astype(float))


def _n_rows(columns: Mapping[str, Any]) -> int:
    for value in columns.values():
        if value is not None:
            return int(np.asarray(value, dtype=object).reshape(-1).shape[0])
    raise ValueError("no columns given")


def risk_factor_columns(columns: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Each §5 factor as a column: 1.0 present, 0.0 absent, NaN unknown (recurrence.md §5).

    ``columns`` maps the field names of ``RecurrenceRiskInputs`` to equal-length arrays (None
    for unknown); absent columns are unknown. Also returns the two NICE local-risk flags.
    """
    n = _n_rows(columns)
    c = columns
    bcs = _is(c, "breast_surgery", n, "bcs")
    margin = _num(c, "radial_margin_min_mm", n)
    dcis_only = _is(c, "dcis_only", n, True)
    invasive = _not(dcis_only)
    with np.errstate(invalid="ignore"):
        margin_zero = _cmp(margin, margin == 0)
        under_1 = _cmp(margin, (margin > 0) & (margin < 1))
        under_2 = _cmp(margin, (margin > 0) & (margin < 2))
    # close: < 1 mm for invasive, < 2 mm for pure DCIS; known whenever the margin settles it
    close = _or(under_1, _and(under_2, dcis_only))
    macro = _num(c, "macromet_nodes_total", n)
    # pN0 (incl. ITC / mol+) and pN1mi mean no node with a macrometastasis (AJCC 8th)
    no_macro = _is(c, "pn_category", n, "pN0", "pN0(i+)", "pN0(mol+)", "pN1mi") == 1
    macro = np.where(np.isnan(macro) & no_macro, 0.0, macro)
    size = _num(c, "size_mm", n)
    age = _num(c, "age_years", n)
    grade = _num(c, "grade", n)
    er_neg = _is(c, "er_status", n, "negative")
    pr_neg = _is(c, "pr_status", n, "negative")
    her2_pos = _is(c, "her2_status", n, "positive")
    anti_her2 = _is(c, "anti_her2_therapy_given", n, True)
    t4_abc = _is(c, "t_category", n, "T4a", "T4b", "T4c")
    t4d = _is(c, "t_category", n, "T4d")
    t_unknown = _is(c, "t_category", n, "TX", "T4")  # T4 without a subcategory
    t4_abc = np.where(t_unknown == 1, _NAN, t4_abc)
    t4d = np.where(t_unknown == 1, _NAN, t4d)
    with np.errstate(invalid="ignore"):
        out = {
            "margin_involved": _and(bcs, margin_zero),
            "margin_close": _and(bcs, close),
            "no_rt_after_bcs": _and(bcs, _is(c, "breast_rt_given", n, False)),
            "nodes_1_3": _cmp(macro, (macro >= 1) & (macro <= 3)),
            "nodes_4_plus": _cmp(macro, macro >= 4),
            "micromets_only": _is(c, "pn_category", n, "pN1mi"),
            "tumour_gt_50mm": _and(invasive, _cmp(size, size > 50)),
            "t4_or_skin_chest_wall": t4_abc,
            "inflammatory": t4d,
            "age_lt_35": _cmp(age, age < 35),
            "age_35_39": _cmp(age, (age >= 35) & (age < 40)),
            "grade_3": _cmp(grade, grade == 3),
            "er_negative": er_neg,
            "her2_positive_no_anti_her2": _and(her2_pos, _not(anti_her2)),
            "her2_positive": _and(her2_pos, anti_her2),
            "triple_negative": _and(er_neg, pr_neg, _not(her2_pos)),
            "lvi": _is(c, "lvi", n, True),
            "multifocal": _is(c, "multifocal", n, True),
            "extranodal_extension": _is(c, "extranodal_extension", n, True),
            "residual_disease_after_nact": _and(
                _is(c, "neoadjuvant_chemo_given", n, True),
                _is(c, "residual_invasive_disease", n, True),
            ),
            "no_indicated_systemic_therapy": _or(
                _and(_not(er_neg), _is(c, "endocrine_therapy_taken", n, False)),
                _and(_is(c, "chemotherapy_recommended", n, True),
                     _is(c, "chemotherapy_given", n, False)),
            ),
            "germline_brca": np.where(
                _is(c, "germline_brca", n, "unknown") == 1, _NAN,
                _is(c, "germline_brca", n, "brca1", "brca2"),
            ),
            "lifestyle": _or(
                _cmp(_num(c, "bmi", n), _num(c, "bmi", n) >= 30),
                _cmp(_num(c, "alcohol_units_per_week", n),
                     _num(c, "alcohol_units_per_week", n) >= 5),
                _is(c, "physically_inactive", n, True),
            ),
        }
        # NICE NG101 local-risk criteria (guidance RT-04 = 1.13.4, RT-07 = 1.13.7)
        node_negative = _is(c, "pn_category", n, "pN0", "pN0(i+)", "pN0(mol+)")
        er_pos = _is(c, "er_status", n, "positive")
        her2_neg = _is(c, "her2_status", n, "negative")
        grade_1_2 = _cmp(grade, (grade == 1) | (grade == 2))
        et_5y = _is(c, "endocrine_therapy_5y_planned", n, True)
        common = _and(invasive, bcs, node_negative, er_pos, her2_neg, grade_1_2, et_5y)
        out["partial_breast_rt_low_risk_criteria_met"] = _and(
            common, _not(_is(c, "histology", n, "lobular")),
            _cmp(age, age >= 50), _cmp(size, size <= 30),
        )
        out["rt_omission_very_low_risk_criteria_met"] = _and(
            common, _cmp(age, age >= 65),
            _is(c, "t_category", n, "T1mi", "T1a", "T1b", "T1c", "T1"),
        )
    return out


NICE_LOCAL_RISK_FLAGS: dict[str, tuple[str, ...]] = {
    "partial_breast_rt_low_risk_criteria_met": (
        "dcis_only", "breast_surgery", "pn_category", "er_status", "her2_status", "grade",
        "endocrine_therapy_5y_planned", "histology", "age_years", "size_mm"),
    "rt_omission_very_low_risk_criteria_met": (
        "dcis_only", "breast_surgery", "pn_category", "er_status", "her2_status", "grade",
        "endocrine_therapy_5y_planned", "age_years", "t_category"),
}


@dataclass(frozen=True)
class RiskFactor:
    """One factor of the summary: present (True/False/None = unknown) with its provenance."""

    id: str
    value: str
    present: bool | None
    direction: str
    affects: tuple[str, ...]
    strength: str
    evidence: str
    mitigation: str | None
    note: str | None


@dataclass(frozen=True)
class RiskFactorSummary:
    """The structured recurrence risk summary of recurrence.md §5: a checklist, no score."""

    case_id: str | None
    factors: tuple[RiskFactor, ...]
    validated_models: Mapping[str, Any]
    nice_local_risk_flags: Mapping[str, bool | None]
    missing_data: tuple[str, ...]
    statement: str = ("No validated score combines these factors; they are listed, not added. "
                      "See the validated models for estimates.")

    def present(self) -> tuple[RiskFactor, ...]:
        """Factors present, major first, in table order within a strength."""
        order = {"major": 0, "moderate": 1, "minor": 2}
        found = [f for f in self.factors if f.present]
        return tuple(sorted(found, key=lambda f: order[f.strength]))


def _tri(x: float) -> bool | None:
    return None if np.isnan(x) else bool(x == 1)


def risk_factor_summary(
    inputs: RecurrenceRiskInputs,
    validated_models: Mapping[str, Any] | None = None,
) -> RiskFactorSummary:
    """The recurrence risk-factor checklist for one case (recurrence.md §5).

    ``validated_models`` (NPI, CTS5, PREDICT results with model name and version) are passed
    through unchanged for display beside the checklist; nothing is combined with them.
    """
    data = inputs.model_dump()
    columns = {k: [v] for k, v in data.items() if k != "case_id"}
    cols = risk_factor_columns(columns)
    factors: list[RiskFactor] = []
    missing: list[str] = []
    for d in RISK_FACTORS:
        present = _tri(cols[d.id][0])
        known = {f: data[f] for f in d.fields if data[f] is not None}
        value = ", ".join(f"{k}={v}" for k, v in known.items()) if known else "unknown"
        if present is None:
            missing += [f for f in d.fields if data[f] is None and f not in missing]
        factors.append(RiskFactor(
            id=d.id, value=value, present=present, direction="higher risk if present",
            affects=d.affects, strength=d.strength, evidence=d.evidence,
            mitigation=d.mitigation, note=d.note,
        ))
    flags = {name: _tri(cols[name][0]) for name in NICE_LOCAL_RISK_FLAGS}
    return RiskFactorSummary(
        case_id=inputs.case_id,
        factors=tuple(factors),
        validated_models=dict(validated_models or {}),
        nice_local_risk_flags=flags,
        missing_data=tuple(missing),
    )
