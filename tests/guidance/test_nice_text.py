"""Each fix of issue 9 item 1 and 4, tested from the wording of the NICE text itself.

Quotes are short, from NICE NG101 (last updated 14 April 2025) and CG81 (last updated 30 June
2026); DG58 content from NICE's DG58 resource impact statement.
"""

from __future__ import annotations

import pytest

from axilla.guidance import evaluate, load_rules

INV = {"invasive": True}
SURGERY_FIRST = {"neoadjuvant_chemo_given": False, "neoadjuvant_et_given": False}


def rec(facts, rule_id):
    return evaluate(facts).get(rule_id)


# NG101 1.4.1 "Treat all people with ER-positive invasive breast cancer with surgery and
# appropriate systemic therapy, rather than endocrine therapy alone" [2009]
def test_sx01_is_for_er_positive_invasive_cancer():
    assert rec({**INV, "er_status": "positive"}, "SX-01") is not None
    assert rec({**INV, "er_status": "negative"}, "SX-01") is None
    assert "any age" not in load_rules().rule("SX-01").text


# NG101 1.13.9 "Consider adjuvant radiotherapy for women with DCIS following breast-conserving
# surgery with clear margins ... make a shared decision about its use" [2009]
def test_rt09_is_consider_with_a_shared_decision():
    r = rec({"invasive": False, "dcis_only": True, "breast_surgery": "bcs",
             "radial_margin_min_mm": 3}, "RT-09")
    assert r.strength == "consider" and r.citation.wording == "consider"
    assert "shared decision" in r.text


# CG81 1.13.1 "Consider bisphosphonates for people newly diagnosed with bone metastases" [2009];
# 1.13.3 "Use external beam radiotherapy in a single fraction of 8 Gy"; 1.13.4 "Ensure people at
# risk of a long bone fracture have their disease assessed by an orthopaedic surgeon"
def test_rc81_09_is_consider_and_radiotherapy_and_orthopaedics_are_their_own_rule():
    facts = {"recurrence_event": "distant", "distant_sites": ["bone"]}
    assert rec(facts, "RC81-09").strength == "consider"
    r13 = rec(facts, "RC81-13")
    assert r13.strength == "offer" and "8 Gy" in r13.text and "orthopaedic" in r13.text


# CG81 1.5.1 "Use a scanning modality ... for monitoring" [2026]; 1.5.2 "Consider using the same
# scanning modality" [2026]; 1.5.3 "Do not use bone scintigraphy" [2009]
def test_rc81_06_no_longer_folds_use_consider_and_do_not_into_one_offer():
    result = evaluate({"recurrence_event": "distant", "distant_sites": ["bone"]})
    strengths = {i: result.get(i).strength for i in ("RC81-06", "RC81-11", "RC81-12")}
    assert strengths == {"RC81-06": "offer", "RC81-11": "consider", "RC81-12": "do_not_offer"}
    assert [result.get(i).citation.year_tag for i in ("RC81-06", "RC81-11", "RC81-12")] == [
        "[2026]", "[2026]", "[2009]"]


# DG58 (final): EndoPredict, Oncotype DX or Prosigna for ER- or PR-positive, HER2-negative early
# cancer with 1 to 3 positive nodes, after the menopause and for men
NODE_POSITIVE_LUMINAL = {**INV, "er_status": "positive", "her2_status": "negative",
                         "macromet_nodes_total": 2, "positive_nodes_total": 2,
                         "chemo_decision_uncertain": True}


def test_gp03_follows_the_final_dg58_not_the_draft():
    r = rec({**NODE_POSITIVE_LUMINAL, "menopausal_status": "post"}, "GP-03")
    assert "Prosigna" in r.text and "should not" not in r.text
    assert r.citation.guideline == "NICE DG58"
    assert rec({**NODE_POSITIVE_LUMINAL, "sex": "male"}, "GP-03") is not None
    assert rec({**NODE_POSITIVE_LUMINAL, "menopausal_status": "pre", "sex": "female"},
               "GP-03") is None


def test_gp01_cites_dg58_which_replaced_dg34():
    r = rec({**INV, "er_status": "positive", "her2_status": "negative", "pn_category": "pN0",
             "npi": 4.0, "chemo_decision_uncertain": True}, "GP-01")
    assert r.citation.guideline == "NICE DG58" and "DG34 1.1" in r.cite


# NG101 1.4.12 "1 or more sentinel lymph node macrometastasis" under "positive axillary lymph
# node identified by SLNB"; 1.13.10 "node-positive (macrometastases)"; 1.13.23 "Consider
# including the internal mammary chain ... node-positive (macrometastases)"
def test_internal_mammary_sentinel_macrometastasis_with_a_negative_axilla():
    facts = {**INV, **SURGERY_FIRST, "breast_surgery": "mastectomy", "slnb_done": True,
             "anc_done": False, "sln_macromet_count": 0, "sln_micromet_count": 0,
             "sln_itc_count": 0, "macromet_nodes_total": 0, "positive_nodes_total": 1,
             "im_macromet_nodes": 1, "pn_category": "pN1b"}
    ids = set(evaluate(facts).ids)
    assert "AX-06" not in ids  # no axillary clearance or axillary radiotherapy
    assert {"RT-12", "RT-21"} <= ids  # post-mastectomy RT; internal mammary chain


# NG101 1.11.2 "Advise premenopausal women that neoadjuvant chemotherapy ..." [2018]
@pytest.mark.parametrize(("status", "fires"), [("pre", True), ("peri", False), ("post", False)])
def test_et02_is_for_premenopausal_women(status, fires):
    facts = {**INV, "er_status": "positive", "menopausal_status": status,
             "neoadjuvant_chemo_planned": True}
    assert (rec(facts, "ET-02") is not None) is fires


# NG101 1.14.26 "... DEXA scan ... in women with invasive breast cancer ..."; men on testicular
# function suppression with an aromatase inhibitor are covered by 1.11.13 (ET-11)
def test_bh01_is_for_women_and_men_are_covered_by_et11():
    women = {**INV, "sex": "female", "adjuvant_bisphosphonate_planned": False,
             "endocrine_plan": "ai"}
    assert rec(women, "BH-01") is not None
    men = {**INV, "sex": "male", "adjuvant_bisphosphonate_planned": False,
           "endocrine_plan": "tfs_ai", "testes_present": True, "er_status": "positive"}
    assert rec(men, "BH-01") is None and rec(men, "ET-11") is not None


@pytest.mark.parametrize(("rule_id", "tag"), [
    ("BP-03", "[2018]"), ("CH-03", "[2018, amended 2023]"), ("RT-11", "[2009, amended 2018]"),
    ("ET-03", "[2018]"), ("RC81-04", "[2026]"), ("RC81-10", "[2009]"),
])
def test_year_tags_once_unverified_are_those_of_the_text(rule_id, tag):
    citation = load_rules().rule(rule_id).citation
    assert citation.year_tag == tag and citation.tag_verified


# Issue 9 item 4: NG101 1.13.22 "1 to 3 positive lymph nodes" (2009) says nothing of
# micrometastases, while 1.4.14 "Do not offer further axillary treatment to people who only
# have micrometastases in their sentinel lymph nodes"
def test_pn1mi_grade_3_shows_supraclavicular_radiotherapy_as_conditional():
    facts = {**INV, **SURGERY_FIRST, "breast_surgery": "bcs", "slnb_done": True,
             "anc_done": False, "sln_macromet_count": 0, "sln_micromet_count": 1,
             "sln_itc_count": 0, "macromet_nodes_total": 0, "positive_nodes_total": 1,
             "pn_category": "pN1mi", "grade": 3, "performance_status_good": True,
             "whole_breast_rt_advised": True, "systemic_therapy_advised": True}
    result = evaluate(facts)
    assert result.get("AX-08") is not None
    rt20 = result.get("RT-20")
    assert rt20.conditional_on and "does not say whether micrometastases count" in (
        rt20.conditional_on)
    assert "AX-08" in rt20.conditional_on
    assert result.get("AX-08").conditional_on is None


def test_rt20_with_macrometastases_is_unconditional():
    facts = {**INV, "positive_nodes_total": 2, "macromet_nodes_total": 2, "grade": 3,
             "performance_status_good": True}
    assert rec(facts, "RT-20").conditional_on is None


# NG101 1.12.1 "postmenopausal women with node-positive invasive breast cancer" [2018]
def test_bisphosphonates_for_micrometastases_only_are_conditional():
    base = {**INV, "menopausal_status": "post"}
    micro = rec({**base, "pn_category": "pN1mi", "macromet_nodes_total": 0}, "BP-01")
    assert micro.conditional_on and "does not say" in micro.conditional_on
    macro = rec({**base, "pn_category": "pN1a", "macromet_nodes_total": 1}, "BP-01")
    assert macro.conditional_on is None


# NG101 1.13.21 "4 or more involved axillary lymph nodes" (2009)
def test_rt19_on_nodes_with_micrometastases_is_conditional():
    facts = {**INV, "positive_nodes_total": 4, "macromet_nodes_total": 2}
    assert "micrometastases" in rec(facts, "RT-19").conditional_on
    assert rec({**facts, "macromet_nodes_total": 4}, "RT-19").conditional_on is None
