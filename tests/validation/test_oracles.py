"""Agreement with independent implementations on a public cohort.

The German Breast Cancer Study Group 2 trial (GBSG2, 686 women; Schumacher M et al. J Clin
Oncol 1994;12:2086-2093) as shipped by lifelines (``load_lymph_node``); oracles: lifelines
(MIT) and scikit-survival (GPL-3, a test dependency only, never imported by axilla).
"""

from __future__ import annotations

import numpy as np
import pytest

from axilla.validation import (
    brier_score,
    calibration,
    cox_fit,
    harrell_c,
    kaplan_meier,
    time_dependent_auc,
    uno_c,
)
from axilla.validation.calibration import calibration_slope, cloglog

lifelines = pytest.importorskip("lifelines", reason="lifelines (dev extra) not installed")
sksurv_metrics = pytest.importorskip("sksurv.metrics",
                                     reason="scikit-survival (dev extra) not installed")
from lifelines import CoxPHFitter, KaplanMeierFitter  # noqa: E402
from lifelines.datasets import load_lymph_node  # noqa: E402
from lifelines.utils import concordance_index  # noqa: E402
from sksurv.util import Surv  # noqa: E402

HORIZONS = [2.0, 3.0, 5.0]


@pytest.fixture(scope="module")
def gbsg2():
    df = load_lymph_node()
    t = df["rectime"].to_numpy() / 365.25  # recurrence-free survival, years
    e = df["censrec"].to_numpy().astype(bool)
    # A prognostic score of the kind a registry would test (rounded: no near-ties in score)
    score = (0.06 * df["nodes"] + 0.012 * df["size"] + 0.25 * df["grade"]
             - 0.002 * df["prog_recp"]).to_numpy().round(6)
    risk = np.round(1.0 / (1.0 + np.exp(-(score - 1.2))), 6)
    return t, e, score, risk


def test_kaplan_meier_matches_lifelines(gbsg2):
    t, e, _, _ = gbsg2
    kmf = KaplanMeierFitter().fit(t, e)
    grid = [0.5, 1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose(kaplan_meier(t, e).at(grid),
                               kmf.survival_function_at_times(grid).to_numpy(), rtol=1e-12)


def test_harrell_c_matches_lifelines_and_sksurv(gbsg2):
    t, e, score, _ = gbsg2
    ours = harrell_c(t, e, score)
    assert ours == pytest.approx(concordance_index(t, -score, e), abs=1e-12)
    assert ours == pytest.approx(sksurv_metrics.concordance_index_censored(e, t, score)[0],
                                 abs=1e-12)


@pytest.mark.parametrize("tau", [3.0, 5.0])
def test_uno_c_matches_sksurv(gbsg2, tau):
    t, e, score, _ = gbsg2
    y = Surv.from_arrays(e, t)
    expected = sksurv_metrics.concordance_index_ipcw(y, y, score, tau=tau)[0]
    assert uno_c(t, e, score, tau) == pytest.approx(expected, abs=1e-12)


def test_time_dependent_auc_matches_sksurv(gbsg2):
    t, e, score, _ = gbsg2
    y = Surv.from_arrays(e, t)
    expected = sksurv_metrics.cumulative_dynamic_auc(y, y, score, HORIZONS)[0]
    np.testing.assert_allclose(time_dependent_auc(t, e, score, HORIZONS), expected, atol=1e-12)


def test_brier_matches_sksurv(gbsg2):
    t, e, _, risk = gbsg2
    y = Surv.from_arrays(e, t)
    surv = np.column_stack([1.0 - risk] * len(HORIZONS))
    expected = sksurv_metrics.brier_score(y, y, surv, HORIZONS)[1]
    ours = [brier_score(t, e, risk, h) for h in HORIZONS]
    np.testing.assert_allclose(ours, expected, atol=1e-12)


def test_cox_fit_matches_lifelines_without_ties():
    rng = np.random.default_rng(11)
    n = 1500
    x = rng.normal(size=(n, 2))
    t = rng.exponential(size=n) / np.exp(x @ np.array([0.5, -0.3]))
    e = rng.random(n) < 0.7
    ours = cox_fit(t, e, x)
    import pandas as pd

    ref = CoxPHFitter().fit(pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "T": t, "E": e}), "T", "E")
    np.testing.assert_allclose(ours.coef, ref.params_.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.covariance)),
                               ref.standard_errors_.to_numpy(), rtol=1e-6)
    # lifelines reports the baseline at the mean covariates
    at_mean = ours.baseline_at(1.0) * np.exp(x.mean(axis=0) @ ours.coef)
    assert at_mean == pytest.approx(ref.baseline_cumulative_hazard_.loc[:1.0].iloc[-1].item(),
                                    rel=1e-6)


def test_calibration_slope_is_lifelines_cox_on_cloglog(gbsg2):
    """The slope is the Cox coefficient of cloglog(risk) with follow-up censored at the horizon;
    GBSG2 times are whole days with ties, so jitter them apart for a Breslow = Efron match."""
    t, e, _, risk = gbsg2
    t = t + np.random.default_rng(2).uniform(0, 1e-6, t.shape[0])
    import pandas as pd

    h = 5.0
    df = pd.DataFrame({"x": cloglog(risk), "T": np.minimum(t, h), "E": e & (t <= h)})
    ref = CoxPHFitter().fit(df, "T", "E").params_["x"]
    assert calibration_slope(t, e, risk, h)[0] == pytest.approx(ref, rel=1e-5)  # its tolerance
    cal = calibration(t, e, risk, h)
    assert cal.slope == pytest.approx(ref, rel=1e-5)
    assert cal.observed == pytest.approx(
        1 - KaplanMeierFitter().fit(t, e).survival_function_at_times([h]).iloc[0], abs=1e-12)
    assert 0 <= cal.e50 <= cal.e90 and 0 <= cal.ici < 0.2
