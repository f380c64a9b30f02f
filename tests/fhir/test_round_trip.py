"""A case written as FHIR and read back is the same case (spec fhir.md sections 2 and 2.8 B).

Fields with no agreed FHIR element (radial margin, lymphovascular invasion,
recurrence, regional nodal radiotherapy, guidance facts) are not carried; see case_bundle.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from axilla.case.assessment import parse_case
from axilla.errors import InputError
from axilla.interop.fhir.case_bundle import case_bundle
from axilla.interop.fhir.read import read_bundle

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOT_CARRIED = ("radial_margin_min_mm", "regional_nodal_radiotherapy")


def _carried(data: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    data.pop("recurrence", None)
    data.pop("lymphovascular_invasion", None)
    data.pop("guidance_facts", None)
    for name in NOT_CARRIED:
        data.get("treatment", {}).pop(name, None)
    return data


def test_every_example_case_round_trips():
    for path in sorted(EXAMPLES.glob("*.json")):
        case = parse_case(_carried(json.loads(path.read_text("utf-8"))))
        back = read_bundle(case_bundle(case))
        assert back.case == case, path.name
        assert not back.report.needs_review, path.name


_node = st.fixed_dictionaries({
    "site": st.sampled_from(["axillary", "intramammary", "internal_mammary", "infraclavicular",
                             "supraclavicular"]),
    "found_by": st.sampled_from(["sentinel", "dissection"]),
    "deposit_mm": st.one_of(st.none(), st.sampled_from([0.0, 0.1, 0.2, 0.5, 1.9, 2.0, 2.1,
                                                        7.5, 30.0])),
    "method": st.sampled_from(["he", "ihc"]),
}, optional={"cells_per_section": st.integers(0, 500), "extranodal_extension": st.booleans()})


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    invasive = draw(st.booleans())
    nodes = draw(st.lists(_node, max_size=5))
    for n in nodes:
        if n["deposit_mm"] is None:
            n["tumour_present"] = True
            n.pop("cells_per_section", None)
    kind = draw(st.sampled_from(["sentinel", "dissection"])) if nodes else draw(
        st.sampled_from(["sentinel", "dissection", "none"]))
    data: dict[str, Any] = {
        "case_id": draw(st.one_of(st.none(), st.text("abcxyz-0123", min_size=1, max_size=12))),
        "patient": {"age_years": draw(st.integers(18, 110)) + draw(st.sampled_from([0, 0.5])),
                    "sex": draw(st.sampled_from(["female", "male"])),
                    "menopausal_status": draw(st.sampled_from([None, "pre", "peri", "post"])),
                    "current_smoker": draw(st.sampled_from([None, True, False]))},
        "tumour": {"primary": "invasive" if invasive else "dcis",
                   "invasive_sizes_mm": [draw(st.sampled_from([0.8, 5.0, 12.5, 20.0, 21.0,
                                                               60.0]))] if invasive else [],
                   "grade": draw(st.sampled_from([None, 1, 2, 3])),
                   "er": draw(st.sampled_from([None, "positive", "negative"])),
                   "pr": draw(st.sampled_from([None, "positive", "negative"])),
                   "her2": draw(st.sampled_from([None, "positive", "negative"])),
                   "ki67_percent": draw(st.sampled_from([None, 5.0, 30.0])),
                   "oncotype_rs": draw(st.sampled_from([None, 11])) if invasive else None},
        "nodes": nodes,
        "procedure": {"kind": kind},
        "m": draw(st.sampled_from(["cM0", "cM0(i+)", "cM1", "pM1"])),
        "clinical_t": draw(st.sampled_from([None, "T1c", "T2", "T4b"])),
        "clinical_n": draw(st.sampled_from([None, "N0", "N1", "N3a"])),
        "screen_detected": draw(st.sampled_from([None, True, False])),
        "histology": draw(st.sampled_from([None, "nst", "lobular"])) if invasive else None,
        "treatment": {
            "breast_surgery": draw(st.sampled_from([None, "bcs", "mastectomy"])),
            "chemotherapy": draw(st.sampled_from(["none", "second_generation",
                                                  "third_generation"])),
            "endocrine_therapy": draw(st.booleans()), "trastuzumab": draw(st.booleans()),
            "bisphosphonates": draw(st.booleans()), "radiotherapy": draw(st.booleans()),
            "mean_heart_dose_gy": draw(st.sampled_from([None, 0.0, 2.5]))},
    }
    if nodes and draw(st.booleans()):
        data["procedure"]["nodes_removed"] = len(nodes) + draw(st.integers(0, 3))
    return data


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases())
def test_generated_cases_round_trip(data):
    try:
        case = parse_case(data)
    except InputError:
        assume(False)
        return
    back = read_bundle(case_bundle(case))
    assert back.case == case
