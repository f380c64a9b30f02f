"""PREDICT Breast covariates: what each patient contributes beyond the constant tables.

The breast-cancer index without its HER2 term, the other-cause index and treatment harms, and
the integer codes (treatment state, HER2 group) that pick a patient's column of the tables in
:mod:`axilla.models.predict.equations`. Each follows the official R implementation
(WintonCentre/predict-v30-r, commit 42223bc), restated in docs/models/predict.md and the spec
(secs. 2.1-2.2, 3.1-3.2, 4.2-4.4), with a version's coefficients read by name once
(:class:`Coefficients`). Each ER group's index is one expression, its terms added in the
source's order, computed for that group's patients (in a mixed batch the larger group's
formula runs over all and the smaller group's over its own patients); categorical terms are
looked up in small tables by an integer code. So a patient's figures are the same bit for bit
alone or in any batch, with few NumPy calls for one patient and few passes for a chunk.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from axilla.models.predict.versions import PredictVersion

#: HER2 codes in the order of the group index (any other code contributes 0, like unknown).
HER2_CODES = (0.0, 1.0, 9.0)
#: Chemotherapy generation codes in the order of the treatment state (code 1 counts as 3, Q14).
GENERATION_CODES = (0.0, 2.0, 3.0)
N_GROUPS = 2 * len(HER2_CODES)
N_STATES = len(GENERATION_CODES) * 16

_U8 = np.uint8


def _k(value: float) -> np.ndarray:
    """A constant as a 0-d array: NumPy broadcasts it as it does a Python float, at less cost
    a call (what one patient pays for) and no more a patient."""
    return np.array(value, dtype=float)


_ZERO, _ONE, _TWO, _TEN, _HUNDRED, _MINUS_20 = (_k(c) for c in (0, 1, 2, 10, 100, -20))
_THREE = np.array(3, dtype=_U8)
_N_GROUPS = np.array(N_GROUPS, dtype=np.intp)
K = np.ndarray  # a constant of :func:`_k`
Col = np.ndarray  # an input or derived column, [patient]


@dataclass(frozen=True, eq=False)
class Coefficients:
    """The coefficients of one version's covariates, looked up once by name."""

    index: str  # logic.prognostic_index: "v2" (fractional polynomial) or "v3"
    grade_2_or_3: bool  # v2 ER-negative grade indicator: exactly 2 or 3, else >= 2 (Q2)
    pos: tuple[K, ...]  # ER-positive index coefficients in the order of the sum
    neg: tuple[K, ...]  # ER-negative likewise
    age_origin: K  # v3: A = (age - age_origin) / 100
    year_pos: K  # v3: the calendar-year terms, year fixed (Q12): ER-positive
    year_neg: K  # ER-negative
    ki67: np.ndarray  # [3 x ER + marker code]: ER-positive disease only
    pr: np.ndarray | None  # [3 x ER + marker code]; None: the version reads no PR
    radio_base: np.ndarray | None  # [ER]: breast radiotherapy offset (3.x)
    other: str  # logic.other_cause_index: "v2", "v3.0" or "v3.1"
    other_age: tuple[K, ...]  # other-cause age coefficients in the order of the sum
    other_year: K  # v3.1: other-cause calendar-year term
    other_base: K | None  # other-cause radiotherapy offset (3.x)
    smoker: np.ndarray  # [smoker code != 0]: non-smoker, current smoker (Q15)
    harms: str  # logic.treatment_harms
    chemotherapy_harm: K
    heart_harm_per_gy: K
    heart_harm_requires_radiotherapy: bool


@functools.lru_cache(maxsize=64)
def coefficients(v: PredictVersion) -> Coefficients:
    """The covariate coefficients of a version (cached; a version object is its own key)."""
    p, q, mk = "prognostic_index.er_positive", "prognostic_index.er_negative", \
        "prognostic_index.markers"
    s, pi = "other_cause_index", "prognostic_index"
    v3 = v.logic["prognostic_index"] == "v3"
    names = ("ag1", "ag2", "sz1", "nd1", "gr1", "sc1") if v3 else ()
    pos = names or ("age_1_beta", "age_1_offset", "age_2_beta", "age_2_offset", "size_beta",
                    "size_offset", "nodes_beta", "nodes_offset", "grade_beta", "screen_beta")
    neg = names or ("age_beta", "age_offset", "size_beta", "size_offset", "nodes_beta",
                    "nodes_offset", "grade_beta", "screen_beta")
    year = float(v.coef(pi, "calendar_year")) if v3 else 0.0

    def marker_table(er_neg: tuple[str, str] | None, er_pos: tuple[str, str]) -> np.ndarray:
        """[3 x ER + code]: the (negative, positive) coefficients by ER; unknown 0."""
        by_er = [(0.0, 0.0) if n is None else (v.coef(mk, n[0]), v.coef(mk, n[1]))
                 for n in (er_neg, er_pos)]
        return np.array([(neg_, pos_, 0.0) for neg_, pos_ in by_er], dtype=float).ravel()

    v3_inputs, other = v.uses_v3_inputs, v.logic["other_cause_index"]
    harms = v.logic["treatment_harms"]
    return Coefficients(
        index=v.logic["prognostic_index"],
        grade_2_or_3=v.logic["er_negative_grade"] == "exactly_2_or_3",
        pos=tuple(_k(v.coef(p, n)) for n in pos), neg=tuple(_k(v.coef(q, n)) for n in neg),
        age_origin=_k(v.coef(pi, "age_origin") if v3 else 0.0),
        year_pos=_k(v.coef(p, "yr1") * year if v3 else 0.0),
        year_neg=_k(v.coef(q, "yr1") * year if v3 else 0.0),
        ki67=marker_table(None, ("ki67_negative_er_positive", "ki67_positive_er_positive")),
        pr=marker_table(("pr_negative_er_negative", "pr_positive_er_negative"),
                        ("pr_negative_er_positive", "pr_positive_er_positive"))
        if v3_inputs else None,
        radio_base=np.array([v.coef(pi, "radiotherapy_baseline_er_negative"),
                             v.coef(pi, "radiotherapy_baseline_er_positive")])
        if v3_inputs else None,
        other=other,
        other_age=tuple(_k(v.coef(s, n)) for n in (
            ("age_beta", "age_offset") if other != "v3.1" else ("ag1", "ag2"))),
        other_year=_k(v.coef(s, "yr") * year if other == "v3.1" else 0.0),
        other_base=_k(v.coef(s, "radiotherapy_baseline")) if v3_inputs else None,
        smoker=np.array([v.coef(s, "non_smoker"), v.coef(s, "current_smoker")])
        if v3_inputs else np.zeros(2),
        harms=harms,
        chemotherapy_harm=_k(v.coef(s, "chemotherapy") if harms != "none" else 0.0),
        heart_harm_per_gy=_k(v.coef(s, "heart_dose_per_gy") if harms != "none" else 0.0),
        heart_harm_requires_radiotherapy=bool(v.logic["heart_harm_requires_radiotherapy"]),
    )


def marker_code(code: np.ndarray) -> np.ndarray:
    """A marker's look-up code, [patient] uint8: 0 coded 0, 1 coded 1, 2 any other code (9 =
    unknown), whose term is 0."""
    m = (code != _ZERO).view(_U8)
    return m + m - (code == _ONE).view(_U8)


# Each ER group's index: the terms as the source adds them, left to right (spec 2.1, 4.2).

def _v2_positive(c: Coefficients, age: Col, size: Col, nodes_term: Col, grade: Col, screen: Col
                 ) -> np.ndarray:
    """ER-positive 2.x / 3.0 index (Candido dos Reis 2017)."""
    b1, o1, b2, o2, bs, os_, bn, on, bg, bsc = c.pos
    a10 = age / _TEN
    inv2 = np.power(a10, -2.0)
    return (b1 * (inv2 + o1) + b2 * (inv2 * np.log(a10) + o2) + bs * (np.log(size / _HUNDRED) + os_)
            + bn * (nodes_term + on) + bg * grade + bsc * screen)


def _v2_negative(c: Coefficients, age: Col, size: Col, nodes_term: Col, grade: Col, screen: Col
                 ) -> np.ndarray:
    """ER-negative 2.x / 3.0 index; grade enters as an indicator of high grade (Q2)."""
    ba, oa, bs, os_, bn, on, bg, bsc = c.neg
    high = (grade == 2) | (grade == 3) if c.grade_2_or_3 else grade >= 2
    return (ba * (age + oa) + bs * (np.power(size / _HUNDRED, 0.5) + os_)
            + bn * (nodes_term + on) + bg * high + bsc * screen)


def _v3_positive(c: Coefficients, A: Col, size: Col, log_nodes: Col, grade: Col, screen: Col
                 ) -> np.ndarray:
    """ER-positive 3.1 / 3.2 index, A = (age - 24)/100 (Grootes 2022)."""
    ag1, ag2, sz1, nd1, gr1, sc1 = c.pos
    return (ag1 / np.sqrt(A) + ag2 * (A * A) + sz1 * (_ONE - np.exp(size / _MINUS_20))
            + nd1 * log_nodes + gr1 * grade + sc1 * screen + c.year_pos)


def _v3_negative(c: Coefficients, A: Col, size: Col, log_nodes: Col, grade: Col, screen: Col
                 ) -> np.ndarray:
    """ER-negative 3.1 / 3.2 index; A ln A as a product of the two factors."""
    ag1, ag2, sz1, nd1, gr1, sc1 = c.neg
    return (ag1 * A + ag2 * (A * np.log(A)) + sz1 * np.log(size)
            + nd1 * log_nodes + gr1 * grade + sc1 * screen + c.year_neg)


def _index_inputs(c: Coefficients, x: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """(age or A, size, nodes term, grade, screen) as the index formulas read them."""
    age, size, nodes, grade, screen = (x[n] for n in ("age", "size", "nodes", "grade", "screen"))
    if c.index == "v2":
        return age, size, np.log((nodes + _ONE) / _TEN), grade, screen
    return (age - c.age_origin) / _HUNDRED, size, np.log(nodes + _ONE), grade, screen


def _index(c: Coefficients, x: Mapping[str, np.ndarray], er_pos: np.ndarray, n_pos: int
           ) -> np.ndarray:
    """The index without markers by ER status. A batch of both: the larger group's formula
    for every patient, then the smaller group's on its own patients only, over it (gathering
    the larger group's inputs would cost more than the arithmetic it saves)."""
    pos: Callable[..., np.ndarray] = _v2_positive if c.index == "v2" else _v3_positive
    neg: Callable[..., np.ndarray] = _v2_negative if c.index == "v2" else _v3_negative
    n = er_pos.shape[0]
    inputs = _index_inputs(c, x)
    if n_pos in (0, n):
        return (pos if n_pos else neg)(c, *inputs)
    larger, smaller, who = (pos, neg, ~er_pos) if 2 * n_pos >= n else (neg, pos, er_pos)
    pi = larger(c, *inputs)
    at = np.flatnonzero(who)
    pi[at] = smaller(c, *(a.take(at) for a in inputs))
    return pi


def prognostic_index_fixed(v: PredictVersion, x: Mapping[str, np.ndarray],
                           er_pos: np.ndarray | None = None) -> np.ndarray:
    """Breast-cancer log relative hazard without its HER2 term, [patient] (constant in time):
    the index, then Ki-67 (ER-positive only), PR and the radiotherapy offset (3.x), added in
    that order (spec secs. 2.1, 3.1, 4.2). ``er_pos``: :func:`er_positive` of ``x``, if
    already found."""
    c = coefficients(v)
    if er_pos is None:
        er_pos = er_positive(x)
    n_pos = int(np.count_nonzero(er_pos))
    pi = _index(c, x, er_pos, n_pos)
    er3 = er_pos.view(_U8) * _THREE if n_pos else None
    if er3 is not None:  # Ki-67: ER-positive disease only
        pi = pi + c.ki67.take(marker_code(x["ki67"]) + er3)
    if c.pr is not None and c.radio_base is not None:
        pr = marker_code(x["pr"])
        pi = pi + c.pr.take(pr if er3 is None else pr + er3)
        if n_pos == 0 or c.radio_base[0] == c.radio_base[1]:  # one offset for every patient
            return pi + c.radio_base[0, ...]
        pi = pi + c.radio_base.take(er_pos.view(_U8))
    return pi


def er_positive(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Which patients have ER-positive disease (ER coded 1), [patient] bool."""
    return x["er"] == _ONE


def state_and_group(x: Mapping[str, np.ndarray], er_pos: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`treatment_state` (uint8) and :func:`group_index` of patients whose
    :func:`er_positive` is ``er_pos``, from that one ER test."""
    return _state_code(x, er_pos), _group_code(x, er_pos).astype(np.intp)


def group_index(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """A patient's row of :func:`her2_table`: ER (1 positive, else negative) by HER2 code."""
    return _group_code(x, x["er"] == _ONE).astype(np.intp)


def _group_code(x: Mapping[str, np.ndarray], er_pos: np.ndarray) -> np.ndarray:
    return marker_code(x["her2"]) + er_pos.view(_U8) * _THREE  # HER2_CODES order, by ER


def other_cause_index(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Other-cause log relative hazard mi, [patient], without per-column treatment harms:
    age terms, then (3.x) the radiotherapy offset and smoking, in that order (spec 2.2, 3.2,
    4.4)."""
    c = coefficients(v)
    age = x["age"]
    if c.other == "v3.1":
        ag1, ag2 = c.other_age
        A = (age - c.age_origin) / _HUNDRED
        A3 = A * A * A
        mi = ag1 * A3 + ag2 * (A3 * np.log(A)) + c.other_year
    else:
        beta, offset = c.other_age
        a10 = age / _TEN
        mi = beta * (a10 * a10 + offset)
    if c.other_base is None:
        return mi
    return mi + c.other_base + c.smoker.take((x["smoker"] != _ZERO).view(_U8))  # Q15


def harms(v: PredictVersion, x: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Other-cause log hazards of chemotherapy and of the mean heart dose, [patient]: ln 1.2
    for any generation code but 0; per Gy, with radiotherapy only in 3.0 (3.x: Q10)."""
    c = coefficients(v)
    if c.harms == "none":
        zero = np.zeros(x["age"].shape[0])
        return zero, zero
    c_oth = (x["generation"] != _ZERO) * c.chemotherapy_harm
    r_oth = c.heart_harm_per_gy * x["heart_gy"]
    if c.heart_harm_requires_radiotherapy:
        radio = x["radio"] == _ONE
        if np.isfinite(r_oth).all():  # x 1 or x 0 is exact: no choice by patient needed
            return c_oth, r_oth * radio
        return c_oth, np.where(radio, r_oth, _ZERO)
    return c_oth, r_oth


def other_cause_lps(
    v: PredictVersion, mi: np.ndarray, harm: tuple[np.ndarray, np.ndarray],
    keys: Sequence[tuple[bool, bool]],
) -> np.ndarray:
    """Other-cause log hazard, [key, patient], for columns with (radiotherapy, chemotherapy)
    harms ``keys``: none (2.x), both in the shared index (3.0; twice in 3.0_only, Q8), or
    those of the column (3.1, 3.2)."""
    c_oth, r_oth = harm
    mode = coefficients(v).harms
    lp = np.empty((len(keys), mi.shape[0]))
    for row, (radiotherapy, chemotherapy) in enumerate(keys):
        if mode in ("shared_index", "shared_index_twice"):
            lp[row] = mi + c_oth + r_oth
            if mode == "shared_index_twice":
                lp[row] = lp[row] + c_oth + r_oth
        elif mode == "by_column" and (radiotherapy or chemotherapy):
            lp[row] = mi + r_oth + c_oth if radiotherapy and chemotherapy else \
                mi + (r_oth if radiotherapy else c_oth)
        else:
            lp[row] = mi
    return lp


def other_cause_lp(
    v: PredictVersion, mi: np.ndarray, harm: tuple[np.ndarray, np.ndarray], key: tuple[bool, bool]
) -> np.ndarray:
    """Other-cause log hazard, [patient], for a column with (radiotherapy, chemotherapy) harms."""
    return other_cause_lps(v, mi, harm, (key,))[0]


def treatment_state(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Which of the N_STATES combinations of treatment terms applies, [patient].

    Encodes exactly the choices :func:`treatment_terms` makes: generation (0, 2, else 3),
    endocrine therapy with ER-positive disease, trastuzumab with HER2-positive disease,
    bisphosphonates, radiotherapy."""
    return _state_code(x, x["er"] == _ONE).astype(np.intp)


def _state_code(x: Mapping[str, np.ndarray], er_pos: np.ndarray) -> np.ndarray:
    """:func:`treatment_state` as uint8, bit by bit: 16 x generation code + 8 x endocrine +
    4 x trastuzumab + 2 x bisphosphonates + radiotherapy."""
    gen = x["generation"]
    state = (gen != _ZERO).view(_U8)
    state = state + state - (gen == _TWO).view(_U8)  # generation: 0, 1 (second), 2 (else, Q14)
    for on in ((x["horm"] == _ONE) & er_pos, (x["traz"] == _ONE) & (x["her2"] == _ONE),
               x["bis"] == _ONE, x["radio"] == _ONE):
        state = (state + state) | on.view(_U8)
    return state


def state_group_index(x: Mapping[str, np.ndarray]) -> np.ndarray:
    """treatment_state x N_GROUPS + group_index, [patient] (intp): a column of the tables that
    are kept by treatment state and group."""
    er_pos = x["er"] == _ONE
    return _state_code(x, er_pos).astype(np.intp) * _N_GROUPS + _group_code(x, er_pos)
