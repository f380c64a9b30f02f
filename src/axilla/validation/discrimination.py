"""Discrimination of a risk score against censored follow-up: Harrell's C, Uno's C, AUC(t).

Sources: Harrell FE et al. JAMA 1982;247:2543-2546 (concordance over usable pairs; a pair is
usable when the shorter time is an event; an event tied in time with a censoring counts the
censored one as longer); Uno H et al. Stat Med 2011;30:1105-1117 (C truncated at tau, pairs
weighted by the inverse squared censoring survival); Uno H et al. J Am Stat Assoc
2007;102:527-537 and Hung H, Chiang CT. Scand J Stat 2010;37:664-679 (cumulative/dynamic AUC
with inverse-probability-of-censoring weights). A higher score means a higher risk.

Pair counts are made in O(n log^2 n) with a vectorised merge sort, so a registry of millions
of rows needs no O(n^2) loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from axilla.errors import FieldProblem, InputError
from axilla.validation.survival import censoring_survival, check_survival_arrays


def _check_risk(risk: np.ndarray, n: int) -> np.ndarray:
    r = np.atleast_1d(np.asarray(risk, dtype=float))
    if r.shape[0] != n:
        raise InputError([FieldProblem("risk", r.shape[0], f"needs {n} rows like time")])
    bad = ~np.isfinite(r)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError([FieldProblem(f"risk (row {i})", float(r[i]), "must be a finite number")])
    return r


def _later_counts(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position p of ``ranks`` (integers >= 0), how many later positions hold a
    smaller value and how many an equal value."""
    n = ranks.shape[0]
    less = np.zeros(n, dtype=np.int64)
    equal = np.zeros(n, dtype=np.int64)
    vals = ranks.astype(np.int64)
    idx = np.arange(n)
    span = int(vals.max()) + 1 if n else 1
    slot = np.arange(n)
    w = 1
    while w < n:
        block = slot // w
        pair = block // 2
        left = (block % 2) == 0
        key = pair * span + vals
        right_keys = key[~left]
        lk, lp = key[left], pair[left] * span
        base = np.searchsorted(right_keys, lp, side="left")
        lo = np.searchsorted(right_keys, lk, side="left")
        hi = np.searchsorted(right_keys, lk, side="right")
        less[idx[left]] += lo - base
        equal[idx[left]] += hi - lo
        order = np.argsort(key, kind="stable")
        vals, idx = vals[order], idx[order]
        w *= 2
    return less, equal


@dataclass(frozen=True)
class PairCounts:
    """Weighted counts of usable pairs: concordant, tied in score, and all usable."""

    concordant: float
    tied: float
    usable: float

    @property
    def c_index(self) -> float:
        if self.usable == 0:
            return float("nan")
        return (self.concordant + 0.5 * self.tied) / self.usable


def _pairs(t: np.ndarray, e: np.ndarray, r: np.ndarray, weight: np.ndarray,
           use: np.ndarray) -> PairCounts:
    """Pairs (i, j) with i an event in ``use`` and j longer (or censored at the same time)."""
    risk_rank = np.unique(r, return_inverse=True)[1]
    # time ascending; at equal times events first; tied events by ascending score
    order = np.lexsort((risk_rank, ~e, t))
    ts, es, rs = t[order], e[order], risk_rank[order]
    less, equal = _later_counts(rs)
    uses = use[order] & es
    ws = weight[order]
    t_sorted = np.sort(t)
    cens_times = np.sort(t[~e])
    usable = ((t.shape[0] - np.searchsorted(t_sorted, ts, side="right"))
              + (np.searchsorted(cens_times, ts, side="right")
                 - np.searchsorted(cens_times, ts, side="left")))
    # later events at the same time with the same score were counted as ties: not usable
    ev = uses
    tie_keys = np.stack([ts[ev], rs[ev].astype(float)], axis=1)
    tie_w = ws[ev]
    over_tied = 0.0
    if tie_keys.shape[0]:
        _, inv, counts = np.unique(tie_keys, axis=0, return_inverse=True, return_counts=True)
        w_group = np.bincount(inv.reshape(-1), weights=tie_w) / counts
        over_tied = float((w_group * counts * (counts - 1) / 2.0).sum())
    return PairCounts(
        concordant=float((ws[uses] * less[uses]).sum()),
        tied=float((ws[uses] * equal[uses]).sum()) - over_tied,
        usable=float((ws[uses] * usable[uses]).sum()),
    )


def harrell_c(time: np.ndarray, event: np.ndarray, risk: np.ndarray) -> float:
    """Harrell's concordance index (ties in score count one half)."""
    t, e = check_survival_arrays(time, event)
    r = _check_risk(risk, t.shape[0])
    return _pairs(t, e, r, np.ones(t.shape[0]), np.ones(t.shape[0], bool)).c_index


def uno_c(time: np.ndarray, event: np.ndarray, risk: np.ndarray,
          tau: float | None = None) -> float:
    """Uno's C truncated at ``tau`` (default: the last follow-up time)."""
    t, e = check_survival_arrays(time, event)
    r = _check_risk(risk, t.shape[0])
    g = censoring_survival(t, e).at(t)
    tau = float(t.max()) if tau is None else float(tau)
    use = (t < tau) & (g > 0)
    with np.errstate(divide="ignore"):
        weight = np.where(g > 0, 1.0 / np.square(g), 0.0)
    return _pairs(t, e, r, weight, use).c_index


def time_dependent_auc(time: np.ndarray, event: np.ndarray, risk: np.ndarray,
                       horizons: Sequence[float]) -> np.ndarray:
    """Cumulative/dynamic AUC at each horizon: events by t (weighted 1/G(t_i)) against those
    still event-free after t."""
    t, e = check_survival_arrays(time, event)
    r = _check_risk(risk, t.shape[0])
    g = censoring_survival(t, e).at(t)
    out = []
    for h in horizons:
        cases = e & (t <= h) & (g > 0)
        controls = np.sort(r[t > h])
        if not cases.any() or controls.size == 0:
            out.append(float("nan"))
            continue
        w = 1.0 / g[cases]
        rc = r[cases]
        lower = np.searchsorted(controls, rc, side="left")
        upper = np.searchsorted(controls, rc, side="right")
        score = (lower + 0.5 * (upper - lower)) / controls.size
        out.append(float((w * score).sum() / w.sum()))
    return np.asarray(out)
