"""Calibration of predicted risks by a horizon against censored follow-up.

Sources: observed risk by Kaplan-Meier against mean predicted risk by risk group, and the
observed/expected ratio: Riley RD et al. BMJ 2024;384:e074820 (evaluation of clinical
prediction models, part 2); calibration slope as the Cox coefficient of the complementary
log-log of the predicted risk: van Houwelingen HC. Stat Med 2000;19:3401-3415; Crowson CS et al.
Stat Methods Med Res 2016;25:1692-1706; integrated calibration index (ICI, E50, E90) from a
Cox model on a restricted cubic spline of that term: Austin PC, Harrell FE, van Klaveren D.
Stat Med 2020;39:2714-2742. Follow-up is censored at the horizon for the Cox fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from axilla.errors import FieldProblem, InputError
from axilla.validation.survival import (
    check_survival_arrays,
    cox_fit,
    observed_risk_ci,
    truncate_at,
)

_EPS = 1e-12


def check_predicted(predicted: np.ndarray, n: int, name: str = "predicted") -> np.ndarray:
    """Predicted risks as floats strictly between 0 and 1, one per row."""
    p = np.atleast_1d(np.asarray(predicted, dtype=float))
    if p.shape[0] != n:
        raise InputError([FieldProblem(name, p.shape[0], f"needs {n} rows like time")])
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError([FieldProblem(f"{name} (row {i})", float(p[i]),
                                       "must be a risk from 0 to 1")])
    return p


def cloglog(p: np.ndarray) -> np.ndarray:
    """log(-log(1 - p)): the log cumulative hazard a risk p implies."""
    q = np.clip(np.asarray(p, dtype=float), _EPS, 1.0 - _EPS)
    return np.log(-np.log1p(-q))


def rcs3_basis(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """Restricted cubic spline with 3 knots: columns x and the one non-linear term
    (Harrell, Regression Modeling Strategies, 2nd ed., sec. 2.4.5)."""
    k1, k2, k3 = knots

    def cube(v: np.ndarray) -> np.ndarray:
        return np.maximum(v, 0.0) ** 3

    term = (cube(x - k1) - cube(x - k2) * (k3 - k1) / (k3 - k2)
            + cube(x - k3) * (k2 - k1) / (k3 - k2)) / (k3 - k1) ** 2
    return np.column_stack([x, term])


@dataclass(frozen=True)
class RiskGroup:
    """One risk group: mean predicted risk and Kaplan-Meier observed risk (95 % interval)."""

    group: int
    n: int
    events: int
    mean_predicted: float
    observed: float
    observed_lo: float
    observed_hi: float


@dataclass(frozen=True)
class Calibration:
    """Calibration at one horizon; risks as proportions (0-1)."""

    horizon: float
    n: int
    events: int
    observed: float
    observed_lo: float
    observed_hi: float
    expected: float
    oe_ratio: float
    oe_lo: float
    oe_hi: float
    slope: float
    slope_se: float
    intercept: float
    ici: float
    e50: float
    e90: float
    groups: list[RiskGroup] = field(default_factory=list)
    curve_predicted: np.ndarray = field(default_factory=lambda: np.empty(0))
    curve_observed: np.ndarray = field(default_factory=lambda: np.empty(0))


def risk_groups(predicted: np.ndarray, n_groups: int) -> np.ndarray:
    """Group number 0..n_groups-1 by quantiles of predicted risk (equal-sized groups)."""
    ranks = np.argsort(np.argsort(predicted, kind="stable"), kind="stable")
    return (ranks * n_groups // max(predicted.shape[0], 1)).astype(int)


def _groups(t: np.ndarray, e: np.ndarray, p: np.ndarray, horizon: float,
            n_groups: int) -> list[RiskGroup]:
    g = risk_groups(p, n_groups)
    out = []
    for k in range(n_groups):
        m = g == k
        if not m.any():
            continue
        obs, lo, hi = observed_risk_ci(t[m], e[m], horizon)
        events = int((e[m] & (t[m] <= horizon)).sum())
        out.append(RiskGroup(k + 1, int(m.sum()), events, float(p[m].mean()), obs, lo, hi))
    return out


def calibration_slope(time: np.ndarray, event: np.ndarray, predicted: np.ndarray,
                      horizon: float) -> tuple[float, float]:
    """Cox coefficient (and its standard error) of cloglog(predicted); 1 when calibrated."""
    tt, ee = truncate_at(time, event, horizon)
    fit = cox_fit(tt, ee, cloglog(predicted)[:, None])
    return float(fit.coef[0]), float(np.sqrt(fit.covariance[0, 0]))


def calibration_intercept(time: np.ndarray, event: np.ndarray, predicted: np.ndarray,
                          horizon: float) -> float:
    """log of the Breslow baseline cumulative hazard at the horizon with cloglog(predicted) as
    an offset: 0 when calibrated in the large, > 0 when risks are under-estimated."""
    tt, ee = truncate_at(time, event, horizon)
    fit = cox_fit(tt, ee, np.empty((tt.shape[0], 0)), offset=cloglog(predicted))
    h0 = fit.baseline_at(horizon)
    return float(np.log(h0)) if h0 > 0 else float("-inf")


def smoothed_observed(time: np.ndarray, event: np.ndarray, predicted: np.ndarray,
                      horizon: float) -> np.ndarray:
    """Observed risk by the horizon for each row from a Cox model on a 3-knot restricted cubic
    spline of cloglog(predicted) (Austin, Harrell, van Klaveren 2020)."""
    tt, ee = truncate_at(time, event, horizon)
    x = cloglog(predicted)
    knots = np.quantile(x, [0.1, 0.5, 0.9])
    if not (knots[0] < knots[1] < knots[2]):
        basis = x[:, None]
        fit = cox_fit(tt, ee, basis)
    else:
        basis = rcs3_basis(x, knots)
        fit = cox_fit(tt, ee, basis)
    lp = basis @ fit.coef
    return -np.expm1(-fit.baseline_at(horizon) * np.exp(lp))


def calibration(time: np.ndarray, event: np.ndarray, predicted: np.ndarray, horizon: float,
                *, n_groups: int = 10) -> Calibration:
    """Every calibration measure at ``horizon`` (years) for risks ``predicted`` by then."""
    t, e = check_survival_arrays(time, event)
    p = check_predicted(predicted, t.shape[0])
    obs, lo, hi = observed_risk_ci(t, e, horizon)
    expected = float(p.mean())
    events = int((e & (t <= horizon)).sum())
    nan = float("nan")
    slope = slope_se = intercept = ici = e50 = e90 = nan
    curve_p = curve_o = np.empty(0)
    if events >= 2:
        try:
            slope, slope_se = calibration_slope(t, e, p, horizon)
            intercept = calibration_intercept(t, e, p, horizon)
            smooth = smoothed_observed(t, e, p, horizon)
            diff = np.abs(smooth - p)
            ici, e50, e90 = (float(diff.mean()), float(np.median(diff)),
                             float(np.quantile(diff, 0.9)))
            order = np.argsort(p)
            pick = order[np.linspace(0, p.shape[0] - 1, min(200, p.shape[0])).astype(int)]
            curve_p, curve_o = p[pick], smooth[pick]
        except np.linalg.LinAlgError:
            pass
    ratio = obs / expected if expected > 0 else nan
    return Calibration(
        horizon=float(horizon), n=int(t.shape[0]), events=events, observed=obs,
        observed_lo=lo, observed_hi=hi, expected=expected, oe_ratio=ratio,
        oe_lo=lo / expected if expected > 0 else nan,
        oe_hi=hi / expected if expected > 0 else nan,
        slope=slope, slope_se=slope_se, intercept=intercept, ici=ici, e50=e50, e90=e90,
        groups=_groups(t, e, p, horizon, n_groups), curve_predicted=curve_p,
        curve_observed=curve_o,
    )
