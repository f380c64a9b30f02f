"""PREDICT Breast equations: the tables of a version, and its per-patient covariates.

Each function reads a version's coefficients by name (``versions/v<id>.toml``) and follows the
official R implementation (WintonCentre/predict-v30-r, commit 42223bc), restated in
docs/models/predict.md. The time-varying part of the breast-cancer index (HER2 in 3.1/3.2) and
the treatment terms take few distinct values, so they are given here as small tables indexed
by a patient's group and treatment state; the kernel multiplies them out. What each patient
contributes (indices, harms, state and group) is computed in
:mod:`axilla.models.predict.covariates` and named here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from axilla.models.predict.covariates import (
    GENERATION_CODES,
    HER2_CODES,
    N_GROUPS,
    N_STATES,
    coefficients,
    er_positive,
    group_index,
    harms,
    other_cause_index,
    other_cause_lp,
    other_cause_lps,
    prognostic_index_fixed,
    state_and_group,
    state_group_index,
    treatment_state,
)
from axilla.models.predict.versions import PredictVersion

__all__ = [
    "GENERATION_CODES", "HER2_CODES", "N_GROUPS", "N_STATES", "N_YEARS", "YEARS", "baselines",
    "coefficients", "column_term", "er_positive", "group_index", "harms", "her2_table",
    "other_cause_index", "other_cause_lp", "other_cause_lps", "prognostic_index_fixed",
    "state_and_group", "state_group_index", "state_inputs", "treatment_state",
    "treatment_terms",
]

YEARS = np.arange(1, 16, dtype=float)
N_YEARS = 15


def her2_table(v: PredictVersion) -> np.ndarray:
    """The HER2 term of the breast-cancer index, [group, year]; group = er * 3 + HER2 index.

    Version 2 and 3.0: constant; 3.1/3.2: by year for ER-positive disease (Grootes 2022)."""
    mk = "prognostic_index.markers"
    table = np.zeros((N_GROUPS, N_YEARS))
    if v.logic["prognostic_index"] == "v2":
        for er in (0, 1):
            table[3 * er + 0] = v.coef(mk, "her2_negative")
            table[3 * er + 1] = v.coef(mk, "her2_positive")
        return table
    table[0] = v.coef(mk, "her2_negative_er_negative")
    table[1] = v.coef(mk, "her2_positive_er_negative")
    table[3] = np.asarray(v.coef(mk, "her2_negative_er_positive_by_year"), float)
    table[4] = np.asarray(v.coef(mk, "her2_positive_er_positive_by_year"), float)
    return table



def treatment_terms(v: PredictVersion, x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Breast-cancer log hazard ratio of each treatment letter, [1 or year, patient]."""
    t = "treatment"
    n = x["age"].shape[0]
    gen = x["generation"]
    c = np.where(gen == 0, 0.0, np.where(gen == 2, v.coef(t, "chemotherapy_second_generation"),
                                         v.coef(t, "chemotherapy_third_generation")))
    h = np.where((x["horm"] == 1) & (x["er"] == 1), v.coef(t, "endocrine"), 0.0)
    tr = np.where((x["her2"] == 1) & (x["traz"] == 1), v.coef(t, "trastuzumab"), 0.0)
    b = np.where(x["bis"] == 1, v.coef(t, "bisphosphonates"), 0.0)
    if v.logic["radiotherapy_in_model"]:
        r = np.where(x["radio"] == 1, v.coef(t, "radiotherapy"), 0.0)
    else:
        r = np.zeros(n)
    terms = {k: a[None, :] for k, a in {"c": c, "h": h, "t": tr, "b": b, "r": r}.items()}
    rule = v.logic["extended_endocrine"]
    late = (YEARS > 10)[:, None]
    if rule == "unguarded":
        extra = v.coef(t, "extended_endocrine_extra")
        terms["h10"] = np.where(late, terms["h"] + extra, terms["h"])
    elif rule == "guarded":
        extra = v.coef(t, "extended_endocrine_extra")
        terms["h10"] = np.where(terms["h"] == 0, 0.0,
                                np.where(late, terms["h"] + extra, terms["h"]))
    else:  # collapsed (v3.0, Q7) or not defined: 10 years counts as 5
        terms["h10"] = terms["h"]
    return terms



def state_inputs() -> dict[str, np.ndarray]:
    """One representative patient for each treatment state (the inverse of treatment_state)."""
    s = np.arange(N_STATES)
    return {
        "generation": np.asarray(GENERATION_CODES)[s // 16], "horm": (s // 8) % 2 * 1.0,
        "er": np.ones(N_STATES), "her2": np.ones(N_STATES), "traz": (s // 4) % 2 * 1.0,
        "bis": (s // 2) % 2 * 1.0, "radio": s % 2 * 1.0, "age": np.zeros(N_STATES),
    }


def column_term(terms: Mapping[str, np.ndarray], letters: Sequence[str]) -> np.ndarray:
    """Sum of a column's treatment terms, added left to right as the source does."""
    if not letters:
        return np.zeros((1, next(iter(terms.values())).shape[1]))
    acc = terms[letters[0]]
    for letter in letters[1:]:
        acc = acc + terms[letter]
    return acc


def baselines(v: PredictVersion) -> tuple[np.ndarray, np.ndarray]:
    """Baseline cumulative hazards: breast [er (0 negative, 1 positive), year], other [year]."""
    b = "baseline"
    t = YEARS
    if v.logic["prognostic_index"] == "v2":
        oth = np.exp(v.coef(b, "other_intercept") + v.coef(b, "other_log_t") * np.log(t)
                     + v.coef(b, "other_sqrt_t") * np.power(t, 0.5))
        pos = np.exp(v.coef(b, "er_positive_intercept")
                     + v.coef(b, "er_positive_inv_sqrt_t") / np.power(t, 0.5)
                     + v.coef(b, "er_positive_log_t_over_sqrt_t") * np.log(t) / np.power(t, 0.5))
        neg = np.exp(v.coef(b, "er_negative_intercept") + v.coef(b, "er_negative_inv_t2") / (t * t)
                     + v.coef(b, "er_negative_inv_t") / t)
    else:
        u = t / 10.0
        oth = np.exp(v.coef(b, "other_intercept") + v.coef(b, "other_log_u") * np.log(u)
                     + v.coef(b, "other_u") * u)
        pos = np.exp(v.coef(b, "er_positive_intercept")
                     + v.coef(b, "er_positive_inv_sqrt_u") * np.power(u, -0.5)
                     + v.coef(b, "er_positive_log_u_over_sqrt_u") * (np.power(u, -0.5) * np.log(u)))
        neg = np.exp(v.coef(b, "er_negative_intercept")
                     + v.coef(b, "er_negative_inv_u") * np.power(u, -1.0)
                     + v.coef(b, "er_negative_log_u_over_u") * (np.power(u, -1.0) * np.log(u)))
    return np.stack([neg, pos]), oth
