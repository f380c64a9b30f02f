"""The PREDICT Breast kernel: one chunk of patients, every treatment column at once.

Arrays are [year, column, patient]. Treatment effects are proportional hazards, so a column's
breast-cancer cumulative hazard is its treatment factor times the treatment-free cumulative
hazard, piecewise over the runs of years where the factor is constant (spec sec. 1.3). The
treatment-free hazard is exp(PI) times a small constant table (baseline increments by ER,
times the HER2 term by year), and the factors take one value per treatment state, so per
patient only the covariates, exp(PI), the other-cause factors and one exp per column and
year remain. Source: WintonCentre/predict-v30-r, commit 42223bc; docs/models/predict.md.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from axilla.models.predict import equations as eq
from axilla.models.predict.versions import PredictVersion, load_version

CONDITIONAL_FROM = 5  # conditional survival: alive at 5 years, years 6..15
_SLAB_LOOP_FROM = 256  # patients: below this, one NumPy call over all years is faster


def difference_in_place(a: np.ndarray) -> np.ndarray:
    """Turn X(1..T) into X(1), X(2) - X(1), ... along the first axis, in place."""
    if a.shape[-1] < _SLAB_LOOP_FROM:
        a[1:] = a[1:] - a[:-1]
        return a
    for t in range(a.shape[0] - 1, 0, -1):
        np.subtract(a[t], a[t - 1], out=a[t])
    return a


def running_sum_in_place(a: np.ndarray) -> np.ndarray:
    """X(1), X(1) + X(2), ... along the first axis, in place, one whole slab at a time
    (NumPy's cumsum over a leading axis loops element by element and is far slower)."""
    if a.shape[-1] < _SLAB_LOOP_FROM:
        return np.cumsum(a, axis=0, out=a)  # same sums in the same order
    for t in range(1, a.shape[0]):
        np.add(a[t - 1], a[t], out=a[t])
    return a


@dataclass(frozen=True, eq=False)
class Plan:
    """The constant tables of one version for a tuple of treatment columns (built once)."""

    version: PredictVersion
    columns: tuple[str, ...]
    letters: tuple[tuple[str, ...], ...]
    segments: tuple[tuple[int, int], ...]  # runs of year indices [a, b) with constant factors
    factors: np.ndarray  # [segment * column, state]: exp(the column's treatment term)
    her2: np.ndarray  # [group, year]: HER2 term of the breast-cancer index
    increments: np.ndarray  # [group, year]: baseline breast hazard increment * exp(HER2 term)
    cumulative: np.ndarray  # [group, year]: their running sum (treatment-free, before exp(PI))
    other_base: np.ndarray  # [year]: other-cause cumulative baseline as the version sums it
    other_base_from5: np.ndarray  # [year 6..15]: the same summed from year 6
    keys: tuple[tuple[bool, bool], ...]  # distinct other-cause harms (radiotherapy, chemo)
    key_of_column: np.ndarray  # [column] -> index into keys
    key_runs: tuple[tuple[int, int, int], ...]  # (key, first column, end) of runs of columns
    _differences: dict = field(default_factory=dict)

    def differences(self, table: str, rows: tuple[int, ...], origin: int) -> np.ndarray:
        """[segment, row, group]: minus the table's increase over each segment up to each row,
        counted from year index origin + 1 (origin -1: from diagnosis)."""
        key = (table, rows, origin)
        found = self._differences.get(key)
        if found is None:
            C = getattr(self, table) if table != "relapse" else _relapse_cumulative(self)
            found = np.zeros((len(self.segments), len(rows), C.shape[0]))
            for s, (a, b) in enumerate(self.segments):
                lo = max(a - 1, origin)
                for r, row in enumerate(rows):
                    if row <= lo or lo >= b - 1:
                        continue
                    hi = min(row, b - 1)
                    found[s, r] = (C[:, lo] if lo >= 0 else 0.0) - C[:, hi]
            self._differences[key] = found
        return found


def _relapse_cumulative(plan: Plan) -> np.ndarray:
    """v2.2 DFS: the treatment-free relapse-or-death hazard, running sum [group, year]."""
    v = plan.version
    rel = np.where(eq.YEARS <= 5, v.coef("relapse", "offset_years_1_to_5"),
                   v.coef("relapse", "offset_years_6_to_15"))
    return np.cumsum(plan.increments * np.exp(rel)[None, :], axis=1)


def _segments(v: PredictVersion, letters: Sequence[Sequence[str]]) -> tuple[tuple[int, int], ...]:
    """Runs of years over which every column's treatment term is constant: they change only
    where a term is defined by year (extended endocrine therapy after year 10). The runs depend
    on the version and columns only, so a patient's figures are the same alone or in a cohort."""
    by_year = v.logic["extended_endocrine"] in ("unguarded", "guarded")
    if by_year and any("h10" in ls for ls in letters):
        return ((0, 10), (10, eq.N_YEARS))
    return ((0, eq.N_YEARS),)


def _runs(items: Sequence) -> list[tuple[int, object, list]]:
    """(start, item, [items]) for each run of equal consecutive items."""
    found: list[tuple[int, object, list]] = []
    for i, item in enumerate(items):
        if found and found[-1][1] == item:
            found[-1][2].append(item)
        else:
            found.append((i, item, [item]))
    return found


@functools.lru_cache(maxsize=64)
def plan_for(version: str | PredictVersion, columns: tuple[str, ...]) -> Plan:
    """The tables for these columns of this version (cached; a version object is its own key)."""
    v = version if isinstance(version, PredictVersion) else load_version(version)
    letters = tuple(v.column_terms[v.columns.index(c)] for c in columns)
    segments = _segments(v, letters)
    terms = eq.treatment_terms(v, eq.state_inputs())
    factors = np.empty((len(segments), len(columns), eq.N_STATES))
    for j, ls in enumerate(letters):
        by_year = np.broadcast_to(np.exp(eq.column_term(terms, ls)), (eq.N_YEARS, eq.N_STATES))
        for s, (a, _) in enumerate(segments):
            factors[s, j] = by_year[a]
    her2 = eq.her2_table(v)
    base_br, base_oth = eq.baselines(v)
    d_br = np.diff(base_br, axis=1, prepend=0.0)
    increments = d_br[np.arange(eq.N_GROUPS) // 3] * np.exp(her2)
    d_oth = np.diff(base_oth, prepend=0.0)
    closed = v.logic["other_cause_survival"] == "closed_form"
    by_column = v.logic["treatment_harms"] == "by_column"
    col_keys = [("r" in ls and by_column, "c" in ls and by_column) for ls in letters]
    keys = tuple(dict.fromkeys(col_keys))
    return Plan(
        version=v, columns=columns, letters=letters, segments=segments,
        factors=factors.reshape(len(segments) * len(columns), eq.N_STATES),
        her2=her2, increments=increments, cumulative=np.cumsum(increments, axis=1),
        other_base=base_oth if closed else np.cumsum(d_oth),
        other_base_from5=np.cumsum(d_oth[CONDITIONAL_FROM:]),
        keys=keys, key_of_column=np.array([keys.index(k) for k in col_keys], dtype=np.intp),
        key_runs=tuple((keys.index(key), a, a + len(list(run)))
                       for a, key, run in _runs(col_keys)),
    )


@dataclass
class Patients:
    """What a chunk of patients contributes beyond the constant tables."""

    pi_fixed: np.ndarray  # [patient]: breast-cancer index without its HER2 term
    group: np.ndarray  # [patient]: row of the HER2 and baseline tables
    scale: np.ndarray  # [patient]: exp(pi_fixed)
    factors: np.ndarray  # [column (+ varying column by later segment), patient]
    mi: np.ndarray  # [patient]: other-cause index without harms
    harm: tuple[np.ndarray, np.ndarray]
    other_scale: np.ndarray  # [key, patient]: exp(other-cause log hazard) by harm key


def patients(plan: Plan, x: Mapping[str, np.ndarray]) -> Patients:
    """What a chunk of patients contributes, by the version's equations."""
    v = plan.version
    er_pos = eq.er_positive(x)
    pi_fixed = eq.prognostic_index_fixed(v, x, er_pos)
    mi = eq.other_cause_index(v, x)
    harm = eq.harms(v, x)
    lp = eq.other_cause_lps(v, mi, harm, plan.keys)
    state, group = eq.state_and_group(x, er_pos)
    return Patients(
        pi_fixed=pi_fixed, group=group, scale=np.exp(pi_fixed),
        factors=plan.factors[:, state], mi=mi, harm=harm,
        other_scale=np.exp(lp, out=lp),
    )


class Workspace:
    """Arrays one thread reuses from chunk to chunk: a fresh large array costs page faults
    each time it is first written, which for this kernel cost as much as its arithmetic."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        size = int(np.prod(shape))
        a = self._arrays.get(name)
        if a is None or a.size < size:
            a = self._arrays[name] = np.empty(size)
        return a[:size].reshape(shape)


def breast_survival(
    plan: Plan, p: Patients, rows: tuple[int, ...], *, origin: int = -1,
    columns: np.ndarray | None = None, table: str = "cumulative", out: np.ndarray | None = None,
    work: np.ndarray | None = None,
) -> np.ndarray:
    """exp(-breast cumulative hazard), [row, column, patient], at year indices ``rows``
    (``out`` and ``work``, flat room of that size, may be given to reuse memory)."""
    D = plan.differences(table, rows, origin)[:, :, p.group]  # [segment, row, patient]
    D *= p.scale
    J = len(plan.columns)
    E = p.factors
    E0 = E[:J] if columns is None else E[columns]
    H = np.multiply(E0[None, :, :], D[0][:, None, :], out=out)
    for s in range(1, D.shape[0]):
        a = rows.index(next((r for r in rows if r >= plan.segments[s][0]), rows[-1]))
        if rows[a] < plan.segments[s][0]:
            continue  # every row ends before this segment starts: it adds nothing
        Es = E[s * J:(s + 1) * J] if columns is None else E[s * J + columns]
        late = H[a:]
        part = np.multiply(Es[None, :, :], D[s][a:, None, :],
                           out=None if work is None else work[:late.size].reshape(late.shape))
        late += part
    return np.exp(H, out=H)


def other_survival(base: np.ndarray, p: Patients) -> np.ndarray:
    """Other-cause survival exp(-exp(lp) * baseline), [row, key, patient]."""
    h = np.multiply(p.other_scale[None, :, :], np.negative(base)[:, None, None])
    return np.exp(h, out=h)


def all_cause(
    s_oth: np.ndarray, s_br: np.ndarray, key_of_column: np.ndarray, *,
    in_place: bool = False, gathered: np.ndarray | None = None,
) -> np.ndarray:
    """All-cause cumulative mortality 1 - S_oth * S_br, [row, column, patient] (in place of
    s_br if asked; ``gathered`` is room for S_oth by column)."""
    by_column = np.take(s_oth, key_of_column, axis=1, out=gathered)
    f = np.multiply(by_column, s_br, out=s_br if in_place else by_column)
    return np.subtract(1.0, f, out=f)


def split_mortality(
    f_all: np.ndarray, s_br: np.ndarray, s_oth: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative breast and other-cause mortality (spec sec. 1.3 steps 3-5): each year's
    all-cause risk shared in proportion to the two annual risks; arrays over all years. For
    a few patients the three annual risks are one array (fewer calls, the same operations)."""
    if f_all.shape[-1] < _SLAB_LOOP_FROM:
        a = np.empty((3, *f_all.shape))  # other-cause, all-cause, breast
        np.subtract(1.0, s_oth, out=a[0])
        a[1] = f_all
        np.subtract(1.0, s_br, out=a[2])
        a[:, 1:] = a[:, 1:] - a[:, :-1]
        m_oth, m_all, m_br = a
        pred_br = np.add(m_br, m_oth, out=m_oth)
        np.divide(m_br, pred_br, out=pred_br)
        np.multiply(pred_br, m_all, out=pred_br)
        np.subtract(m_all, pred_br, out=m_all)  # pred_oth
        both = np.add.accumulate(a[:2], axis=1, out=a[:2])  # np.cumsum, without its wrapper
        return both[0], both[1]
    m_all = difference_in_place(f_all.copy())
    m_br = difference_in_place(np.subtract(1.0, s_br))
    m_oth = difference_in_place(np.subtract(1.0, s_oth))
    pred_br = np.add(m_br, m_oth, out=m_oth)
    np.divide(m_br, pred_br, out=pred_br)
    np.multiply(pred_br, m_all, out=pred_br)
    pred_oth = np.subtract(m_all, pred_br, out=m_all)
    return running_sum_in_place(pred_br), running_sum_in_place(pred_oth)


def _mortality(inc_br: np.ndarray, s_oth: np.ndarray) -> np.ndarray:
    """All-cause cumulative mortality from breast hazard increments [T, J, n] (overwritten)."""
    s_br = running_sum_in_place(inc_br)
    np.negative(s_br, out=s_br)
    np.exp(s_br, out=s_br)
    f_all = np.multiply(s_oth, s_br)
    return np.subtract(1.0, f_all, out=f_all)


def extended_endocrine(
    v: PredictVersion, terms: Mapping[str, np.ndarray], hazard_pi: np.ndarray,
    m_oth: np.ndarray, delay: int,
) -> np.ndarray:
    """benefits2210: 10 versus 5 years of endocrine therapy, pp, years delay+1..15 (spec 2.6).

    The other-cause part is 1 - running sum of the main run's annual risks (Q9); the extra
    effect applies in the last five rows even without endocrine benefit (Q3)."""
    m = m_oth[delay:]
    s_oth = 1.0 - running_sum_in_place(m.copy())
    rows = eq.N_YEARS - delay
    h = np.broadcast_to(terms["h"], (eq.N_YEARS, terms["h"].shape[1]))[delay:]
    extra = v.coef("treatment", "extended_endocrine_extra")
    h10 = np.where((np.arange(rows) >= rows - 5)[:, None], h + extra, h)
    rest = terms["c"] + terms["t"] + terms["b"]
    inc = np.stack([hazard_pi[delay:] * np.exp(h + 0.0 + rest),
                    hazard_pi[delay:] * np.exp(h10 + 0.0 + rest)], axis=1)
    d_all = _mortality(inc, s_oth[:, None, :])
    return 100.0 * (d_all[:, 0, :] - d_all[:, 1, :])


@dataclass(frozen=True, eq=False)
class TablePlan:
    """What a benefit table needs beyond the patient: the breast-cancer cumulative hazards
    with every treatment factor folded in, and which columns each benefit subtracts."""

    plan: Plan
    rows: tuple[int, ...]  # year indices
    hazard: np.ndarray  # [row * column, state * N_GROUPS + group]: minus the hazard / exp(PI)
    other_base: np.ndarray  # [row, 1, 1]: minus the other-cause baseline cumulative hazard
    pair_runs: tuple[tuple[int, int, int, int], ...]  # (first pair, pairs, column a, column b)
    pairs: int


@functools.lru_cache(maxsize=64)
def table_plan(
    version: str | PredictVersion, columns: tuple[str, ...], rows: tuple[int, ...],
    pairs: tuple[tuple[int, int], ...],
) -> TablePlan:
    """The constant tables of a benefit table (cached): for each treatment state, group, year
    and column, the sum over the runs of constant factors of factor x (minus the increase of
    the treatment-free cumulative hazard), so a patient's hazard is one look-up x exp(PI).
    Cached by the version object, as :func:`plan_for`."""
    plan = plan_for(version, columns)
    D = plan.differences("cumulative", rows, -1)  # [segment, row, group]
    J, S = len(columns), len(plan.segments)
    F = plan.factors.reshape(S, J, eq.N_STATES)
    hazard = np.einsum("sjk,srg->rjkg", F, D).reshape(len(rows) * J, eq.N_STATES * eq.N_GROUPS)
    runs: list[tuple[int, int, int, int]] = []
    for i, (a, b) in enumerate(pairs):
        if runs and runs[-1][0] + runs[-1][1] == i and runs[-1][2] + runs[-1][1] == a \
                and runs[-1][3] + runs[-1][1] == b:
            first, count, a0, b0 = runs[-1]
            runs[-1] = (first, count + 1, a0, b0)
        else:
            runs.append((i, 1, a, b))
    return TablePlan(
        plan=plan, rows=rows, hazard=np.ascontiguousarray(hazard),
        other_base=-plan.other_base[list(rows)][:, None, None], pair_runs=tuple(runs),
        pairs=len(pairs),
    )


@dataclass(frozen=True)
class TableCovariates:
    """What a benefit table needs of each patient, [patient] or [key, patient]."""

    scale: np.ndarray  # exp(breast-cancer index without its HER2 term)
    index: np.ndarray  # treatment state x N_GROUPS + group: column of TablePlan.hazard
    other: np.ndarray  # [key, patient]: exp(other-cause log hazard) by harm key

    def take(self, rows: slice | np.ndarray) -> TableCovariates:
        return TableCovariates(self.scale[rows], self.index[rows], self.other[:, rows])


def table_covariates(tp: TablePlan, x: Mapping[str, np.ndarray]) -> TableCovariates:
    """The covariates of a chunk of patients, by the version's equations."""
    v = tp.plan.version
    lp = eq.other_cause_lps(v, eq.other_cause_index(v, x), eq.harms(v, x), tp.plan.keys)
    scale = eq.prognostic_index_fixed(v, x)
    return TableCovariates(scale=np.exp(scale, out=scale), index=eq.state_group_index(x),
                           other=np.exp(lp, out=lp))



def table_chunk(
    tp: TablePlan, cov: TableCovariates, ws: Workspace, out: np.ndarray, times: float,
) -> np.ndarray:
    """``times`` x (S_b - S_a), overall survival of column b less that of column a, for each
    pair and row of a chunk of patients into ``out`` [row, pair, patient]. S = S_oth x S_br
    (spec sec. 1.3), taken as one exp of the summed log survivals; ``times`` enters as its
    log, which moves the result by a few units in its last place at most."""
    m = cov.scale.shape[0]
    plan = tp.plan
    R, J = len(tp.rows), len(plan.columns)
    s = ws.get("s", (R * J, m))
    np.take(tp.hazard, cov.index, axis=1, out=s, mode="clip")
    np.multiply(s, cov.scale, out=s)  # minus the breast-cancer cumulative hazard
    h_oth = ws.get("h_oth", (R, len(plan.keys), m))
    np.multiply(cov.other, tp.other_base, out=h_oth)  # minus the other-cause one [row, key]
    if times != 1.0:
        np.add(h_oth, np.log(times), out=h_oth)
    s_all = s.reshape(R, J, m)
    for key, a, b in plan.key_runs:
        np.add(s_all[:, a:b], h_oth[:, key:key + 1], out=s_all[:, a:b])
    np.exp(s, out=s)  # S_oth x S_br (x times)
    for first, count, a, b in tp.pair_runs:
        np.subtract(s_all[:, b:b + count], s_all[:, a:a + count],
                    out=out[:, first:first + count])
    return out

