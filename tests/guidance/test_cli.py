"""`axilla guidance` run as a subprocess: fired rules as a table or JSON, one-line errors with
exit code 2 for unusable facts. Source: axilla guidance specification (rules of section D)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FACTS = {
    "invasive": True, "neoadjuvant_chemo_given": False, "neoadjuvant_et_given": False,
    "breast_surgery": "bcs", "slnb_done": True, "anc_done": False, "sln_macromet_count": 1,
    "whole_breast_rt_advised": True, "systemic_therapy_advised": True,
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "axilla", "guidance", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
    )


@pytest.fixture
def facts_file(tmp_path):
    def write(data, name="facts.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)
    return write


def test_json_lists_fired_rules_with_id_strength_cite(facts_file):
    proc = run(facts_file(FACTS), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert isinstance(out, list)
    by_id = {r["id"]: r for r in out}
    assert {"AX-06", "AX-07"} <= set(by_id)
    assert by_id["AX-06"]["strength"] == "offer"
    assert by_id["AX-06"]["cite"] == "NICE NG101 1.4.12 [2018]"
    assert by_id["AX-07"]["strength"] == "discuss"
    assert by_id["AX-07"]["facts"]["primary_surgery"] is True
    assert all({"id", "strength", "cite", "topic", "source_kind", "facts"} <= set(r) for r in out)


def test_table_output_names_rules_topics_and_facts(facts_file):
    proc = run(facts_file(FACTS), "--undecided")
    assert proc.returncode == 0, proc.stderr
    assert "Axillary staging and management" in proc.stdout
    assert "AX-06" in proc.stdout and "NICE NG101 1.4.13" in proc.stdout
    assert "sln_macromet_count=1" in proc.stdout
    assert "ng101-2025.2" in proc.stdout
    assert "needs" in proc.stdout  # undecided rules with their missing facts


def test_practice_rules_are_labelled_in_the_table(facts_file):
    proc = run(facts_file({"pregnant": True}))
    assert proc.returncode == 0
    assert "PG-01" in proc.stdout and "Practice (not NICE)" in proc.stdout


def test_facts_from_stdin_and_parameter_override():
    facts = json.dumps({"invasive": True, "predict_chemo_os_benefit_10y_pct": 2.5})
    default = json.loads(run("-", "--json", stdin=facts).stdout)
    changed = json.loads(
        run("-", "--json", "--param", "predict_chemo_benefit_lower_pct=2", stdin=facts).stdout
    )
    assert next(r for r in default if r["id"] == "ST-P1")["variant"] == "below_lower"
    assert next(r for r in changed if r["id"] == "ST-P1")["variant"] == "discuss"


@pytest.mark.parametrize(
    ("facts", "fragments"),
    [
        ({"sizemm": 12}, ["sizemm", "unknown field", "size_mm"]),
        ({"grade": 4}, ["grade", "4", "1 to 3"]),
        ({"er_status": "pos"}, ["er_status", "'pos'", "positive, negative"]),
        ({"invasive": "yes"}, ["invasive", "'yes'", "true or false"]),
        ("[1, 2]", ["must be one JSON object"]),
        ("{not json", ["not valid JSON"]),
    ],
)
def test_bad_facts_give_one_line_error_and_exit_2(facts_file, facts, fragments):
    proc = run(facts_file(facts))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_file_and_bad_parameter_exit_2(facts_file, tmp_path):
    assert run(str(tmp_path / "absent.json")).returncode == 2
    proc = run(facts_file(FACTS), "--param", "nonsense=1")
    assert proc.returncode == 2 and "unknown parameter" in proc.stderr


def test_field_and_rule_lists():
    fields = run("--fields")
    assert fields.returncode == 0 and "sln_macromet_count" in fields.stdout
    rules = run("--rules")
    assert rules.returncode == 0 and "RC81-10" in rules.stdout and "LR-07" in rules.stdout
