"""Behaviour of the guidance engine that the per-rule table does not show on its own:
applicability gates, downstream effects of ITCs, variants, parameters, derived fields, missing
facts. Source: axilla guidance specification sections 0.2, 0.3, D (decision table), F.1, K.0, L.
"""

from __future__ import annotations

import pytest

from axilla.errors import InputError
from axilla.guidance import FIELDS, RULESET_VERSION, evaluate, load_rules, validate_facts

PRIMARY = {"neoadjuvant_chemo_given": False, "neoadjuvant_et_given": False}
SLN = {"invasive": True, **PRIMARY, "slnb_done": True, "anc_done": False}
BCS_PLAN = {"breast_surgery": "bcs", "whole_breast_rt_advised": True,
            "systemic_therapy_advised": True}


def axilla_ids(facts):
    return {i for i in evaluate(facts).ids if i.startswith("AX-")}


# --- spec D decision table (primary surgery) ---------------------------------------------------
@pytest.mark.parametrize(
    ("counts", "surgery", "expected"),
    [
        ((0, 0, 0), "bcs", {"AX-11"}),
        ((0, 0, 2), "mastectomy", {"AX-09"}),
        ((0, 3, 0), "bcs", {"AX-08"}),
        ((0, 1, 1), "mastectomy", {"AX-08"}),
        ((1, 0, 0), "bcs", {"AX-06", "AX-07"}),
        ((2, 4, 0), "bcs", {"AX-06", "AX-07"}),
        ((2, 0, 0), "mastectomy", {"AX-06"}),
        ((3, 0, 0), "bcs", {"AX-06"}),
    ],
)
def test_axillary_decision_table(counts, surgery, expected):
    macro, micro, itc = counts
    pn = ("pN1a" if macro else "pN1mi" if micro else "pN0(i+)" if itc else "pN0")  # staging's
    facts = {**SLN, **BCS_PLAN, "breast_surgery": surgery, "sln_macromet_count": macro,
             "sln_micromet_count": micro, "sln_itc_count": itc, "pn_category": pn}
    assert axilla_ids(facts) == expected


def test_after_neoadjuvant_therapy_the_primary_surgery_rules_do_not_fire():
    """Spec 0.3 (2): AX-07-AX-09 are for surgery first; AX-06 still applies."""
    facts = {**SLN, "neoadjuvant_chemo_given": True, **BCS_PLAN, "sln_macromet_count": 1,
             "sln_micromet_count": 0, "sln_itc_count": 0}
    assert axilla_ids(facts) == {"AX-06"}
    facts.update(sln_macromet_count=0, sln_micromet_count=2)
    assert axilla_ids(facts) == set()


def test_itc_only_is_node_negative_downstream():
    """AX-09: pN0(i+) -> RT-14 fires; BP-01, RT-12 and RT-21 do not."""
    facts = {**SLN, "sln_macromet_count": 0, "sln_micromet_count": 0, "sln_itc_count": 1,
             "pn_category": "pN0(i+)", "macromet_nodes_total": 0, "menopausal_status": "post",
             "breast_surgery": "mastectomy", "resection_margin_involved": False}
    ids = set(evaluate(facts).ids)
    assert {"AX-09", "RT-14"} <= ids
    assert not ids & {"BP-01", "RT-12", "RT-21"}


def test_pn1mi_after_mastectomy_fires_neither_pmrt_rule():
    """Spec M (RT-13b note): micrometastases only are neither node-positive nor node-negative."""
    facts = {"invasive": True, "breast_surgery": "mastectomy", "neoadjuvant_chemo_given": False,
             "pn_category": "pN1mi", "macromet_nodes_total": 0, "t_category": "T2",
             "resection_margin_involved": False}
    ids = set(evaluate(facts).ids)
    assert not ids & {"RT-12", "RT-13", "RT-13b"}


# --- applicability (spec 0.3) -------------------------------------------------------------------
def test_primary_rules_do_not_fire_for_a_recurrence():
    facts = {"invasive": True, "anc_done": True, "recurrence_event": "regional"}
    ids = set(evaluate(facts).ids)
    assert "AX-10" not in ids and "PA-01" not in ids
    assert {"LR-05", "RC81-05"} <= ids
    assert "AX-10" in evaluate({**facts, "recurrence_event": "none"}).ids


def test_recurrence_rules_do_not_fire_at_first_presentation():
    ids = set(evaluate({"distant_disease_suspected": True, "on_adjuvant_chemotherapy": True}).ids)
    assert not any(i.startswith(("RC81-", "LR-")) for i in ids)


def test_side_effect_rules_apply_to_primary_and_recurrence():
    for event in ("none", "distant"):
        assert "SE-03" in evaluate({"lymphoedema_present": True, "recurrence_event": event}).ids


def test_lr01_also_fires_rc81_05():
    rule = load_rules().rule("LR-01")
    ids = evaluate({"recurrence_event": "local"}).ids
    assert rule.also_fires == ("RC81-05",) and {"LR-01", "RC81-05"} <= set(ids)


def test_pregnancy_replaces_dual_technique():
    base = {"invasive": True, "axillary_us": "normal", "axillary_needle_biopsy": "not_done"}
    assert {"AX-03", "AX-04"} <= set(evaluate({**base, "pregnant": False}).ids)
    ids = set(evaluate({**base, "pregnant": True}).ids)
    assert {"AX-03", "PG-02"} <= ids and "AX-04" not in ids


# --- variants and parameters ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("benefit", "variant"),
    [(-0.5, "below_lower"), (0.0, "below_lower"), (2.99, "below_lower"), (3.0, "discuss"),
     (5.0, "discuss"),
     (5.01, "above_upper")],
)
def test_predict_practice_bands(benefit, variant):
    """Spec F.1: < 3 not recommended; 3.0 and 5.0 discuss; > 5.0 recommended."""
    rec = evaluate({"invasive": True, "predict_chemo_os_benefit_10y_pct": benefit}).get("ST-P1")
    assert rec.variant == variant
    assert rec.source_kind == "practice" and rec.strength == "practice"


def test_predict_thresholds_are_configurable():
    facts = {"invasive": True, "predict_chemo_os_benefit_10y_pct": 2.5}
    params = {"predict_chemo_benefit_lower_pct": 2.0, "predict_chemo_benefit_upper_pct": 4.0}
    assert evaluate(facts, params=params).get("ST-P1").variant == "discuss"


def test_unknown_or_mistyped_parameter_is_refused():
    with pytest.raises(InputError, match="unknown parameter"):
        evaluate({}, params={"no_such": 1})
    with pytest.raises(InputError, match="bisphosphonate_counts_micromets"):
        evaluate({}, params={"bisphosphonate_counts_micromets": "yes"})


def test_bisphosphonate_micrometastasis_choice():
    """Spec L BP-01: pN1mi counts as node-positive by default; the flag turns that off."""
    facts = {"invasive": True, "menopausal_status": "post", "pn_category": "pN1mi",
             "macromet_nodes_total": 0}
    assert "BP-01" in evaluate(facts).ids
    off = evaluate(facts, params={"bisphosphonate_counts_micromets": False})
    assert "BP-01" not in off.ids
    assert "BP-01" in evaluate({**facts, "pn_category": "pN1a", "macromet_nodes_total": 1},
                               params={"bisphosphonate_counts_micromets": False}).ids


@pytest.mark.parametrize(
    ("extra", "variant"),
    [({"recurrence_risk": "medium"}, "aromatase_inhibitor"),
     ({"recurrence_risk": "high", "ai_not_tolerated": False, "ai_contraindicated": False},
      "aromatase_inhibitor"),
     ({"recurrence_risk": "low"}, "tamoxifen"),
     ({"recurrence_risk": "high", "ai_contraindicated": True}, "tamoxifen")],
)
def test_post_menopausal_initial_endocrine_choice(extra, variant):
    """Spec K.2 ET-06: AI at medium/high risk; tamoxifen at low risk or if AI unsuitable."""
    facts = {"invasive": True, "menopausal_status": "post", "er_status": "positive", **extra}
    assert evaluate(facts).get("ET-06").variant == variant


def test_ssri_advice_depends_on_tamoxifen():
    on_tam = evaluate({"hot_flushes": True, "endocrine_plan": "tamoxifen"}).get("SE-06")
    other = evaluate({"hot_flushes": True, "endocrine_plan": "ai"}).get("SE-06")
    assert on_tam.strength == "do_not_offer" and other.strength == "consider"


# --- derived fields (spec 0.2, K.0) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("facts", "field", "value"),
    [
        ({"er_status": "negative", "pr_status": "negative", "her2_status": "negative"},
         "triple_negative", True),
        ({"er_status": "positive"}, "triple_negative", False),
        ({"macromet_nodes_total": 1}, "node_positive_macro", True),
        ({"macromet_nodes_total": 0}, "node_positive_macro", False),
        ({"radial_margin_min_mm": 0}, "margins_clear", False),
        ({"radial_margin_min_mm": 0.1}, "margins_clear", True),
        (PRIMARY, "primary_surgery", True),
        ({"neoadjuvant_et_given": True}, "primary_surgery", False),
        ({"pn_category": "pN0(mol+)"}, "node_negative", True),
        ({"pn_category": "pN1mi"}, "node_negative", False),
        ({"pn_category": "ypN0(i+)(sn)"}, "node_negative", True),
        ({"pn_category": "pN0", "size_mm": 20, "grade": 2}, "recurrence_risk", "low"),
        ({"pn_category": "pN0", "size_mm": 21, "grade": 1}, "recurrence_risk", "medium"),
        ({"pn_category": "pN0", "size_mm": 10, "grade": 3}, "recurrence_risk", "medium"),
        ({"pn_category": "pN1a"}, "recurrence_risk", "medium"),
        ({"tamoxifen_years_completed": 2.5, "ai_years_completed": 2}, "endocrine_years_completed",
         4.5),
    ],
)
def test_derived_fields(facts, field, value):
    assert evaluate(facts).derived[field] == value


@pytest.mark.parametrize(
    ("facts", "field"),
    [({"er_status": "negative"}, "triple_negative"), ({"pn_category": "pNX"}, "node_negative"),
     ({"pn_category": "pN0", "size_mm": 10}, "recurrence_risk"),
     ({"neoadjuvant_chemo_given": False}, "primary_surgery")],
)
def test_derived_fields_stay_unknown_when_facts_do_not_decide(facts, field):
    assert field not in evaluate(facts).derived


def test_derived_field_given_against_staging_is_a_conflict_never_preferred():
    """Issue 9 item 6: a case staged pN1a with node_negative true is flagged, not obeyed."""
    result = evaluate({"invasive": True, "pn_category": "pN1a", "node_negative": True})
    assert "RT-14" not in result.ids  # "do not offer" nodal RT for node-negative: not fired
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.given, conflict.derived) == ("node_negative", True, False)
    assert conflict.sources == ("pn_category",)
    assert "treated as unknown" in conflict.text
    assert "RT-14" in {u.id for u in result.undecided}


def test_primary_surgery_given_true_must_agree_with_neoadjuvant_therapy():
    result = evaluate({"invasive": True, "primary_surgery": True,
                       "neoadjuvant_chemo_given": True, "neoadjuvant_et_given": False})
    assert [c.field for c in result.conflicts] == ["primary_surgery"]


def test_derived_field_given_without_its_sources_is_used_as_given():
    result = evaluate({"invasive": True, "node_negative": True})
    assert "RT-14" in result.ids and result.conflicts == ()


def test_clinician_set_recurrence_risk_is_kept_and_the_difference_shown():
    result = evaluate({"invasive": True, "er_status": "positive", "her2_status": "negative",
                       "pn_category": "pN0", "size_mm": 5, "grade": 1,
                       "recurrence_risk": "high"})
    assert "HR-03" in result.ids
    (conflict,) = result.conflicts
    assert conflict.field == "recurrence_risk" and "kept" in conflict.text


def test_exception_facts_left_out_are_false_and_listed_as_assumptions():
    result = evaluate({"invasive": True, "er_status": "positive"})
    assumed = {a.field: a for a in result.assumptions}
    assert assumed["pregnant"].value is False
    assert assumed["comorbidity_precludes_surgery"].text == (
        "comorbidity_precludes_surgery not given: taken as false")
    assert "SX-01" in result.ids  # NG101 1.4.1 applies unless comorbidity precludes surgery
    given = evaluate({"invasive": True, "er_status": "positive", "pregnant": False})
    assert "pregnant" not in {a.field for a in given.assumptions}


def test_default_recurrence_risk_is_never_high():
    result = evaluate({"pn_category": "pN3a", "size_mm": 80, "grade": 3})
    assert result.derived["recurrence_risk"] == "medium"


# --- missing facts ------------------------------------------------------------------------------
def test_missing_facts_never_fire_and_are_listed():
    result = evaluate({"invasive": True, "slnb_done": True, "sln_macromet_count": 2})
    assert "AX-06" not in result.ids
    undecided = {u.id: u.missing for u in result.undecided}
    assert undecided["AX-06"] == ("anc_done",)


def test_empty_facts_fire_nothing():
    result = evaluate({})
    assert result.recommendations == ()
    defaults = {n: s.default for n, s in FIELDS.items() if s.default is not None}
    assert result.derived == defaults
    assert defaults["recurrence_event"] == "none" and defaults["pregnant"] is False


# --- result shape --------------------------------------------------------------------------------
def test_result_is_grouped_by_topic_in_ruleset_order():
    facts = {"invasive": True, "er_status": "positive", "anc_done": True,
             "lymphoedema_present": True}
    result = evaluate(facts)
    topics = list(result.by_topic)
    order = list(load_rules().topics)
    assert topics == sorted(topics, key=order.index)
    assert [r.id for recs in result.by_topic.values() for r in recs] == list(result.ids)
    assert result.ruleset_version == RULESET_VERSION == "ng101-2025.2"


def test_recommendation_is_frozen():
    rec = evaluate({"anc_done": True}).get("AX-10")
    with pytest.raises(Exception):  # noqa: B017 - pydantic ValidationError on frozen model
        rec.strength = "offer"
    assert rec.cite == "NICE NG101 1.13.20 [2009, amended 2023]"
    # checked against the NG101 text last updated 14 April 2025 (issue 9 item 1)
    assert rec.citation.tag_verified is True
    assert (rec.citation.text_date, rec.citation.wording) == ("2025-04-14", "do not offer")


def test_non_nice_rules_are_labelled():
    rules = load_rules()
    kinds = {r.id: r.source_kind for r in rules.rules}
    assert kinds["SX-07"] == kinds["AX-11"] == kinds["GP-04"] == "inference"
    assert {kinds[i] for i in ("ST-P1", "ET-16", "PG-01", "PG-02", "PG-03")} == {"practice"}
    assert all(kinds[f"LR-0{i}"] == "practice" for i in range(1, 8))
    for rule in rules.rules:
        if rule.source_kind != "nice":
            assert not str(rule.citation).startswith("NICE "), rule.id


# --- validation of facts --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("facts", "field", "fragment"),
    [
        ({"size_mn": 3}, "size_mn", "did you mean 'size_mm'"),
        ({"grade": 4}, "grade", "1 to 3"),
        ({"grade": 2.5}, "grade", "whole number"),
        ({"invasive": "yes"}, "invasive", "true or false"),
        ({"invasive": 1}, "invasive", "true or false"),
        ({"er_status": "pos"}, "er_status", "positive, negative"),
        ({"size_mm": -1}, "size_mm", "0 to 500"),
        ({"size_mm": float("nan")}, "size_mm", "number"),
        ({"cardiac_flags": ["heart_failure", "heart_failure"]}, "cardiac_flags", "distinct"),
        ({"distant_sites": "bone"}, "distant_sites", "list"),
        ({"invasive": True, "dcis_only": True}, "dcis_only", "cannot be true"),
    ],
)
def test_bad_facts_are_refused_naming_field_value_and_allowed(facts, field, fragment):
    with pytest.raises(InputError) as err:
        validate_facts(facts)
    problem = err.value.problems[0]
    assert problem.field == field and fragment in problem.reason


def test_every_problem_is_reported_at_once():
    with pytest.raises(InputError) as err:
        evaluate({"grade": 0, "sex": "f"})
    assert {p.field for p in err.value.problems} == {"grade", "sex"}


def test_null_means_unknown_and_integral_floats_are_whole_numbers():
    assert validate_facts({"size_mm": None, "grade": 2.0}) == {"grade": 2}


def test_fields_cover_the_spec_table():
    """Spec 0.2 names these fields (sample across both tables), with their derived ones."""
    for name in ("invasive", "pn_category", "cardiac_flags", "recurrence_event", "bmi",
                 "chemo_decision_uncertain", "months_since_trastuzumab_completed", "ct_category"):
        assert name in FIELDS
    derived = {f.name for f in FIELDS.values() if f.derived}
    assert derived == {"triple_negative", "node_positive_macro", "margins_clear",
                       "primary_surgery", "node_negative", "recurrence_risk",
                       "endocrine_years_completed", "recurrence_class", "testes_present"}


def test_pending_whole_breast_radiotherapy_names_the_margin_it_waits_for():
    """Issue 9 item 5: 'to decide once X is known', X the fact to ask for (not a derived one)."""
    result = evaluate({"invasive": True, "breast_surgery": "bcs"})
    rt03 = next(u for u in result.undecided if u.id == "RT-03")
    assert rt03.missing == ("radial_margin_min_mm",)
    assert rt03.decide_once == "to decide once radial_margin_min_mm is known"
    assert "whole-breast radiotherapy" in rt03.text.lower() and rt03.strength == "offer"


def test_a_fact_given_as_null_is_taken_at_its_default_and_listed_once_in_field_order():
    result = evaluate({"invasive": True, "pregnant": None, "recurrence_event": None})
    fields = [a.field for a in result.assumptions]
    assert fields.count("pregnant") == 1 and fields.count("recurrence_event") == 1
    assert {a.field: a.value for a in result.assumptions}["recurrence_event"] == "none"
    order = [name for name, _ in load_rules().defaults]
    assert fields == [name for name in order if name in fields]
    assert result.derived["pregnant"] is False
