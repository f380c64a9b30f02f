"""The bridge: cases -> case and node tables -> cases, columns named by the case schema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from axilla.case.assessment import Case, parse_case
from axilla.columns import (
    CASE_COLUMNS,
    DERIVED,
    NODE_COLUMNS,
    case_table,
    cases_from_tables,
    node_table,
    tables,
)
from axilla.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SITES = ["axillary", "intramammary", "infraclavicular", "internal_mammary", "supraclavicular"]


@st.composite
def node(draw):
    found_by = draw(st.sampled_from(["sentinel", "dissection", "needle_biopsy"]))
    deposit = draw(st.sampled_from([0, 0.1, 0.2, 1.0, 2.0, 2.5, 9.0, None]))
    out = {"site": draw(st.sampled_from(SITES)), "found_by": found_by}
    if deposit is None:
        out["tumour_present"] = True
    else:
        out["deposit_mm"] = deposit
        if deposit > 0 and draw(st.booleans()):
            out["extranodal_extension"] = True
    return out


@st.composite
def any_case(draw):
    primary = draw(st.sampled_from(["invasive", "invasive", "dcis"]))
    tumour = {"primary": primary, "grade": draw(st.sampled_from([1, 2, 3, None])),
              "er_percent": draw(st.sampled_from([None, 0, 0.5, 40])),
              "her2": draw(st.sampled_from(["positive", "negative", None])),
              "ki67_percent": draw(st.sampled_from([None, 5.5, 30]))}
    if primary == "invasive":
        tumour["invasive_sizes_mm"] = draw(st.lists(st.sampled_from([0.5, 8, 21.5, 60]),
                                                    min_size=1, max_size=3))
    data = {
        "case_id": draw(st.sampled_from([None, "c-1", "x"])),
        "patient": {"age_years": draw(st.sampled_from([18, 47.5, 71, 110])),
                    "menopausal_status": draw(st.sampled_from(["pre", "post", None])),
                    "current_smoker": draw(st.sampled_from([True, False, None]))},
        "tumour": tumour,
        "nodes": draw(st.lists(node(), max_size=6)),
        "procedure": {"kind": draw(st.sampled_from(["sentinel", "dissection"])),
                      "nodes_removed": draw(st.sampled_from([None, 12]))},
        "screen_detected": draw(st.sampled_from([True, False, None])),
        "lymphovascular_invasion": draw(st.sampled_from([True, False, None])),
        "treatment": {"chemotherapy": draw(st.sampled_from(["none", "third_generation"])),
                      "radiotherapy": draw(st.booleans()),
                      "mean_heart_dose_gy": draw(st.sampled_from([None, 2.5]))},
        "guidance_facts": draw(st.sampled_from([{}, {"axillary_us": "normal"}])),
    }
    if draw(st.booleans()):
        data["recurrence"] = {"sites": ["ipsilateral_axilla"], "pathology_confirmed": True}
    try:
        return parse_case(data)
    except InputError:
        assume(False)
        raise


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=0, max_size=5))
def test_cases_survive_the_round_trip_through_the_tables(cases):
    cases_t, nodes_t = tables(cases)
    assert len(cases_t) == len(cases)
    assert len(nodes_t) == sum(len(c.nodes) for c in cases)
    assert cases_from_tables(cases_t, nodes_t) == cases


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=5))
def test_derived_columns_hold_what_the_case_says(cases):
    t = case_table(cases)
    for i, c in enumerate(cases):
        size = t["tumour.size_mm"][i]
        if c.tumour.invasive_sizes_mm:
            assert size == max(c.tumour.invasive_sizes_mm)
        else:
            assert math.isnan(size)
        pct = c.tumour.er_percent
        if c.tumour.er is None and pct is not None:  # status read from the percent (>= 1 %)
            assert t["tumour.er_status"][i] == ("positive" if pct >= 1 else "negative")
        assert t["tumour.invasive_foci"][i] == len(c.tumour.invasive_sizes_mm)
        assert t["node_count"][i] == len(c.nodes)


def test_every_case_field_is_a_column():
    names = {s.name for s in CASE_COLUMNS}
    for section in ("patient", "tumour", "procedure", "treatment"):
        model = Case.model_fields[section].annotation
        for field in model.model_fields:
            assert f"{section}.{field}" in names
    assert "nodes" not in names and {"recurrence", "guidance_facts", "case_id"} <= names
    assert {s.name for s in NODE_COLUMNS} == set(Case.model_fields["nodes"].annotation
                                                 .__args__[0].model_fields)
    assert not set(DERIVED) & names


def test_the_example_cases_as_columns_by_hand():
    a = parse_case(json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text()))
    d = parse_case(json.loads((EXAMPLES / "d_clearance_four_nodes_her2.json").read_text()))
    t, n = tables([a, d])
    assert t["patient.age_years"].dtype == float and t["patient.age_years"][0] == 54.0
    assert list(t["tumour.grade"]) == [2.0, float(d.tumour.grade)]
    assert list(t["procedure.kind"]) == ["sentinel", "dissection"]
    assert t["treatment.endocrine_therapy"][0] == 1.0  # flags as 1.0 / 0.0
    assert math.isnan(t["treatment.radial_margin_min_mm"][0])  # not recorded
    assert list(n.case_index) == [0] * len(a.nodes) + [1] * len(d.nodes)
    assert list(n["deposit_mm"][:2]) == [a.nodes[0].deposit_mm, a.nodes[1].deposit_mm]
    assert n.n_cases == 2


def test_an_empty_batch_gives_empty_tables():
    t, n = tables([])
    assert len(t) == 0 and len(n) == 0
    assert t["patient.age_years"].shape == (0,)
    assert node_table([]).case_index.dtype == np.int64
    assert cases_from_tables(t, n) == []
