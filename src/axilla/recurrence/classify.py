"""Recurrence classification: a recurrence event -> its class, with reasons and uncertainty.

Source: spec recurrence.md §1 (classification algorithm, first match wins) and §2 (site
groups); AJCC 8th edition regional-node definitions. Which guidance applies is decided by the
guidance engine alone, from ``guidance_facts``; no rule id or NICE criterion lives here.
Engine: pure, no I/O. Inputs are trusted (validated by ``axilla.case.recurrence``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from axilla.case.recurrence import (
    CONTRALATERAL_BREAST_SITES,
    DISTANT_SITES,
    IN_TRANSIT_SITES,
    LOCAL_SITES,
    REGIONAL_SITES,
    RecurrenceEvent,
)

__all__ = [
    "EARLY_RECURRENCE_MAX_MONTHS",
    "Course",
    "RecurrenceClassification",
    "classify_recurrence",
    "guidance_distant_sites",
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

#: How the event relates to primary treatment (recurrence.md §1, issue 9: progression or
#: residual disease on treatment is not a recurrence after a disease-free interval).
Course = Literal["on_primary_treatment", "after_disease_free_interval"]

_SCAR_SITE = "ipsilateral_axillary_scar_soft_tissue"

#: Early recurrence = within 5 years of the primary diagnosis (recurrence.md §1).
EARLY_RECURRENCE_MAX_MONTHS = 60.0

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
    """The class of a recurrence event, why, and what is uncertain.

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
    guidance_facts: Mapping[str, Any] = field(default_factory=dict)
    course: Course | None = None
    primary_treatment_ongoing: bool = False


def _course(event: RecurrenceEvent, reasons: list[str], notes: list[str]) -> Course | None:
    """On primary treatment (progression, residual disease) or after a disease-free interval."""
    given = event.disease_course
    if given in ("progression_on_treatment", "residual_disease"):
        reasons.append(given.replace("_", " ") + " during primary treatment: not a recurrence "
                       "after a disease-free interval")
        return "on_primary_treatment"
    if event.on_adjuvant_chemotherapy or event.on_primary_treatment:
        reasons.append("found during primary treatment: progression or residual disease, not a "
                       "recurrence after a disease-free interval")
        if given is None:
            notes.append("progression on treatment or residual disease: not recorded "
                         "(disease_course)")
        return "on_primary_treatment"
    if given == "recurrence_after_disease_free_interval":
        reasons.append("recurrence after a disease-free interval")
        return "after_disease_free_interval"
    if event.on_primary_treatment is None and event.months_since_primary_surgery is not None:
        notes.append(f"found {event.months_since_primary_surgery:g} months after surgery; whether "
                     "primary treatment was still under way is not recorded "
                     "(on_primary_treatment)")
    return None


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


def classify_recurrence(event: RecurrenceEvent) -> RecurrenceClassification:
    """Classify a recurrence event, first match wins (recurrence.md §1 steps 1-5)."""
    sites = event.sites
    local = [s for s in sites if s in LOCAL_SITES]
    regional = [s for s in sites if s in REGIONAL_SITES]
    distant = [s for s in sites if s in DISTANT_SITES]
    contralateral = [s for s in sites if s in CONTRALATERAL_BREAST_SITES]
    in_transit = [s for s in sites if s in IN_TRANSIT_SITES]
    reasons: list[str] = []
    notes: list[str] = []
    subclass: LocalSubclass | None = None
    consider_metastasis = False

    if event.metastatic_at_primary_diagnosis:
        event_class: EventClass = "de_novo_metastatic"
        reasons.append("stage IV at first diagnosis: de novo metastatic disease, not a recurrence")
        notes.append("managed as advanced breast cancer (NICE CG81), not as a recurrence")
    elif event.second_non_breast_primary:
        event_class = "second_non_breast_primary"
        reasons.append("a different (non-breast) cancer: recorded, not a breast-cancer recurrence")
    elif distant:
        event_class = "distant"
        reasons.append("distant site(s): " + ", ".join(distant))
        if any(s.startswith(("cervical", "contralateral_", "other_non_regional")) for s in distant):
            reasons.append("non-regional nodes are distant metastasis (M1, AJCC 8th)")
    elif contralateral and not (local or regional or in_transit):
        event_class = "contralateral_new_primary"
        reasons.append("opposite breast only: a new (second) primary, not a recurrence")
        if event.distant_disease_suspected:
            consider_metastasis = True
            notes.append("consider metastasis: other sites are suspicious")
    elif regional or in_transit:
        event_class = "locoregional" if (local or in_transit) else "regional"
        _regional_reasons(regional, in_transit, local, reasons, notes)
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

    locoregional_component = event_class == "distant" and bool(local or regional or in_transit)
    if locoregional_component:
        reasons.append("with a locoregional component: "
                       + ", ".join(local + regional + in_transit))
    if contralateral and event_class in ("distant", "regional", "locoregional", "local"):
        notes.append("the opposite-breast lesion may be a second primary or metastasis: "
                     "clinical/pathological judgement")

    is_recurrence = event_class in _RECURRENCE_CLASSES
    confirmed = event.pathology_confirmed
    if is_recurrence and not confirmed:
        notes.append("not confirmed on biopsy: class kept as suspected until pathology confirms "
                     "it (guidance is that of the suspected class)")
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

    recurrence_event: str
    if is_recurrence:
        recurrence_event = event_class if confirmed else "suspected"
    elif event_class == "contralateral_new_primary":
        recurrence_event = "contralateral_new_primary"
    else:
        recurrence_event = "none"

    if event_class == "contralateral_new_primary":
        notes.append("the new primary is staged and treated as a new breast cancer")
    course = _course(event, reasons, notes) if event_class != "second_non_breast_primary" else None
    ongoing = course == "on_primary_treatment"
    # unknown unless recorded: guidance then lists its default (false) as an assumption
    known = ongoing or course is not None or event.on_primary_treatment is False

    facts = {
        "recurrence_event": recurrence_event,
        "distant_sites": list(guidance_distant_sites(sites)),
        "distant_disease_suspected": bool(event.distant_disease_suspected
                                          or (event_class == "distant" and not confirmed)),
        "recurrence_isolated": bool(isolated),
        "prior_breast_rt": event.prior_breast_rt,
        "on_adjuvant_chemotherapy": event.on_adjuvant_chemotherapy,
        "uncontrolled_local_disease": event.uncontrolled_local_disease,
        "spinal_metastases_suspected": event.spinal_metastases_suspected,
        "breast_surgery": event.breast_surgery,
        "primary_treatment_ongoing": ongoing if known else None,
        "months_since_primary_surgery": event.months_since_primary_surgery,
    }
    if event_class in (*_RECURRENCE_CLASSES, "contralateral_new_primary"):
        facts["recurrence_class"] = event_class
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
        guidance_facts={k: v for k, v in facts.items() if v is not None},
        course=course,
        primary_treatment_ongoing=ongoing,
    )


def _regional_reasons(regional: list[str], in_transit: list[str], local: list[str],
                      reasons: list[str], notes: list[str]) -> None:
    """Why an event is regional or locoregional, and what stays uncertain (recurrence.md §1)."""
    nodes = [s for s in regional if s != _SCAR_SITE]
    if nodes:
        reasons.append("ipsilateral regional nodes: " + ", ".join(nodes))
    if _SCAR_SITE in regional:
        reasons.append("soft tissue at or near the axillary scar: an axillary (regional) "
                       "recurrence, nodal or not")
        notes.append("a deposit near the axillary scar may be a node, a soft-tissue deposit or "
                     "scar tissue: clinical/pathological judgement")
    if in_transit:
        reasons.append("in-transit deposit between the tumour bed and the regional nodes "
                       "(lymphatic spread): locoregional")
    if local:
        reasons.append("with local disease: " + ", ".join(local))
