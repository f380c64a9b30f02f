"""Recurrence event classification (spec recurrence.md §1) and the facts it gives guidance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.recurrence import (
    ALL_SITES,
    CONTRALATERAL_BREAST_SITES,
    DISTANT_SITES,
    IN_TRANSIT_SITES,
    LOCAL_SITES,
    REGIONAL_SITES,
    RecurrenceEvent,
)
from axilla.errors import InputError
from axilla.recurrence import classify_recurrence


def classify(**kw):
    kw.setdefault("pathology_confirmed", True)
    return classify_recurrence(RecurrenceEvent(**kw))


# --- step 1: distant, including non-regional nodes ------------------------------------------

@pytest.mark.parametrize("site", DISTANT_SITES)
def test_any_distant_site_is_distant(site):
    c = classify(sites=[site])
    assert c.event_class == "distant"
    assert c.recurrence_event == "distant"
    assert c.isolated is False
    assert not c.locoregional_component


@pytest.mark.parametrize("site", ["cervical_nodes", "contralateral_axillary_nodes",
                                  "contralateral_internal_mammary_nodes"])
def test_non_regional_nodes_are_distant_m1(site):
    c = classify(sites=[site])
    assert c.event_class == "distant"
    assert any("M1" in r for r in c.reasons)


def test_distant_wins_over_locoregional_and_flags_component():
    c = classify(sites=["ipsilateral_breast", "ipsilateral_axillary_nodes", "liver"],
                 breast_surgery="bcs")
    assert c.event_class == "distant"
    assert c.locoregional_component is True
    assert c.local_subclass is None


def test_distant_wins_over_contralateral_breast():
    c = classify(sites=["contralateral_breast", "lung"])
    assert c.event_class == "distant"
    assert any("second primary or metastasis" in n for n in c.uncertainty_notes)


# --- step 2: opposite breast only ------------------------------------------------------------

def test_contralateral_breast_only_is_new_primary():
    c = classify(sites=["contralateral_breast"])
    assert c.event_class == "contralateral_new_primary"
    assert c.consider_metastasis is False
    assert c.timing is None  # early/late applies to recurrences


def test_contralateral_with_suspicious_other_sites_flags_metastasis():
    c = classify(sites=["contralateral_breast"], distant_disease_suspected=True)
    assert c.event_class == "contralateral_new_primary"
    assert c.consider_metastasis is True


# --- step 3: regional nodes --------------------------------------------------------------------

@pytest.mark.parametrize("site", REGIONAL_SITES)
def test_ipsilateral_regional_nodes_are_regional(site):
    assert classify(sites=[site]).event_class == "regional"


def test_regional_with_local_is_locoregional():
    c = classify(sites=["ipsilateral_chest_wall", "ipsilateral_supraclavicular_nodes"],
                 breast_surgery="mastectomy")
    assert c.event_class == "locoregional"
    assert c.local_subclass is None


def test_contralateral_breast_with_regional_nodes_is_regional_with_note():
    c = classify(sites=["contralateral_breast", "ipsilateral_axillary_nodes"])
    assert c.event_class == "regional"
    assert any("second primary or metastasis" in n for n in c.uncertainty_notes)


# --- step 4: local and its sub-classes ---------------------------------------------------------

def test_chest_wall_after_mastectomy():
    c = classify(sites=["ipsilateral_chest_wall"], breast_surgery="mastectomy")
    assert c.event_class == "local"
    assert c.local_subclass == "chest_wall_recurrence"


def test_ibtr_at_tumour_bed_same_histology_is_true_recurrence_possible():
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs",
                 location_in_breast="at_or_near_tumour_bed", histology_vs_primary="same")
    assert c.event_class == "local"
    assert c.local_subclass == "ibtr_true_recurrence_possible"
    # heuristic, never decided silently
    assert any("no validated rule" in n for n in c.uncertainty_notes)


@pytest.mark.parametrize("kw", [
    {"location_in_breast": "remote_different_quadrant"},
    {"histology_vs_primary": "different"},
    {"receptors_vs_primary": "different"},
])
def test_ibtr_with_new_primary_features_is_labelled_possible_new_primary(kw):
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs", **kw)
    assert c.local_subclass == "ipsilateral_new_primary_possible"
    assert any("possible new primary — clinical/pathological judgement" in n
               for n in c.uncertainty_notes)


def test_ibtr_conflicting_features_stays_possible_new_primary_and_says_so():
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs",
                 location_in_breast="at_or_near_tumour_bed", histology_vs_primary="same",
                 receptors_vs_primary="different")
    assert c.local_subclass == "ipsilateral_new_primary_possible"
    assert any("features conflict" in n for n in c.uncertainty_notes)


def test_ibtr_without_location_or_histology_is_undetermined():
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs")
    assert c.local_subclass == "ibtr_type_undetermined"
    assert any("location_in_breast" in n and "histology_vs_primary" in n
               for n in c.uncertainty_notes)


def test_late_ibtr_true_recurrence_notes_possible_new_primary():
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs",
                 location_in_breast="at_or_near_tumour_bed", histology_vs_primary="same",
                 months_since_primary_diagnosis=96)
    assert c.timing == "late"
    assert any("long interval" in n for n in c.uncertainty_notes)


# --- step 5: unconfirmed -> suspected ----------------------------------------------------------

@pytest.mark.parametrize("sites", [["ipsilateral_chest_wall"], ["ipsilateral_axillary_nodes"],
                                   ["bone"]])
def test_without_pathology_the_event_is_suspected(sites):
    c = classify(sites=sites, pathology_confirmed=False)
    assert c.recurrence_event == "suspected"
    assert c.confirmed is False
    assert any("suspected" in n for n in c.uncertainty_notes)


def test_suspected_distant_still_sets_distant_disease_suspected_for_guidance():
    c = classify(sites=["bone"], pathology_confirmed=False)
    assert c.guidance_facts["distant_disease_suspected"] is True
    assert c.guidance_facts["distant_sites"] == ["bone"]


# --- events that are not breast-cancer recurrences ---------------------------------------------

def test_second_non_breast_primary_is_not_a_recurrence():
    c = classify(sites=["other_distant"], second_non_breast_primary=True)
    assert c.event_class == "second_non_breast_primary"
    assert c.recurrence_event == "none"
    assert not hasattr(c, "guidance_rule_ids")


def test_de_novo_metastatic_is_not_a_recurrence():
    c = classify(sites=["bone"], metastatic_at_primary_diagnosis=True)
    assert c.event_class == "de_novo_metastatic"
    assert c.recurrence_event == "none"
    assert not hasattr(c, "guidance_rule_ids")


# --- isolated, timing ---------------------------------------------------------------------------

def test_isolated_needs_complete_restaging():
    kw = dict(sites=["ipsilateral_axillary_nodes"])
    assert classify(**kw).isolated is None
    assert classify(**kw, restaging_complete=True).isolated is True
    assert classify(**kw, restaging_complete=True, distant_disease_suspected=True).isolated is None


@pytest.mark.parametrize(("months", "timing"), [(0, "early"), (59.9, "early"), (60, "early"),
                                                (60.1, "late"), (240, "late")])
def test_early_is_within_five_years_of_diagnosis(months, timing):
    c = classify(sites=["lung"], months_since_primary_diagnosis=months)
    assert c.timing == timing


def test_interval_from_surgery_used_when_diagnosis_interval_missing():
    c = classify(sites=["lung"], months_since_primary_surgery=70)
    assert c.timing == "late"
    assert any("from surgery" in n for n in c.uncertainty_notes)


# --- sites near the scar, in transit; events during primary treatment (issue 9 item 3) -------

def test_soft_tissue_near_the_axillary_scar_is_a_regional_recurrence():
    c = classify(sites=["ipsilateral_axillary_scar_soft_tissue"])
    assert c.event_class == "regional"
    assert any("axillary scar" in r for r in c.reasons)
    assert any("node, a soft-tissue deposit or scar" in n for n in c.uncertainty_notes)


@pytest.mark.parametrize("sites", [["ipsilateral_in_transit"],
                                   ["ipsilateral_in_transit", "ipsilateral_axillary_nodes"],
                                   ["ipsilateral_in_transit", "ipsilateral_chest_wall"]])
def test_in_transit_deposits_are_locoregional(sites):
    c = classify(sites=sites, breast_surgery="mastectomy")
    assert c.event_class == "locoregional"
    assert any("in-transit" in r for r in c.reasons)


def test_in_transit_with_distant_disease_is_a_locoregional_component():
    c = classify(sites=["ipsilateral_in_transit", "lung"])
    assert c.event_class == "distant" and c.locoregional_component


def test_node_near_the_scar_six_weeks_after_clearance_during_chemotherapy():
    # the forum case behind issue 9: a node near the clearance scar six weeks after mastectomy
    # and axillary clearance, during the first cycle of EC chemotherapy
    c = classify(sites=["ipsilateral_axillary_scar_soft_tissue"], breast_surgery="mastectomy",
                 prior_axillary_surgery="anc", months_since_primary_surgery=1.5,
                 on_adjuvant_chemotherapy=True)
    assert c.event_class == "regional"
    assert c.course == "on_primary_treatment" and c.primary_treatment_ongoing
    assert any("not a recurrence after a disease-free interval" in r for r in c.reasons)
    assert c.guidance_facts["primary_treatment_ongoing"] is True
    assert c.guidance_facts["months_since_primary_surgery"] == 1.5


@pytest.mark.parametrize(("kw", "course"), [
    ({"disease_course": "residual_disease"}, "on_primary_treatment"),
    ({"disease_course": "progression_on_treatment"}, "on_primary_treatment"),
    ({"on_primary_treatment": True}, "on_primary_treatment"),
    ({"disease_course": "recurrence_after_disease_free_interval"},
     "after_disease_free_interval"),
    ({"on_primary_treatment": False}, None),
    ({}, None),
])
def test_course_relative_to_primary_treatment(kw, course):
    c = classify(sites=["ipsilateral_axillary_nodes"], **kw)
    assert c.course == course
    assert c.primary_treatment_ongoing is (course == "on_primary_treatment")
    if kw:  # recorded: guidance is told; not recorded: guidance assumes false and says so
        assert c.guidance_facts["primary_treatment_ongoing"] is c.primary_treatment_ongoing
    else:
        assert "primary_treatment_ongoing" not in c.guidance_facts


def test_unrecorded_treatment_state_soon_after_surgery_is_named():
    c = classify(sites=["ipsilateral_axillary_nodes"], months_since_primary_surgery=3)
    assert any("on_primary_treatment" in n for n in c.uncertainty_notes)


def test_suspected_event_keeps_its_class_for_guidance():
    c = classify(sites=["ipsilateral_breast"], breast_surgery="bcs", pathology_confirmed=False)
    assert c.guidance_facts["recurrence_event"] == "suspected"
    assert c.guidance_facts["recurrence_class"] == "local"


def test_existing_event_json_stays_valid_without_the_new_fields():
    c = classify_recurrence(RecurrenceEvent(sites=["ipsilateral_axillary_nodes"]))
    assert c.course is None and c.primary_treatment_ongoing is False


# --- property: first match wins ------------------------------------------------------------------

@given(st.lists(st.sampled_from(ALL_SITES), min_size=1, max_size=6, unique=True))
def test_first_match_wins(sites):
    c = classify(sites=sites)
    if any(s in DISTANT_SITES for s in sites):
        expected = "distant"
    elif any(s in IN_TRANSIT_SITES for s in sites):
        expected = "locoregional"
    elif any(s in REGIONAL_SITES for s in sites):
        expected = ("locoregional" if any(s in LOCAL_SITES for s in sites) else "regional")
    elif any(s in LOCAL_SITES for s in sites):
        expected = "local"
    else:
        assert all(s in CONTRALATERAL_BREAST_SITES for s in sites)
        expected = "contralateral_new_primary"
    assert c.event_class == expected


# --- vocabulary refusals -------------------------------------------------------------------------

@pytest.mark.parametrize(("kw", "field"), [
    ({"sites": []}, "sites"),
    ({"sites": ["moon"]}, "sites[0]"),
    ({"sites": ["bone", "bone"]}, "sites"),
    ({"sites": ["bone"], "months_since_primary_diagnosis": -1}, "months_since_primary_diagnosis"),
    ({"sites": ["bone"], "months_since_primary_diagnosis": 721},
     "months_since_primary_diagnosis"),
    ({"sites": ["ipsilateral_breast"], "breast_surgery": "mastectomy"}, "sites"),
    ({"sites": ["bone"], "location_in_breast": "at_or_near_tumour_bed"}, "location_in_breast"),
    ({"sites": ["bone"], "months_since_primary_diagnosis": 10,
      "months_since_primary_surgery": 12}, "months_since_primary_surgery"),
    ({"sites": ["bone"], "unknown_field": 1}, "unknown_field"),
    ({"sites": ["bone"], "on_adjuvant_chemotherapy": True, "on_primary_treatment": False},
     "on_primary_treatment"),
    ({"sites": ["bone"], "on_primary_treatment": True,
      "disease_course": "recurrence_after_disease_free_interval"}, "disease_course"),
    ({"sites": ["bone"], "disease_course": "relapse"}, "disease_course"),
])
def test_bad_events_are_refused_naming_the_field(kw, field):
    with pytest.raises(InputError) as info:
        RecurrenceEvent(**kw)
    assert field in [p.field for p in info.value.problems]


def test_refusal_states_value_and_valid_range():
    with pytest.raises(InputError) as info:
        RecurrenceEvent(sites=["bone"], months_since_primary_diagnosis=-3)
    problem = info.value.problems[0]
    assert problem.value == -3
    assert "0 to 720 months" in problem.reason


def test_event_is_frozen():
    event = RecurrenceEvent(sites=["bone"])
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own frozen error
        event.sites = ("lung",)
