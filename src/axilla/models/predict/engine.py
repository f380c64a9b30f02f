"""The one PREDICT Breast engine: inputs as columns in, cumulative mortality by treatment out.

Every version is this engine plus its data file (``versions/v<id>.toml``). The arithmetic
follows the official R implementation (WintonCentre/predict-v30-r, commit 42223bc), restated in
docs/models/predict.md, including its quirks; arrays are indexed [patient, column, year].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.errors import FieldProblem, InputError
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

YEARS = np.arange(1, 16, dtype=float)
N_YEARS = 15
CONDITIONAL_FROM = 5  # conditional survival: alive at 5 years, years 6..15
DEFAULT_CHUNK = 16_384


@dataclass(frozen=True)
class PredictOutput:
    """Cumulative mortality by treatment column and year for a batch of patients.

    ``breast`` and ``other`` are pred.cum.br / pred.cum.oth of the source (fractions), shaped
    [patient, column, year] for the ``years`` kept; all-cause mortality is their sum, as in the
    source. Version-specific extras are None where the version does not define them.
    """

    version: PredictVersion
    columns: tuple[str, ...]
    years: tuple[int, ...]
    pi: np.ndarray  # [patient, year]: breast-cancer prognostic index
    mi: np.ndarray  # [patient]: other-cause prognostic index
    breast: np.ndarray
    other: np.ndarray
    conditional_columns: tuple[str, ...] = ()
    conditional_years: tuple[int, ...] = ()
    conditional_all: np.ndarray | None = None  # [patient, column, year 6..15]: pred.cum.all | 5y
    relapse_or_death: np.ndarray | None = None  # v2.2 DFS: cumulative relapse-or-death risk
    extended_benefit_from_diagnosis: np.ndarray | None = None  # v2.2 h10, delay 0, pp
    extended_benefit_from_year5: np.ndarray | None = None  # v2.2 h10, delay 5, pp, years 6..15
    warnings: list[tuple[int, str]] = field(default_factory=list)
    inputs: Mapping[str, np.ndarray] = field(default_factory=dict)  # as coded, before substitution

    @property
    def n(self) -> int:
        return int(self.mi.shape[0])

    @property
    def all_cause(self) -> np.ndarray:
        """pred.cum.all = pred.cum.br + pred.cum.oth (fractions)."""
        return self.breast + self.other

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
# Small array helpers (time on the last axis)


def _increments(x: np.ndarray) -> np.ndarray:
    """X(1), X(2) - X(1), ... along the last axis."""
    out = np.empty_like(x)
    out[..., 0] = x[..., 0]
    np.subtract(x[..., 1:], x[..., :-1], out=out[..., 1:])
    return out


def _split(
    inc_br: np.ndarray, s_oth: np.ndarray, m_oth: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Competing risks (spec sec. 1.3 steps 1, 3-5): breast hazard increments and other-cause
    survival in; cumulative breast and other-cause mortality out."""
    s_br = np.exp(-np.cumsum(inc_br, axis=-1))
    m_br = _increments(1.0 - s_br)
    m_all = _increments(1.0 - s_oth * s_br)
    pred_m_br = (m_br / (m_br + m_oth)) * m_all
    pred_m_oth = m_all - pred_m_br
    return np.cumsum(pred_m_br, axis=-1), np.cumsum(pred_m_oth, axis=-1)


# ---------------------------------------------------------------------------------------------
# Prognostic indices


def _prognostic_index(v: PredictVersion, x: Mapping[str, np.ndarray]) -> np.ndarray:
    """Breast-cancer log relative hazard PI(t), [patient, year]."""
    age, size, nodes = x["age"], x["size"], x["nodes"]
    grade, screen, er = x["grade"], x["screen"], x["er"]
    er_pos = er == 1
    markers = "prognostic_index.markers"
    n = age.shape[0]
    if v.logic["prognostic_index"] == "v2":
        p, q = "prognostic_index.er_positive", "prognostic_index.er_negative"
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
        her2_pos = np.full((n, 1), v.coef(markers, "her2_positive"))
        her2_neg = np.full((n, 1), v.coef(markers, "her2_negative"))
        base = np.where(er_pos, pos, neg)[:, None]
        her2 = np.where((x["her2"] == 1)[:, None], her2_pos,
                        np.where((x["her2"] == 0)[:, None], her2_neg, 0.0))
    else:
        p, q = "prognostic_index.er_positive", "prognostic_index.er_negative"
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
        base = np.where(er_pos, pos, neg)[:, None]
        pos_yes = np.asarray(v.coef(markers, "her2_positive_er_positive_by_year"), dtype=float)
        pos_no = np.asarray(v.coef(markers, "her2_negative_er_positive_by_year"), dtype=float)
        her2_pos = np.where(er_pos[:, None], pos_yes, v.coef(markers, "her2_positive_er_negative"))
        her2_neg = np.where(er_pos[:, None], pos_no, v.coef(markers, "her2_negative_er_negative"))
        her2 = np.where((x["her2"] == 1)[:, None], her2_pos,
                        np.where((x["her2"] == 0)[:, None], her2_neg, 0.0))
    ki67 = np.where(
        er_pos & (x["ki67"] == 1), v.coef(markers, "ki67_positive_er_positive"),
        np.where(er_pos & (x["ki67"] == 0), v.coef(markers, "ki67_negative_er_positive"), 0.0),
    )
    pi = base + her2 + ki67[:, None]
    if v.uses_v3_inputs:
        pr = x["pr"]
        pr_term = np.where(
            er_pos,
            np.where(pr == 1, v.coef(markers, "pr_positive_er_positive"),
                     np.where(pr == 0, v.coef(markers, "pr_negative_er_positive"), 0.0)),
            np.where(pr == 1, v.coef(markers, "pr_positive_er_negative"),
                     np.where(pr == 0, v.coef(markers, "pr_negative_er_negative"), 0.0)),
        )
        r_base = np.where(
            er_pos,
            v.coef("prognostic_index", "radiotherapy_baseline_er_positive"),
            v.coef("prognostic_index", "radiotherapy_baseline_er_negative"),
        )
        pi = pi + pr_term[:, None] + r_base[:, None]
    return np.broadcast_to(pi, (n, N_YEARS)).copy()


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
    """Breast-cancer log hazard ratio of each treatment letter, [patient, year]."""
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
    terms = {"c": c, "h": h, "t": tr, "b": b, "r": r}
    terms = {k: np.broadcast_to(a[:, None], (n, N_YEARS)) for k, a in terms.items()}
    rule = v.logic["extended_endocrine"]
    late = YEARS > 10
    if rule == "unguarded":
        extra = v.coef(t, "extended_endocrine_extra")
        terms["h10"] = np.where(late, h[:, None] + extra, h[:, None])
    elif rule == "guarded":
        extra = v.coef(t, "extended_endocrine_extra")
        terms["h10"] = np.where((h == 0)[:, None], 0.0, np.where(late, h[:, None] + extra,
                                                                  h[:, None]))
    else:  # collapsed (v3.0, Q7) or not defined: 10 years counts as 5
        terms["h10"] = terms["h"]
    return terms


def _baselines(v: PredictVersion, er: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Baseline cumulative hazards: breast [patient, year] (by ER) and other causes [year]."""
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
    br = np.where((er == 1)[:, None], pos, neg)
    return br, oth


# ---------------------------------------------------------------------------------------------
# One chunk of patients


@dataclass
class _Chunk:
    pi: np.ndarray
    mi: np.ndarray
    breast: np.ndarray
    other: np.ndarray
    conditional_all: np.ndarray | None = None
    relapse_or_death: np.ndarray | None = None
    ext0: np.ndarray | None = None
    ext5: np.ndarray | None = None


def _column_lp(terms: Mapping[str, np.ndarray], letters: Sequence[str], pi: np.ndarray):
    if not letters:
        return 0.0 + pi
    acc = terms[letters[0]]
    for letter in letters[1:]:
        acc = acc + terms[letter]
    return acc + pi


def _other_cause_lp(
    v: PredictVersion, mi: np.ndarray, harms: tuple[np.ndarray, np.ndarray], letters: Sequence[str]
) -> np.ndarray:
    """Other-cause log hazard of one column, [patient]."""
    c_oth, r_oth = harms
    mode = v.logic["treatment_harms"]
    if mode == "none":
        return mi
    if mode == "shared_index":
        return mi + c_oth + r_oth
    if mode == "shared_index_twice":
        return (mi + c_oth + r_oth) + c_oth + r_oth
    lp = mi
    if "r" in letters:
        lp = lp + r_oth
    if "c" in letters:
        lp = lp + c_oth
    return lp


def _other_survival(v: PredictVersion, lp: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Other-cause survival [patient, year] for log hazard lp [patient]."""
    if v.logic["other_cause_survival"] == "closed_form":
        return np.exp(-np.exp(lp)[:, None] * base)
    inc = _increments(base)[None, :] * np.exp(lp)[:, None]
    return np.exp(-np.cumsum(inc, axis=-1))


def _compute_chunk(
    v: PredictVersion, x: Mapping[str, np.ndarray], col_idx: Sequence[int], keep: np.ndarray
) -> _Chunk:
    pi = _prognostic_index(v, x)
    mi_index = _other_cause_index(v, x)
    harms = _harms(v, x)
    if v.logic["treatment_harms"] in ("shared_index", "shared_index_twice"):
        mi_reported = mi_index + harms[0] + harms[1]  # 3.0 reports mi with the harms inside
    else:
        mi_reported = mi_index
    terms = _treatment_terms(v, x)
    base_br, base_oth = _baselines(v, x["er"])
    dbase_br = _increments(base_br)
    n = pi.shape[0]

    letters = [v.column_terms[j] for j in col_idx]
    lp_br = np.stack([_column_lp(terms, ls, pi) for ls in letters], axis=1)  # [n, J, T]

    # Other-cause survival: one per distinct other-cause log hazard (at most four combinations).
    oth_keys = [
        ("r" in ls and v.logic["treatment_harms"] == "by_column",
         "c" in ls and v.logic["treatment_harms"] == "by_column")
        for ls in letters
    ]
    s_oth_by_key: dict[tuple[bool, bool], np.ndarray] = {}
    lp_oth_by_key: dict[tuple[bool, bool], np.ndarray] = {}
    for key, ls in zip(oth_keys, letters, strict=True):
        if key not in s_oth_by_key:
            lp_oth_by_key[key] = _other_cause_lp(v, mi_index, harms, ls)
            s_oth_by_key[key] = _other_survival(v, lp_oth_by_key[key], base_oth)
    s_oth = np.stack([s_oth_by_key[k] for k in oth_keys], axis=1)  # [n, J, T]
    m_oth = _increments(1.0 - s_oth)

    inc_br = dbase_br[:, None, :] * np.exp(lp_br)
    out = _Chunk(pi=pi[:, keep], mi=mi_reported, breast=None, other=None)  # type: ignore[arg-type]
    if v.logic["output"] != "extended_endocrine_benefit":
        breast, other = _split(inc_br, s_oth, m_oth)
        out.breast, out.other = breast[..., keep], other[..., keep]

    if v.logic["output"] == "dfs_benefit":
        rel = np.where(YEARS <= 5, v.coef("relapse", "offset_years_1_to_5"),
                       v.coef("relapse", "offset_years_6_to_15"))
        inc_rel = (dbase_br * np.exp(rel))[:, None, :] * np.exp(lp_br)
        d_br, d_oth = _split(inc_rel, s_oth, m_oth)
        out.relapse_or_death = (d_br + d_oth)[..., keep]

    mode = v.logic["conditional"]
    if mode != "none":
        k = CONDITIONAL_FROM
        cond_cols = [i for i, j in enumerate(col_idx) if v.columns[j] in v.conditional_columns]
        inc_c = inc_br[:, cond_cols, k:]
        if mode == "unconditional_other_cause":  # Q9: 1 - running sum of unconditional risks
            m_c = m_oth[:, cond_cols, k:]
            s_c = 1.0 - np.cumsum(m_c, axis=-1)
        else:
            keys = [oth_keys[i] for i in cond_cols]
            inc_oth = np.stack(
                [_increments(base_oth)[None, k:] * np.exp(lp_oth_by_key[kk])[:, None]
                 for kk in keys], axis=1)
            s_c = np.exp(-np.cumsum(inc_oth, axis=-1))
            m_c = _increments(1.0 - s_c)
        d_br, d_oth = _split(inc_c, s_c, m_c)
        out.conditional_all = d_br + d_oth

    if v.logic["output"] == "extended_endocrine_benefit":
        out.ext0, out.ext5 = (
            _extended_endocrine(v, terms, pi, dbase_br, m_oth[:, 0, :], delay) for delay in (0, 5)
        )
        out.breast = np.zeros((n, len(col_idx), keep.sum()))
        out.other = np.zeros((n, len(col_idx), keep.sum()))
    return out


def _extended_endocrine(
    v: PredictVersion,
    terms: Mapping[str, np.ndarray],
    pi: np.ndarray,
    dbase_br: np.ndarray,
    m_oth: np.ndarray,
    delay: int,
) -> np.ndarray:
    """benefits2210: 10 versus 5 years of endocrine therapy, pp, years delay+1..15 (spec 2.6)."""
    m = m_oth[:, delay:]
    s_oth = 1.0 - np.cumsum(m, axis=-1)
    rows = N_YEARS - delay
    h = terms["h"][:, delay:]
    extra = v.coef("treatment", "extended_endocrine_extra")
    h10 = np.where(np.arange(rows) >= rows - 5, h + extra, h)
    rest = terms["c"][:, delay:], terms["t"][:, delay:], terms["b"][:, delay:]
    p = pi[:, delay:]
    lp5 = p + h + 0.0 + rest[0] + rest[1] + rest[2]
    lp10 = p + h10 + 0.0 + rest[0] + rest[1] + rest[2]
    inc = dbase_br[:, None, delay:] * np.exp(np.stack([lp5, lp10], axis=1))
    d_br, d_oth = _split(inc, np.stack([s_oth, s_oth], axis=1), np.stack([m, m], axis=1))
    d_all = d_br + d_oth
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
    chunk_size: int = DEFAULT_CHUNK,
) -> PredictOutput:
    """PREDICT Breast for a batch of patients (a single patient is a batch of one).

    ``inputs`` maps input names (age, screen, size, grade, nodes, er, her2, ki67, pr,
    generation, horm, traz, bis, radio, heart_gy, smoker) to arrays of raw codes (missing
    markers as the source codes them: screen 2, grade/her2/ki67/pr 9). A version ignores inputs
    it does not use. ``columns`` restricts the treatment columns computed (default: all of the
    version's), ``years`` the years kept (default 1-15). With ``validate`` (the default) every
    row is checked by :func:`axilla.case.validate_predict_columns` and invalid rows are refused
    with an :class:`InputError`; pass ``validate=False`` only for inputs already validated.
    """
    v = load_version(version)
    names = predict_input_names(v.uses_v3_inputs)
    warnings: list[tuple[int, str]] = []
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
    pi = np.empty((n, T))
    mi = np.empty(n)
    breast = np.empty((n, J, T))
    other = np.empty((n, J, T))
    cond = np.empty((n, len(cond_cols), len(cond_years))) if cond_cols else None
    rel = np.empty((n, J, T)) if v.logic["output"] == "dfs_benefit" else None
    ext = v.logic["output"] == "extended_endocrine_benefit"
    ext0 = np.empty((n, N_YEARS)) if ext else None
    ext5 = np.empty((n, N_YEARS - 5)) if ext else None
    for start in range(0, n, max(1, chunk_size)):
        sl = slice(start, min(n, start + chunk_size))
        part = _compute_chunk(v, {k: x[k][sl] for k in x}, col_idx, keep)
        pi[sl], mi[sl], breast[sl], other[sl] = part.pi, part.mi, part.breast, part.other
        if cond is not None:
            cond[sl] = part.conditional_all[..., cond_keep]  # type: ignore[index]
        if rel is not None:
            rel[sl] = part.relapse_or_death
        if ext:
            ext0[sl], ext5[sl] = part.ext0, part.ext5  # type: ignore[index]
    return PredictOutput(
        version=v,
        columns=col_names,
        years=kept_years,
        pi=pi,
        mi=mi,
        breast=breast,
        other=other,
        conditional_columns=cond_cols,
        conditional_years=cond_years if cond_cols else (),
        conditional_all=cond,
        relapse_or_death=rel,
        extended_benefit_from_diagnosis=ext0,
        extended_benefit_from_year5=ext5,
        warnings=warnings,
        inputs=coded,
    )
