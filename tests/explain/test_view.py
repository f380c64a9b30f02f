"""One view model feeds every renderer: terminal, HTML report, web results and print view.

Expected figures are read from the assessment's own PREDICT result (the engine is tested
against the reference vectors elsewhere); what is tested here is that every renderer shows
the same rows, formatted once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from axilla import assess
from axilla.explain import message
from axilla.explain.report import render_html
from axilla.explain.view import build_view

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def example(name: str):
    return assess(json.loads((EXAMPLES / name).read_text()))


def test_predict_table_rows_are_the_result_formatted_once():
    a = example("b_two_macrometastases_sentinel.json")
    v = build_view(a)
    r = a.predict.result
    survival = v.predict.survival
    assert survival.header == ("Treatment", "5 years", "10 years", "15 years")
    assert survival.rows[0] == ("Surgery only", *(f"{r.surgery_only.overall_survival_pct[t]:.1f}"
                                                  for t in (5, 10, 15)))
    chosen = [b for b in r.benefits if b.chosen]
    assert len(survival.rows) == 1 + len(chosen)
    assert survival.rows[-1][2] == f"{r.steps[-1].overall_survival_pct[10]:.1f}"
    total = v.predict.benefits.rows[-1]
    assert total[0] == "All chosen treatments"
    assert total[3] == f"{r.total_benefit.displayed_pp[10]:.1f}"


def test_every_renderer_shows_the_same_predict_rows():
    a = example("b_two_macrometastases_sentinel.json")
    v = build_view(a)
    html = render_html(a)
    terminal = subprocess.run([sys.executable, "-m", "axilla", "assess",
                               str(EXAMPLES / "b_two_macrometastases_sentinel.json")],
                              capture_output=True, text=True, timeout=120,
                              env={"COLUMNS": "200", "PATH": ""}).stdout
    for row in (*v.predict.survival.rows, *v.predict.benefits.rows):
        cells = "".join(f"<td>{c}</td>" for c in row[1:])
        assert f"<th scope=\"row\">{row[0]}</th>{cells}" in html, row
        assert re.search(r"\s*│\s*".join(re.escape(c) for c in row), terminal), row


def test_indices_reasons_and_patient_texts():
    a = assess({"patient": {"age_years": 60}, "tumour": {"invasive_sizes_mm": [20],
                                                         "er": "positive"},
                "nodes": [{"found_by": "sentinel", "deposit_mm": 0}],
                "procedure": {"kind": "sentinel"}})
    v = build_view(a)
    npi = next(ix for ix in v.indices if ix.name == "NPI")
    assert not npi.applicable
    assert npi.reasons == ("NPI needs the histological grade; it is not recorded",)
    assert len(set(v.patient_texts)) == len(v.patient_texts)
    assert not [t for t in v.patient_texts if "NG101" in t]


def test_index_lines():
    v = build_view(example("b_two_macrometastases_sentinel.json"))
    npi, cts5 = v.indices
    assert re.fullmatch(r"score \d+(\.\d+)?, .+ \((EPG|GPG|MPG1|MPG2|PPG|VPG)\)", npi.line)
    assert re.fullmatch(r"score \d\.\d{4}, (low|intermediate|high) risk", cts5.line)
    assert "Haybittle" in npi.source and "Dowsett" in cts5.source


def test_chart_labels_come_from_the_catalogue():
    a = example("a_micrometastasis_sentinel.json")
    labels = set(a.charts.icon_array_counts)
    assert message("chart.label_die_breast_cancer") in labels
    assert message("chart.label_die_other_causes") in labels
    assert message("chart.label_series_surgery_only") in a.charts.survival_curves_svg
    assert sum(a.charts.icon_array_counts.values()) == 100


def test_no_renderer_of_an_assessment_builds_its_own_predict_table():
    """The copies in the terminal, the report and the pages are gone: they render the view."""
    src = ROOT / "src" / "axilla"
    renderers = [src / "cli" / "assess.py", src / "explain" / "report.py",
                 *(src / "service" / "pages").rglob("*.html"), src / "service" / "pages" /
                 "routes.py", *(src / "explain" / "templates").glob("*.html")]
    for path in renderers:
        text = path.read_text()
        assert "Surgery only" not in text and "overall_survival_pct" not in text, path
