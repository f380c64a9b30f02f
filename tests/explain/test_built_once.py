"""Templates read once into functions, and results typed without a second check, give what
``str.format`` and the validating pydantic constructors give.

Oracles: ``str.format`` of the same template with the same values; pydantic's own validation
of the assessment's JSON (the model read back from what it writes is equal to it, field for
field, with the same fields set).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.explain.catalogue import available_languages, compiled

_NAMES = st.sampled_from(["count", "label", "years", "what", "model", "a1", "x"])
#: Literal text as a template writes it: any characters, braces doubled.
_LITERALS = st.text(max_size=12).map(lambda t: t.replace("{", "{{").replace("}", "}}"))
_VALUES = st.one_of(st.text(max_size=8), st.integers(), st.floats(), st.booleans(),
                    st.none())


@given(st.lists(st.tuples(_LITERALS, _NAMES), min_size=1, max_size=5), _LITERALS,
       st.data())
def test_a_template_read_once_renders_as_str_format(parts, tail, data):
    template = "".join([f"{literal}{{{name}}}" for literal, name in parts]) + tail
    values = {name: data.draw(_VALUES) for _, name in parts}
    assert compiled(template)(**values) == template.format(**values)


@pytest.mark.parametrize("template", [
    "{count:.1f} of {label}", "{label!r} and {count}", 'quote " and \\ backslash {x}',
    "{{literal}} {x} {x}", "{x}", "\n{x}\t'{a1}'", "{class} is a keyword", "{_x} private",
])
def test_templates_by_hand_render_as_str_format(template):
    values = {"count": 2.25, "label": "Alive", "x": 'a"b', "a1": 7, "class": "c", "_x": 1}
    wanted = {name: values[name] for name in values if "{" + name in template}
    assert compiled(template)(**wanted) == template.format(**wanted)


def test_a_template_read_once_takes_exactly_its_values():
    render = compiled("{label}: {count} out of 100.")
    assert render(label="Alive", count=90) == "Alive: 90 out of 100."
    with pytest.raises(TypeError):
        render(label="Alive")
    with pytest.raises(TypeError):
        render(label="Alive", count=1, extra=2)


_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_an_assessment_typed_once_is_what_validation_reads_back(example, lang):
    from axilla.assess import compute
    from axilla.assess.model import Assessment, Charts, Explanation
    from axilla.assess.present import present
    from axilla.case.assessment import parse_case
    from axilla.explain.questions import PatientQuestion

    case = parse_case(json.loads(example.read_text("utf-8")))
    got = present(case, compute([case])[0], lang=lang)
    text = got.model_dump_json()
    again = Assessment.model_validate_json(text)
    assert again == got and again.model_fields_set == got.model_fields_set
    assert again.model_dump_json() == text
    assert type(got) is Assessment and type(got.charts) is Charts
    for item in got.explanations:
        assert type(item) is Explanation and type(item.glossary_terms) is list
    for item in got.patient_questions:
        assert type(item) is PatientQuestion and type(item.glossary_terms) is list
    charts = got.charts
    if charts.icon_array_counts is not None:
        assert type(charts.icon_array_year) is int
        assert all(type(v) is int for v in charts.icon_array_counts.values())
        assert all(type(s) is str for s in (charts.icon_array_svg, charts.survival_curves_svg,
                                             charts.stacked_bars_svg))


@given(st.one_of(st.integers(-2_000_000, 2_000_000), st.floats(allow_nan=True),
                 st.sampled_from([0, 12, 999_999, 1_000_000, -999_999, 0.5, -0.0, 1e6])))
def test_a_position_is_written_as_format_g_writes_it(value):
    from axilla.explain.svg import px

    assert px(value) == f"{value:g}"


def test_a_colour_quoted_once_is_quoted_as_the_standard_library_quotes_it():
    from xml.sax.saxutils import quoteattr

    from axilla.explain.svg import attr

    for value in ("#0072B2", "#0072B2", 'a"b', "a'b\"c", "x&y<z", "#00 72"):
        assert attr(value) == quoteattr(value)


@given(st.lists(st.integers(0, 100), min_size=3, max_size=8).filter(lambda v: sum(v) > 0))
def test_each_icon_is_drawn_where_its_row_and_column_put_it(weights):
    """Icon i of 100 sits in row i // 10, column i % 10 of 24 px cells below the 12 px margin
    and the title; the groups take the icons in order, each in its colour."""
    from axilla.explain.charts import icon_array, outcome_colours

    total = sum(weights)
    counts = {f"group {i}": 100 * w / total for i, w in enumerate(weights)}
    fills = outcome_colours(len(counts))
    n_icons, svg = icon_array(counts, title="t", colours=fills)
    drawn = [line for line in svg.splitlines() if line.startswith("<g fill=")]
    colours = [fill for fill, k in zip(fills, n_icons, strict=True) for _ in range(k)]
    wanted = []
    for i, fill in enumerate(colours):
        x, y = 12 + 24 * (i % 10), 12 + 28 + 24 * (i // 10)
        wanted.append(f'<g fill="{fill}"><circle cx="{x + 12}" cy="{y + 6}" r="4.5"/>'
                      f'<rect x="{x + 5}" y="{y + 12}" width="14" height="11" rx="4"/></g>')
    assert drawn == wanted


@pytest.mark.parametrize("lang", available_languages())
def test_strengths_read_once_are_those_explained_one_by_one(lang):
    from axilla.assess.present import _plain_strengths
    from axilla.explain.texts import STRENGTHS, explain_recommendation_strength

    plain = _plain_strengths(lang)
    assert list(plain) == list(STRENGTHS)
    for strength in STRENGTHS:
        assert plain[strength] == explain_recommendation_strength(strength, lang)


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_answers_from_the_rules_spoken_of_are_those_from_every_fired_rule(example, lang):
    from axilla.assess import compute
    from axilla.assess.present import question_facts
    from axilla.case.assessment import parse_case
    from axilla.explain.question_facts import Advice
    from axilla.explain.questions import patient_questions, rules_spoken_of

    case = parse_case(json.loads(example.read_text("utf-8")))
    f = compute([case])[0]
    facts = question_facts(case, f.staging, f.predict.result, f.guidance)
    fired = tuple(Advice(r.id, r.topic, r.conditional_on or r.uncertain)
                  for r in f.guidance.recommendations)
    assert facts.recommendations == tuple(a for a in fired if a.id in rules_spoken_of())
    every = facts._replace(recommendations=fired)
    assert patient_questions(facts, lang) == patient_questions(every, lang)


@pytest.mark.parametrize("lang", available_languages())
def test_predict_words_read_once_are_the_catalogue_texts(lang):
    from axilla.explain.catalogue import message
    from axilla.explain.texts import TREATMENTS, _predict_words

    words = _predict_words(lang)
    assert words.source(version="3.2") == message("predict.source", lang, version="3.2")
    assert words.groups == message("predict.groups", lang)
    for field, key in (("surgery_only", "predict.surgery_only"),
                       ("with_treatments", "predict.with_treatments")):
        assert getattr(words, field)(alive="85", years=10) == message(key, lang, alive="85",
                                                                      years=10)
    assert words.benefit(treatment="X", extra="2") == message("predict.benefit", lang,
                                                              treatment="X", extra="2")
    assert words.benefit_small(treatment="X") == message("predict.benefit_small", lang,
                                                         treatment="X")
    assert words.uncertainty == message("predict.uncertainty", lang)
    assert dict(words.treatments) == {t: message(f"treatment.{t}", lang) for t in TREATMENTS}


@pytest.mark.parametrize("lang", available_languages())
def test_chart_words_read_once_are_the_catalogue_texts(lang):
    from axilla.assess.present import _chart_words
    from axilla.explain.catalogue import message

    words = _chart_words(lang)
    assert words.extra_alive(treatment="X") == message("chart.label_extra_alive", lang,
                                                       treatment="X")
    assert words.icon_heading(years=10, model="M 1") == message(
        "chart.icon_heading", lang, years=10, model="M 1")
    assert words.curve_heading(model="M") == message("chart.curve_heading", lang, model="M")
    assert words.bars_heading(model="M") == message("chart.bars_heading", lang, model="M")
    assert words.series_surgery_only == message("chart.label_series_surgery_only", lang)
    assert words.bar_labels == {t: message("chart.bar_label", lang, years=t)
                                for t in (5, 10, 15)}


@pytest.mark.parametrize("lang", available_languages())
def test_questions_read_once_are_the_catalogue_texts(lang):
    from axilla.explain.catalogue import message
    from axilla.explain.questions import QUESTION_IDS, _asked

    assert dict(_asked(lang)) == {q: message(f"questions.{q}.question", lang)
                                  for q in QUESTION_IDS}


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
def test_facts_made_as_plain_tuples_equal_their_named_constructors(example):
    from axilla.assess import compute
    from axilla.assess.present import benefits_from, question_facts
    from axilla.case.assessment import parse_case
    from axilla.explain.question_facts import Benefit, NodeSeen

    case = parse_case(json.loads(example.read_text("utf-8")))
    f = compute([case])[0]
    facts = question_facts(case, f.staging, f.predict.result, f.guidance)
    assert facts.nodes == tuple(NodeSeen(n.found_by, n.site, n.category, n.size_used_mm)
                                for n in f.staging.nodes)
    assert all(type(n) is NodeSeen for n in facts.nodes)
    r = f.predict.result
    if r is not None:
        quick = benefits_from(r.benefits, 10)
        assert all(type(b) is Benefit for b in quick)
        assert quick == tuple(Benefit(b.letter, b.chosen, float(b.benefit_pp[10]),
                                      None if b.if_added_pp is None else b.if_added_pp.get(10))
                              for b in r.benefits)


@given(st.lists(st.floats(0, 100), min_size=15, max_size=15),
       st.lists(st.floats(-5, 105), min_size=3, max_size=3))
def test_curves_and_bars_are_drawn_at_the_positions_written_out_by_hand(alive, parts):
    """A curve's point at v % alive is at y = 44 + 300 * (1 - v / 100) px; a bar segment of
    v % is 264 * max(v, 0) / 100 px wide, its number centred at x + w / 2."""
    from axilla.explain.charts import stacked_bars_svg, survival_curves_svg

    svg = survival_curves_svg(list(range(16)), {"A": [100.0, *alive]}, title="t")
    d = next(line for line in svg.splitlines() if line.startswith('<path class="series"'))
    ys = [point.split()[1] for point in d.split('d="M ')[1].split('"')[0].split(" L ")]
    assert ys == [f"{44 + 300 * (1 - v / 100):.2f}" for v in [100.0, *alive]]
    values = {"A": parts[0], "B": parts[1], "C": parts[2], "D": 100 - sum(parts)}
    if abs(sum(values.values()) - 100) > 1:
        return
    bars = stacked_bars_svg({"5 years": values}, title="t").splitlines()
    x = 72.0
    for v in values.values():
        w = 264 * max(v, 0.0) / 100
        assert f'<rect x="{x:.2f}" y="58" width="{w:.2f}" ' in "\n".join(bars)
        if w >= 30:
            assert any(line.startswith(f'<text x="{x + w / 2:.2f}" ') for line in bars)
        x += w
