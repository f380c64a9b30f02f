"""PREDICT Breast equations: prognostic indices, treatment terms and baselines, per version.

Each function reads a version's coefficients by name (``versions/v<id>.toml``) and follows the
official R implementation (WintonCentre/predict-v30-r, commit 42223bc), restated in
docs/models/predict.md. The time-varying part of the breast-cancer index (HER2 in 3.1/3.2) and
the treatment terms take few distinct values, so they are given here as small tables indexed
by a patient's group and treatment state; the kernel multiplies them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from axilla.models.predict.versions import PredictVersion

YEARS = np.arange(1, 16, dtype=float)
N_YEARS = 15

#: HER2 codes in the order of the group index (any other code contributes 0, like unknown).
HER2_CODES = (0.0, 1.0, 9.0)
#: Chemotherapy generation codes in the order of the treatment state (code 1 counts as 3, Q14).
GENERATION_CODES = (0.0, 2.0, 3.0)
N_GROUPS = 2 * len(HER2_CODES)
N_STATES = len(GENERATION_CODES) * 16


def _by_er(er_pos: np.ndarray, pos, neg) -> np.ndarray:
    return np.where(er_pos, pos, neg)


def _marker(code: np.ndarray, positive, negative) -> np.ndarray:
    """Coefficient for a marker coded 1/0; any other code (9 = unknown) contributes 0."""
    return np.where(code == 1, positive, np.where(code == 0, negative, 0.0))


def _by_er_lazy(er_pos: np.ndarray, pos: Callable[[], Any], neg: Callable[[], Any]) -> Any:
    """``np.where(er_pos, pos(), neg())``, evaluating only the side a batch needs (a single
    patient, or a batch of one ER status, needs one)."""
    if er_pos.all():
        return pos()
    if not er_pos.any():
        return neg()
    return np.where(er_pos, pos(), neg())


def _index_v2(v: PredictVersion, x: Mapping[str, np.ndarray], er_pos: np.ndarray) -> np.ndarray:
    """Version 2 / 3.0 fractional-polynomial index (Candido dos Reis 2017), by ER status."""
    p, q = "prognostic_index.er_positive", "prognostic_index.er_negative"
    age, size, grade, screen = x["age"], x["size"], x["grade"], x["screen"]
    nodes_term = np.log((x["nodes"] + 1.0) / 10.0)

    def pos() -> np.ndarray:
        a10 = age / 10.0
        inv2 = np.power(a10, -2.0)
        return (
            v.coef(p, "age_1_beta") * (inv2 + v.coef(p, "age_1_offset"))
            + v.coef(p, "age_2_beta") * (inv2 * np.log(a10) + v.coef(p, "age_2_offset"))
            + v.coef(p, "size_beta") * (np.log(size / 100.0) + v.coef(p, "size_offset"))
            + v.coef(p, "nodes_beta") * (nodes_term + v.coef(p, "nodes_offset"))
            + v.coef(p, "grade_beta") * grade
            + v.coef(p, "screen_beta") * screen
        )

    def neg() -> np.ndarray:
        rule = v.logic["er_negative_grade"]
        high = (grade == 2) | (grade == 3) if rule == "exactly_2_or_3" else grade >= 2
        return (
            v.coef(q, "age_beta") * (age + v.coef(q, "age_offset"))
            + v.coef(q, "size_beta") * (np.power(size / 100.0, 0.5) + v.coef(q, "size_offset"))
            + v.coef(q, "nodes_beta") * (nodes_term + v.coef(q, "nodes_offset"))
            + v.coef(q, "grade_beta") * high
            + v.coef(q, "screen_beta") * screen
        )

    return _by_er_lazy(er_pos, pos, neg)


def _index_v3(v: PredictVersion, x: Mapping[str, np.ndarray], er_pos: np.ndarray) -> np.ndarray:
    """Version 3.1 / 3.2 index, A = (age - 24)/100, calendar year fixed (Grootes 2022)."""
    p, q = "prognostic_index.er_positive", "prognostic_index.er_negative"
    size, grade, screen = x["size"], x["grade"], x["screen"]
    A = (x["age"] - v.coef("prognostic_index", "age_origin")) / 100.0
    year = float(v.coef("prognostic_index", "calendar_year"))
    log_nodes = np.log(x["nodes"] + 1.0)

    def pos() -> np.ndarray:
        return (
            v.coef(p, "ag1") / np.sqrt(A)
            + v.coef(p, "ag2") * (A * A)
            + v.coef(p, "sz1") * (1.0 - np.exp(-size / 20.0))
            + v.coef(p, "nd1") * log_nodes
            + v.coef(p, "gr1") * grade
            + v.coef(p, "sc1") * screen
            + v.coef(p, "yr1") * year
        )

    def neg() -> np.ndarray:
        return (
            v.coef(q, "ag1") * A
            + v.coef(q, "ag2") * (A * np.log(A))
            + v.coef(q, "sz1") * np.log(size)
            + v.coef(q, "nd1") * log_nodes
            + v.coef(q, "gr1") * grade
            + v.coef(q, "sc1") * screen
            + v.coef(q, "yr1") * year
        )

    return _by_er_lazy(er_pos, pos, neg)


def prognostic_index_fixed(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Breast-cancer log relative hazard without its HER2 term, [patient] (constant in time)."""
    er_pos = x["er"] == 1
    mk = "prognostic_index.markers"
    index = _index_v2 if v.logic["prognostic_index"] == "v2" else _index_v3
    pi = np.asarray(index(v, x, er_pos), dtype=float)  # freshly computed: summed in place
    if er_pos.any():
        pi += np.where(er_pos, _marker(x["ki67"], v.coef(mk, "ki67_positive_er_positive"),
                                       v.coef(mk, "ki67_negative_er_positive")), 0.0)
    if v.uses_v3_inputs:
        pi += _by_er_lazy(
            er_pos,
            lambda: _marker(x["pr"], v.coef(mk, "pr_positive_er_positive"),
                            v.coef(mk, "pr_negative_er_positive")),
            lambda: _marker(x["pr"], v.coef(mk, "pr_positive_er_negative"),
                            v.coef(mk, "pr_negative_er_negative")),
        )
        pi += _by_er_lazy(
            er_pos, lambda: v.coef("prognostic_index", "radiotherapy_baseline_er_positive"),
            lambda: v.coef("prognostic_index", "radiotherapy_baseline_er_negative"))
    return pi


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


def group_index(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """A patient's row of :func:`her2_table`: ER (1 positive, else negative) by HER2 code."""
    her2 = x["her2"]
    idx = np.where(her2 == 1, 1, np.where(her2 == 0, 0, 2))
    return np.where(x["er"] == 1, idx + 3, idx)


def other_cause_index(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Other-cause log relative hazard mi, [patient], without per-column treatment harms."""
    s = "other_cause_index"
    age = x["age"]
    form = v.logic["other_cause_index"]
    if form in ("v2", "v3.0"):
        a10 = age / 10.0
        mi = v.coef(s, "age_beta") * (a10 * a10 + v.coef(s, "age_offset"))
        if form == "v2":
            return mi
    else:
        A = (age - v.coef("prognostic_index", "age_origin")) / 100.0
        A3 = A * A * A
        year = float(v.coef("prognostic_index", "calendar_year"))
        mi = v.coef(s, "ag1") * A3 + v.coef(s, "ag2") * (A3 * np.log(A)) + v.coef(s, "yr") * year
    smoker = np.where(x["smoker"] == 0, v.coef(s, "non_smoker"), v.coef(s, "current_smoker"))
    return mi + v.coef(s, "radiotherapy_baseline") + smoker


def harms(v: PredictVersion, x: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Other-cause log hazards of chemotherapy and of the mean heart dose, [patient]."""
    s = "other_cause_index"
    if v.logic["treatment_harms"] == "none":
        zero = np.zeros(x["age"].shape[0])
        return zero, zero
    c_oth = np.where(x["generation"] != 0, v.coef(s, "chemotherapy"), 0.0)
    r_oth = v.coef(s, "heart_dose_per_gy") * x["heart_gy"]
    if v.logic["heart_harm_requires_radiotherapy"]:
        r_oth = np.where(x["radio"] == 1, r_oth, 0.0)
    return c_oth, r_oth


def other_cause_lp(
    v: PredictVersion, mi: np.ndarray, harm: tuple[np.ndarray, np.ndarray], key: tuple[bool, bool]
) -> np.ndarray:
    """Other-cause log hazard, [patient], for a column with (radiotherapy, chemotherapy) harms."""
    c_oth, r_oth = harm
    mode = v.logic["treatment_harms"]
    if mode == "none":
        return mi
    if mode == "shared_index":
        return mi + c_oth + r_oth
    if mode == "shared_index_twice":
        return (mi + c_oth + r_oth) + c_oth + r_oth
    lp = mi
    if key[0]:
        lp = lp + r_oth
    if key[1]:
        lp = lp + c_oth
    return lp


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


def treatment_state(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Which of the N_STATES combinations of treatment terms applies, [patient].

    Encodes exactly the choices :func:`treatment_terms` makes: generation (0, 2, else 3),
    endocrine therapy with ER-positive disease, trastuzumab with HER2-positive disease,
    bisphosphonates, radiotherapy."""
    gen = x["generation"]
    state = np.where(gen == 0, 0, np.where(gen == 2, 16, 32))
    state += ((x["horm"] == 1) & (x["er"] == 1)) * 8
    state += ((x["her2"] == 1) & (x["traz"] == 1)) * 4
    state += (x["bis"] == 1) * 2
    state += x["radio"] == 1
    return state


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
