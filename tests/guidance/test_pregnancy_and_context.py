"""Pregnancy with or without a recurrence; events during primary treatment; a contralateral new
primary (issue 9 items 2 and 3).

Pregnancy rules are practice (RCOG Green-top Guideline No. 12; ESMO 2013): radiotherapy deferred
until after delivery, no chemotherapy in the first trimester, no HER2-directed or endocrine
therapy during pregnancy, imaging adapted, obstetric input.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from axilla.assess import assess
from axilla.guidance import evaluate

_spec = importlib.util.spec_from_file_location(
    "guidance_rule_cases_pg", Path(__file__).with_name("rule_cases.py"))
rule_cases = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rule_cases
_spec.loader.exec_module(rule_cases)

EXAMPLE_E = (Path(__file__).resolve().parents[2] / "examples"
             / "e_regional_recurrence_during_chemotherapy.json")

# The facts example e gives, read off the case file by hand: 51, peri-menopausal, 30 mm grade 3
# ER+ PR- HER2- NST; mastectomy and axillary clearance, 2 of 10 nodes with macrometastases
# (pN1a, T2); a node in the axilla six weeks after surgery, during adjuvant chemotherapy.
EXAMPLE_E_FACTS = {
    "invasive": True, "dcis_only": False, "age_years": 51, "sex": "female",
    "menopausal_status": "peri", "size_mm": 30.0, "grade": 3, "er_status": "positive",
    "pr_status": "negative", "her2_status": "negative", "histology": "nst",
    "breast_surgery": "mastectomy", "slnb_done": False, "anc_done": True,
    "sln_macromet_count": 0, "sln_micromet_count": 0, "sln_itc_count": 0,
    "macromet_nodes_total": 2, "positive_nodes_total": 2, "pn_category": "pN1a",
    "t_category": "T2", "neoadjuvant_chemo_given": False, "neoadjuvant_et_given": False,
    "systemic_therapy_advised": True, "trastuzumab_planned": False, "breast_rt_planned": True,
    "recurrence_event": "regional", "recurrence_class": "regional", "distant_sites": [],
    "recurrence_isolated": False, "prior_breast_rt": False, "on_adjuvant_chemotherapy": True,
    "primary_treatment_ongoing": True, "months_since_primary_surgery": 1.5,
}
PREGNANCY_TOPICS = ("radiotherapy", "chemotherapy", "her2", "endocrine", "bone")


def kinds(rec):
    return {c.kind for c in rec.caveats}


def test_pregnant_regional_recurrence_during_chemotherapy_shows_pregnancy_and_primary_options():
    result = evaluate({**EXAMPLE_E_FACTS, "pregnant": True})
    ids = set(result.ids)
    # pregnancy rules apply although a recurrence is recorded
    assert {"PG-01", "PG-03", "PG-04", "PG-05", "PG-06"} <= ids
    assert result.get("PG-04").variant == "trimester_not_recorded"
    # primary-treatment options kept alongside: post-mastectomy RT, IMC RT, endocrine therapy
    assert {"RT-12", "RT-21", "ET-04"} <= ids
    assert "LR-08" in ids
    for rule_id in ("RT-12", "RT-21", "ET-04"):
        assert kinds(result.get(rule_id)) == {"pregnancy", "primary_treatment"}, rule_id
    # supraclavicular RT (NG101 1.13.22) waits for the performance status, visibly
    rt20 = next(u for u in result.undecided if u.id == "RT-20")
    assert rt20.decide_once == "to decide once performance_status_good is known"
    # recurrence guidance with its pregnancy caveats: regional RT deferred, imaging adapted
    assert {"RC81-01", "LR-01", "LR-02", "LR-05", "LR-07"} <= ids
    assert "pregnancy" in kinds(result.get("LR-05"))
    assert "pregnancy" in kinds(result.get("RC81-01"))
    caveat = next(c for c in result.get("LR-05").caveats if c.kind == "pregnancy")
    assert caveat.rule_id == "PG-03" and "after delivery" in caveat.text
    assert "RCOG" in caveat.cite


def test_every_recommendation_pregnancy_changes_carries_the_caveat():
    result = evaluate({**EXAMPLE_E_FACTS, "pregnant": True})
    for rec in result.recommendations:
        if rec.topic in PREGNANCY_TOPICS:
            assert "pregnancy" in kinds(rec), rec.id


def test_without_pregnancy_no_pregnancy_rule_or_caveat():
    result = evaluate({**EXAMPLE_E_FACTS, "pregnant": False})
    assert not any(i.startswith("PG-") for i in result.ids)
    assert not any("pregnancy" in kinds(r) for r in result.recommendations)


@pytest.mark.parametrize(("rule_id", "firing", "change"), rule_cases.RULE_CASES,
                         ids=[c[0] for c in rule_cases.RULE_CASES])
def test_pregnancy_drops_no_recommendation_silently(rule_id, firing, change):
    """Only AX-04 (blue dye) gives way, to PG-02 which says it replaces AX-04."""
    facts = {k: v for k, v in firing.items() if k != "pregnant"}
    without = evaluate({**facts, "pregnant": False})
    with_pregnancy = evaluate({**facts, "pregnant": True})
    dropped = set(without.ids) - set(with_pregnancy.ids)
    assert dropped <= {"AX-04"}
    if dropped:
        assert "PG-02" in with_pregnancy.ids and "AX-04" in with_pregnancy.get("PG-02").text
    for rec in with_pregnancy.recommendations:
        if rec.topic in PREGNANCY_TOPICS:
            assert "pregnancy" in kinds(rec), rec.id


@pytest.mark.parametrize(("trimester", "variant"), [
    (1, "first_trimester"), (2, "second_or_third_trimester"), (3, "second_or_third_trimester")])
def test_chemotherapy_timing_follows_the_trimester(trimester, variant):
    rec = evaluate({"pregnant": True, "pregnancy_trimester": trimester}).get("PG-04")
    assert rec.variant == variant
    assert ("no chemotherapy now" in rec.text) is (trimester == 1)


def test_pregnancy_rules_are_practice_citing_rcog_and_esmo():
    result = evaluate({"pregnant": True})
    for rec in result.recommendations:
        if rec.id.startswith("PG-"):
            assert rec.source_kind == "practice"
            assert "RCOG" in rec.cite or "ESMO" in rec.cite


def test_recurrence_after_a_disease_free_interval_has_no_primary_options():
    facts = {**EXAMPLE_E_FACTS, "primary_treatment_ongoing": False,
             "on_adjuvant_chemotherapy": False, "months_since_primary_surgery": 40}
    ids = set(evaluate(facts).ids)
    assert not {"RT-12", "RT-21", "ET-04", "LR-08"} & ids
    assert {"LR-01", "LR-05"} <= ids


def test_contralateral_new_primary_gets_the_primary_disease_rules():
    facts = {**EXAMPLE_E_FACTS, "recurrence_event": "contralateral_new_primary",
             "primary_treatment_ongoing": False, "on_adjuvant_chemotherapy": False}
    del facts["recurrence_class"]
    result = evaluate(facts)
    assert {"RT-12", "ET-04", "SX-01", "NP-01"} <= set(result.ids)
    assert "new_primary" in kinds(result.get("ET-04"))
    assert not {"LR-01", "LR-05", "RC81-05"} & set(result.ids)


def test_the_assessment_of_example_e_with_pregnancy_shows_caveats_and_primary_options():
    case = json.loads(EXAMPLE_E.read_text("utf-8"))
    case["guidance_facts"] = {"pregnant": True}
    guidance = assess(case).guidance
    assert {"PG-01", "PG-03", "RT-12", "ET-04", "LR-08"} <= set(guidance.ids)
    assert "pregnancy" in kinds(guidance.get("LR-05"))
    assert "primary_treatment" in kinds(guidance.get("RT-12"))


def test_no_axillary_radiotherapy_after_clearance_is_conditional_once_the_axilla_recurs():
    # NG101 1.13.20 "Do not offer radiotherapy to the axilla after ANC" is primary treatment;
    # shown alongside a regional recurrence during treatment it says what it does not cover
    result = evaluate({**EXAMPLE_E_FACTS, "pregnant": False})
    ax10 = result.get("AX-10")
    assert ax10 is not None and "LR-05" in ax10.conditional_on
    recurrence_keys = {"recurrence_event", "recurrence_class", "primary_treatment_ongoing"}
    first = evaluate({k: v for k, v in EXAMPLE_E_FACTS.items() if k not in recurrence_keys})
    assert first.get("AX-10").conditional_on is None
