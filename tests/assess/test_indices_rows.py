"""The NPI and CTS5 sections of a few cases, read row by row on plain values (no arrays), equal
the sections of the columnar path of a batch, record by record and to the last bit, over random
valid cases (not invasive, size or grade or ER not recorded, ages outside CTS5's range,
micrometastases, neoadjuvant therapy) and over batches where only some rows apply."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.assess import pipeline
from axilla.assess.inputs import index_values
from axilla.columns import tables
from axilla.models.applicability import counted_node_values
from axilla.models.cts5 import cts5_results, cts5_row_results
from axilla.models.npi import npi_row_results
from axilla.staging import counts_columns, stage_many
from test_columns import any_case


@contextmanager
def _columnar() -> Iterator[None]:
    """Every batch through the columnar path of ``_indices``."""
    saved = pipeline.SMALL_BATCH
    pipeline.SMALL_BATCH = 0
    try:
        yield
    finally:
        pipeline.SMALL_BATCH = saved


def _sections(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    return pipeline._indices(case_t, counts_columns([s.counts for s in staged]))


@settings(max_examples=150, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=pipeline.SMALL_BATCH))
def test_few_cases_row_by_row_equal_the_columnar_path(cases):
    fast = _sections(cases)
    with _columnar():
        full = _sections(cases)
    assert fast == full
    for a, b in zip([*fast[0], *fast[1]], [*full[0], *full[1]], strict=True):
        assert a.model_dump_json() == b.model_dump_json()
        assert repr(a.result) == repr(b.result)  # every float to the last bit
        assert a.model_fields_set == b.model_fields_set


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_index_values_are_the_case_values(cases):
    x = index_values(tables(cases)[0])
    for i, case in enumerate(cases):
        assert x["invasive"][i] is (case.tumour.primary == "invasive")
        size = case.invasive_size_mm()
        assert (math.isnan(x["size_mm"][i]) if size is None else x["size_mm"][i] == size)
        er = case.tumour.receptor("er")
        assert (math.isnan(x["er_positive"][i]) if er is None
                else x["er_positive"][i] == (er == "positive"))
        assert x["neoadjuvant_therapy"][i] == (1.0 if case.neoadjuvant else 0.0)


def test_worked_example_by_hand():
    """Example (a) of the issue: 18 mm, grade 2, one micrometastatic sentinel node, age 54.

    NPI = 0.2 x 1.8 + 2 + 2 = 4.36 (Haybittle 1982: one node, stage 2). CTS5 = 0.438 x 1 +
    0.988 x (0.093 x 18 - 0.001 x 324 + 0.375 x 2 + 0.017 x 54) = 3.419784 (Dowsett 2018):
    intermediate (3.13 to 3.86)."""
    values = {"size_mm": [18.0], "positive_nodes": [1.0], "grade": [2.0],
              "micrometastatic_nodes": [1.0], "neoadjuvant_therapy": [0.0],
              "age_years": [54.0], "postmenopausal": [1.0]}
    (npi,) = npi_row_results(values)
    assert (npi.score, npi.node_stage, npi.counted_positive_nodes) == (4.36, 2, 1)
    (cts5,) = cts5_row_results(values)
    assert math.isclose(cts5.score, 0.438 + 0.988 * (1.674 - 0.324 + 0.75 + 0.918),
                        abs_tol=1e-12)
    assert math.isclose(cts5.score, 3.419784, abs_tol=1e-12)
    assert cts5.group == "intermediate" and cts5.warnings == ()
    # micrometastases not counted: no node counts, NPI node stage 1 (0.2 x 1.8 + 1 + 2)
    (npi0,) = npi_row_results(values, count_micromets_as_positive=False)
    assert (npi0.score, npi0.node_stage, npi0.counted_positive_nodes) == (3.36, 1, 0)


@settings(max_examples=100, deadline=None)
@given(positive=st.lists(st.integers(0, 60), min_size=1, max_size=8), data=st.data(),
       policy=st.booleans())
def test_counted_nodes_of_plain_values_follow_the_policy(positive, data, policy):
    """Micrometastatic nodes are a subset of the positive ones, left out only when asked."""
    micro = [data.draw(st.integers(0, p)) for p in positive]
    rows = {"positive_nodes": [float(p) for p in positive],
            "micrometastatic_nodes": [float(m) for m in micro]}
    found = counted_node_values(rows, policy)
    assert found == [float(p if policy else p - m) for p, m in zip(positive, micro, strict=True)]
    assert all(type(x) is float for x in found)
    # the columnar kernel, fully checked, counts the same nodes
    n = len(positive)
    five = cts5_results(np.full(n, 60.0), np.full(n, 18.0), np.full(n, 2.0),
                        np.array(positive, dtype=float), np.array(micro, dtype=float),
                        np.zeros(n), np.ones(n), count_micromets_as_positive=policy)
    assert [r.counted_positive_nodes for r in five] == [int(x) for x in found]
