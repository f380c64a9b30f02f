"""Every guidance rule fires on a case built for it and not on the nearest case that should not.

Source: axilla guidance specification (guidance.md) sections A-Q and 0.3; cases in
rule_cases.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from axilla.guidance import evaluate, load_rules

_spec = importlib.util.spec_from_file_location(
    "guidance_rule_cases", Path(__file__).with_name("rule_cases.py")
)
rule_cases = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rule_cases
_spec.loader.exec_module(rule_cases)
RULE_CASES = rule_cases.RULE_CASES
PER_RULE = pytest.mark.parametrize(
    ("rule_id", "firing", "change"), RULE_CASES, ids=[c[0] for c in RULE_CASES]
)


def test_every_rule_id_has_a_case():
    """The table covers exactly the rule ids of the YAML files, once each."""
    table_ids = [case[0] for case in RULE_CASES]
    assert len(table_ids) == len(set(table_ids)), "a rule id appears twice in the table"
    assert set(table_ids) == set(load_rules().ids)


def test_rule_count_matches_the_audit():
    """131 audited rule ids, PG-01-PG-03 and LR-01-LR-07 (spec audit log), and the rules added
    from the NICE text: CG81 1.1.1-1.1.2 (RC81-14), 1.5.2, 1.5.3 and 1.13.3-1.13.4 (RC81-11..13);
    NG101 1.1.1-1.1.5 (SP-01..05), 1.14.3, 1.14.5, 1.14.7/10/11, 1.14.12, 1.14.13, 1.14.15 and
    1.14.20 (SE-07..13); pregnancy PG-04..07; LR-08 (event during primary treatment) and NP-01
    (contralateral new primary)."""
    assert len(load_rules().ids) == 163


@PER_RULE
def test_rule_fires_on_its_case(rule_id, firing, change):
    result = evaluate(firing)
    rec = result.get(rule_id)
    assert rec is not None, f"{rule_id} did not fire; undecided: {result.undecided}"
    assert rec.cite and rec.strength


@PER_RULE
def test_rule_does_not_fire_on_nearest_case(rule_id, firing, change):
    nearest = {**firing, **change}
    assert nearest != firing
    result = evaluate(nearest)
    assert rule_id not in result.ids
    assert rule_id not in {u.id for u in result.undecided}, "the nearest case must decide the rule"


@PER_RULE
def test_facts_that_made_it_fire_are_facts_of_the_case(rule_id, firing, change):
    """Every fact reported for a rule is a given, defaulted or derived fact with its value."""
    result = evaluate(firing)
    rec = result.get(rule_id)
    known = {**{k: list(v) if isinstance(v, tuple) else v for k, v in firing.items()},
             **result.derived}
    for name, value in rec.facts.items():
        assert name in known and known[name] == value, (name, value)


def test_docs_rule_tables_are_generated_from_the_rule_files():
    """docs/guidance.md shows per rule the wording and the date of the text it was checked on."""
    from axilla.guidance.catalogue import rules_markdown

    docs = (Path(__file__).parents[2] / "docs" / "guidance.md").read_text(encoding="utf-8")
    assert rules_markdown(load_rules()) in docs, "regenerate the 'Rules by topic' tables"


def test_every_nice_rule_records_its_check_against_the_text():
    """Issue 9 item 1: verified tag, date of the text and the guideline's wording, per rule."""
    dates = {"NICE NG101": "2025-04-14", "NICE CG81": "2026-06-30"}
    for rule in load_rules().rules:
        c = rule.citation
        if c.guideline in dates and c.number:
            assert c.text_date == dates[c.guideline], rule.id
            assert c.wording, rule.id
            assert c.tag_verified, rule.id


def test_docs_list_every_rule():
    """docs/guidance.md lists every rule id with its citation."""
    docs = (Path(__file__).parents[2] / "docs" / "guidance.md").read_text(encoding="utf-8")
    rules = load_rules()
    for rule in rules.rules:
        assert f"| {rule.id} | {rule.strength} |" in docs, rule.id
        assert str(rule.citation) in docs, rule.id
