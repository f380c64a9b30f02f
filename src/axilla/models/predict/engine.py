"""The one PREDICT Breast engine: inputs as columns in, cumulative mortality by treatment out.

Every version is this engine plus its data file (``versions/v<id>.toml``). The arithmetic
follows the official R implementation (WintonCentre/predict-v30-r, commit 42223bc), restated in
docs/models/predict.md, including its quirks. Results are indexed [patient, column, year];
inside, time is the first axis so that running sums over years are whole-array additions, and
chunks of patients run on all cores (NumPy releases the GIL in its loops).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.errors import FieldProblem, InputError
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

YEARS = np.arange(1, 16, dtype=float)
N_YEARS = 15
CONDITIONAL_FROM = 5  # conditional survival: alive at 5 years, years 6..15
DEFAULT_CHUNK = 16_384
_SLAB_LOOP_FROM = 256  # patients: below this, one NumPy call over all years is faster


@dataclass(frozen=True)
class PredictOutput:
    """Cumulative mortality by treatment column and year for a batch of patients.

    Arrays are [patient, column, year] for the ``years`` kept. ``all_cause`` is the source's
    m.cum.all = 1 - S_oth * S_br; it equals pred.cum.all (= pred.cum.br + pred.cum.oth) up to
    floating-point rounding (spec sec. 1.3), so overall survival never depends on whether the
    breast/other split was asked for. ``breast`` and ``other`` are pred.cum.br and pred.cum.oth
    (None when computed with ``split=False``). Version-specific extras are None where the
    version does not define them.
    """

    version: PredictVersion
    columns: tuple[str, ...]
    years: tuple[int, ...]
    pi: np.ndarray  # [patient, year]: breast-cancer prognostic index
    mi: np.ndarray  # [patient]: other-cause prognostic index
    all_cause: np.ndarray
    breast: np.ndarray | None = None
    other: np.ndarray | None = None
    conditional_columns: tuple[str, ...] = ()
    conditional_years: tuple[int, ...] = ()
    conditional_all: np.ndarray | None = None  # [patient, column, year 6..15], alive at 5 y
    relapse_or_death: np.ndarray | None = None  # v2.2 DFS: cumulative relapse-or-death risk
    extended_benefit_from_diagnosis: np.ndarray | None = None  # v2.2 h10, delay 0, pp
    extended_benefit_from_year5: np.ndarray | None = None  # v2.2 h10, delay 5, pp, years 6..15
    warnings: Mapping[str, np.ndarray] = field(default_factory=dict)  # message -> rows
    inputs: Mapping[str, np.ndarray] = field(default_factory=dict)  # as coded, before substitution

    @property
    def n(self) -> int:
        return int(self.mi.shape[0])

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def year(self, t: int) -> int:
        return self.years.index(t)

    def overall_survival(self, column: str) -> np.ndarray:
        """Overall survival, percent, [patient, year]."""
        return 100.0 * (1.0 - self.all_cause[:, self.col(column), :])

    def benefit_vs(self, column: str, baseline: str) -> np.ndarray:
        """Cumulative survival benefit of ``column`` over ``baseline``, percentage points."""
        d = self.all_cause
        return 100.0 * (d[:, self.col(baseline), :] - d[:, self.col(column), :])


# ---------------------------------------------------------------------------------------------
# Array helpers. Inside the engine arrays are [year, (column,) patient].


def _difference_in_place(a: np.ndarray) -> np.ndarray:
    """Turn X(1..T) into X(1), X(2) - X(1), ... along the first axis, in place."""
    if a.shape[-1] < _SLAB_LOOP_FROM:
        a[1:] = a[1:] - a[:-1]
        return a
    for t in range(a.shape[0] - 1, 0, -1):
        np.subtract(a[t], a[t - 1], out=a[t])
    return a


def _running_sum_in_place(a: np.ndarray) -> np.ndarray:
    """X(1), X(1) + X(2), ... along the first axis, in place, one whole slab at a time
    (NumPy's cumsum over a leading axis loops element by element and is far slower)."""
    if a.shape[-1] < _SLAB_LOOP_FROM:
        return np.cumsum(a, axis=0, out=a)  # same sums in the same order
    for t in range(1, a.shape[0]):
        np.add(a[t - 1], a[t], out=a[t])
    return a


def _mortality(
    inc_br: np.ndarray, s_oth: np.ndarray, m_oth: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Competing risks (spec sec. 1.3 steps 1, 3-5).

    Breast hazard increments [T, J, n] (overwritten) and other-cause survival [T, 1 or J, n] in;
    all-cause cumulative mortality 1 - S_oth * S_br out, and, when the other-cause annual risk
    ``m_oth`` is given, the split into cumulative breast and other-cause mortality.
    """
    s_br = _running_sum_in_place(inc_br)
    np.negative(s_br, out=s_br)
    np.exp(s_br, out=s_br)
    f_all = np.multiply(s_oth, s_br)
    np.subtract(1.0, f_all, out=f_all)
    if m_oth is None:
        return f_all, None, None
    m_all = _difference_in_place(f_all.copy())
    m_br = np.subtract(1.0, s_br, out=s_br)
    _difference_in_place(m_br)
    pred_br = np.add(m_br, m_oth)
    np.divide(m_br, pred_br, out=pred_br)
    np.multiply(pred_br, m_all, out=pred_br)
    pred_oth = np.subtract(m_all, pred_br, out=m_all)
    _running_sum_in_place(pred_br)
    _running_sum_in_place(pred_oth)
    return f_all, pred_br, pred_oth


def _by_er(er_pos: np.ndarray, pos, neg) -> np.ndarray:
    return np.where(er_pos, pos, neg)


def _marker(code: np.ndarray, positive, negative) -> np.ndarray:
    """Coefficient for a marker coded 1/0; any other code (9 = unknown) contributes 0."""
    return np.where(code == 1, positive, np.where(code == 0, negative, 0.0))


# ---------------------------------------------------------------------------------------------
# Prognostic indices


def _prognostic_index(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Breast-cancer log relative hazard PI(t), [year, patient]."""
    age, size, nodes = x["age"], x["size"], x["nodes"]
    grade, screen, er = x["grade"], x["screen"], x["er"]
    er_pos = er == 1
    mk = "prognostic_index.markers"
    p, q = "prognostic_index.er_positive", "prognostic_index.er_negative"
    if v.logic["prognostic_index"] == "v2":
        a10 = age / 10.0
        inv2 = np.power(a10, -2.0)
        pos = (
            v.coef(p, "age_1_beta") * (inv2 + v.coef(p, "age_1_offset"))
            + v.coef(p, "age_2_beta") * (inv2 * np.log(a10) + v.coef(p, "age_2_offset"))
            + v.coef(p, "size_beta") * (np.log(size / 100.0) + v.coef(p, "size_offset"))
            + v.coef(p, "nodes_beta") * (np.log((nodes + 1.0) / 10.0) + v.coef(p, "nodes_offset"))
            + v.coef(p, "grade_beta") * grade
            + v.coef(p, "screen_beta") * screen
        )
        rule = v.logic["er_negative_grade"]
        high = (grade == 2) | (grade == 3) if rule == "exactly_2_or_3" else grade >= 2
        neg = (
            v.coef(q, "age_beta") * (age + v.coef(q, "age_offset"))
            + 0.0
            + v.coef(q, "size_beta") * (np.power(size / 100.0, 0.5) + v.coef(q, "size_offset"))
            + v.coef(q, "nodes_beta") * (np.log((nodes + 1.0) / 10.0) + v.coef(q, "nodes_offset"))
            + v.coef(q, "grade_beta") * high.astype(float)
            + v.coef(q, "screen_beta") * screen
        )
        her2 = _marker(x["her2"], v.coef(mk, "her2_positive"), v.coef(mk, "her2_negative"))
        pi = (_by_er(er_pos, pos, neg) + her2)[None, :]
    else:
        A = (age - v.coef("prognostic_index", "age_origin")) / 100.0
        year = float(v.coef("prognostic_index", "calendar_year"))
        pos = (
            v.coef(p, "ag1") * np.power(A, -0.5)
            + v.coef(p, "ag2") * (A * A)
            + v.coef(p, "sz1") * (1.0 - np.exp(-size / 20.0))
            + v.coef(p, "nd1") * np.log(nodes + 1.0)
            + v.coef(p, "gr1") * grade
            + v.coef(p, "sc1") * screen
            + v.coef(p, "yr1") * year
        )
        neg = (
            v.coef(q, "ag1") * A
            + v.coef(q, "ag2") * (A * np.log(A))
            + v.coef(q, "sz1") * np.log(size)
            + v.coef(q, "nd1") * np.log(nodes + 1.0)
            + v.coef(q, "gr1") * grade
            + v.coef(q, "sc1") * screen
            + v.coef(q, "yr1") * year
        )
        by_year_pos = np.asarray(v.coef(mk, "her2_positive_er_positive_by_year"), float)[:, None]
        by_year_neg = np.asarray(v.coef(mk, "her2_negative_er_positive_by_year"), float)[:, None]
        her2 = _marker(
            x["her2"][None, :],
            _by_er(er_pos[None, :], by_year_pos, v.coef(mk, "her2_positive_er_negative")),
            _by_er(er_pos[None, :], by_year_neg, v.coef(mk, "her2_negative_er_negative")),
        )
        pi = _by_er(er_pos, pos, neg)[None, :] + her2
    ki67 = np.where(er_pos, _marker(x["ki67"], v.coef(mk, "ki67_positive_er_positive"),
                                    v.coef(mk, "ki67_negative_er_positive")), 0.0)
    pi = pi + ki67[None, :]
    if v.uses_v3_inputs:
        pr = _by_er(
            er_pos,
            _marker(x["pr"], v.coef(mk, "pr_positive_er_positive"),
                    v.coef(mk, "pr_negative_er_positive")),
            _marker(x["pr"], v.coef(mk, "pr_positive_er_negative"),
                    v.coef(mk, "pr_negative_er_negative")),
        )
        r_base = _by_er(er_pos, v.coef("prognostic_index", "radiotherapy_baseline_er_positive"),
                        v.coef("prognostic_index", "radiotherapy_baseline_er_negative"))
        pi = pi + pr[None, :] + r_base[None, :]
    return np.ascontiguousarray(np.broadcast_to(pi, (N_YEARS, age.shape[0])))


def _other_cause_index(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
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
        A3 = np.power(A, 3.0)
        year = float(v.coef("prognostic_index", "calendar_year"))
        mi = v.coef(s, "ag1") * A3 + v.coef(s, "ag2") * (A3 * np.log(A)) + v.coef(s, "yr") * year
    smoker = np.where(x["smoker"] == 0, v.coef(s, "non_smoker"), v.coef(s, "current_smoker"))
    return mi + v.coef(s, "radiotherapy_baseline") + smoker


def _harms(v: PredictVersion, x: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
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


def _treatment_terms(v: PredictVersion, x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
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


def _baselines(v: PredictVersion, er: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Baseline cumulative hazards: breast [year, patient] (by ER) and other causes [year]."""
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
    br = np.where((er == 1)[None, :], pos[:, None], neg[:, None])
    return br, oth


# ---------------------------------------------------------------------------------------------
# One chunk of patients


def _column_term(terms: Mapping[str, np.ndarray], letters: Sequence[str]) -> np.ndarray:
    """Sum of a column's treatment terms, added left to right as the source does."""
    if not letters:
        return np.zeros((1, next(iter(terms.values())).shape[1]))
    acc = terms[letters[0]]
    for letter in letters[1:]:
        acc = acc + terms[letter]
    return acc


def _other_cause_lp(
    v: PredictVersion, mi: np.ndarray, harms: tuple[np.ndarray, np.ndarray], key: tuple[bool, bool]
) -> np.ndarray:
    """Other-cause log hazard, [patient], for a column with (radiotherapy, chemotherapy) harms."""
    c_oth, r_oth = harms
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


def _other_survival(v: PredictVersion, lp: np.ndarray, base: np.ndarray, first: int = 0):
    """Other-cause survival and annual risk [year, patient] from year ``first`` + 1."""
    if v.logic["other_cause_survival"] == "closed_form" and first == 0:
        s = np.exp(-np.exp(lp)[None, :] * base[:, None])
    else:
        inc = np.diff(base, prepend=0.0)[first:, None] * np.exp(lp)[None, :]
        s = np.exp(-_running_sum_in_place(inc))
    return s, _difference_in_place(1.0 - s)


@dataclass
class _Results:
    """Where a chunk writes: arrays [year, column, patient] of the whole batch."""

    keep: np.ndarray
    split: bool
    pi: np.ndarray
    mi: np.ndarray
    all_cause: np.ndarray
    breast: np.ndarray | None
    other: np.ndarray | None
    conditional: np.ndarray | None
    cond_keep: np.ndarray
    cond_columns: tuple[str, ...]
    relapse: np.ndarray | None
    ext0: np.ndarray | None
    ext5: np.ndarray | None


def _segments(v: PredictVersion, letters: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """Runs of years [a, b) (0-based) over which every column's treatment term is constant.

    Treatment effects are proportional hazards that change only where a term is defined by
    year (the extended endocrine term after year 10), so within a run the breast cumulative
    hazard of a column is its treatment factor times the treatment-free cumulative hazard. The
    runs depend on the version and the columns only, never on the patients in a batch, so a
    patient's figures are the same alone or in any cohort.
    """
    by_year = v.logic["extended_endocrine"] in ("unguarded", "guarded")
    if by_year and any("h10" in ls for ls in letters):
        return [(0, 10), (10, N_YEARS)]
    return [(0, N_YEARS)]


def _cumulative_hazard(
    C: np.ndarray, e: np.ndarray, segs: Sequence[tuple[int, int]], rows: np.ndarray, origin: int
) -> np.ndarray:
    """Breast cumulative hazard of one column at year indices ``rows`` (all > origin), summed
    from year index origin + 1 (origin -1: from diagnosis; 4: among women alive at 5 years).

    C is the running sum of the treatment-free hazard increments [year, patient]; e the
    column's treatment factor exp(term) [1 or year, patient].
    """
    H: np.ndarray | None = None
    for a, b in segs:
        lo = max(a - 1, origin)
        active = rows > lo
        if not np.any(active) or lo >= b - 1:
            continue
        hi = np.minimum(rows[active], b - 1)
        factor = e[a if e.shape[0] > 1 else 0]
        part = C[hi] if lo < 0 else C[hi] - C[lo]
        np.multiply(factor, part, out=part)
        if H is None and active.all():
            H = part
        else:
            if H is None:
                H = np.zeros((rows.shape[0], C.shape[1]))
            H[active] += part
    return H if H is not None else np.zeros((rows.shape[0], C.shape[1]))


def _compute_chunk(
    v: PredictVersion, x: Mapping[str, np.ndarray], col_idx: Sequence[int], res: _Results,
    sl: slice,
) -> None:
    keep = res.keep
    pi = _prognostic_index(v, x)
    mi_index = _other_cause_index(v, x)
    harms = _harms(v, x)
    shared = v.logic["treatment_harms"] in ("shared_index", "shared_index_twice")
    res.pi[:, sl] = pi[keep]
    res.mi[sl] = mi_index + harms[0] + harms[1] if shared else mi_index
    terms = _treatment_terms(v, x)
    base_br, base_oth = _baselines(v, x["er"])
    # Treatment-free breast hazard increments dB_br(t) * exp(PI(t)), shared by all columns.
    hazard_pi = _difference_in_place(base_br) * np.exp(pi)
    letters = [v.column_terms[j] for j in col_idx]
    exp_terms = [np.exp(_column_term(terms, ls)) for ls in letters]
    kind = v.logic["output"]
    if kind == "extended_endocrine_benefit":
        m_oth = _other_survival(v, mi_index, base_oth)[1]
        res.ext0[:, sl] = _extended_endocrine(v, terms, hazard_pi, m_oth, 0)
        res.ext5[:, sl] = _extended_endocrine(v, terms, hazard_pi, m_oth, 5)
        res.all_cause[:, :, sl] = np.nan
        return
    segs = _segments(v, letters)
    C = _running_sum_in_place(hazard_pi.copy())
    all_rows = np.arange(N_YEARS)
    rows = all_rows if res.split else all_rows[keep]
    by_column = v.logic["treatment_harms"] == "by_column"
    keys = [("r" in ls and by_column, "c" in ls and by_column) for ls in letters]
    others = {}
    for key in dict.fromkeys(keys):
        lp = _other_cause_lp(v, mi_index, harms, key)
        others[key] = (lp, *_other_survival(v, lp, base_oth))
    cond_mode = v.logic["conditional"]
    cond_cols = res.cond_columns
    k0 = CONDITIONAL_FROM
    cond_rows = np.arange(k0, N_YEARS)[res.cond_keep]
    cond_others: dict[tuple[bool, bool], np.ndarray] = {}
    if kind == "dfs_benefit":
        rel = np.where(YEARS <= 5, v.coef("relapse", "offset_years_1_to_5"),
                       v.coef("relapse", "offset_years_6_to_15"))
        C_rel = _running_sum_in_place(hazard_pi * np.exp(rel)[:, None])

    for j, (e, key) in enumerate(zip(exp_terms, keys, strict=True)):
        lp_oth, s_oth, m_oth = others[key]
        s_br = np.exp(-_cumulative_hazard(C, e, segs, rows, -1))
        f_all = 1.0 - s_oth[rows] * s_br
        if res.split:
            res.all_cause[:, j, sl] = f_all[keep]
            m_all = _difference_in_place(f_all)
            m_br = _difference_in_place(1.0 - s_br)
            pred_br = (m_br / (m_br + m_oth)) * m_all
            pred_oth = m_all - pred_br
            res.breast[:, j, sl] = _running_sum_in_place(pred_br)[keep]
            res.other[:, j, sl] = _running_sum_in_place(pred_oth)[keep]
        else:
            res.all_cause[:, j, sl] = f_all
        if res.conditional is not None and v.columns[col_idx[j]] in cond_cols:
            if key not in cond_others:
                if cond_mode == "unconditional_other_cause":  # Q9: 1 - sum of unconditional
                    cond_others[key] = 1.0 - _running_sum_in_place(m_oth[k0:].copy())
                else:
                    cond_others[key] = _other_survival(v, lp_oth, base_oth, first=k0)[0]
            s_c = cond_others[key]
            h_c = _cumulative_hazard(C, e, segs, cond_rows, k0 - 1)
            f_c = 1.0 - s_c[cond_rows - k0] * np.exp(-h_c)
            res.conditional[:, cond_cols.index(v.columns[col_idx[j]]), sl] = f_c
        if kind == "dfs_benefit":
            s_rel = np.exp(-_cumulative_hazard(C_rel, e, segs, all_rows[keep], -1))
            res.relapse[:, j, sl] = 1.0 - s_oth[keep] * s_rel


def _extended_endocrine(
    v: PredictVersion,
    terms: Mapping[str, np.ndarray],
    hazard_pi: np.ndarray,
    m_oth: np.ndarray,
    delay: int,
) -> np.ndarray:
    """benefits2210: 10 versus 5 years of endocrine therapy, pp, years delay+1..15 (spec 2.6).

    The other-cause part is 1 - running sum of the main run's annual risks (Q9); the extra
    effect applies in the last five rows even without endocrine benefit (Q3)."""
    m = m_oth[delay:]
    s_oth = 1.0 - _running_sum_in_place(m.copy())
    rows = N_YEARS - delay
    h = np.broadcast_to(terms["h"], (N_YEARS, terms["h"].shape[1]))[delay:]
    extra = v.coef("treatment", "extended_endocrine_extra")
    h10 = np.where((np.arange(rows) >= rows - 5)[:, None], h + extra, h)
    rest = terms["c"] + terms["t"] + terms["b"]
    inc = np.stack([hazard_pi[delay:] * np.exp(h + 0.0 + rest),
                    hazard_pi[delay:] * np.exp(h10 + 0.0 + rest)], axis=1)
    d_all = _mortality(inc, s_oth[:, None, :], None)[0]
    return 100.0 * (d_all[:, 0, :] - d_all[:, 1, :])


# ---------------------------------------------------------------------------------------------
# Public entry point


def compute(
    inputs: Mapping[str, object],
    version: str = CURRENT_VERSION,
    *,
    columns: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    validate: bool = True,
    split: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    threads: int | None = None,
) -> PredictOutput:
    """PREDICT Breast for a batch of patients (a single patient is a batch of one).

    ``inputs`` maps input names (age, screen, size, grade, nodes, er, her2, ki67, pr,
    generation, horm, traz, bis, radio, heart_gy, smoker) to arrays of raw codes (missing
    markers as the source codes them: screen 2, grade/her2/ki67/pr 9). A version ignores inputs
    it does not use. ``columns`` restricts the treatment columns computed (default: all of the
    version's), ``years`` the years kept (default 1-15). With ``validate`` (the default) every
    row is checked by :func:`axilla.case.validate_predict_columns` and invalid rows are refused
    with an :class:`InputError`; pass ``validate=False`` only for inputs already validated.
    ``split=False`` skips the breast/other-cause split when only all-cause figures are needed
    (overall survival is identical either way). Chunks of ``chunk_size`` patients run on
    ``threads`` threads (default: all cores).
    """
    v = load_version(version)
    names = predict_input_names(v.uses_v3_inputs)
    warnings: dict[str, np.ndarray] = {}
    if validate:
        checked = validate_predict_columns(inputs, uses_v3_inputs=v.uses_v3_inputs)
        if checked.problems:
            shown = checked.problems[:5]
            raise InputError(
                [FieldProblem(f"row {i}: {p.field}", p.value, p.reason) for i, p in shown]
            )
        x = checked.columns
        warnings = checked.warnings
    else:
        x = {k: np.atleast_1d(np.asarray(inputs[k], dtype=float)) for k in names}
    coded = dict(x)
    missing = v.tables["missing"]
    x = dict(x)
    x["screen"] = np.where(x["screen"] == 2, missing["screen_unknown"], x["screen"])
    x["grade"] = np.where(x["grade"] == 9, missing["grade_unknown"], x["grade"])
    if not v.uses_v3_inputs:
        n0 = x["age"].shape[0]
        x.update({"pr": np.full(n0, 9.0), "heart_gy": np.zeros(n0), "smoker": np.zeros(n0)})

    col_names = tuple(columns) if columns is not None else v.columns
    unknown = [c for c in col_names if c not in v.columns]
    if unknown:
        allowed = ", ".join(v.columns)
        raise InputError([FieldProblem("columns", unknown, f"must be among {allowed}")])
    col_idx = [v.columns.index(c) for c in col_names]
    kept_years = tuple(int(t) for t in (years if years is not None else range(1, 16)))
    if any(t < 1 or t > N_YEARS for t in kept_years):
        raise InputError([FieldProblem("years", kept_years, "must be whole years from 1 to 15")])
    keep = np.isin(np.arange(1, 16), kept_years)
    kept_years = tuple(int(t) for t in np.arange(1, 16)[keep])
    cond_cols = tuple(c for c in col_names if c in v.conditional_columns)
    cond_keep = keep[CONDITIONAL_FROM:]
    cond_years = tuple(int(t) for t in np.arange(CONDITIONAL_FROM + 1, 16)[cond_keep])

    n = x["age"].shape[0]
    J, T = len(col_idx), len(kept_years)
    kind = v.logic["output"]
    res = _Results(
        keep=keep,
        split=split,
        pi=np.empty((T, n)),
        mi=np.empty(n),
        all_cause=np.empty((T, J, n)),
        breast=np.empty((T, J, n)) if split else None,
        other=np.empty((T, J, n)) if split else None,
        conditional=np.empty((len(cond_years), len(cond_cols), n)) if cond_cols else None,
        cond_keep=cond_keep,
        cond_columns=cond_cols,
        relapse=np.empty((T, J, n)) if kind == "dfs_benefit" else None,
        ext0=np.empty((N_YEARS, n)) if kind == "extended_endocrine_benefit" else None,
        ext5=np.empty((N_YEARS - 5, n)) if kind == "extended_endocrine_benefit" else None,
    )

    def run(start: int) -> None:
        sl = slice(start, min(n, start + chunk_size))
        _compute_chunk(v, {k: x[k][sl] for k in x}, col_idx, res, sl)

    chunk_size = max(1, chunk_size)
    starts = range(0, n, chunk_size)
    workers = min(len(starts), threads or os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)

    def patient_first(a: np.ndarray | None) -> np.ndarray | None:
        """[year, (column,) patient] -> a view [patient, (column,) year]."""
        if a is None:
            return None
        return np.moveaxis(a, -1, 0).swapaxes(-1, -2) if a.ndim == 3 else a.T

    return PredictOutput(
        version=v,
        columns=col_names,
        years=kept_years,
        pi=patient_first(res.pi),
        mi=res.mi,
        all_cause=patient_first(res.all_cause),
        breast=patient_first(res.breast),
        other=patient_first(res.other),
        conditional_columns=cond_cols,
        conditional_years=cond_years if cond_cols else (),
        conditional_all=patient_first(res.conditional),
        relapse_or_death=patient_first(res.relapse),
        extended_benefit_from_diagnosis=patient_first(res.ext0),
        extended_benefit_from_year5=patient_first(res.ext5),
        warnings=warnings,
        inputs=coded,
    )
