"""The recurrence checklist's inputs, built from a parsed case without validating again, are
the records validation would give: same values, same types, same fields set, at the edges of
every range a case allows (axilla.case.ranges) and over random valid cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess.inputs import risk_inputs
from axilla.case.assessment import parse_case
from axilla.case.ranges import RANGES
from axilla.case.recurrence import RecurrenceRiskInputs
from axilla.columns import tables
from axilla.staging import counts_columns, stage_many
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _built(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    return risk_inputs(case_t, counts_columns([s.counts for s in staged]), staged)


def _same_as_validated(record: RecurrenceRiskInputs) -> None:
    validated = RecurrenceRiskInputs(**{k: getattr(record, k) for k in record.model_fields_set})
    assert validated == record
    assert validated.model_fields_set == record.model_fields_set
    for name in RecurrenceRiskInputs.model_fields:
        assert type(getattr(validated, name)) is type(getattr(record, name)), name


def _edge_case(age: float, size: float, margin: float, macro_nodes: int) -> dict:
    nodes = [{"site": "axillary", "found_by": "dissection", "deposit_mm": 8.0}] * macro_nodes
    return {
        "case_id": "x" * 64,
        "patient": {"age_years": age},
        "tumour": {"primary": "invasive", "invasive_sizes_mm": [size, 0.1], "grade": 3,
                   "er_percent": 0, "her2": "negative"},
        "nodes": nodes,
        "procedure": {"kind": "dissection", "nodes_removed": macro_nodes},
        "lymphovascular_invasion": True,
        "treatment": {"breast_surgery": "bcs", "radial_margin_min_mm": margin,
                      "chemotherapy": "third_generation", "radiotherapy": True,
                      "endocrine_therapy": True},
    }


def _ends(path: str) -> tuple[float, float]:
    return RANGES[path].lo, RANGES[path].hi


AGE, SIZE, MARGIN, REMOVED = (_ends(p) for p in (
    "patient.age_years", "tumour.invasive_sizes_mm", "treatment.radial_margin_min_mm",
    "procedure.nodes_removed"))


@pytest.mark.parametrize(("age", "size", "margin", "macro_nodes"), [
    (AGE[0], SIZE[1], MARGIN[1], int(REMOVED[1])), (AGE[1], 0.1, MARGIN[0], 0),
    (47.5, 21.5, 1.5, 3)])
def test_edges_of_the_case_ranges(age, size, margin, macro_nodes):
    record = _built([parse_case(_edge_case(age, size, margin, macro_nodes))])[0]
    assert record.macromet_nodes_total == macro_nodes
    assert record.age_years == age and record.size_mm == size
    assert record.radial_margin_min_mm == margin
    _same_as_validated(record)


def test_examples():
    cases = [parse_case(json.loads(p.read_text("utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))]
    for record in _built(cases):
        _same_as_validated(record)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_random_cases(cases):
    for record in _built(cases):
        _same_as_validated(record)
