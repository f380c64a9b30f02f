"""The words and pictures of the example cases are exactly as recorded: every explanation,
patient answer and chart (byte for byte) of examples/*.json in every language, and charts
drawn from awkward inputs (labels to escape and wrap, other grids, years not whole).

The record (tests/data/explain/presented_examples.json: a SHA-256 of each text) was written by
the code as it stood before the presentation was made faster, so a change of speed can never
change a word or a pixel unnoticed. Rewrite it only for a reviewed change of wording or
drawing: ``python tests/explain/test_presented_unchanged.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from axilla.assess import assess
from axilla.case.assessment import parse_case
from axilla.explain import available_languages, icon_array_svg, survival_curves_svg
from axilla.explain.charts import stacked_bars_svg

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "data" / "explain" / "presented_examples.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
PALETTE_9 = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000", "#111111"]
AWKWARD = {"A & B <c>": 12.25, "Alive after all the treatments that were chosen for her": 40.5,
           "é \"quoted\" 'single'": 0.0, "Died of breast cancer": 30.1,
           "Died of other causes, a label long enough to wrap twice over in the legend": 17.15}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _presented(example: Path, lang: str) -> dict[str, Any]:
    a = assess(parse_case(json.loads(example.read_text("utf-8"))), lang=lang)
    out: dict[str, Any] = {
        "explanations": [_sha(e.model_dump_json()) for e in a.explanations],
        "patient_questions": [_sha(q.model_dump_json()) for q in a.patient_questions],
    }
    charts = a.charts.model_dump(mode="json")
    for name, value in charts.items():
        out[f"charts.{name}"] = _sha(json.dumps(value, ensure_ascii=False))
    return out


def _charts_drawn() -> dict[str, str]:
    """Charts from inputs that the examples do not reach."""
    years = [0, 2.5, 5, 7.25, 10, 15]
    series = {label: [100.0, 90.5, 80.25, 70.0, 55.5, 40.125] for label in list(AWKWARD)[:4]}
    drawn = {
        "icons_awkward": icon_array_svg(AWKWARD, title="Heading & <more> (model 1.0)"),
        "icons_5_columns": icon_array_svg(AWKWARD, columns=5, colours=PALETTE_9),
        "icons_20_columns_no_tail": icon_array_svg({"one": 99.5, "two": 0.5}, columns=20,
                                                   title="No tail"),
        "curves_awkward_years": survival_curves_svg(years, series, title="S & <t>"),
        "curves_from_year_1": survival_curves_svg(list(range(1, 16)), {
            "only": [100.0 - 2.5 * t for t in range(1, 16)]}),
        "curves_short": survival_curves_svg([0, 7.25], {"a": [100.0, 93.5]}),
        "bars_awkward": stacked_bars_svg({"5 years & <more>": AWKWARD, "10 years": AWKWARD},
                                         title="Bars (model)", colours=PALETTE_9),
        "bars_no_tail": stacked_bars_svg({"15 years": {"a": 50.0, "b": 25.5, "c": 24.5}},
                                         title="Bars"),
    }
    for lang in available_languages():
        drawn[f"icons_default_title_{lang}"] = icon_array_svg(AWKWARD, lang=lang)
        drawn[f"curves_default_title_{lang}"] = survival_curves_svg(years, series, lang=lang)
    return {name: _sha(svg) for name, svg in drawn.items()}


def _record() -> dict[str, Any]:
    return {
        "examples": {f"{p.stem}/{lang}": _presented(p, lang)
                     for p in EXAMPLES for lang in available_languages()},
        "charts": _charts_drawn(),
    }


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    return json.loads(RECORD.read_text("utf-8"))


@pytest.mark.parametrize("lang", available_languages())
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_words_and_pictures_are_as_recorded(example, lang, recorded):
    assert _presented(example, lang) == recorded["examples"][f"{example.stem}/{lang}"]


def test_charts_from_awkward_inputs_are_as_recorded(recorded):
    assert _charts_drawn() == recorded["charts"]


def test_the_record_covers_every_example_and_language(recorded):
    assert set(recorded["examples"]) == {f"{p.stem}/{lang}" for p in EXAMPLES
                                         for lang in available_languages()}


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    RECORD.write_text(json.dumps(_record(), indent=1, sort_keys=True) + "\n", "utf-8")
