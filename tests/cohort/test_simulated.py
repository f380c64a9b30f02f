"""Calibration found where it holds and where it does not: cohorts of 20,000 women whose
deaths follow PREDICT's own hazards, or a deliberately wrong one (docs/cohort.md).

At this size the O/E bounds 0.95-1.05 are about two standard errors wide (about 1,400 deaths
by 5 years), so the cohort is drawn with a fixed seed: the test is deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest

from axilla.cohort.chunk import ChunkOptions, OutcomeSpec, validation_chunk
from axilla.cohort.synth import synth_chunk
from axilla.validation import calibration, harrell_c

N = 20_000
SPEC = OutcomeSpec(time="time_years", event="death", horizons=(5.0, 10.0))


def _validated(hazard_ratio: float) -> dict[str, np.ndarray]:
    cohort = synth_chunk(N, 1, outcomes=True, hazard_ratio=hazard_ratio)
    result = validation_chunk(cohort, 1, ChunkOptions(), SPEC)
    assert result.errors == [] and result.rows_computed == N
    return result.columns


@pytest.fixture(scope="module")
def own_hazard():
    return _validated(1.0)


@pytest.mark.parametrize("horizon", [5.0, 10.0])
def test_cohort_simulated_from_the_model_is_calibrated(own_hazard, horizon):
    c = own_hazard
    cal = calibration(c["time"], c["event"], c[f"risk_y{horizon:g}"], horizon)
    assert cal.events > 1000
    assert 0.95 <= cal.oe_ratio <= 1.05
    assert 0.9 <= cal.slope <= 1.1
    assert abs(cal.intercept) < 0.05 and cal.ici < 0.01
    assert harrell_c(c["time"], c["event"], c[f"risk_y{horizon:g}"]) > 0.65


@pytest.mark.parametrize(("hazard_ratio", "low", "high"), [(1.5, 1.3, 1.55), (0.7, 0.6, 0.8)])
def test_a_wrong_hazard_is_found(hazard_ratio, low, high):
    """Deaths at 1.5 (or 0.7) times the model's hazard: O/E and the intercept say so, and the
    95 % interval of O/E excludes 1; the ranking (slope) stays near 1."""
    c = _validated(hazard_ratio)
    cal = calibration(c["time"], c["event"], c["risk_y10"], 10.0)
    assert low <= cal.oe_ratio <= high
    assert (cal.oe_lo > 1.0) if hazard_ratio > 1 else (cal.oe_hi < 1.0)
    assert abs(cal.intercept - np.log(hazard_ratio)) < 0.1  # log of the hazard ratio
    assert cal.ici > 0.02
    assert 0.85 <= cal.slope <= 1.15
