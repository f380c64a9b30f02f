"""Index inputs read from parsed cases are not checked a second time (``accepted_rows``): the
result equals the full check's (columns with defaults filled, warnings, every row valid) for
any rows the rules accept, and every row the assessment pipeline hands NPI and CTS5 (the
cases each applies to, from random valid cases) is one the full check accepts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess.inputs import index_inputs
from axilla.case.index_rules import accepted_rows, validate_index_columns
from axilla.columns import tables
from axilla.models.batch import checked_columns
from axilla.models.cts5 import cts5_applicability
from axilla.models.npi import npi_applicability
from axilla.staging import counts_columns, index_node_inputs, stage_many
from test_columns import any_case

NAN = math.nan


@st.composite
def npi_rows(draw, n):
    positive = draw(st.lists(st.integers(0, 100), min_size=n, max_size=n))
    cols = {
        "size_mm": draw(st.lists(st.floats(0.1, 500), min_size=n, max_size=n)),
        "grade": draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=n, max_size=n)),
        "positive_nodes": [float(p) for p in positive],
    }
    if draw(st.booleans()):
        cols["micrometastatic_nodes"] = [float(draw(st.integers(0, p))) for p in positive]
    if draw(st.booleans()):
        cols["neoadjuvant_therapy"] = draw(st.lists(st.sampled_from([0.0, 1.0, NAN]),
                                                    min_size=n, max_size=n))
    return {k: np.array(v, dtype=float) for k, v in cols.items()}


@st.composite
def cts5_rows(draw, n):
    cols = draw(npi_rows(n))
    cols["age_years"] = np.array(draw(st.lists(st.floats(18, 100), min_size=n, max_size=n)))
    for name, values in (("postmenopausal", [0.0, 1.0, NAN]), ("er_positive", [1.0, NAN]),
                         ("endocrine_therapy_years", [0.0, 4.4, 5.0, 5.6, 30.0, NAN]),
                         ("distant_recurrence_free", [0.0, 1.0, NAN])):
        if draw(st.booleans()):
            cols[name] = np.array(draw(st.lists(st.sampled_from(values), min_size=n,
                                                max_size=n)))
    return cols


def _same(index: str, cols: dict[str, np.ndarray]) -> None:
    full = validate_index_columns(index, cols)
    fast = accepted_rows(index, cols)
    assert full.problems == [] and fast.problems == []
    assert full.valid.all() and fast.valid.all()
    assert fast.warnings == full.warnings
    assert list(fast.columns) == list(full.columns)
    for name, column in full.columns.items():
        np.testing.assert_array_equal(fast.columns[name], column, err_msg=name)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(1, 8))
def test_npi_rows_the_rules_accept(data, n):
    _same("NPI", data.draw(npi_rows(n)))


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(1, 8))
def test_cts5_rows_the_rules_accept(data, n):
    _same("CTS5", data.draw(cts5_rows(n)))


def test_a_warning_at_each_edge():
    cols = {"age_years": np.array([49.9, 50.0]), "size_mm": np.array([500.0, 0.1]),
            "grade": np.array([3.0, 1.0]), "positive_nodes": np.array([100.0, 0.0]),
            "postmenopausal": np.array([0.0, NAN]),
            "endocrine_therapy_years": np.array([4.5, 5.51])}
    fast = accepted_rows("CTS5", cols)
    assert [i for i, _ in fast.warnings] == [0, 0, 1]
    assert fast.columns["micrometastatic_nodes"].tolist() == [0.0, 0.0]
    assert fast.columns["er_positive"].tolist() == [1.0, 1.0]
    _same("CTS5", cols)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=6))
def test_what_the_pipeline_hands_the_indices(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    x = index_inputs(case_t)
    positive, micro = index_node_inputs(counts_columns([s.counts for s in staged]))
    npi_rows_ = [i for i, why in enumerate(npi_applicability(
        x["invasive"], x["size_mm"], x["grade"])) if not why]
    cts5_rows_ = [i for i, why in enumerate(cts5_applicability(
        x["invasive"], x["er_positive"], x["age_years"], x["size_mm"], x["grade"])) if not why]
    for index, rows, names in (
            ("NPI", npi_rows_, ("size_mm", "grade", "neoadjuvant_therapy")),
            ("CTS5", cts5_rows_, ("age_years", "size_mm", "grade", "neoadjuvant_therapy",
                                  "postmenopausal"))):
        if not rows:
            continue
        cols = {name: x[name][rows] for name in names}
        cols.update(positive_nodes=positive[rows], micrometastatic_nodes=micro[rows])
        full = checked_columns(index, cols)  # raises InputError on any refusal
        fast = checked_columns(index, cols, accepted=True)
        assert fast[1] == full[1]
        for name, column in full[0].items():
            np.testing.assert_array_equal(fast[0][name], column, err_msg=name)
