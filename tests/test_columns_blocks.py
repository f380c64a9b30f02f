"""The tables built in blocks (numeric columns in one float array, code columns in one object
array) hold exactly what one array per column held: same names in the same order, same
dtypes, same values, NaN and None where not recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.case.assessment import parse_case
from axilla.columns import CASE_COLUMNS, NODE_COLUMNS, case_table, node_table
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _one_array_per_column(rows: list[Any], specs) -> dict[str, np.ndarray]:
    out = {}
    for s in specs:
        values = []
        for r in rows:
            for part in s.path:
                r = getattr(r, part)
            values.append(r)
        if s.kind in ("number", "whole", "flag"):
            out[s.name] = np.array([np.nan if v is None else float(v) for v in values])
        else:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            out[s.name] = column
    return out


def _same(got: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    assert list(got)[:len(expected)] == list(expected)
    for name, column in expected.items():
        assert got[name].dtype == column.dtype, name
        assert got[name].shape == column.shape, name
        if column.dtype == object:
            assert all(a is b or a == b for a, b in zip(got[name], column, strict=True)), name
        else:
            np.testing.assert_array_equal(got[name], column, err_msg=name)


def _check(cases) -> None:
    _same(case_table(cases).columns, _one_array_per_column(cases, CASE_COLUMNS))
    nodes = [n for c in cases for n in c.nodes]
    _same(dict(node_table(cases).columns), _one_array_per_column(nodes, NODE_COLUMNS))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=0, max_size=5))
def test_blocks_equal_one_array_per_column(cases):
    _check(cases)


def test_example_cases():
    cases = [parse_case(json.loads(p.read_text("utf-8"))) for p in sorted(EXAMPLES.glob("*.json"))]
    _check(cases)
    _check(cases[:1])
    _check([])
