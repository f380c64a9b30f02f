"""Synthetic cohorts: documented marginals, reproducible, valid for every engine."""

from __future__ import annotations

import numpy as np
import pytest

from axilla.case.predict import validate_predict_columns
from axilla.cohort.synth import _death_times, synth_chunk
from cohort.helpers import axilla, read_table


def test_marginals_are_the_documented_ones():
    c = synth_chunk(50_000, 5)
    assert c["age"].mean() == pytest.approx(59, abs=0.5)
    assert c["age"].min() >= 25 and c["age"].max() <= 85
    assert np.median(c["size"]) == pytest.approx(18, abs=1)
    assert (c["nodes"] == 0).mean() == pytest.approx(0.60, abs=0.01)
    assert (c["nodes"] == 0.5).mean() == pytest.approx(0.04, abs=0.005)
    assert (c["er"] == 1).mean() == pytest.approx(0.80, abs=0.01)
    assert (c["her2"] == 1).mean() == pytest.approx(0.14, abs=0.01)
    assert (c["grade"] == 9).mean() == pytest.approx(0.03, abs=0.005)
    checked = validate_predict_columns({k: v for k, v in c.items()
                                        if k not in ("id", "micromet_nodes")})
    assert checked.problems == []  # every synthetic row is a valid PREDICT row


def test_same_seed_same_rows_other_seed_other_rows():
    a, b, c = synth_chunk(100, 7, 3), synth_chunk(100, 7, 3), synth_chunk(100, 8, 3)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["age"], c["age"])


def test_death_times_invert_the_cumulative_hazard_by_hand():
    # F = 1 - exp(-0.1 t) at whole years: H(t) = 0.1 t, so H = e is reached at t = 10 e
    years = np.arange(1, 16)
    mortality = 1 - np.exp(-0.1 * years)[None, :].repeat(3, axis=0)
    t = _death_times(mortality, np.array([0.05, 0.73, 2.0]))
    np.testing.assert_allclose(t[:2], [0.5, 7.3])
    assert np.isinf(t[2])  # beyond 15 years


def test_synth_command_writes_outcomes(tmp_path):
    out = tmp_path / "s.parquet"
    done = axilla("cohort", "synth", "1200", str(out), "--outcomes", "--seed", "4",
                  "--chunk-rows", "500")
    assert done.returncode == 0, done.stderr
    got = read_table(out)
    assert len(got["id"]) == 1200 and got["id"][-1] == "S000001200"
    time = got["time_years"].astype(float)
    assert (time > 0).all() and (time <= 15).all()
    assert set(got["death"].astype(float)) <= {0.0, 1.0}
