"""A case's node counts read field by field (as staging reads them, without a copy) are
exactly the counts' dump: every field, in order, as plain ints, on every example case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axilla.case.assessment import parse_case
from axilla.staging import stage

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_fields_equal_the_dump(path):
    counts = stage(parse_case(json.loads(path.read_text("utf-8"))).staging_case()).counts
    assert list(vars(counts).items()) == list(counts.model_dump().items())
    assert all(type(v) is int for v in vars(counts).values())
