"""The chart parts drawn once (the stacked bars' legend and segment openings for a set of
groups) and the survival curves drawn from PREDICT's results without a second check give
exactly what the checked, general way gives.

Oracles: ``survival_curves_svg`` with its checks, given the years as whole numbers and each
curve as PREDICT's overall survival read here; the legend written by ``swatches`` for the
bars' groups; the bars drawn with the parts' cache emptied first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import compute
from axilla.assess.present import _chart_words, charts
from axilla.case.assessment import parse_case
from axilla.explain.catalogue import available_languages
from axilla.explain.charts import (
    OKABE_ITO,
    _bars_fixed,
    stacked_bars_svg,
    survival_curves_svg,
)
from axilla.explain.curve_frame import _curves_fit
from axilla.explain.svg import legend_lines, swatches
from test_columns import any_case

_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def _curves_checked(case, lang: str) -> None:
    """The curves of ``case`` pass the public check and equal the checked drawing."""
    f = compute([case])[0]
    r = f.predict.result
    if r is None:
        assert charts(f, lang=lang).survival_curves_svg is None
        return
    years = list(range(16))
    series = {_chart_words(lang).series_surgery_only: [
        100.0, *[r.surgery_only.overall_survival_pct[t] for t in years[1:]]]}
    for step, b in zip(r.steps, r.benefits, strict=True):
        if b.chosen:
            series[f"+ {b.treatment}"] = [100.0, *[step.overall_survival_pct[t]
                                                   for t in years[1:]]]
    assert _curves_fit([float(t) for t in years], series, 15)  # what the quick way skips
    model = f"{r.model.name} {r.model.version}"
    assert charts(f, lang=lang).survival_curves_svg == survival_curves_svg(
        years, series, lang=lang, title=_chart_words(lang).curve_heading(model=model))


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_curves_of_examples_are_the_checked_ones(example, lang):
    _curves_checked(parse_case(json.loads(example.read_text("utf-8"))), lang)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(any_case(), st.sampled_from(available_languages()))
def test_curves_of_any_case_pass_the_check_they_skip(case, lang):
    _curves_checked(case, lang)


_LABELS = st.text(st.sampled_from("ab &<>\"'(5) years ÿ"), min_size=1, max_size=60)


@st.composite
def bars(draw):
    groups = draw(st.lists(_LABELS, min_size=3, max_size=8, unique=True))
    n_bars = draw(st.integers(1, 4))
    out = {}
    for i in range(n_bars):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(groups) - 1,
                                    max_size=len(groups) - 1)))
        edges = [0, *cuts, 100]
        out[f"{i * 5 + 5} years"] = {g: float(edges[k + 1] - edges[k])
                                     for k, g in enumerate(groups)}
    return out


@given(bars())
def test_bars_drawn_from_parts_made_once_are_those_made_afresh(data):
    groups = list(next(iter(data.values())))
    warm = stacked_bars_svg(data, title="What happens (PREDICT 3.2)")
    _bars_fixed.cache_clear()
    cold = stacked_bars_svg(data, title="What happens (PREDICT 3.2)")
    assert warm == cold
    legend = "\n".join(swatches([legend_lines(g) for g in groups], OKABE_ITO[:len(groups)],
                                8, 58 + len(data) * 48 + 8, 22))
    assert cold.endswith(f"\n{legend}\n</svg>\n")
