"""Texts for two readers: a terse clinician line and plain patient sentences for each result.

Source: DESIGN "Explain for two readers"; facts from AJCC 8th (node categories, pN, stage),
PREDICT Breast (population estimates), NPI six groups (Blamey 2007), CTS5 groups (Dowsett
2018), recurrence spec §1 classes, guidance spec §0 strength vocabulary. Patient sentences come
from the message catalogue; they explain or avoid jargon, state uncertainty and never advise.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from axilla.errors import FieldProblem, InputError
from axilla.explain.catalogue import DEFAULT_LANGUAGE, formatter, message
from axilla.explain.numbers import patient_number, patient_numbers

__all__ = [
    "Explanation",
    "explain_cts5",
    "explain_node_category",
    "explain_npi",
    "explain_pn_category",
    "explain_predict_survival",
    "explain_recommendation_strength",
    "explain_recurrence_class",
    "explain_stage_group",
    "patient_number",
    "patient_numbers",
]


@dataclass(frozen=True, slots=True)
class Explanation:
    """One result told twice: for the clinician and for the patient, with glossary terms used."""

    clinician: str
    patient: str
    terms: tuple[str, ...] = ()


def _check(field: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError([FieldProblem(field, value, "must be one of " + ", ".join(allowed))])


def _join(*sentences: str) -> str:
    return " ".join([s for s in sentences if s])


# --------------------------------------------------------------------------------------------
# Nodes and stage (AJCC 8th edition)
# --------------------------------------------------------------------------------------------

NODE_CATEGORIES = ("negative", "itc", "micrometastasis", "macrometastasis")
_NODE_CLINICIAN = {
    "negative": "negative (no tumour cells)",
    "itc": "isolated tumour cells (<= 0.2 mm or <= 200 cells; not a positive node)",
    "micrometastasis": "micrometastasis (> 0.2 to 2.0 mm or > 200 cells; positive node)",
    "macrometastasis": "macrometastasis (> 2.0 mm; positive node)",
}
_NODE_TERMS = {"negative": ("lymph_node",), "itc": ("lymph_node", "itc"),
               "micrometastasis": ("lymph_node", "micrometastasis"),
               "macrometastasis": ("lymph_node", "macrometastasis")}


def explain_node_category(
    category: str, largest_deposit_mm: float | None = None, lang: str = DEFAULT_LANGUAGE
) -> Explanation:
    """One lymph node by its largest deposit (AJCC 8th node-level categories)."""
    _check("category", category, NODE_CATEGORIES)
    patient = message(f"node.{category}", lang)
    if largest_deposit_mm is None:
        size = ""
    else:
        size_mm = f"{largest_deposit_mm:g}"
        size = f"; largest deposit {size_mm} mm"
        if category != "negative":
            patient = _join(patient, formatter("node.largest_deposit", lang, "size_mm")(
                size_mm=size_mm))
    return Explanation(f"Node: {_NODE_CLINICIAN[category]}{size} (AJCC 8th)", patient,
                       _NODE_TERMS[category])


_PN_RE = re.compile(r"^(?:y?[pc])?N(X|0\(i\+\)|0\(mol\+\)|0|1mi|1[abc]?|2[ab]?|3[abc]?)$")
#: The pN categories as the staging engine writes them, each with its code, read without the
#: pattern (which takes any other spelling it allows).
_PN_CODES = {f"{prefix}N{code}{suffix}": code
             for prefix in ("", "p", "c", "yp", "yc")
             for code in ("X", "0(i+)", "0(mol+)", "0", "1mi", "1", "1a", "1b", "1c", "2", "2a",
                          "2b", "3", "3a", "3b", "3c")
             for suffix in ("", "(sn)", "(f)")}


def explain_pn_category(
    pn_category: str, positive_nodes: int, lang: str = DEFAULT_LANGUAGE
) -> Explanation:
    """The pN category with the number of positive nodes (micro + macro; ITC excluded)."""
    code = _PN_CODES.get(pn_category)
    if code is None:
        m = _PN_RE.match(re.sub(r"\((sn|f)\)$", "", pn_category.strip()))
        if not m:
            raise InputError([FieldProblem("pn_category", pn_category, "must be an AJCC 8th "
                                           "pN category, e.g. pN0, pN1mi, pN2a")])
        code = m.group(1)
    if positive_nodes < 0 or int(positive_nodes) != positive_nodes:
        raise InputError([FieldProblem("positive_nodes", positive_nodes,
                                       "must be a whole number 0 or more")])
    n = int(positive_nodes)
    if code == "X":
        sentence = message("pn.not_assessed", lang)
    elif code == "0(i+)":
        sentence = message("pn.itc", lang)
    elif code.startswith("0"):
        sentence = message("pn.none", lang)
    elif code == "1mi":
        sentence = (message("pn.micro_one", lang) if n == 1
                    else formatter("pn.micro_many", lang, "count")(count=n))
    elif n == 0:
        sentence = message("pn.other_nodes", lang)
    else:
        sentence = (message("pn.positive_one", lang) if n == 1
                    else formatter("pn.positive_many", lang, "count")(count=n))
    clinician = (f"{pn_category}: {n} positive node{'s' if n != 1 else ''} "
                 "(micro + macro; ITC excluded) (AJCC 8th)")
    patient = _join(sentence, formatter("pn.code", lang, "code")(code=pn_category))
    return Explanation(clinician, patient, ("lymph_node", "pn_category"))


STAGE_KINDS = ("anatomic", "pathological_prognostic", "clinical_prognostic")
_STAGE_RE = re.compile(r"^(?:stage\s*)?(0|IV|III|II|I)([ABC]?)$", re.IGNORECASE)
_ROMAN = {"0": "0", "I": "1", "II": "2", "III": "3", "IV": "4"}
#: The stage groups as the staging engine writes them, read without the pattern (which takes
#: any other spelling it allows).
_STAGE_GROUPS = {f"{roman}{letter}": (roman, letter) for roman in _ROMAN
                 for letter in ("", "A", "B", "C")}
_STAGE_LABEL = {"anatomic": "Anatomic", "pathological_prognostic": "Pathological prognostic",
                "clinical_prognostic": "Clinical prognostic"}


@functools.lru_cache(maxsize=256)
def explain_stage_group(
    stage: str, kind: str = "anatomic", lang: str = DEFAULT_LANGUAGE
) -> Explanation:
    """An AJCC 8th stage group (anatomic or prognostic), with Arabic numerals for patients
    (told once a stage group, kind and language: the words depend on nothing else, and the
    record is frozen)."""
    _check("kind", kind, STAGE_KINDS)
    parts = _STAGE_GROUPS.get(stage)
    if parts is None:
        m = _STAGE_RE.match(stage.strip())
        if not m:
            raise InputError([FieldProblem("stage", stage, "must be an AJCC stage group 0 to "
                                           "IV, e.g. IA, IIB, IIIC, IV")])
        parts = m.group(1).upper(), m.group(2).upper()
    roman, letter = parts
    plain = _ROMAN[roman] + letter
    label = _STAGE_LABEL[kind]
    patient = _join(formatter("stage.group", lang, "stage")(stage=plain),
                    message("stage.meaning", lang))
    if kind != "anatomic":
        patient = _join(patient, message("stage.prognostic", lang))
    return Explanation(f"{label} stage {roman}{letter} (AJCC 8th, revised 2018)", patient,
                       ("stage",))


# --------------------------------------------------------------------------------------------
# PREDICT Breast
# --------------------------------------------------------------------------------------------

TREATMENTS = ("endocrine", "chemotherapy", "trastuzumab", "bisphosphonate", "radiotherapy")
_TREATMENT_CLINICIAN = {"endocrine": "endocrine", "chemotherapy": "chemotherapy",
                        "trastuzumab": "trastuzumab", "bisphosphonate": "bisphosphonate",
                        "radiotherapy": "radiotherapy"}


class _PredictWords(NamedTuple):
    """The texts of PREDICT's patient sentences in one language, each template a function of
    its placeholders (``formatter``)."""

    source: Callable[..., str]
    groups: str
    surgery_only: Callable[..., str]
    with_treatments: Callable[..., str]
    benefit: Callable[..., str]
    benefit_small: Callable[..., str]
    uncertainty: str
    treatments: Mapping[str, str]


@functools.cache
def _predict_words(lang: str) -> _PredictWords:
    """PREDICT's patient texts in ``lang`` (read once a language)."""
    return _PredictWords(
        formatter("predict.source", lang, "version"), message("predict.groups", lang),
        formatter("predict.surgery_only", lang, "alive", "years"),
        formatter("predict.with_treatments", lang, "alive", "years"),
        formatter("predict.benefit", lang, "treatment", "extra"),
        formatter("predict.benefit_small", lang, "treatment"),
        message("predict.uncertainty", lang),
        {name: message(f"treatment.{name}", lang) for name in TREATMENTS})


def _pct(field: str, value: float) -> float:
    if not (0 <= value <= 100):
        raise InputError([FieldProblem(field, value, "must be a percentage 0 to 100")])
    return float(value)


def explain_predict_survival(
    version: str,
    years: int,
    surgery_only_pct: float,
    with_treatments_pct: float,
    benefit_pct: Mapping[str, float],
    lang: str = DEFAULT_LANGUAGE,
) -> Explanation:
    """PREDICT overall survival at ``years`` without and with treatments, and each benefit.

    Always says that these are estimates for groups of similar women and not advice.
    """
    if not (1 <= years <= 15) or int(years) != years:
        raise InputError([FieldProblem("years", years, "must be a whole number 1 to 15")])
    s0 = _pct("surgery_only_pct", surgery_only_pct)
    s1 = _pct("with_treatments_pct", with_treatments_pct)
    for name, value in benefit_pct.items():
        _check("benefit_pct", name, TREATMENTS)
        _pct(f"benefit_pct[{name}]", value)
    words = _predict_words(lang)
    patient = [words.source(version=version), words.groups,
               words.surgery_only(alive=patient_number(s0), years=years)]
    if benefit_pct:
        patient.append(words.with_treatments(alive=patient_number(s1), years=years))
    parts = []
    for (name, value), extra in zip(benefit_pct.items(), patient_numbers(benefit_pct.values()),
                                    strict=True):
        treatment = words.treatments[name]
        if extra == "0":
            patient.append(words.benefit_small(treatment=treatment))
        else:
            patient.append(words.benefit(treatment=treatment, extra=extra))
        parts.append(f"+{value:.1f}% {_TREATMENT_CLINICIAN[name]}")
    patient.append(words.uncertainty)
    benefits = f" ({', '.join(parts)})" if parts else ""
    clinician = (f"PREDICT {version}: {years}-year overall survival {s0:.1f}% surgery only, "
                 f"{s1:.1f}% with treatments{benefits}; population estimates, not "
                 "individual predictions")
    return Explanation(clinician, _join(*patient), ("predict", "overall_survival"))


# --------------------------------------------------------------------------------------------
# NPI and CTS5
# --------------------------------------------------------------------------------------------

NPI_GROUPS = ("EPG", "GPG", "MPG1", "MPG2", "PPG", "VPG")
_NPI_CLINICIAN = {"EPG": "excellent", "GPG": "good", "MPG1": "moderate I",
                  "MPG2": "moderate II", "PPG": "poor", "VPG": "very poor"}


def explain_npi(score: float, group: str, lang: str = DEFAULT_LANGUAGE) -> Explanation:
    """NPI score and six-group prognostic group (Blamey 2007); historical, not treated."""
    _check("group", group, NPI_GROUPS)
    patient = _join(formatter("npi.score", lang, "score")(score=f"{score:.1f}"),
                    _npi_group_patient(group, lang))
    clinician = (f"NPI {score:.2f}: {group} ({_NPI_CLINICIAN[group]}; Blamey 2007 six groups; "
                 "historical cohort, not treatment-adjusted)")
    return Explanation(clinician, patient, ("npi", "grade", "lymph_node"))


@functools.cache
def _npi_group_patient(group: str, lang: str) -> str:
    """The patient's sentences of an NPI group (of ``NPI_GROUPS``) in ``lang`` after the
    score's, which depend on nothing else (told once a group and language)."""
    return _join(formatter("npi.group", lang, "group")(group=message(f"npi_group.{group}", lang)),
                 message("npi.history", lang))


CTS5_GROUPS = ("low", "intermediate", "high")
_CTS5_CLINICIAN = {"low": "< 5 %", "intermediate": "5-10 %", "high": "> 10 %"}


def explain_cts5(score: float, group: str, lang: str = DEFAULT_LANGUAGE) -> Explanation:
    """CTS5 score and group: 5-10-year distant recurrence after 5 years of ET (Dowsett 2018)."""
    _check("group", group, CTS5_GROUPS)
    clinician = (f"CTS5 {score:.2f}: {group} risk (published 5-10-year distant recurrence "
                 f"{_CTS5_CLINICIAN[group]}, after 5 years of endocrine therapy)")
    return Explanation(clinician, _cts5_patient(group, lang),
                       ("cts5", "endocrine_therapy", "distant_recurrence"))


@functools.cache
def _cts5_patient(group: str, lang: str) -> str:
    """The patient's sentences of a CTS5 group (of ``CTS5_GROUPS``) in ``lang``, which depend
    on nothing else (told once a group and language)."""
    return _join(message("cts5.what", lang), message("cts5.meaning", lang),
                 formatter("cts5.group", lang, "group", "range")(
                     group=message(f"cts5_group.{group}", lang),
                     range=message(f"cts5_range.{group}", lang)),
                 message("cts5.estimate", lang))


# --------------------------------------------------------------------------------------------
# Recurrence class and strength of a recommendation
# --------------------------------------------------------------------------------------------

EVENT_CLASSES = ("local", "regional", "locoregional", "distant", "contralateral_new_primary",
                 "second_non_breast_primary", "de_novo_metastatic")
LOCAL_SUBCLASSES = ("ibtr_true_recurrence_possible", "ipsilateral_new_primary_possible",
                    "ibtr_type_undetermined", "chest_wall_recurrence")
_RECURRENCE_TERMS = {
    "local": ("recurrence", "local_recurrence"),
    "regional": ("recurrence", "regional_recurrence", "lymph_node"),
    "locoregional": ("recurrence", "local_recurrence", "regional_recurrence"),
    "distant": ("recurrence", "distant_recurrence"),
    "contralateral_new_primary": ("new_primary",),
    "second_non_breast_primary": ("new_primary",),
    "de_novo_metastatic": ("distant_recurrence",),
}


def explain_recurrence_class(
    event_class: str,
    local_subclass: str | None = None,
    confirmed: bool = True,
    isolated: bool | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Explanation:
    """A recurrence event's class (recurrence spec §1), with its uncertainty stated."""
    _check("event_class", event_class, EVENT_CLASSES)
    if local_subclass is not None:
        _check("local_subclass", local_subclass, LOCAL_SUBCLASSES)
    sentences: list[str] = []
    if event_class == "local":
        key = "local_chest_wall" if local_subclass == "chest_wall_recurrence" else "local_breast"
        sentences.append(message(f"recurrence.{key}", lang))
        if local_subclass == "ipsilateral_new_primary_possible":
            sentences.append(message("recurrence.new_primary_possible", lang))
        elif local_subclass in ("ibtr_true_recurrence_possible", "ibtr_type_undetermined"):
            sentences.append(message("recurrence.type_unclear", lang))
    else:
        key = {"contralateral_new_primary": "contralateral",
               "second_non_breast_primary": "second_non_breast",
               "de_novo_metastatic": "de_novo"}.get(event_class, event_class)
        sentences.append(message(f"recurrence.{key}", lang))
    if not confirmed:
        sentences.append(message("recurrence.suspected", lang))
    if isolated and event_class in ("local", "regional", "locoregional"):
        sentences.append(message("recurrence.isolated", lang))
    details = [event_class.replace("_", " ")]
    if local_subclass:
        details.append(local_subclass.replace("_", " "))
    details.append("confirmed" if confirmed else "suspected (no pathology yet)")
    if isolated is not None:
        details.append("isolated" if isolated else "not isolated")
    clinician = "Recurrence: " + "; ".join(details) + " (recurrence spec §1)"
    return Explanation(clinician, _join(*sentences), _RECURRENCE_TERMS[event_class])


STRENGTHS = ("offer", "consider", "do_not_offer", "discuss", "ta_option", "dg_option", "info",
             "practice", "inference")
_STRENGTH_CLINICIAN = {
    "offer": "offer (NICE 'offer': strong, for)",
    "consider": "consider (NICE 'consider': weaker, for; benefits and harms finely balanced)",
    "do_not_offer": "do not offer (NICE 'do not offer': strong, against)",
    "discuss": "discuss (NICE communication duty: discuss, inform, shared decision)",
    "ta_option": "technology appraisal option (TA eligibility and funding criteria apply)",
    "dg_option": "diagnostics guidance option",
    "info": "information only (no action)",
    "practice": "common UK practice, not NICE",
    "inference": "inference: our reading where NICE is silent",
}


@functools.lru_cache(maxsize=256)
def explain_recommendation_strength(strength: str, lang: str = DEFAULT_LANGUAGE) -> Explanation:
    """The strength of a guidance recommendation in plain words (guidance spec §0, §0.1)."""
    _check("strength", strength, STRENGTHS)
    patient = message(f"strength.{strength}", lang)
    if strength in ("offer", "consider", "do_not_offer", "discuss", "ta_option", "dg_option"):
        patient = _join(patient, message("strength.choice", lang))
    return Explanation(f"Strength: {_STRENGTH_CLINICIAN[strength]}", patient)
