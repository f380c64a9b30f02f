"""A standalone HTML report of an assessment: a clinician section and a patient section, charts
inline as SVG, no script and nothing fetched, so it opens and prints anywhere."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from axilla.errors import InputError
from axilla.explain.glossary import glossary_entry

if TYPE_CHECKING:
    from axilla.assess import Assessment

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:1rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.25rem .5rem;
text-align:left}th{background:#f1f1f1}td.num{text-align:right}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.4rem .6rem}
.cite{color:#555;font-size:.9em}.strength{font-weight:600}
.patient p{font-size:1.1rem}figure{margin:1rem 0}
@media print{.pagebreak{page-break-before:always}}
"""


def _rows(cells: list[list[str]], header: list[str]) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(c for c in row) + "</tr>" for row in cells)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(text: object, num: bool = False) -> str:
    return f"<td class='num'>{escape(str(text))}</td>" if num else f"<td>{escape(str(text))}</td>"


def render_html(a: Assessment) -> str:
    """The report as one HTML document."""
    s = a.staging
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>axilla assessment {escape(a.case_id or '')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>axilla assessment{(' - ' + escape(a.case_id)) if a.case_id else ''}</h1>",
        "<p class='note'>Decision support, not a medical device. Every figure names the model "
        "that produced it; the team makes the decisions.</p>",
        "<section aria-labelledby='clin'><h2 id='clin'>For the clinical team</h2>",
        f"<h3>Staging</h3><p><strong>{escape(s.summary())}</strong></p><ul>",
        *(f"<li>{escape(r)}</li>" for r in s.reasons),
        f"</ul><p class='cite'>{escape(s.edition)}</p>",
    ]
    p = a.predict
    parts.append("<h3>PREDICT Breast</h3>")
    if p.result is None:
        parts.append("<p>Not run: " + escape("; ".join(p.not_applicable_reasons)) + "</p>")
    else:
        r = p.result
        years = (5, 10, 15)
        rows = [[_td("Surgery only"), *(_td(f"{r.surgery_only.overall_survival_pct[t]:.1f}",
                                           True) for t in years)]]
        for step, ben in zip(r.steps, r.benefits, strict=True):
            if ben.chosen:
                rows.append([_td("+ " + ben.treatment),
                             *(_td(f"{step.overall_survival_pct[t]:.1f}", True) for t in years)])
        parts.append(_rows(rows, ["Overall survival, %", "5 years", "10 years", "15 years"]))
        rows = [[_td(b.treatment), *(_td(f"{b.displayed_pp[t]:.1f}", True) for t in years)]
                for b in r.benefits if b.chosen]
        rows.append([_td("All chosen treatments"),
                     *(_td(f"{r.total_benefit.displayed_pp[t]:.1f}", True) for t in years)])
        parts.append(_rows(rows, ["Benefit, percentage points", "5 years", "10 years",
                                  "15 years"]))
        parts.append(f"<p class='cite'>{escape(r.model.name)} {escape(r.model.version)}: "
                     f"{escape(r.model.source)}</p>")
    for index in a.indices:
        if index.result is not None:
            res = index.result
            group = getattr(res, "group6", None) or getattr(res, "group", None)
            parts.append(f"<h3>{escape(index.name)}</h3><p>Score {escape(str(res.score))}, "
                         f"group {escape(str(group))}.</p>")
    parts.append("<h3>Guideline options</h3>")
    for topic, recs in a.guidance.by_topic.items():
        parts.append(f"<h4>{escape(topic.replace('_', ' ').capitalize())}</h4><ul>")
        for rec in recs:
            kind = "" if rec.source_kind == "nice" else f" [{rec.source_kind}, not NICE]"
            facts = ", ".join(f"{k} = {v}" for k, v in rec.facts.items())
            parts.append(
                f"<li><span class='strength'>{escape(rec.strength.replace('_', ' '))}</span>"
                f"{escape(kind)}: {escape(rec.text)} <span class='cite'>({escape(rec.id)}; "
                f"{escape(rec.cite)}; because {escape(facts)})</span></li>")
        parts.append("</ul>")
    parts.append(f"<p class='cite'>Rule set {escape(a.guidance.ruleset_version)}</p>")
    if a.recurrence.event:
        e = a.recurrence.event
        parts.append(f"<h3>Recurrence</h3><p>Class: {escape(str(e.event_class))}.</p><ul>")
        parts += [f"<li>{escape(str(x))}</li>" for x in e.reasons]
        parts.append("</ul>")
    present = [f for f in a.recurrence.risk_factors.factors if f.present]
    if present:
        parts.append("<h3>Recurrence risk factors present (a checklist, not a score)</h3><ul>")
        parts += [f"<li>{escape(f.id.replace('_', ' '))} ({escape(f.strength)})</li>"
                  for f in present]
        parts.append("</ul>")
    if a.warnings:
        parts.append("<div class='note'><ul>")
        parts += [f"<li>{escape(w)}</li>" for w in a.warnings]
        parts.append("</ul></div>")
    parts.append("</section><section class='patient pagebreak' aria-labelledby='pat'>"
                 "<h2 id='pat'>For you</h2>")
    seen = set()
    terms: list[str] = []
    for e in a.explanations:
        if e.topic.startswith("guidance:"):
            continue
        if e.patient not in seen:
            seen.add(e.patient)
            parts.append(f"<p>{escape(e.patient)}</p>")
        terms += [t for t in e.glossary_terms if t not in terms]
    if a.charts.icon_array_svg:
        parts.append(f"<figure>{a.charts.icon_array_svg}</figure>")
    if a.charts.survival_curves_svg:
        parts.append(f"<figure>{a.charts.survival_curves_svg}</figure>")
    if terms:
        parts.append("<h3>Words used here</h3><dl>")
        for t in terms:
            try:
                g = glossary_entry(t)
            except (InputError, KeyError):  # a term without an entry is not listed
                continue
            parts.append(f"<dt>{escape(g.term)}</dt><dd>{escape(g.plain)}</dd>")
        parts.append("</dl>")
    prov = a.provenance
    parts.append(f"</section><footer><p class='cite'>axilla {escape(prov.axilla_version)}; "
                 f"input SHA-256 {escape(prov.input_sha256)}</p></footer></body></html>")
    return "".join(parts)
