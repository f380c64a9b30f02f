"""Overall accuracy and clinical usefulness at a horizon: Brier score and net benefit.

Sources: Graf E, Schmoor C, Sauerbrei W, Schumacher M. Stat Med 1999;18:2529-2545 (Brier
score under censoring with inverse-probability-of-censoring weights); scaled Brier against the
Kaplan-Meier risk given to everyone: Steyerberg EW et al. Epidemiology 2010;21:128-138;
decision-curve net benefit with censored outcomes (Kaplan-Meier risk among those above the
threshold): Vickers AJ, Elkin EB. Med Decis Making 2006;26:565-574 and Vickers AJ et al. BMC
Med Inform Decis Mak 2008;8:53.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from axilla.validation.calibration import check_predicted
from axilla.validation.survival import (
    censoring_survival,
    check_survival_arrays,
    kaplan_meier,
    observed_risk,
)


def brier_score(time: np.ndarray, event: np.ndarray, predicted: np.ndarray,
                horizon: float) -> float:
    """IPCW Brier score of risks ``predicted`` by ``horizon`` (Graf 1999)."""
    t, e = check_survival_arrays(time, event)
    p = check_predicted(predicted, t.shape[0])
    g = censoring_survival(t, e)
    g_own = g.at(t)
    g_h = float(g.at(horizon))
    died = e & (t <= horizon)
    alive = t > horizon
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(died, np.square(1.0 - p) / g_own, 0.0)
        terms = terms + np.where(alive, np.square(p) / g_h if g_h > 0 else 0.0, 0.0)
    return float(terms.mean())


def scaled_brier(time: np.ndarray, event: np.ndarray, predicted: np.ndarray,
                 horizon: float) -> tuple[float, float, float]:
    """(Brier, Brier of the Kaplan-Meier risk for all, scaled Brier 1 - Brier / null)."""
    t, e = check_survival_arrays(time, event)
    model = brier_score(t, e, predicted, horizon)
    null = brier_score(t, e, np.full(t.shape[0], observed_risk(t, e, horizon)), horizon)
    return model, null, (1.0 - model / null) if null > 0 else float("nan")


@dataclass(frozen=True)
class DecisionCurve:
    """Net benefit by threshold for the model, treating all, and treating none (0)."""

    thresholds: np.ndarray
    model: np.ndarray
    treat_all: np.ndarray


def net_benefit(time: np.ndarray, event: np.ndarray, predicted: np.ndarray, horizon: float,
                thresholds: Sequence[float] | None = None) -> DecisionCurve:
    """Net benefit = true-positive rate - false-positive rate x pt / (1 - pt), events by
    ``horizon`` estimated by Kaplan-Meier among those at or above each threshold pt."""
    t, e = check_survival_arrays(time, event)
    p = check_predicted(predicted, t.shape[0])
    pts = np.asarray(thresholds if thresholds is not None else np.arange(0.01, 0.51, 0.01))
    risk_all = 1.0 - float(kaplan_meier(t, e).at(horizon))
    treat_all = risk_all - (1.0 - risk_all) * pts / (1.0 - pts)
    model = np.empty(pts.shape[0])
    for k, pt in enumerate(pts):
        above = p >= pt
        share = above.mean()
        if not above.any():
            model[k] = 0.0
            continue
        risk = 1.0 - float(kaplan_meier(t[above], e[above]).at(horizon))
        model[k] = risk * share - (1.0 - risk) * share * pt / (1.0 - pt)
    return DecisionCurve(pts, model, treat_all)
