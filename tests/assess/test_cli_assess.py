"""`axilla assess` as a user runs it, on each example case."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))


def axilla(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.mark.parametrize("name", NAMES)
def test_summary_shows_staging_reasons_figures_options_and_patient_text(name):
    done = axilla("assess", str(EXAMPLES / name))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Staging" in out and "->" in out  # categories with their reasons
    assert "Guideline options" in out and "NICE NG101" in out
    assert "For the patient" in out
    if not name.startswith("e_"):
        assert "PREDICT Breast 3.2" in out and "Surgery only" in out
    else:
        assert "PREDICT not run" in out and "Recurrence regional" in out


def test_example_a_summary_names_the_axillary_option():
    out = axilla("assess", str(EXAMPLES / "a_micrometastasis_sentinel.json")).stdout
    assert "pN1mi(sn)" in out and "AX-08" in out and "1.4.14" in out


def test_json_output_is_the_documented_schema():
    done = axilla("assess", str(EXAMPLES / "b_two_macrometastases_sentinel.json"), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == "1.3"
    assert data["staging"]["pN"]["display"] == "pN1a(sn)"
    assert data["provenance"]["predict_version"] == "3.2"
    schema = json.loads((EXAMPLES.parent / "docs" / "assessment.schema.json").read_text())
    assert set(schema["required"]) <= set(data)


def test_html_report_is_standalone_with_both_sections_and_charts(tmp_path):
    report = tmp_path / "report.html"
    done = axilla("assess", str(EXAMPLES / "a_micrometastasis_sentinel.json"),
                  "--html", str(report))
    assert done.returncode == 0, done.stderr
    html = report.read_text()
    assert "For the clinical team" in html and "For you" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert html.count("<svg") == 2 and "pN1mi(sn)" in html and "AX-08" in html
    for svg in html.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")


def test_schema_flag_prints_the_committed_schema():
    done = axilla("assess", "--schema")
    committed = (EXAMPLES.parent / "docs" / "assessment.schema.json").read_text()
    assert json.loads(done.stdout) == json.loads(committed), (
        "docs/assessment.schema.json is stale: regenerate with `axilla assess --schema`")


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("{not json", ["not valid JSON"]),
        ("[1, 2]", ["JSON object"]),
        (json.dumps({"patient": {"age_years": 54}, "tumour": {"invasive_sizes_mm": [18]},
                     "procedure": {"kind": "sentinel"},
                     "nodes": [{"deposit_mm": -1}]}), ["nodes.0.deposit_mm", "-1"]),
        (json.dumps({"patient": {"age_years": 130}, "tumour": {"invasive_sizes_mm": [18]},
                     "procedure": {"kind": "sentinel"}}), ["patient.age_years", "130"]),
        (json.dumps({"patient": {"age_years": 54}, "tumour": {"invasive_sizes_mm": [18]},
                     "procedure": {"kind": "sentinel"},
                     "guidance_facts": {"axillary_us": "maybe"}}), ["axillary_us", "maybe"]),
    ],
)
def test_bad_case_is_refused_with_one_line_and_exit_2(payload, words):
    done = axilla("assess", "-", stdin=payload)
    assert done.returncode == 2, done.stdout
    line = done.stderr.strip()
    assert "\n" not in line
    for w in words:
        assert w in line, line
