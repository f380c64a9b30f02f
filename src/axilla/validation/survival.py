"""Survival building blocks over arrays: Kaplan-Meier, censoring weights, a small Cox fit.

Sources: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481 (product-limit estimator, with
Greenwood's variance); Cox DR. J R Stat Soc B 1972;34:187-220 with Breslow NE. Biometrics
1974;30:89-99 (partial likelihood with Breslow's handling of ties and baseline hazard).
Engines here take NumPy arrays (time in years, event 1/0) and never read files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from axilla.errors import FieldProblem, InputError


def check_survival_arrays(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Follow-up times (>= 0, finite) and event indicators (0/1) as float and bool arrays."""
    t = np.atleast_1d(np.asarray(time, dtype=float))
    e = np.atleast_1d(np.asarray(event, dtype=float))
    if t.shape != e.shape:
        raise InputError([FieldProblem("event", e.shape[0], f"needs {t.shape[0]} rows like time")])
    bad_t = ~np.isfinite(t) | (t < 0)
    if bad_t.any():
        i = int(np.flatnonzero(bad_t)[0])
        raise InputError([FieldProblem(f"time (row {i})", float(t[i]),
                                       "must be a finite follow-up time >= 0")])
    bad_e = (e != 0) & (e != 1)
    if bad_e.any():
        i = int(np.flatnonzero(bad_e)[0])
        raise InputError([FieldProblem(f"event (row {i})", float(e[i]), "must be 0 or 1")])
    if t.size == 0:
        raise InputError([FieldProblem("time", 0, "needs at least one row")])
    return t, e.astype(bool)


@dataclass(frozen=True)
class KaplanMeier:
    """Product-limit survival at each distinct time with at least one event (step function).

    ``variance_sum`` is Greenwood's running sum d / (n (n - d)) for the standard error.
    """

    times: np.ndarray
    survival: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    variance_sum: np.ndarray

    def at(self, t: np.ndarray | float, *, left: bool = False) -> np.ndarray:
        """S(t) (right-continuous), or S(t-) with ``left``, at each of ``t``."""
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float),
                              side="left" if left else "right")
        return np.concatenate(([1.0], self.survival))[idx]

    def greenwood_se(self, t: float) -> float:
        """Greenwood standard error of S(t)."""
        idx = int(np.searchsorted(self.times, t, side="right"))
        if idx == 0:
            return 0.0
        return float(self.survival[idx - 1] * np.sqrt(self.variance_sum[idx - 1]))


def kaplan_meier(time: np.ndarray, event: np.ndarray) -> KaplanMeier:
    """Kaplan-Meier estimate; at tied times events are counted before censorings (1958)."""
    t, e = np.asarray(time, dtype=float), np.asarray(event, dtype=bool)
    uniq, inverse = np.unique(t, return_inverse=True)
    d = np.bincount(inverse, weights=e.astype(float), minlength=uniq.size)
    c = np.bincount(inverse, minlength=uniq.size).astype(float)
    n = np.cumsum(c[::-1])[::-1]
    keep = d > 0
    uniq, d, n = uniq[keep], d[keep], n[keep]
    factor = 1.0 - d / n
    with np.errstate(divide="ignore", invalid="ignore"):
        var_terms = np.where(n > d, d / (n * (n - d)), np.inf)
    return KaplanMeier(uniq, np.cumprod(factor), n, d, np.cumsum(var_terms))


def censoring_survival(time: np.ndarray, event: np.ndarray) -> KaplanMeier:
    """Kaplan-Meier of the censoring times G(t), for inverse-probability-of-censoring weights.

    At a time shared by events and censorings the events come first, so those with an event
    then are no longer at risk of being censored (the convention of Graf 1999).
    """
    t, e = np.asarray(time, dtype=float), np.asarray(event, dtype=bool)
    uniq, inverse = np.unique(t, return_inverse=True)
    d = np.bincount(inverse, weights=e.astype(float), minlength=uniq.size)
    c = np.bincount(inverse, minlength=uniq.size).astype(float) - d
    n = np.cumsum((c + d)[::-1])[::-1] - d
    keep = c > 0
    uniq, c, n = uniq[keep], c[keep], n[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        var_terms = np.where(n > c, c / (n * (n - c)), np.inf)
    return KaplanMeier(uniq, np.cumprod(1.0 - c / n), n, c, np.cumsum(var_terms))


def observed_risk(time: np.ndarray, event: np.ndarray, horizon: float) -> float:
    """Observed risk of the event by ``horizon``: 1 - Kaplan-Meier S(horizon)."""
    return float(1.0 - kaplan_meier(time, event).at(horizon))


def observed_risk_ci(
    time: np.ndarray, event: np.ndarray, horizon: float, z: float = 1.959964
) -> tuple[float, float, float]:
    """1 - S(horizon) with a 95 % interval on the log(-log S) scale (Kalbfleisch-Prentice)."""
    km = kaplan_meier(time, event)
    s = float(km.at(horizon))
    idx = int(np.searchsorted(km.times, horizon, side="right"))
    if idx == 0 or s <= 0.0 or s >= 1.0:
        return 1.0 - s, 1.0 - s, 1.0 - s
    v = float(km.variance_sum[idx - 1])
    half = z * np.sqrt(v) / abs(np.log(s))
    lo_s, hi_s = s ** np.exp(half), s ** np.exp(-half)
    return 1.0 - s, 1.0 - hi_s, 1.0 - lo_s


# ---------------------------------------------------------------------------------------------
# Cox partial likelihood (Breslow ties), a handful of covariates, Newton-Raphson


@dataclass(frozen=True)
class CoxFit:
    """Coefficients, their covariance, and the Breslow baseline cumulative hazard."""

    coef: np.ndarray
    covariance: np.ndarray
    baseline_times: np.ndarray
    baseline_cumhaz: np.ndarray

    def baseline_at(self, t: float) -> float:
        idx = int(np.searchsorted(self.baseline_times, t, side="right"))
        return 0.0 if idx == 0 else float(self.baseline_cumhaz[idx - 1])


def _risk_set_sums(order_time: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """For time-sorted rows, the sums over each row's risk set {j: t_j >= t_i} (ties shared)."""
    first = np.searchsorted(order_time, order_time, side="left")
    return [np.cumsum(a[::-1], axis=0)[::-1][first] for a in arrays]


def cox_fit(
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    *,
    offset: np.ndarray | None = None,
    max_iter: int = 50,
    tol: float = 1e-10,
) -> CoxFit:
    """Cox proportional hazards fit by Newton-Raphson (Breslow 1974 ties); x is [row, k].

    With k = 0 only the baseline hazard is estimated, given the ``offset``.
    """
    t = np.asarray(time, dtype=float)
    order = np.argsort(t, kind="stable")
    t, d = t[order], np.asarray(event, dtype=bool)[order]
    X = np.asarray(x, dtype=float).reshape(t.shape[0], -1)[order]
    off = np.zeros(t.shape[0]) if offset is None else np.asarray(offset, dtype=float)[order]
    k = X.shape[1]
    beta = np.zeros(k)
    cov = np.zeros((k, k))
    for _ in range(max_iter if k else 0):
        eta = off + X @ beta
        w = np.exp(eta - eta.max())
        s0, s1, s2 = _risk_set_sums(t, w, w[:, None] * X,
                                    w[:, None, None] * X[:, :, None] * X[:, None, :])
        xbar = s1[d] / s0[d][:, None]
        grad = (X[d] - xbar).sum(axis=0)
        info = (s2[d] / s0[d][:, None, None]
                - xbar[:, :, None] * xbar[:, None, :]).sum(axis=0)
        step = np.linalg.solve(info, grad)
        beta = beta + step
        cov = np.linalg.inv(info)
        if np.max(np.abs(step)) < tol:
            break
    eta = off + X @ beta
    w = np.exp(eta)
    (s0,) = _risk_set_sums(t, w)
    uniq, first = np.unique(t[d], return_index=True)
    d_count = np.bincount(np.searchsorted(uniq, t[d]), minlength=uniq.size)
    denom = s0[d][first]
    return CoxFit(beta, cov, uniq, np.cumsum(d_count / denom))


def truncate_at(time: np.ndarray, event: np.ndarray, horizon: float) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """Follow-up administratively censored at ``horizon`` (events after it become censored)."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    return np.minimum(t, horizon), e & (t <= horizon)
