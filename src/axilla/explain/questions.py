"""The questions patients bring, each answered from this case in plain words.

Source: the questions of a woman told "micrometastasis in 1 sentinel node" (has it spread, why
no more surgery to the armpit, radiotherapy there, what the bone drug is for, would chemotherapy
help) and of a woman whose cancer came back near her scar during chemotherapy in pregnancy.
Facts: AJCC 8th / UICC 8 node categories and stage; NICE NG101 1.4.13-1.4.15 (axillary
treatment, lymphoedema as its trade-off), 1.12.1, 1.13, 1.15; NICE CG81 (recurrence); RCOG
Green-top Guideline No. 12 (pregnancy). Every sentence comes from the message catalogue
(``questions.*``), which the readability and no-advice checks cover; nothing here advises.

Stable question ids, in the order they are given where they apply: ``nodes_found``,
``has_it_spread``, ``stage``, ``axilla_treatment``, ``treatment_benefits``,
``treatment_purpose``, ``pending``, ``recurrence_signs``, and for a recurrence
``recurrence_type`` and ``what_next``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from itertools import chain
from operator import itemgetter

from pydantic import BaseModel, ConfigDict, Field

from axilla.explain.catalogue import (
    DEFAULT_LANGUAGE,
    available_languages,
    catalogue,
    formatter,
    message,
    placeholders,
)
from axilla.explain.question_facts import Advice as Advice
from axilla.explain.question_facts import Benefit as Benefit
from axilla.explain.question_facts import NodeSeen, QuestionFacts
from axilla.explain.texts import patient_number
from axilla.typed import built

QUESTION_IDS = ("nodes_found", "has_it_spread", "stage", "axilla_treatment",
                "treatment_benefits", "treatment_purpose", "pending", "recurrence_signs",
                "recurrence_type", "what_next")

#: PREDICT treatment letters, in the order patients see them, with their catalogue names.
BENEFIT_ORDER = (("h", "endocrine"), ("c", "chemotherapy"), ("t", "trastuzumab"),
                 ("b", "bisphosphonate"), ("r", "radiotherapy"))
_NODE_GROUPS = ("sentinel", "dissection", "needle_biopsy", "imaging")
_OTHER_SITES = ("internal_mammary", "supraclavicular", "infraclavicular")
_ROMAN = {"0": "0", "I": "1", "II": "2", "III": "3", "IV": "4"}
#: An event this soon after surgery is told as found "during or soon after" first treatment.
DURING_TREATMENT_MONTHS = 6.0


class PatientQuestion(BaseModel):
    """One question a patient asks, answered from this case in plain words."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: " + ", ".join(QUESTION_IDS))
    question: str
    answer: str
    glossary_terms: list[str] = Field(default_factory=list)


#: One answered question (built from texts of the catalogue: every field of its exact type, so
#: made without a second check; tests/explain/test_built_once.py reads each back).
_Answer = PatientQuestion
_ALL_FIELDS = frozenset(PatientQuestion.model_fields)


def _m(key: str, lang: str, **values: object) -> str:
    return message(f"questions.{key}", lang, **values)


class _Said(dict[str, str]):
    """The texts under ``questions.`` that take no placeholder, keyed by what follows; a key
    not among them is rendered by ``message`` (which says what is wrong with it)."""

    def __init__(self, lang: str) -> None:
        prefix = "questions."
        super().__init__({key[len(prefix):]: message(key, lang) for key, template
                          in catalogue(lang).items()
                          if key.startswith(prefix) and not placeholders(template)})
        self.lang = lang

    def __missing__(self, key: str) -> str:
        return _m(key, self.lang)


@cache
def _said(lang: str) -> _Said:
    """The fixed texts of the questions in ``lang`` (read once a language)."""
    return _Said(lang)


@cache
def _keyed(lang: str, stem: str) -> Mapping[str, str]:
    """The texts under ``questions.<stem>.``, keyed by what follows (a rule id, a fact name),
    read once a language."""
    prefix = f"questions.{stem}."
    return {key[len(prefix):]: message(key, lang) for key in catalogue(lang)
            if key.startswith(prefix)}


@cache
def rules_spoken_of() -> frozenset[str]:
    """The ids of the guidance rules some answer speaks of, in any language (the axilla
    treatment said in words, a point left open): a fired rule not among them changes no
    answer, so the facts need not carry it (read once)."""
    return frozenset([rule for lang in available_languages()
                      for stem in ("axilla_treatment.rule", "pending.open")
                      for rule in _keyed(lang, stem)])


def _join(parts: Iterable[str]) -> str:
    return " ".join([p for p in parts if p])


def _plain_stage(stage: str) -> str:
    """AJCC/UICC stage group in Arabic numerals, as patients read it (IIIA -> 3A)."""
    roman = stage.rstrip("ABC")
    return _ROMAN.get(roman, roman) + stage[len(roman):]


def _nodes_found(f: QuestionFacts, lang: str) -> _Answer:
    order = ("macro", "micro", "pos", "itc")
    sentences: list[str] = []
    terms = ["lymph_node"]
    by_group: dict[str, list[NodeSeen]] = {}
    for n in f.nodes:  # the axillary nodes, by how each was found
        if n.site not in _OTHER_SITES:
            by_group.setdefault(n.found_by, []).append(n)
    for group in _NODE_GROUPS:
        nodes = by_group.get(group)
        if not nodes:
            continue
        if group == "sentinel":
            terms.append("sentinel_node")
        cats = [n.category for n in nodes]
        if group in ("needle_biopsy", "imaging"):
            worst = next((c for c in order if c in cats), "neg")
            key = "group_imaging" if group == "imaging" else "group_needle"
            values = ({} if group == "imaging"
                      else {"what": _said(lang)[f"nodes_found.what_{worst}"]})
            sentences.append(_m(f"nodes_found.{key}", lang, **values))
            continue
        key = f"nodes_found.group_{group}"
        if len(nodes) == 1 and group == "sentinel":
            sentences.append(formatter("questions.nodes_found.group_sentinel_one", lang, "what")(
                what=_said(lang)[f"nodes_found.what_{cats[0]}"]))
            continue
        shown = [c for c in order if c in cats] or ["neg"]
        for cat in shown:
            sentences.append(_m(key, lang, count=cats.count(cat), total=len(nodes),
                                what=_said(lang)[f"nodes_found.what_{cat}"]))
    for n in f.nodes:
        if n.site in _OTHER_SITES and n.category != "neg":
            sentences.append(_m("nodes_found.group_other_site", lang,
                                what=_said(lang)[f"nodes_found.what_{n.category}"]))
    sizes = [n.size_mm for n in f.nodes if n.size_mm and n.category in ("micro", "macro")]
    if sizes:
        sentences.append(formatter("questions.nodes_found.largest", lang, "size_mm")(
            size_mm=f"{max(sizes):g}"))
    if not f.nodes:
        sentences.append(_said(lang)["nodes_found.none_removed"])
    seen = {n.category for n in f.nodes}
    for cat, term in (("itc", "itc"), ("micro", "micrometastasis"), ("macro", "macrometastasis")):
        if cat in seen:
            terms.append(term)
    return _question("nodes_found", _join(sentences), terms, lang)


def _has_it_spread(f: QuestionFacts, lang: str) -> _Answer:
    parts: list[str] = []
    terms = ["spread", "lymph_node"]
    if f.pn_category == "NX":
        parts.append(_said(lang)["has_it_spread.not_checked"])
    elif f.pn_category == "N0":
        parts.append(_said(lang)["has_it_spread.itc_only" if f.pn_modifier == "(i+)"
                                 else "has_it_spread.no_nodes"])
    else:
        parts.append(_said(lang)["has_it_spread.to_nodes"])
        if f.pn_category == "N1mi":
            parts.append(_said(lang)["has_it_spread.to_nodes_small"])
            terms.append("micrometastasis")
    if f.m.endswith("M1") or f.recurrence_class in ("distant", "de_novo_metastatic"):
        parts.append(_said(lang)["has_it_spread.distant"])
    elif f.recurrence_class is None:
        parts.append(_said(lang)["has_it_spread.no_distant"])
    return _question("has_it_spread", _join(parts), terms, lang)


def _stage(f: QuestionFacts, lang: str) -> _Answer:
    main = f.prognostic_stage or f.anatomic_stage
    if main is None:
        return _question("stage", _said(lang)["stage.none"], ["stage"], lang)
    if f.prognostic_stage:
        parts = [formatter("questions.stage.both", lang, "stage")(
            stage=_plain_stage(f.prognostic_stage))]
        if f.anatomic_stage and f.anatomic_stage != f.prognostic_stage:
            parts.append(formatter("questions.stage.other", lang, "other_stage")(
                other_stage=_plain_stage(f.anatomic_stage)))
    else:
        parts = [formatter("questions.stage.one", lang, "stage")(stage=_plain_stage(main))]
    return _question("stage", _join(parts), ["stage", "grade"], lang)


def _axilla_treatment(f: QuestionFacts, lang: str) -> _Answer | None:
    parts: list[str] = []
    unsure = False
    axilla_fired = False
    said = _keyed(lang, "axilla_treatment.rule")
    for rec in f.recommendations:
        text = said.get(rec.id)
        if text is None:
            continue
        parts.append(text)
        axilla_fired = axilla_fired or rec.topic == "axilla"
        unsure = unsure or (rec.uncertain is not None and rec.topic == "radiotherapy")
    if not parts:
        return None
    if unsure:
        parts.append(_said(lang)["axilla_treatment.nodal_rt_unsure"])
    if axilla_fired:
        parts.append(_said(lang)["axilla_treatment.tradeoff"])
    terms = ["axilla", "axillary_clearance", "radiotherapy", "lymphoedema"]
    return _question("axilla_treatment", _join(parts), terms, lang)


@cache
def _treatment_names(lang: str) -> Mapping[str, str]:
    """The name of each PREDICT treatment in ``lang`` (read once a language)."""
    return {name: message(f"treatment.{name}", lang) for _, name in BENEFIT_ORDER}


def _treatment_benefits(f: QuestionFacts, lang: str) -> _Answer:
    if f.predict_version is None or not f.benefits:
        return _question("treatment_benefits", _said(lang)["treatment_benefits.not_available"],
                         ["predict"], lang)
    parts = [formatter("questions.treatment_benefits.intro", lang, "version", "years")(
        version=f.predict_version, years=f.year)]
    by_letter = {b.letter: b for b in f.benefits}
    names = _treatment_names(lang)
    terms = ["predict", "overall_survival"]
    for letter, name in BENEFIT_ORDER:
        b = by_letter.get(letter)
        if b is None:
            continue
        treatment = names[name]
        terms.append(_TERM[name])
        if b.chosen:
            pp, stem = b.benefit_pp, "in_plan"
        elif b.if_added_pp is None:
            if letter in _ONLY_FOR_SOME:
                parts.append(_m("treatment_benefits.not_for_you", lang, treatment=treatment))
            continue
        else:
            pp, stem = b.if_added_pp, "if_added"
        extra = patient_number(pp)
        key = f"questions.treatment_benefits.{stem}"
        if pp < 0.5:
            parts.append(formatter(f"{key}_small", lang, "treatment")(treatment=treatment))
        elif extra == "1":
            parts.append(formatter(f"{key}_one", lang, "treatment")(treatment=treatment))
        else:
            parts.append(formatter(key, lang, "treatment", "extra")(treatment=treatment,
                                                                    extra=extra))
    parts.append(_said(lang)["treatment_benefits.groups"])
    return _question("treatment_benefits", _join(parts), terms, lang)


#: Treatments that work only for some cancers (ER-positive, HER2-positive): when PREDICT gives
#: no gain for them, the answer says why instead of leaving them out.
_ONLY_FOR_SOME = ("h", "t")
_TERM = {"endocrine": "endocrine_therapy", "chemotherapy": "chemotherapy",
         "trastuzumab": "trastuzumab", "bisphosphonate": "bisphosphonate",
         "radiotherapy": "radiotherapy"}
_PLAN_ORDER = (("r", "radiotherapy"), ("h", "endocrine"), ("c", "chemotherapy"),
               ("t", "trastuzumab"), ("b", "bisphosphonate"))


def _treatment_purpose(f: QuestionFacts, lang: str) -> _Answer:
    chosen = [name for letter, name in _PLAN_ORDER if letter in f.plan]
    parts = [_said(lang)[f"treatment_purpose.{name}"] for name in chosen]
    if not parts:
        parts.append(_said(lang)["treatment_purpose.none"])
    told = f.pregnant and f.recurrence_class is None  # after a recurrence: in what_next
    if told:
        parts.append(_pregnancy(f, lang))
    terms = [_TERM[n] for n in chosen] + (["obstetrician"] if told else [])
    return _question("treatment_purpose", _join(parts), terms, lang)


def _pregnancy(f: QuestionFacts, lang: str) -> str:
    parts = [_said(lang)["pregnancy.note"]]
    if "r" in f.plan:
        parts.append(_said(lang)["pregnancy.radiotherapy"])
    if "c" in f.plan:
        parts.append(_said(lang)["pregnancy.chemotherapy"])
    if "h" in f.plan:
        parts.append(_said(lang)["pregnancy.endocrine"])
    if "t" in f.plan:
        parts.append(_said(lang)["pregnancy.trastuzumab"])
    if f.recurrence_class is not None:
        parts.append(_said(lang)["pregnancy.scans"])
    return _join(parts)


def _pending(f: QuestionFacts, lang: str) -> _Answer:
    facts, still_open = _keyed(lang, "pending.fact"), _keyed(lang, "pending.open")
    item = formatter("questions.pending.item", lang, "what")
    # each missing fact once, in the order first named, where there are words for it
    named = dict.fromkeys(chain.from_iterable(map(itemgetter(1), f.undecided)))
    parts = [item(what=facts[fact]) for fact in named if fact in facts]
    for rec in f.recommendations:
        what = None if rec.uncertain is None else still_open.get(rec.id)
        if what is not None:
            parts.append(formatter("questions.pending.unsure", lang, "what")(what=what))
    if not parts:
        parts.append(_said(lang)["pending.nothing"])
    return _question("pending", _join(parts), [], lang)


@cache
def _recurrence_signs_answer(lang: str) -> str:
    """The answer to "what signs should I look out for", the same for everyone (read once a
    language)."""
    said = _said(lang)
    return _join([said[f"recurrence_signs.{k}"] for k in ("local", "regional", "distant",
                                                          "contact")])


def _recurrence_signs(lang: str) -> _Answer:
    return _question("recurrence_signs", _recurrence_signs_answer(lang),
                     ["local_recurrence", "regional_recurrence", "distant_recurrence"], lang)


def _recurrence_type(f: QuestionFacts, lang: str) -> _Answer:
    parts = [f.recurrence_patient_text or ""]
    if f.during_primary_treatment:
        parts.append(_said(lang)["recurrence_type.during_treatment"])
    terms = ["recurrence", {"local": "local_recurrence", "regional": "regional_recurrence",
                            "locoregional": "regional_recurrence",
                            "distant": "distant_recurrence"}.get(f.recurrence_class or "",
                                                                 "new_primary")]
    return _question("recurrence_type", _join(parts), terms, lang)


def _what_next(f: QuestionFacts, lang: str) -> _Answer:
    parts = [_said(lang)[f"what_next.{k}"] for k in ("restaging", "biopsy", "options", "support")]
    if f.pregnant:
        parts.append(_pregnancy(f, lang))
    terms = ["scan", "biopsy"] + (["obstetrician"] if f.pregnant else [])
    return _question("what_next", _join(parts), terms, lang)


def _question(qid: str, answer: str, terms: Sequence[str], lang: str) -> _Answer:
    return built(PatientQuestion, {"id": qid, "question": _asked(lang)[qid], "answer": answer,
                                   "glossary_terms": list(dict.fromkeys(terms))}, _ALL_FIELDS)


@cache
def _asked(lang: str) -> Mapping[str, str]:
    """Each question in ``lang``, by its id (read once a language)."""
    return {qid: _said(lang)[f"{qid}.question"] for qid in QUESTION_IDS}


def patient_questions(facts: QuestionFacts, lang: str = DEFAULT_LANGUAGE,
                      ) -> list[PatientQuestion]:
    """The questions that apply to this case, answered, in the order of ``QUESTION_IDS``."""
    out: list[_Answer] = [_nodes_found(facts, lang), _has_it_spread(facts, lang),
                          _stage(facts, lang)]
    axilla = _axilla_treatment(facts, lang)
    if axilla is not None:
        out.append(axilla)
    if facts.recurrence_class is None:
        out.append(_treatment_benefits(facts, lang))
    out.append(_treatment_purpose(facts, lang))
    out.append(_pending(facts, lang))
    out.append(_recurrence_signs(lang))
    if facts.recurrence_class is not None:
        out += [_recurrence_type(facts, lang), _what_next(facts, lang)]
    return out
