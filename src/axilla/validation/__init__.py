"""Validation statistics over arrays: how well predicted risks match what happened.

    calibration(time, event, predicted, horizon)   KM observed vs mean predicted by risk
                                                   group, O/E, slope, intercept, ICI/E50/E90
    harrell_c, uno_c, time_dependent_auc           discrimination
    brier_score, scaled_brier                      overall accuracy (IPCW)
    net_benefit                                    decision curve
    kaplan_meier, censoring_survival, cox_fit      the building blocks

Times are in one unit (years in axilla), events 1/0, risks as proportions by the horizon.
Each function names its source; see docs/cohort.md for the definitions in words.
"""

from axilla.validation.calibration import Calibration, RiskGroup, calibration, cloglog
from axilla.validation.discrimination import harrell_c, time_dependent_auc, uno_c
from axilla.validation.scores import DecisionCurve, brier_score, net_benefit, scaled_brier
from axilla.validation.survival import (
    CoxFit,
    KaplanMeier,
    censoring_survival,
    cox_fit,
    kaplan_meier,
    observed_risk,
)

__all__ = [
    "Calibration",
    "CoxFit",
    "DecisionCurve",
    "KaplanMeier",
    "RiskGroup",
    "brier_score",
    "calibration",
    "censoring_survival",
    "cloglog",
    "cox_fit",
    "harrell_c",
    "kaplan_meier",
    "net_benefit",
    "observed_risk",
    "scaled_brier",
    "time_dependent_auc",
    "uno_c",
]
