"""Every row and every output column of every reference file of the official R implementation.

Tolerance (tests/data/predict/README.md): |difference| <= 1e-9 in the column's units for every
unrounded quantity; exact equality for the benefits the source rounds to 0.1 pp.
"""

from __future__ import annotations

import numpy as np
import pytest

from axilla.models.predict import compute
from axilla.models.predict.tables import flat_columns
from support.predict_reference import FILES, load_reference

TOLERANCE = 1e-9


@pytest.fixture(params=FILES)
def reference(request):
    return load_reference(request.param)


def test_every_reference_column_is_reproduced(reference):
    out = compute(reference.inputs, reference.version)
    produced = flat_columns(out)
    missing = [c for c in reference.outputs if c not in produced]
    assert not missing, f"v{reference.version}: columns not produced: {missing[:10]}"
    failures = []
    for name, expected in reference.outputs.items():
        got = produced[name]
        assert got.shape == expected.shape
        if name.startswith("ben_"):
            bad = np.flatnonzero(got != expected)
        else:
            bad = np.flatnonzero(~(np.abs(got - expected) <= TOLERANCE))
        for i in bad[:3]:
            failures.append(f"{name} id={reference.ids[i]}: {got[i]!r} != {expected[i]!r}")
    assert not failures, f"v{reference.version}: {len(failures)} cells differ: {failures[:10]}"


def test_reference_files_have_the_documented_rows(reference):
    assert len(reference.ids) == 333
    assert reference.ids == list(range(1, 334))
    assert reference.labels[:300] == ["random"] * 300
