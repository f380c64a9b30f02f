"""PREDICT's inputs read from the case table: the checks of ``validate_predict_columns`` that
the reasons leave out never refuse a parsed case (so leaving them out changes no reason).

Oracles: ``validate_predict_columns``
(the check every raw-column entry point runs) on the rows found applicable; the case's and
PREDICT's own range definitions.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from axilla.assess import inputs
from axilla.case.assessment import parse_case
from axilla.case.predict import PREDICT_INPUT_RULES, NumericRule, validate_predict_columns
from axilla.case.ranges import RANGES
from axilla.columns import tables
from axilla.errors import InputError
from axilla.staging import counts_columns, stage_many

STATUS = st.sampled_from(["positive", "negative", None])
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def case(draw):
    """A valid case with every PREDICT input drawn over its whole case range."""
    n_nodes = draw(st.integers(0, 6))
    kind = draw(st.sampled_from(["sentinel", "dissection"]))
    primary = draw(st.sampled_from(["invasive", "invasive", "invasive", "dcis"]))
    tumour = {"primary": primary, "grade": draw(st.sampled_from([1, 2, 3, None])),
              "er": draw(STATUS), "pr": draw(STATUS), "her2": draw(STATUS),
              "er_percent": draw(st.sampled_from([None, 0, 0.5, 1, 40])),
              "ki67_percent": draw(st.one_of(st.none(), st.sampled_from([10, 10.5]),
                                                        st.floats(0, 100)))}
    if primary == "invasive":
        tumour["invasive_sizes_mm"] = [draw(st.one_of(
            st.sampled_from([0.1, 0.99, 1, 500]), st.floats(0.01, 500)))]
    data = {
        "patient": {"age_years": draw(st.one_of(st.sampled_from([18, 24.9, 25, 85, 85.5, 110]),
                                                st.floats(18, 110))),
                    "sex": draw(st.sampled_from(["female", "female", "male"])),
                    "current_smoker": draw(st.sampled_from([True, False, None]))},
        "tumour": tumour,
        "nodes": [{"site": draw(st.sampled_from(["axillary", "infraclavicular"])),
                   "found_by": kind,
                   "deposit_mm": draw(st.sampled_from([0, 0.1, 0.5, 1.2, 2.5, 8.0]))}
                  for _ in range(n_nodes)],
        "procedure": {"kind": kind, "nodes_removed": n_nodes},
        "m": draw(st.sampled_from(["cM0", "cM0", "cM1"])),
        "neoadjuvant": draw(st.booleans()),
        "screen_detected": draw(st.sampled_from([True, False, None])),
        "treatment": {
            "chemotherapy": draw(st.sampled_from(["none", "second_generation",
                                                  "third_generation"])),
            "endocrine_therapy": draw(st.booleans()), "trastuzumab": draw(st.booleans()),
            "bisphosphonates": draw(st.booleans()), "radiotherapy": draw(st.booleans()),
            "mean_heart_dose_gy": draw(st.one_of(st.none(), st.sampled_from([0, 50]),
                                                 st.floats(0, 50))),
        },
    }
    if draw(st.integers(0, 5)) == 0:
        data["recurrence"] = {"sites": ["ipsilateral_axilla"], "pathology_confirmed": True}
    try:
        parsed = parse_case(data)
    except InputError:  # a combination the case refuses (e.g. grade with in-situ disease)
        parsed = None
    assume(parsed is not None)
    return parsed


def table_and_counts(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    return case_t, counts_columns([s.counts for s in staged])


@SETTINGS
@given(cases=st.lists(case(), min_size=1, max_size=12))
def test_no_check_left_out_of_the_reasons_refuses_an_applicable_case(cases):
    t, counts = table_and_counts(cases)
    cols, reasons, _ = inputs.predict_inputs(t, counts)
    applicable = np.array([not r for r in reasons], dtype=bool)
    assume(applicable.any())
    checked = validate_predict_columns({k: v[applicable] for k, v in cols.items()}, warn=False)
    assert checked.problems == []
    assert checked.valid.all()


@SETTINGS
@given(c=case())
def test_a_value_outside_predicts_ranges_is_a_reason_in_words(c):
    t, counts = table_and_counts([c])
    _, reasons, _ = inputs.predict_inputs(t, counts)
    age = c.patient.age_years
    assert (not 25 <= age <= 85) == any(f"the age given is {age:g}" in r for r in reasons[0])
    size = c.invasive_size_mm()
    if size is not None:
        outside = not 1 <= size <= 500
        assert outside == any(f"the size given is {size:g} mm" in r for r in reasons[0])


def test_the_case_ranges_lie_inside_predicts_where_no_reason_checks_them():
    heart = PREDICT_INPUT_RULES["heart_gy"]
    assert isinstance(heart, NumericRule)
    case_heart = RANGES["treatment.mean_heart_dose_gy"]
    assert heart.lo <= case_heart.lo and case_heart.hi <= heart.hi
    checked = {name for name, _, _, _ in inputs._PREDICT_RANGES}
    assert checked == {"age", "size", "nodes"}


def test_an_example_case_reads_as_the_source_codes_it():
    c = parse_case({
        "patient": {"age_years": 54, "current_smoker": None},
        "tumour": {"primary": "invasive", "invasive_sizes_mm": [18], "grade": None,
                   "er": "positive", "her2": None, "ki67_percent": 10.5},
        "nodes": [{"site": "axillary", "found_by": "sentinel", "deposit_mm": 1.2}],
        "procedure": {"kind": "sentinel", "nodes_removed": 1},
        "treatment": {"chemotherapy": "second_generation", "radiotherapy": True},
    })
    t, counts = table_and_counts([c])
    cols, reasons, notes = inputs.predict_inputs(t, counts)
    assert {k: float(v[0]) for k, v in cols.items()} == {
        "age": 54.0, "size": 18.0, "nodes": 0.5, "grade": 9.0, "er": 1.0, "her2": 9.0,
        "ki67": 1.0, "pr": 9.0, "screen": 2.0, "generation": 2.0, "horm": 0.0, "traz": 0.0,
        "bis": 0.0, "radio": 1.0, "heart_gy": 0.0, "smoker": 0.0}
    assert reasons == [[]]
    assert len(notes[0]) == 2  # heart dose and smoking taken as their defaults
