"""Staging of a few nodes on plain values equals the columnar kernels: node categories,
every node count, the T category and rounded size, and whole staging results of the public
reference cases and of random cases."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case.codes import FoundBy, NodeSite
from axilla.case.staging import staging_case_from_row
from axilla.staging import StagingOptions, stage_many
from axilla.staging import counts as counts_module
from axilla.staging import nodes as nodes_module
from axilla.staging.counts import count_nodes, count_rows
from axilla.staging.nodes import SMALL_NODES, classify_deposits, deposit_code
from axilla.staging.tnm import (
    rounded_size_mm,
    rounded_size_one_mm,
    t_category_from_size,
    t_category_one,
)

CASES_CSV = Path(__file__).resolve().parents[1] / "data" / "staging" / "cases.csv"
#: Deposits and cell counts at and beside the 0.2 mm, 2 mm and 200-cell thresholds.
DEPOSIT = st.one_of(st.just(math.nan), st.sampled_from([0.0, 0.1, 0.2, 0.21, 1.2, 2.0, 2.01]),
                    st.floats(0, 50))
CELLS = st.one_of(st.just(math.nan), st.sampled_from([0, 1, 199, 200, 201, 250]),
                  st.integers(0, 1000))


@given(nodes=st.lists(st.tuples(DEPOSIT, CELLS, st.booleans()), max_size=SMALL_NODES))
def test_deposit_code_equals_columns(nodes):
    d, c, involved = (list(x) for x in zip(*nodes, strict=True)) if nodes else ([], [], [])
    assert [deposit_code(*x) for x in nodes] == classify_deposits(d, c, involved).tolist()


@given(size=st.one_of(st.integers(1, 1200).map(lambda k: k / 10),
                      st.integers(0, 400).map(lambda k: k + 0.5), st.floats(0.01, 1000)),
       half=st.sampled_from(["up", "down"]), system=st.sampled_from(["AJCC8", "UICC8"]))
def test_t_category_of_one_size_equals_columns(size, half, system):
    expected = rounded_size_mm([size], half, system)[0]
    got = rounded_size_one_mm(size, half, system)
    assert (math.isnan(got) and np.isnan(expected)) or got == expected
    assert type(got) is float
    assert t_category_one(size, half, system) == str(t_category_from_size([size], half,
                                                                          system)[0])


@st.composite
def node_batches(draw: st.DrawFn) -> tuple:
    n_cases = draw(st.integers(0, 4))
    k = draw(st.integers(0, 12)) if n_cases else 0
    idx = draw(st.lists(st.integers(0, n_cases - 1), min_size=k, max_size=k)) if k else []
    site = draw(st.lists(st.sampled_from(get_args(NodeSite)), min_size=k, max_size=k))
    found = draw(st.lists(st.sampled_from(get_args(FoundBy)), min_size=k, max_size=k))
    category = draw(st.lists(st.integers(0, 4), min_size=k, max_size=k))
    ene = draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=k, max_size=k)))
    removed = draw(st.one_of(st.none(), st.lists(
        st.one_of(st.just(math.nan), st.integers(0, 60).map(float)),
        min_size=n_cases, max_size=n_cases)))
    return idx, n_cases, site, found, category, ene, removed


@settings(max_examples=300)
@given(batch=node_batches())
def test_counts_node_by_node_equal_columns(batch):
    rows = count_rows(*batch)
    got = count_nodes(*batch)
    saved = counts_module.SMALL_NODES
    counts_module.SMALL_NODES = -1
    try:
        assert count_rows(*batch) is None
        expected = count_nodes(*batch)
    finally:
        counts_module.SMALL_NODES = saved
    assert list(got) == list(expected)
    for name, column in expected.items():
        assert got[name].dtype == column.dtype == np.int64
        np.testing.assert_array_equal(got[name], column, err_msg=name)
        assert [r[name] for r in rows] == column.tolist()
        assert all(type(r[name]) is int for r in rows)


def test_unusual_batches_take_the_columnar_path():
    assert count_rows([0, 5], 2, ["axillary"] * 2, ["sentinel"] * 2, [2, 3]) is None
    assert count_rows([0], 1, ["axillary"], ["sentinel"], [2], None, [math.inf]) is None
    many = SMALL_NODES + 1
    assert count_rows([0] * many, 1, ["axillary"] * many, ["dissection"] * many,
                      [0] * many) is None


def _columnar_staging(cases, options=None):
    saved = counts_module.SMALL_NODES, nodes_module.SMALL_NODES
    counts_module.SMALL_NODES = nodes_module.SMALL_NODES = -1
    try:
        return stage_many(cases, options)
    finally:
        counts_module.SMALL_NODES, nodes_module.SMALL_NODES = saved


def test_reference_cases_stage_the_same_either_way():
    with CASES_CSV.open(newline="", encoding="utf-8") as fh:
        cases = [staging_case_from_row(row) for row in csv.DictReader(fh)]
    got = stage_many(cases)
    assert got == _columnar_staging(cases)
    assert [stage_many([c])[0] for c in cases] == got


@pytest.mark.parametrize("system", ["AJCC8", "UICC8"])
def test_options_stage_the_same_either_way(system, make_case):
    case = make_case([0.1, 1.2, 3.5], nodes=[{"site": "internal_mammary",
                                              "found_by": "sentinel", "deposit_mm": 0.5}])
    options = StagingOptions(system=system, t_half_mm="down")
    assert stage_many([case], options) == _columnar_staging([case], options)
