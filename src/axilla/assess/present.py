"""Figures -> an assessment: explanations in two voices and charts, every word from the
message catalogue (``axilla.explain``, one file a language).

Source: the project design ("figures apart from words"); the texts and their sources are in
``axilla.explain.texts`` and ``messages/<lang>.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from axilla import typed
from axilla.assess.model import Assessment, Charts, Explanation, Figures, NPISection
from axilla.case.assessment import Case
from axilla.explain import (
    explain_cts5,
    explain_node_category,
    explain_npi,
    explain_pn_category,
    explain_predict_survival,
    explain_recommendation_strength,
    explain_recurrence_class,
    explain_stage_group,
    message,
)
from axilla.explain.catalogue import formatter
from axilla.explain.charts import (
    checked_curves_svg,
    icon_array,
    outcome_colours,
    stacked_bars_svg,
)
from axilla.explain.question_facts import Advice, Benefit, NodeSeen, QuestionFacts
from axilla.explain.questions import (
    DURING_TREATMENT_MONTHS,
    PatientQuestion,
    patient_questions,
    rules_spoken_of,
)
from axilla.explain.texts import STRENGTHS
from axilla.explain.texts import Explanation as Text
from axilla.guidance import GuidanceResult
from axilla.models.predict.results import PredictResult, TreatmentBenefit
from axilla.staging import StagingResult
from axilla.typed import built

#: The fields each result of ``present`` is built with: all of them, each already of its exact
#: type (texts, new lists of terms, whole icons), so the models are made without a second
#: check; tests/explain/test_built_once.py reads each back through validation.
_ALL_EXPLANATION, _ALL_CHARTS, _ALL_ASSESSMENT = (
    frozenset(m.model_fields) for m in (Explanation, Charts, Assessment))
#: The year the icon array shows (PREDICT's usual reporting horizon).
ICON_ARRAY_YEAR = 10
#: The years after 0 that the survival curves show, and the years of the stacked bars.
_CURVE_YEARS = tuple(range(1, 16))
#: The years of the survival curves as floats, from 0 (each curve is 100 % at year 0).
_CURVE_T = (0.0, *map(float, _CURVE_YEARS))
_BAR_YEARS = (5, 10, 15)
_NODE_WORD = {"neg": "negative", "itc": "itc", "micro": "micrometastasis",
              "macro": "macrometastasis"}
_TREATMENT_KEY = {"h": "endocrine", "c": "chemotherapy", "t": "trastuzumab",
                  "b": "bisphosphonate", "r": "radiotherapy"}


def chart_counts(r: PredictResult, year: int, lang: str = "en") -> dict[str, float]:
    """Percent of 100 women in each outcome at ``year``: alive without the chosen treatments'
    benefit, extra alive with each, dead of breast cancer, dead of other causes."""
    return _chart_counts(r, year, _outcome_labels(lang), _extra_labels(r, lang))


def _extra_labels(r: PredictResult, lang: str) -> tuple[str | None, ...]:
    """The "extra alive with ..." label of each treatment step of ``r``, None where not
    chosen (read once a chart set, for all its years)."""
    extra = _chart_words(lang).extra_alive
    return tuple([extra(treatment=b.treatment) if b.chosen else None for b in r.benefits])


class _ChartWords(NamedTuple):
    """The words of the charts in one language: templates as functions of their placeholders
    (``formatter``), fixed labels, and the label of each bar's year."""

    extra_alive: Callable[..., str]
    icon_heading: Callable[..., str]
    curve_heading: Callable[..., str]
    bars_heading: Callable[..., str]
    series_surgery_only: str
    bar_labels: dict[int, str]


@cache
def _chart_words(lang: str) -> _ChartWords:
    """The charts' words in ``lang`` (read once a language)."""
    bar_label = formatter("chart.bar_label", lang, "years")
    return _ChartWords(
        formatter("chart.label_extra_alive", lang, "treatment"),
        formatter("chart.icon_heading", lang, "years", "model"),
        formatter("chart.curve_heading", lang, "model"),
        formatter("chart.bars_heading", lang, "model"),
        message("chart.label_series_surgery_only", lang),
        {t: bar_label(years=t) for t in _BAR_YEARS})


def _chart_counts(r: PredictResult, year: int, labels: tuple[str, str, str, str],
                  extra_labels: Sequence[str | None]) -> dict[str, float]:
    """``chart_counts`` with the labels of its language already read (``_outcome_labels``,
    ``_extra_labels``)."""
    treated = r.steps[-1]
    chosen = []
    extra = 0.0  # the sum of the chosen treatments' gains, added in order as ``sum`` adds
    for b, label in zip(r.benefits, extra_labels, strict=True):
        if label is not None:
            pp = b.benefit_pp[year]
            if pp > 0:
                chosen.append((label, pp))
                extra += pp
    all_help = len(chosen) == len(extra_labels) - extra_labels.count(None)
    surgery_only, after_harms, breast_cancer, other_causes = labels
    counts: dict[str, float] = {(surgery_only if all_help else after_harms):
                                max(treated.overall_survival_pct[year] - extra, 0.0)}
    for label, pp in chosen:
        counts[label] = pp
    counts[breast_cancer] = treated.breast_cancer_mortality_pct[year]
    counts[other_causes] = max(100.0 - sum(counts.values()), 0.0)
    return counts


@cache
def _outcome_labels(lang: str) -> tuple[str, str, str, str]:
    """The fixed outcome labels of ``lang``: alive with surgery only, alive allowing for
    treatment harms, died of breast cancer, died of other causes (read once a language)."""
    return (message("chart.label_alive_surgery_only", lang),
            message("chart.label_alive_after_harms", lang),
            message("chart.label_die_breast_cancer", lang),
            message("chart.label_die_other_causes", lang))


def _same_groups(bars: dict[str, dict[str, float]], lang: str) -> dict[str, dict[str, float]]:
    """The bars of ``chart_counts`` with one set of groups in one order: alive, extra alive
    with each treatment (0 in a year it adds nothing), died of breast cancer, of other causes;
    "alive, allowing for treatment harms" names the first group of every bar if of any."""
    groups = [list(b) for b in bars.values()]
    if groups.count(groups[0]) == len(groups):
        return bars  # one set of groups already: each bar as it is
    harms = _outcome_labels(lang)[1]
    alive = harms if any(g[0] == harms for g in groups) else groups[0][0]
    extras = list(dict.fromkeys([k for g in groups for k in g[1:-2]]))
    breast, other = groups[0][-2:]
    out = {}
    for label, b in bars.items():
        values = list(b.values())
        row = {alive: values[0]}
        for g in extras:
            row[g] = b.get(g, 0.0)
        row[breast], row[other] = values[-2:]
        out[label] = row
    return out


def charts(f: Figures, year: int = ICON_ARRAY_YEAR, lang: str = "en") -> Charts:
    """The icon array and the survival curves of PREDICT's result (none without it)."""
    r = f.predict.result
    if r is None:
        return Charts()
    words = _chart_words(lang)
    labels, extra_labels = _outcome_labels(lang), _extra_labels(r, lang)
    counts = _chart_counts(r, year, labels, extra_labels)
    model = f"{r.model.name} {r.model.version}"
    n_icons, icons = icon_array(
        counts, title=words.icon_heading(years=year, model=model), lang=lang,
        colours=outcome_colours(len(counts)))
    series = {words.series_surgery_only:
              [100.0, *map(r.surgery_only.overall_survival_pct.__getitem__, _CURVE_YEARS)]}
    for step, b in zip(r.steps, r.benefits, strict=True):  # one curve a treatment step
        if b.chosen:
            series[f"+ {b.treatment}"] = [
                100.0, *map(step.overall_survival_pct.__getitem__, _CURVE_YEARS)]
    # PREDICT's percentages are floats from 0 to 100 a year: drawn without a second check
    curves = checked_curves_svg(_CURVE_T, series, words.curve_heading(model=model), lang)
    grouped = _same_groups({words.bar_labels[t]:
                            counts if t == year else _chart_counts(r, t, labels, extra_labels)
                            for t in _BAR_YEARS if t in r.years}, lang)
    bars = stacked_bars_svg(
        grouped, title=words.bars_heading(model=model), lang=lang,
        colours=outcome_colours(len(next(iter(grouped.values())))))
    return built(Charts, {"icon_array_year": year,
                          "icon_array_counts": dict(zip(counts, n_icons, strict=True)),
                          "icon_array_svg": icons, "survival_curves_svg": curves,
                          "stacked_bars_svg": bars}, _ALL_CHARTS)


@cache
def _plain_strengths(lang: str) -> dict[str, Text]:
    """Each strength of a recommendation in plain words in ``lang`` (read once a language; a
    strength not among them is explained, or refused, by ``explain_recommendation_strength``)."""
    return {strength: explain_recommendation_strength(strength, lang) for strength in STRENGTHS}


#: The words of a fired rule: its topic, the clinician's line, the patient's sentence on its
#: strength, and glossary terms.
_RuleText = tuple[str, str, str, tuple[str, ...]]
#: At most this many rule texts are kept a language (a rule set has some hundred rules, each
#: with a few variants); beyond it texts are still told, just not kept.
_RULE_TEXTS_MAX = 4096


@cache
def _rule_texts(lang: str) -> dict[tuple[str, str, str, str, str], _RuleText]:
    """The words of each fired rule in ``lang``, keyed by the rule set's own fields of the
    recommendation (id, topic, strength, text, citation): filled as rules are first met, so
    a rule's words are written once a language, not once a case."""
    return {}


def _rule_text(said: dict[tuple[str, str, str, str, str], _RuleText],
               key: tuple[str, str, str, str, str], lang: str) -> _RuleText:
    """The words of a fired rule from its fields ``key`` (kept in ``said`` while it has room):
    "guidance:<topic>", "<id> (<strength>): <text> [<citation>]", and the strength in plain
    words (``explain_recommendation_strength``)."""
    rule_id, topic, strength, text, cite = key
    plain = _plain_strengths(lang).get(strength) or explain_recommendation_strength(strength,
                                                                                   lang)
    told = (f"guidance:{topic}", f"{rule_id} ({strength}): {text} [{cite}]", plain.patient,
            plain.terms)
    if len(said) < _RULE_TEXTS_MAX:
        said[key] = told
    return told


#: The fields set of every explanation record (all four, given): one set shared by the records,
#: as their text values are; pydantic copies it before any update (``model_copy``).
_EXPLANATION_FIELDS_SET = set(_ALL_EXPLANATION)


def explanations(case: Case, f: Figures, lang: str = "en") -> list[Explanation]:
    """Every result of the figures in a clinician's line and a patient's sentence."""
    told: list[tuple[str, Text]] = []
    staging = f.staging
    for node, result in zip(case.nodes, staging.nodes, strict=True):
        word = _NODE_WORD.get(result.category)
        if word:
            told.append(("node", explain_node_category(
                word, node.deposit_mm if word != "negative" else None, lang)))
    if staging.pN.category != "NX":
        told.append(("pN", explain_pn_category(staging.pN.display, staging.positive_nodes,
                                               lang)))
    if staging.anatomic_stage:
        told.append(("stage", explain_stage_group(staging.anatomic_stage, "anatomic", lang)))
    if staging.pathological_prognostic_stage:
        told.append(("stage", explain_stage_group(staging.pathological_prognostic_stage,
                                                  "pathological_prognostic", lang)))
    r = f.predict.result
    if r is not None:
        benefits = {_TREATMENT_KEY[b.letter]: max(b.benefit_pp[10], 0.0) for b in r.benefits
                    if b.chosen and b.letter in _TREATMENT_KEY}
        told.append(("predict", explain_predict_survival(
            r.model.version, 10, r.surgery_only.overall_survival_pct[10],
            r.steps[-1].overall_survival_pct[10], benefits, lang)))
    for index in f.indices:
        if index.result is None:
            continue
        if isinstance(index, NPISection):
            told.append(("npi", explain_npi(index.result.score, index.result.group6, lang)))
        else:
            told.append(("cts5", explain_cts5(index.result.score, index.result.group, lang)))
    event = f.recurrence.event
    if event is not None:
        told.append(("recurrence", explain_recurrence_class(
            event.event_class, event.local_subclass, confirmed=event.confirmed,
            isolated=event.isolated, lang=lang)))
    # ``built(Explanation, ...)`` inline, one fields set shared (~40 records a case)
    new, set_dict, set_fields_set, set_extra, set_private = (
        typed.new, typed.set_dict, typed.set_fields_set, typed.set_extra, typed.set_private)
    fields_set = _EXPLANATION_FIELDS_SET
    out: list[Explanation] = []
    for topic, e in told:
        record = new(Explanation)
        set_dict(record, {"topic": topic, "clinician": e.clinician, "patient": e.patient,
                          "glossary_terms": [*e.terms]})
        set_fields_set(record, fields_set)
        set_extra(record, None)
        set_private(record, None)
        out.append(record)
    said = _rule_texts(lang)
    for rec in f.guidance.recommendations:
        d = rec.__dict__
        key = (d["id"], d["topic"], d["strength"], d["text"], d["cite"])
        topic, clinician, patient, terms = said.get(key) or _rule_text(said, key, lang)
        record = new(Explanation)
        set_dict(record, {"topic": topic, "clinician": clinician, "patient": patient,
                          "glossary_terms": [*terms]})
        set_fields_set(record, fields_set)
        set_extra(record, None)
        set_private(record, None)
        out.append(record)
    return out


#: A named tuple (``Advice``, ``Benefit``, ``NodeSeen``) made straight from all its values,
#: without the Python frame of its constructor: ``_tuple(Advice, (id, topic, uncertain))``.
_tuple = tuple.__new__


def benefits_from(predict_benefits: Sequence[TreatmentBenefit], year: int,
                  if_added: Mapping[str, float | None] | None = None) -> tuple[Benefit, ...]:
    """``Benefit`` entries from PREDICT's typed benefits (``letter``, ``chosen``,
    ``benefit_pp``) and, for treatments not chosen, what adding each would give (their own
    ``if_added_pp``, or ``if_added`` where given)."""
    out = []
    for b in predict_benefits:
        own = None if b.if_added_pp is None else b.if_added_pp.get(year)
        added = own if if_added is None else if_added.get(b.letter)
        out.append(_tuple(Benefit, (b.letter, b.chosen, float(b.benefit_pp[year]), added)))
    return tuple(out)




def question_facts(case: Case, staging: StagingResult, predict: PredictResult | None,
                   guidance: GuidanceResult, event: Any | None = None,
                   event_text: str | None = None,
                   if_added: Mapping[str, float | None] | None = None,
                   year: int = 10) -> QuestionFacts:
    """The facts the answers need, read from a case and its typed results (of the fired
    recommendations, those some answer speaks of: ``rules_spoken_of``)."""
    spoken_of = rules_spoken_of()
    plan = case.treatment
    letters = {"r": plan.radiotherapy, "h": plan.endocrine_therapy,
               "c": plan.chemotherapy != "none", "t": plan.trastuzumab,
               "b": plan.bisphosphonates}
    recurrence = case.recurrence
    during = bool(recurrence is not None and (
        getattr(recurrence, "on_adjuvant_chemotherapy", False)
        or (recurrence.months_since_primary_surgery is not None
            and recurrence.months_since_primary_surgery <= DURING_TREATMENT_MONTHS)))
    return QuestionFacts(
        nodes=tuple([_tuple(NodeSeen, (n.found_by, n.site, n.category, n.size_used_mm))
                     for n in staging.nodes]),
        pn_category=staging.pN.category, pn_modifier=staging.pN.modifier, m=staging.M,
        anatomic_stage=staging.anatomic_stage,
        prognostic_stage=staging.pathological_prognostic_stage,
        recommendations=tuple([_tuple(Advice, (r.id, r.topic, r.conditional_on or r.uncertain))
                                for r in guidance.recommendations if r.id in spoken_of]),
        undecided=tuple([(u.id, u.missing) for u in guidance.undecided]),  # each a tuple
        predict_version=predict.model.version if predict else None,
        benefits=benefits_from(predict.benefits, year, if_added) if predict else (),
        year=year,
        plan=frozenset(k for k, v in letters.items() if v),
        pregnant=bool(case.guidance_facts.get("pregnant", False)),
        recurrence_class=None if event is None else str(event.event_class),
        recurrence_patient_text=event_text,
        during_primary_treatment=during,
    )


def questions(case: Case, f: Figures, lang: str = "en") -> list[PatientQuestion]:
    """The questions a patient brings, answered from this case (``axilla.explain.questions``)."""
    event = f.recurrence.event
    text = None if event is None else explain_recurrence_class(
        event.event_class, event.local_subclass, confirmed=event.confirmed,
        isolated=event.isolated, lang=lang).patient
    return patient_questions(question_facts(case, f.staging, f.predict.result, f.guidance,
                                            event, text, year=ICON_ARRAY_YEAR), lang)


def present(case: Case, f: Figures, *, lang: str = "en") -> Assessment:
    """The assessment of one case: its figures with explanations, the patient's questions
    answered, and charts, all in ``lang``."""
    # the figures' fields as they are, then the words and pictures built here
    return built(Assessment, {**f.__dict__, "explanations": explanations(case, f, lang),
                              "patient_questions": questions(case, f, lang),
                              "charts": charts(f, lang=lang)}, _ALL_ASSESSMENT)
