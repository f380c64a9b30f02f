"""Guidance for recurrence events, decided by the guidance engine from the event's facts.

The expected ids are read off the conditions of rules/cg81_recurrence.yaml (NICE CG81 1.3.1-1.3.3,
1.4.1, 1.5.x, 1.6.1, 1.12.x, 1.13.x) and rules/practice_recurrence.yaml (LR-01..07).
"""

from __future__ import annotations

import pytest

from axilla.case.recurrence import RecurrenceEvent
from axilla.guidance import evaluate
from axilla.recurrence import classify_recurrence


def recurrence_ids(**event):
    event.setdefault("pathology_confirmed", True)
    facts = classify_recurrence(RecurrenceEvent(**event)).guidance_facts
    return tuple(r.id for r in evaluate(facts).recommendations if r.topic == "recurrence")


# CG81 1.1.1 (needs at relapse, RC81-14) and 1.3.1-1.3.3 (imaging for distant metastases,
# RC81-01..03: NICE's basis for restaging) apply to every recurrence class.
EVERY = ("RC81-14", "RC81-01", "RC81-02", "RC81-03")


@pytest.mark.parametrize(("event", "expected"), [
    ({"sites": ["bone", "brain"]},
     (*EVERY, "RC81-04", "RC81-05", "RC81-06", "RC81-11", "RC81-12", "RC81-07", "RC81-09",
      "RC81-13", "RC81-10")),
    ({"sites": ["liver"]}, (*EVERY, "RC81-05", "RC81-06", "RC81-11", "RC81-07")),
    ({"sites": ["ipsilateral_breast"], "breast_surgery": "bcs"},
     (*EVERY, "RC81-05", "LR-01", "LR-02", "LR-03")),
    ({"sites": ["ipsilateral_chest_wall"], "breast_surgery": "mastectomy",
      "restaging_complete": True},
     (*EVERY, "RC81-05", "LR-01", "LR-02", "LR-04", "LR-06")),
    ({"sites": ["ipsilateral_axillary_nodes"]}, (*EVERY, "RC81-05", "LR-01", "LR-02", "LR-05")),
    # LR-03 is worded for a local recurrence only
    ({"sites": ["ipsilateral_breast", "ipsilateral_axillary_nodes"], "breast_surgery": "bcs"},
     (*EVERY, "RC81-05", "LR-01", "LR-02", "LR-05")),
    # not yet confirmed: the confirmation steps of its class, no treatment rule yet
    ({"sites": ["ipsilateral_breast"], "breast_surgery": "bcs", "pathology_confirmed": False},
     (*EVERY, "RC81-05", "LR-01", "LR-02")),
])
def test_recurrence_rules_follow_the_event_class(event, expected):
    assert recurrence_ids(**event) == expected


def test_suspected_spinal_metastases_point_to_ng234():
    # CG81 1.3.5: suspected spinal metastases or cord compression -> NICE NG234
    assert "RC81-04" in recurrence_ids(sites=["bone"], spinal_metastases_suspected=True)
    assert "RC81-04" not in recurrence_ids(sites=["bone"])


def test_uncontrolled_local_disease_and_recurrence_on_chemotherapy():
    ids = recurrence_ids(sites=["ipsilateral_chest_wall"], breast_surgery="mastectomy",
                         uncontrolled_local_disease=True, on_adjuvant_chemotherapy=True)
    assert {"RC81-08", "LR-07"} <= set(ids)


@pytest.mark.parametrize("event", [
    {"sites": ["other_distant"], "second_non_breast_primary": True},
    {"sites": ["bone"], "metastatic_at_primary_diagnosis": True},
])
def test_events_that_are_not_recurrences_get_no_recurrence_rules(event):
    assert recurrence_ids(**event) == ()


def test_every_recurrence_rule_carries_its_citation_from_the_guidance_engine():
    facts = classify_recurrence(RecurrenceEvent(
        sites=["bone", "brain"], pathology_confirmed=True)).guidance_facts
    for rec in evaluate(facts).recommendations:
        assert rec.cite
        if rec.id.startswith("RC81"):
            assert rec.citation.guideline == "NICE CG81"
        if rec.id.startswith("LR"):
            assert rec.source_kind == "practice"


def test_unrecorded_treatment_state_is_an_assumption_the_result_shows():
    facts = classify_recurrence(RecurrenceEvent(
        sites=["ipsilateral_axillary_nodes"], pathology_confirmed=True,
        months_since_primary_surgery=3)).guidance_facts
    assumed = {a.field: a.value for a in evaluate(facts).assumptions}
    assert assumed["primary_treatment_ongoing"] is False
