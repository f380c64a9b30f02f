"""Invariants over random valid cases: the pipeline never fails on valid input, every
recommendation is cited, every figure names its model, the icons always make 100."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import assess
from axilla.case.assessment import parse_case

RECEPTOR = st.sampled_from(["positive", "negative", None])


@st.composite
def cases(draw):
    n_nodes = draw(st.integers(0, 12))
    kind = draw(st.sampled_from(["sentinel", "dissection"]))
    nodes = [{"site": "axillary", "found_by": kind,
              "deposit_mm": draw(st.sampled_from([0, 0, 0.1, 0.2, 0.5, 1.2, 2.0, 2.5, 8.0]))}
             for _ in range(n_nodes)]
    return {
        "patient": {"age_years": draw(st.integers(25, 85)),
                    "menopausal_status": draw(st.sampled_from(["pre", "post", None])),
                    "current_smoker": draw(st.sampled_from([True, False, None]))},
        "tumour": {"invasive_sizes_mm": [draw(st.integers(1, 120))],
                   "grade": draw(st.sampled_from([1, 2, 3, None])),
                   "er": draw(RECEPTOR), "pr": draw(RECEPTOR), "her2": draw(RECEPTOR),
                   "ki67_percent": draw(st.sampled_from([None, 5, 30]))},
        "nodes": nodes,
        "procedure": {"kind": kind, "nodes_removed": n_nodes},
        "screen_detected": draw(st.sampled_from([True, False, None])),
        "treatment": {
            "breast_surgery": draw(st.sampled_from(["bcs", "mastectomy"])),
            "chemotherapy": draw(st.sampled_from(["none", "second_generation",
                                                  "third_generation"])),
            "endocrine_therapy": draw(st.booleans()), "trastuzumab": draw(st.booleans()),
            "bisphosphonates": draw(st.booleans()), "radiotherapy": draw(st.booleans()),
            "mean_heart_dose_gy": draw(st.sampled_from([None, 0.5, 4.0])),
        },
    }


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=cases())
def test_every_assessment_is_complete_cited_and_traceable(data):
    a = assess(parse_case(data))
    for rec in a.guidance.recommendations:
        assert rec.cite and rec.strength and rec.id
        assert rec.source_kind in ("nice", "practice", "inference")
    if a.predict.applicable:
        r = a.predict.result
        assert r.model.version == a.provenance.predict_version
        assert sum(a.charts.icon_array_counts.values()) == 100
        assert all(v >= 0 for v in a.charts.icon_array_counts.values())
        survival = [r.steps[-1].overall_survival_pct[t] for t in range(1, 16)]
        assert all(b <= a_ + 1e-9 for a_, b in itertools.pairwise(survival))
    else:
        assert a.predict.not_applicable_reasons
        assert a.charts.icon_array_svg is None
    assert a.staging.reasons
    assert all(e.patient and e.clinician for e in a.explanations)
