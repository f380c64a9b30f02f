"""The patient's questions, answered from the case: the two cases this project exists for.

Case (a) is the woman told "micrometastasis in 1 sentinel node" (examples/a_...json); case (e)
with pregnancy is the woman whose node came back near her clearance scar during chemotherapy.
Expected wording follows NICE NG101 1.4.14 (no further axillary treatment for micrometastases
only), 1.12.1 (bisphosphonates after the menopause) and the pregnancy practice (RCOG Green-top
Guideline No. 12: radiotherapy after delivery, no chemotherapy in the first trimester).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat

from axilla.assess import assess
from axilla.assess.present import question_facts
from axilla.case.assessment import parse_case
from axilla.explain import explain_recurrence_class
from axilla.explain.catalogue import catalogue
from axilla.explain.glossary import GLOSSARY_TERMS
from axilla.explain.questions import (
    QUESTION_IDS,
    Advice,
    Benefit,
    NodeSeen,
    QuestionFacts,
    patient_questions,
)
from axilla.guidance import load_rules
from axilla.recurrence import classify_recurrence

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADVICE = re.compile(r"\b(should|must|ought|recommend\w*|advis\w*|you need to|you have to|"
                    r"you had better)\b", re.IGNORECASE)


def _answers(name: str, **facts: object) -> dict[str, str]:
    data = json.loads((EXAMPLES / name).read_text())
    data.setdefault("guidance_facts", {}).update(facts)
    case = parse_case(data)
    a = assess(case)
    event = classify_recurrence(case.recurrence) if case.recurrence else None
    text = None if event is None else explain_recurrence_class(
        event.event_class, event.local_subclass, confirmed=event.confirmed,
        isolated=event.isolated).patient
    qs = patient_questions(question_facts(case, a.staging, a.predict.result, a.guidance, event,
                                          text))
    ids = [q.id for q in qs]
    assert ids == sorted(ids, key=QUESTION_IDS.index), "questions keep their stable order"
    return {q.id: q.answer for q in qs}


@pytest.fixture(scope="module")
def micro() -> dict[str, str]:
    return _answers("a_micrometastasis_sentinel.json")


@pytest.fixture(scope="module")
def pregnant_recurrence() -> dict[str, str]:
    return _answers("e_regional_recurrence_during_chemotherapy.json", pregnant=True)


def test_micrometastasis_case_answers_each_question(micro: dict[str, str]) -> None:
    assert list(micro) == ["nodes_found", "has_it_spread", "stage", "axilla_treatment",
                           "treatment_benefits", "treatment_purpose", "pending",
                           "recurrence_signs"]
    assert "1 of your 2 sentinel lymph nodes had a tiny area of cancer" in micro["nodes_found"]
    assert "1.2 mm" in micro["nodes_found"]
    spread = micro["has_it_spread"]
    assert "not the same as spread to other parts of the body" in spread
    assert "no sign that the cancer has spread beyond the lymph nodes" in spread
    # One stage, and what the other number means (prognostic IA, anatomic IB).
    assert "stage of your cancer is 1A" in micro["stage"]
    assert "may also show stage 1B" in micro["stage"]
    # NG101 1.4.14: no further axillary treatment; the trade-off NICE names.
    axilla = micro["axilla_treatment"]
    assert "not usually offered" in axilla and "lymphoedema" in axilla
    assert "zoledronic acid" in micro["treatment_purpose"]
    assert "menopause" in micro["treatment_purpose"]
    assert "PREDICT 3.2" in micro["treatment_benefits"]


def test_pregnant_recurrence_keeps_pregnancy_in_view(pregnant_recurrence: dict[str, str]
                                                     ) -> None:
    a = pregnant_recurrence
    assert "treatment_benefits" not in a  # PREDICT does not apply after a recurrence
    assert "lymph nodes near the breast" in a["recurrence_type"]
    assert "during or soon after your first treatment" in a["recurrence_type"]
    nxt = a["what_next"]
    assert "pregnant" in nxt
    assert "until the baby is born" in nxt
    assert "first 3 months" in nxt
    assert "Trastuzumab" not in nxt  # not in her plan (HER2-negative)
    assert "Chemotherapy aims to kill cancer cells" in a["treatment_purpose"]


def test_answers_read_at_grade_8_without_advice_or_repetition(
        micro: dict[str, str], pregnant_recurrence: dict[str, str]) -> None:
    for answers in (micro, pregnant_recurrence, _answers("c_isolated_tumour_cells.json"),
                    _answers("b_two_macrometastases_sentinel.json"),
                    _answers("d_clearance_four_nodes_her2.json")):
        sentences: list[str] = []
        for answer in answers.values():
            assert textstat.flesch_kincaid_grade(answer) <= 8.0, answer
            assert not ADVICE.search(answer), answer
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", answer) if s.strip()]
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated


def test_isolated_tumour_cells_count_as_no_spread() -> None:
    a = _answers("c_isolated_tumour_cells.json")
    assert "count this as no spread to the lymph nodes" in a["has_it_spread"]
    assert "nodes count as free of cancer" in a["axilla_treatment"]


def _facts(**kw: object) -> QuestionFacts:
    base: dict[str, object] = dict(
        nodes=(NodeSeen("sentinel", "axillary", "micro", 1.2),
               NodeSeen("sentinel", "axillary", "neg")),
        pn_category="N1mi", pn_modifier="", m="cM0", anatomic_stage="IB",
        prognostic_stage="IA", recommendations=(), predict_version="3.2")
    base.update(kw)
    return QuestionFacts(**base)  # type: ignore[arg-type]


def test_every_treatment_is_shown_chosen_or_not() -> None:
    benefits = (Benefit("h", True, 2.3, None), Benefit("c", False, 0.0, 1.6),
                Benefit("t", False, 0.0, None), Benefit("b", True, 1.2, None),
                Benefit("r", True, 0.3, None))
    text = next(q.answer for q in patient_questions(_facts(benefits=benefits))
                if q.id == "treatment_benefits")
    assert "Hormone therapy is in your plan, and adds about 2 more women alive" in text
    assert "Chemotherapy is not in your plan; with it, about 2 more women out of 100" in text
    assert "Targeted drug treatment for HER2 is not shown" in text
    assert "Bone drug treatment is in your plan, and adds about 1 more woman alive" in text
    assert "1 more women" not in text
    assert "Radiotherapy is in your plan, and adds less than 1 more woman" in text


def test_pending_names_the_missing_fact_in_plain_words() -> None:
    qs = patient_questions(_facts(undecided=(("RT-03", ("radial_margin_min_mm",)),)))
    pending = next(q.answer for q in qs if q.id == "pending")
    assert pending.startswith("To decide once the margin result")


def test_nodal_radiotherapy_left_open_by_nice_is_said() -> None:
    recs = (Advice("AX-08", "axilla"), Advice("RT-20", "radiotherapy", "micrometastases"))
    text = next(q.answer for q in patient_questions(_facts(recommendations=recs))
                if q.id == "axilla_treatment")
    assert "not usually offered" in text
    assert "does not say if tiny areas of cancer count" in text


def test_every_glossary_term_used_is_defined(micro: dict[str, str]) -> None:
    qs = patient_questions(_facts(pregnant=True, plan=frozenset("rhcbt")))
    for q in qs:
        assert set(q.glossary_terms) <= set(GLOSSARY_TERMS), q.id


def test_catalogue_rule_keys_name_existing_rules() -> None:
    ids = {r.id for r in load_rules().rules}
    keyed = {k.split(".")[3] for k in catalogue("en")
             if k.startswith(("questions.axilla_treatment.rule.", "questions.pending.open."))}
    assert keyed and keyed <= ids, keyed - ids


def test_nodes_found_covers_needle_imaging_and_other_sites() -> None:
    nodes = (NodeSeen("needle_biopsy", "axillary", "pos"), NodeSeen("imaging", "axillary", "neg"),
             NodeSeen("sentinel", "internal_mammary", "macro", 3.0),
             NodeSeen("dissection", "axillary", "macro", 4.0),
             NodeSeen("dissection", "axillary", "micro", 1.0),
             NodeSeen("dissection", "axillary", "neg"))
    text = patient_questions(_facts(nodes=nodes, pn_category="N1c"))[0].answer
    assert "A needle test on a lymph node found cancer in it, with no size given." in text
    assert "Scans showed a lymph node that may have cancer in it." in text
    assert "near the breastbone or collarbone had an area of cancer bigger than 2 mm" in text
    assert "1 of the 3 lymph nodes taken from your armpit had an area of cancer bigger" in text
    assert "1 of the 3 lymph nodes taken from your armpit had a tiny area" in text
    assert "The largest area of cancer was 4 mm across." in text


def test_a_condition_nice_leaves_open_reaches_the_patient() -> None:
    """Issue 9 item 4 on the patient's face: pN1mi with grade 3 gets AX-08 and the conditional
    supraclavicular radiotherapy (RT-20, NG101 1.13.22); the answer says NICE leaves open whether
    tiny areas count, instead of an unqualified offer beside "no more treatment"."""
    answers = _answers("a_micrometastasis_sentinel.json", performance_status_good=True)
    data = json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text())
    data["tumour"]["grade"] = 3
    data["guidance_facts"] = {"performance_status_good": True}
    case = parse_case(data)
    a = assess(case)
    assert "RT-20" in a.guidance.ids and "AX-08" in a.guidance.ids
    qs = patient_questions(question_facts(case, a.staging, a.predict.result, a.guidance))
    axilla = next(q.answer for q in qs if q.id == "axilla_treatment")
    assert "not usually offered" in axilla
    assert "does not say if tiny areas of cancer count" in axilla
    assert answers["axilla_treatment"]  # grade 2: the same question is still answered
