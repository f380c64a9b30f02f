"""The five example cases of the assessment issue, with their key results.

Expected values come from the specifications: AJCC 8th node categories and pN (staging.md),
the PREDICT web tool's node convention (one micrometastatic node = 0.5), NICE NG101 1.4.12-1.4.15
(guidance.md section D.2) and the recurrence classes (recurrence.md section 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axilla.assess import assess, assess_many
from axilla.case.assessment import parse_case
from axilla.models.predict.results import predict_one

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str):
    return parse_case(json.loads((EXAMPLES / name).read_text()))


def fired(a) -> set[str]:
    return {r.id for r in a.guidance.recommendations}


def test_a_micrometastasis_in_one_of_two_sentinel_nodes():
    a = assess(load("a_micrometastasis_sentinel.json"))
    assert a.staging.pN.display == "pN1mi(sn)"
    assert a.staging.pT.display == "pT1c"
    assert [n.category for n in a.staging.nodes] == ["micro", "neg"]
    assert a.predict.inputs["nodes"] == 0.5
    assert "AX-08" in fired(a)  # micrometastases only: no further axillary treatment
    assert not {"AX-06", "AX-07", "AX-09"} & fired(a)
    ax = a.guidance.get("AX-08")
    assert ax.strength == "do_not_offer" and "NG101 1.4.14" in ax.cite
    assert ax.facts["sln_micromet_count"] == 1


def test_b_two_macrometastases_in_three_sentinel_nodes_after_bcs():
    a = assess(load("b_two_macrometastases_sentinel.json"))
    assert a.staging.pN.display == "pN1a(sn)"
    assert a.predict.inputs["nodes"] == 2.0
    assert {"AX-06", "AX-07"} <= fired(a)
    assert a.guidance.get("AX-07").strength == "discuss"
    assert "AX-08" not in fired(a)


def test_c_isolated_tumour_cells_only():
    a = assess(load("c_isolated_tumour_cells.json"))
    assert a.staging.pN.display == "pN0(i+)(sn)"
    assert a.staging.positive_nodes == 0
    assert a.predict.inputs["nodes"] == 0.0
    assert "AX-09" in fired(a) and "AX-08" not in fired(a)


def test_d_clearance_four_of_twelve_her2_positive():
    a = assess(load("d_clearance_four_nodes_her2.json"))
    assert a.staging.pN.display == "pN2a"
    assert a.staging.positive_nodes == 4
    assert a.staging.anatomic_stage == "IIIA"  # T2 N2 M0
    assert a.predict.inputs["nodes"] == 4.0 and a.predict.inputs["her2"] == 1.0
    trastuzumab = next(b for b in a.predict.result.benefits if b.letter == "t")
    assert trastuzumab.chosen and trastuzumab.benefit_pp[10] > 0
    assert any(r.topic == "her2" for r in a.guidance.recommendations)


def test_e_regional_recurrence_during_chemotherapy():
    a = assess(load("e_regional_recurrence_during_chemotherapy.json"))
    event = a.recurrence.event
    assert event.event_class == "regional"
    assert {"RC81-05", "LR-01"} <= fired(a)
    assert not a.predict.applicable
    assert any("recurrence" in r for r in a.predict.not_applicable_reasons)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_figure_and_recommendation_is_traceable(name):
    a = assess(load(name))
    assert a.provenance.ruleset_version == a.guidance.ruleset_version
    assert len(a.provenance.input_sha256) == 64
    if a.predict.result is not None:
        assert a.provenance.predict_version == a.predict.result.model.version == "3.2"
        assert a.predict.result.model.source.startswith("WintonCentre/predict-v30-r")
        assert sum(a.charts.icon_array_counts.values()) == 100
    for rec in a.guidance.recommendations:
        assert rec.cite and rec.id and rec.strength
    for index in a.indices:
        if index.result is not None:
            assert index.result.provenance.source
    for e in a.explanations:
        assert e.clinician and e.patient


def test_predict_figures_equal_the_predict_engine_alone():
    case = load("a_micrometastasis_sentinel.json")
    a = assess(case)
    direct = predict_one(a.predict.inputs, "3.2")
    for t in (5, 10, 15):
        assert (a.predict.result.surgery_only.overall_survival_pct[t]
                == direct.surgery_only.overall_survival_pct[t])
    assert a.predict.result.total_benefit.benefit_pp[10] == direct.total_benefit.benefit_pp[10]


def test_a_batch_gives_the_same_assessments_as_one_by_one():
    cases = [load(p.name) for p in sorted(EXAMPLES.glob("*.json"))]
    batch = assess_many(cases)
    for case, a in zip(cases, batch, strict=True):
        assert a.model_dump() == assess(case).model_dump()


def test_older_predict_version_is_recorded():
    a = assess(load("a_micrometastasis_sentinel.json"), predict_version="3.1")
    assert a.predict.result.model.version == "3.1" == a.provenance.predict_version
