"""The tables read column by column on demand, and the engines' inputs made from plain values,
equal the general columnar forms: every column as one array made from the cases, its plain
values as that array's ``tolist()``; PREDICT's and the indices' input columns as the NumPy
expressions of each input's definition; the guidance node counts of one case as the counts
columns' row. Over random valid cases (node lists with ITC, micro- and macrometastases, nodes
positive on needle biopsy only, neoadjuvant therapy, values not recorded) and the examples."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess.inputs import guidance_facts, index_inputs, predict_inputs
from axilla.case.assessment import parse_case
from axilla.columns import CASE_COLUMNS, DERIVED, NODE_COLUMNS, tables
from axilla.staging import counts_columns, guidance_node_facts, predict_node_input, stage_many
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
STATUS = {"positive": 1.0, "negative": 0.0}
GENERATION = {"none": 0.0, "second_generation": 2.0, "third_generation": 3.0}


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        x is y or x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(a, b, strict=True))


def _status(column: np.ndarray, missing: float) -> np.ndarray:
    return np.array([STATUS.get(v, missing) if v is not None else missing for v in column])


def _predict_nodes(c) -> np.ndarray:
    """PREDICT's node input over the counts columns: excised axillary and infraclavicular
    positive nodes, one micrometastatic node only as 0.5 (PREDICT web tool convention)."""
    micro = (c["axillary_micro"] + c["infraclavicular_micro"]).astype(float)
    total = (c["axillary_macro"] + c["axillary_micro"] + c["axillary_unknown_size"]
             + c["infraclavicular_positive"]).astype(float)
    expected = np.where((total == 1) & (micro == 1), 0.5, total)
    np.testing.assert_array_equal(predict_node_input(c), expected)
    return expected


def _stage(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    return case_t, node_t, staged, counts_columns([s.counts for s in staged])


def _check(cases) -> None:
    case_t, node_t, staged, counts = _stage(cases)
    # plain values: the arrays' own values, whichever is read first
    fresh_t, fresh_nodes = tables(cases)
    for name in [s.name for s in CASE_COLUMNS] + list(DERIVED):
        assert _same(fresh_t.values(name), case_t[name].tolist()), name
        assert case_t[name] is case_t[name]  # made once
    for spec in NODE_COLUMNS:
        assert _same(fresh_nodes.values(spec.name), node_t[spec.name].tolist()), spec.name
    assert node_t.case_index.tolist() == node_t.case_rows
    assert node_t.case_index.dtype == np.int64

    # PREDICT's inputs: each input's definition over whole columns
    t = case_t
    cols, _, _ = predict_inputs(t, counts)
    ki67 = t["tumour.ki67_percent"]
    expected = {
        "age": t["patient.age_years"], "size": t["tumour.size_mm"],
        "nodes": _predict_nodes(counts),
        "grade": np.where(np.isnan(t["tumour.grade"]), 9.0, t["tumour.grade"]),
        "er": _status(t["tumour.er_status"], np.nan), "her2": _status(t["tumour.her2"], 9.0),
        "ki67": np.where(np.isnan(ki67), 9.0, (ki67 > 10.0).astype(float)),
        "pr": _status(t["tumour.pr_status"], 9.0),
        "screen": np.where(np.isnan(t["screen_detected"]), 2.0, t["screen_detected"]),
        "generation": np.array([GENERATION[c] for c in t["treatment.chemotherapy"]]),
    }
    for name, column in (("horm", "treatment.endocrine_therapy"),
                         ("traz", "treatment.trastuzumab"), ("bis", "treatment.bisphosphonates"),
                         ("radio", "treatment.radiotherapy"),
                         ("heart_gy", "treatment.mean_heart_dose_gy"),
                         ("smoker", "patient.current_smoker")):
        expected[name] = np.where(np.isnan(t[column]), 0.0, t[column])
    assert list(cols) == list(expected)
    for name, column in expected.items():
        assert cols[name].dtype == np.float64, name
        np.testing.assert_array_equal(cols[name], column, err_msg=name)

    # the indices' inputs
    x = index_inputs(t)
    menopause = t["patient.menopausal_status"]
    expected = {
        "invasive": t["tumour.primary"] == "invasive", "size_mm": t["tumour.size_mm"],
        "grade": t["tumour.grade"], "age_years": t["patient.age_years"],
        "er_positive": _status(t["tumour.er_status"], np.nan),
        "neoadjuvant_therapy": np.where(np.isnan(t["neoadjuvant"]), 0.0, t["neoadjuvant"]),
        "postmenopausal": np.array([np.nan if m is None else float(m == "post")
                                    for m in menopause]),
    }
    assert list(x) == list(expected)
    for name, column in expected.items():
        assert x[name].dtype == column.dtype, name
        np.testing.assert_array_equal(x[name], column, err_msg=name)

    # the guidance node counts of each case: its row of the counts columns, as whole numbers
    node_facts = guidance_node_facts(counts)
    for i, facts in enumerate(guidance_facts(t, counts, staged)):
        for name, column in node_facts.items():
            assert facts[name] == int(column[i]) and type(facts[name]) is int, name
        assert facts["slnb_done"] == (t["procedure.kind"][i] == "sentinel"
                                      or bool(counts["sentinel_removed"][i]))


@SETTINGS
@given(cases=st.lists(st.tuples(any_case(), st.booleans()), min_size=1, max_size=5))
def test_random_cases(cases):
    # neoadjuvant therapy changes no other field's validity: set on valid cases
    _check([c.model_copy(update={"neoadjuvant": True}) if neo else c for c, neo in cases])


def test_example_cases():
    cases = [parse_case(json.loads(p.read_text("utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))]
    _check(cases)
    _check(cases[:1])
