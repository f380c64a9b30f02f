"""One view model of an assessment: what every renderer shows, already worded and formatted.

The terminal (``axilla assess``), the HTML report, and the web pages' results, patient and
print views all render this one model, so a figure, a table or a reason reads the same
everywhere. Source of the words: the assessment itself (engine reasons, guidance paraphrases
and citations), the message catalogue for patient sentences, and the glossary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from axilla.errors import InputError
from axilla.explain.benefit_ranges import benefit_cell, range_caption
from axilla.explain.glossary import glossary_entry
from axilla.models.npi import NPIResult

if TYPE_CHECKING:
    from axilla.assess import Assessment
    from axilla.case.assessment import Case
    from axilla.guidance.models import Recommendation
    from axilla.models.predict.results import PredictResult

#: The years the PREDICT tables show.
TABLE_YEARS = (5, 10, 15)
NOTICE = ("Decision support, not a medical device. Every figure names the model that produced "
          "it; the team makes the decisions.")


@dataclass(frozen=True)
class Table:
    """A table ready to print: a caption, a header and rows (first cell the row's label)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PredictView:
    """PREDICT's overall survival by treatment and each treatment's benefit, or why not."""

    applicable: bool
    reasons: tuple[str, ...]
    model: str = ""
    survival: Table | None = None
    benefits: Table | None = None
    source: str = ""
    if_added: Table | None = None


@dataclass(frozen=True)
class IndexView:
    """One prognostic index in a line (score and group), its source, or why it does not apply."""

    name: str
    applicable: bool
    line: str
    source: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RecommendationView:
    """One guidance option: strength, our paraphrase, citation, rule id and why it fired."""

    id: str
    topic: str
    strength: str
    strength_label: str
    text: str
    cite: str
    source_kind: str
    note: str | None
    because: str
    caveats: tuple[str, ...] = ()
    conditional_on: str | None = None


@dataclass(frozen=True)
class TopicView:
    """The options of one guidance topic, under the rule set's title for it."""

    id: str
    title: str
    recommendations: tuple[RecommendationView, ...]


@dataclass(frozen=True)
class NodeView:
    """One lymph node: number, how found, category and why."""

    number: int
    found_by: str
    category: str
    reason: str


@dataclass(frozen=True)
class StagingView:
    """AJCC staging: categories, stage groups, the nodes and the reasons."""

    summary: str
    pT: str  # noqa: N815 (the AJCC's own name)
    pN: str  # noqa: N815 (the AJCC's own name)
    M: str
    anatomic: str
    pathological: str
    clinical: str | None
    nodes: tuple[NodeView, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    edition: str


@dataclass(frozen=True)
class QuestionView:
    """One patient question with its answer from this case (stable ``id``)."""

    id: str
    question: str
    answer: str


@dataclass(frozen=True)
class AssessmentView:
    """Everything a renderer shows of one assessment."""

    title: str
    case_id: str | None
    notice: str
    staging: StagingView
    predict: PredictView
    indices: tuple[IndexView, ...]
    ruleset_version: str
    topics: tuple[TopicView, ...]
    axilla_recommendations: tuple[RecommendationView, ...]
    undecided: tuple[str, ...]
    recurrence_class: str | None
    recurrence_reasons: tuple[str, ...]
    risk_factors_present: tuple[str, ...]
    risk_factors: tuple[tuple[str, str, str, str], ...]  # (factor, value, present, strength)
    warnings: tuple[str, ...]
    clinician_texts: tuple[tuple[str, str], ...]
    patient_texts: tuple[str, ...]
    questions: tuple[QuestionView, ...]
    glossary: tuple[tuple[str, str], ...]
    icon_array_year: int | None
    icon_array_svg: str | None
    survival_curves_svg: str | None
    stacked_bars_svg: str | None
    provenance: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...] = ()
    lang: str = "en"
    direction: str = "ltr"
    review_status: str = ""
    dated: str = ""


def _pct(x: float) -> str:
    return f"{x:.1f}"


def predict_tables(r: PredictResult, lang: str = "en") -> tuple[Table, Table]:
    """The one PREDICT table pair: overall survival as each chosen treatment is added, and
    each treatment's benefit (as displayed by the source, with its 95% range), 5, 10, 15 y."""
    years = tuple(t for t in TABLE_YEARS if t in r.years)
    header = ("Treatment", *(f"{t} years" for t in years))
    rows = [("Surgery only", *(_pct(r.surgery_only.overall_survival_pct[t]) for t in years))]
    rows += [(f"+ {b.treatment}", *(_pct(step.overall_survival_pct[t]) for t in years))
             for step, b in zip(r.steps, r.benefits, strict=True) if b.chosen]
    benefits = [(b.treatment, "yes" if b.chosen else "no",
                 *(benefit_cell(b, t) for t in years)) for b in r.benefits]
    benefits.append(("All chosen treatments", "",
                     *(_pct(r.total_benefit.displayed_pp[t]) for t in years)))
    model = f"{r.model.name} {r.model.version}"
    return (Table(f"{model}: overall survival, %", header, tuple(rows)),
            Table("Share of the chosen plan's survival from each treatment (percentage points)."
                  + range_caption(r, lang), ("Treatment", "Chosen", *header[1:]), tuple(benefits)))


def if_added_table(r: PredictResult) -> Table | None:
    """What adding each treatment not chosen would give to the chosen plan (pp), or why not;
    None when every treatment is chosen."""
    years = tuple(t for t in TABLE_YEARS if t in r.years)
    rows = []
    for b in r.benefits:
        if b.chosen:
            continue
        if b.if_added_pp is None:
            rows.append((b.treatment, *("not applicable" for _ in years)))
        else:
            rows.append((b.treatment, *(_pct(b.if_added_pp[t]) for t in years)))
    if not rows:
        return None
    return Table("If added to the chosen plan: additional overall survival (percentage points)",
                 ("Treatment not chosen", *(f"{t} years" for t in years)), tuple(rows))


def predict_view(a: Assessment, lang: str = "en") -> PredictView:
    """PREDICT's tables and source, or the reasons it does not apply."""
    r = a.predict.result
    if r is None:
        return PredictView(False, tuple(a.predict.not_applicable_reasons))
    survival, benefits = predict_tables(r, lang)
    model = f"{r.model.name} {r.model.version}"
    return PredictView(
        True, (), model, survival, benefits,
        f"{model}: {r.model.source} (dated {r.model.dated}). Estimates for groups of similar "
        "women, not a prediction for one person. A treatment not chosen shows 0.0 as its share "
        "of the plan; what adding it would give is in its own table.", if_added_table(r))


def index_views(a: Assessment) -> tuple[IndexView, ...]:
    """NPI and CTS5 in a line each."""
    out = []
    for ix in a.indices:
        res = ix.result
        if res is None:
            out.append(IndexView(ix.name, False, "not applicable", "",
                                 tuple(ix.not_applicable_reasons)))
            continue
        if isinstance(res, NPIResult):
            line = f"score {res.score:g}, {res.group6_label} ({res.group6})"
        else:  # CTS5: shown to 4 decimals, as axilla.models.cts5 documents for display
            line = f"score {res.score:.4f}, {res.group} risk"
        p = res.provenance
        out.append(IndexView(ix.name, True, line,
                             f"{p.model} ({p.version}): {p.source}", ()))
    return tuple(out)


def recommendation_view(rec: Recommendation) -> RecommendationView:
    """One guidance option as shown."""
    return RecommendationView(
        id=rec.id, topic=rec.topic, strength=rec.strength,
        strength_label=rec.strength.replace("_", " "), text=rec.text, cite=rec.cite,
        source_kind=rec.source_kind, note=rec.note,
        because=", ".join(f"{k} = {v}" for k, v in rec.facts.items()),
        caveats=tuple(f"{c.text} ({c.cite}; rule {c.rule_id})" for c in rec.caveats),
        conditional_on=rec.conditional_on)


def _glossary(a: Assessment) -> tuple[tuple[str, str], ...]:
    terms: list[str] = []
    for q in a.patient_questions:
        terms += [t for t in q.glossary_terms if t not in terms]
    for e in a.explanations:
        terms += [t for t in e.glossary_terms if t not in terms]
    out = []
    for t in terms:
        try:
            g = glossary_entry(t)
        except (InputError, KeyError, ValueError):  # a term without an entry is not listed
            continue
        out.append((g.term, g.plain))
    return tuple(out)


_UNITS = (("_mm", " (mm)"), ("_years", " (years)"), ("_gy", " (Gy)"), ("_percent", " (%)"),
          ("_months", " (months)"))


def _words(path: str) -> str:
    """A case path in words with its unit: ``tumour.invasive_sizes_mm`` -> "Tumour: invasive
    sizes (mm)"."""
    parts = path.split(".")
    last = parts[-1]
    for suffix, unit in _UNITS:
        if last.endswith(suffix):
            last = last[: -len(suffix)] + unit
            break
    parts[-1] = last
    head = ": ".join(p.replace("_", " ") for p in parts)
    return head[:1].upper() + head[1:]


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list | tuple):
        return "; ".join(_value(x) for x in v)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v).replace("_", " ")


def inputs_used(case: Case) -> tuple[tuple[str, str], ...]:
    """The facts of a case as given (defaults left out), in words, nodes in one line each."""
    data = case.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            out.append((_words(prefix), _value(value)))

    nodes = data.pop("nodes", [])
    data.pop("case_id", None)
    walk("", data)
    for i, n in enumerate(nodes, 1):
        out.append((f"Lymph node {i}", ", ".join(
            f"{_words(k).lower()} {_value(v)}" for k, v in n.items())))
    return tuple(out)


def _undecided(a: Assessment) -> tuple[str, ...]:
    """Options left open, one line a missing fact in words (its description in the fact
    schema, ``case/fields.yaml``) with the rule ids waiting for it; never the field name."""
    from axilla.case.facts import load_fields

    fields = load_fields()
    waiting: dict[str, list[str]] = {}
    for u in a.guidance.undecided:
        for fact in u.missing:
            waiting.setdefault(fact, []).append(u.id)
    out = []
    for fact, ids in waiting.items():
        spec = fields.get(fact)
        words = spec.description if spec is not None and spec.description else (
            fact.replace("_", " "))
        out.append(f"{words[:1].upper()}{words[1:]}: {', '.join(ids)}")
    return tuple(out)


def _staging(a: Assessment) -> StagingView:
    s = a.staging
    return StagingView(
        summary=s.summary(), pT=s.pT.display, pN=s.pN.display, M=s.M,
        anatomic=s.anatomic_stage or "not assigned",
        pathological=s.pathological_prognostic_stage or "not assigned",
        clinical=s.clinical_prognostic_stage,
        nodes=tuple(NodeView(n.index + 1, n.found_by, n.category, n.reason) for n in s.nodes),
        reasons=tuple(s.reasons), missing=tuple(s.missing_inputs), edition=s.edition)


def build_view(a: Assessment, topic_titles: Mapping[str, str] | None = None, *,
               lang: str = "en", dated: date | None = None, case: Case | None = None,
               ) -> AssessmentView:
    """The view model of one assessment in ``lang`` (the language it was presented in),
    dated ``dated`` (default today), with the inputs of ``case`` when given; ``topic_titles``
    default to the rule set's."""
    from axilla.explain.catalogue import catalogue

    words = catalogue(lang)
    if topic_titles is None:
        from axilla.guidance import load_rules

        topic_titles = dict(load_rules().topics)
    topics = tuple(
        TopicView(t, topic_titles.get(t, t.replace("_", " ").capitalize()),
                  tuple(recommendation_view(r) for r in recs))
        for t, recs in a.guidance.by_topic.items())
    event = a.recurrence.event
    patient: list[str] = []
    for e in a.explanations:
        if not e.topic.startswith("guidance:") and e.patient not in patient:
            patient.append(e.patient)
    prov = a.provenance
    return AssessmentView(
        title="axilla assessment" + (f": {a.case_id}" if a.case_id else ""),
        case_id=a.case_id, notice=NOTICE, staging=_staging(a), predict=predict_view(a, lang),
        indices=index_views(a), ruleset_version=a.guidance.ruleset_version, topics=topics,
        axilla_recommendations=tuple(recommendation_view(r) for r in a.guidance.recommendations
                                     if r.topic == "axilla"),
        undecided=_undecided(a),
        recurrence_class=event.event_class if event else None,
        recurrence_reasons=tuple(event.reasons) if event else (),
        risk_factors_present=tuple(f"{f.id.replace('_', ' ')} ({f.strength})"
                                   for f in a.recurrence.risk_factors.factors if f.present),
        risk_factors=tuple((f.id.replace("_", " ").capitalize(), str(f.value),
                            {True: "yes", False: "no", None: "not known"}[f.present], f.strength)
                           for f in a.recurrence.risk_factors.factors),
        warnings=tuple(a.warnings),
        clinician_texts=tuple((e.topic.replace("guidance:", "guidance, "), e.clinician)
                              for e in a.explanations),
        patient_texts=tuple(patient),
        questions=tuple(QuestionView(q.id, q.question, q.answer) for q in a.patient_questions),
        glossary=_glossary(a),
        icon_array_year=a.charts.icon_array_year, icon_array_svg=a.charts.icon_array_svg,
        survival_curves_svg=a.charts.survival_curves_svg,
        stacked_bars_svg=a.charts.stacked_bars_svg,
        provenance=(
            ("axilla", prov.axilla_version),
            ("PREDICT", (prov.predict_version or "not applicable")
             + (f" ({prov.predict_source})" if prov.predict_source else "")),
            ("Guidance rule set", prov.ruleset_version),
            ("Staging", prov.staging_edition),
            ("Input SHA-256", prov.input_sha256),
        ),
        inputs=inputs_used(case) if case is not None else (),
        lang=lang, direction=words.get("direction", "ltr"),
        review_status="" if lang == "en" else words.get("review_status", ""),
        dated=(dated or date.today()).isoformat(),
    )
