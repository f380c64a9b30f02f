"""The one PREDICT Breast engine: inputs as columns in, cumulative mortality by treatment out.

Every version is this engine plus its data file (``versions/v<id>.toml``). The arithmetic
follows the official R implementation (WintonCentre/predict-v30-r, commit 42223bc), restated in
docs/models/predict.md, including its quirks. Results are indexed [patient, column, year];
inside, time is the first axis so that running sums over years are whole-array additions, and
chunks of patients run on all cores (NumPy releases the GIL in its loops).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.errors import FieldProblem, InputError
from axilla.models.predict import equations as eq
from axilla.models.predict import kernel as k
from axilla.models.predict.output import PredictOutput, output, required
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

__all__ = ["PredictOutput", "compute", "output", "prepare_inputs", "required"]

N_YEARS = eq.N_YEARS
CONDITIONAL_FROM = k.CONDITIONAL_FROM
DEFAULT_CHUNK = 16_384  # patients at most in one chunk
CORES = os.cpu_count() or 1  # read once: os.cpu_count() reads /sys on every call
THREADS_FROM = 2_048  # patients: below this a thread pool costs more than it saves
CHUNK_CELLS = 1 << 17  # year x column cells of one array in a chunk (stays in the caches)


# ---------------------------------------------------------------------------------------------
# Inputs, chunks and threads


#: Inputs whose missing code the version replaces by its own value: (input, code, key of the
#: version's ``[missing]`` table).
_MISSING_CODES = (("screen", 2.0, "screen_unknown"), ("grade", 9.0, "grade_unknown"))
_FEW = 8  # patients up to which a missing code is looked for before any array is made


def prepare_inputs(
    v: PredictVersion, inputs: Mapping[str, object], validate: bool
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(inputs as the model reads them, inputs as coded, warnings by message).

    With ``validate`` every row is checked by :func:`axilla.case.validate_predict_columns`
    and invalid rows are refused with an :class:`InputError` naming row, field and range."""
    names = predict_input_names(v.uses_v3_inputs)
    warnings: dict[str, np.ndarray] = {}
    if validate:
        checked = validate_predict_columns(inputs, uses_v3_inputs=v.uses_v3_inputs)
        if checked.problems:
            shown = checked.problems[:5]
            raise InputError(
                [FieldProblem(f"row {i}: {p.field}", p.value, p.reason) for i, p in shown]
            )
        x = dict(checked.columns)
        warnings = checked.warnings
    else:
        x = {n: np.asarray(inputs[n], dtype=float) for n in names}
        if any(not c.ndim for c in x.values()):
            x = {n: c if c.ndim else c.reshape(1) for n, c in x.items()}
    coded = dict(x)
    missing = v.tables["missing"]
    for name, code, key in _MISSING_CODES:
        given = x[name]
        if given.shape[0] > _FEW or code in given.tolist():  # (a few: looked for first)
            x[name] = np.where(given == code, missing[key], given)
    if not v.uses_v3_inputs:
        n0 = x["age"].shape[0]
        x.update({"pr": np.full(n0, 9.0), "heart_gy": np.zeros(n0), "smoker": np.zeros(n0)})
    return x, coded, warnings


def _check_columns(v: PredictVersion, columns: Sequence[str] | None) -> tuple[str, ...]:
    col_names = tuple(columns) if columns is not None else v.columns
    unknown = [c for c in col_names if c not in v.columns]
    if unknown:
        allowed = ", ".join(v.columns)
        raise InputError([FieldProblem("columns", unknown, f"must be among {allowed}")])
    return col_names


def _check_years(years: Sequence[int] | None) -> np.ndarray:
    """Which of years 1..15 are kept, as a boolean mask."""
    kept = tuple(int(t) for t in (years if years is not None else range(1, 16)))
    if any(t < 1 or t > N_YEARS for t in kept):
        raise InputError([FieldProblem("years", kept, "must be whole years from 1 to 15")])
    keep = np.zeros(N_YEARS, dtype=bool)
    keep[[t - 1 for t in kept]] = True
    return keep


def run_chunks(n: int, chunk_size: int, threads: int | None, run) -> None:
    """Call ``run(slice)`` over chunks of n patients, on ``threads`` threads (default: all
    cores from THREADS_FROM patients, else one; NumPy releases the GIL inside its loops)."""
    chunk_size = max(1, chunk_size)
    starts = range(0, n, chunk_size)
    if threads is None:
        threads = CORES if n >= THREADS_FROM else 1
    workers = min(len(starts), threads)
    slices = [slice(s, min(n, s + chunk_size)) for s in starts]
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, slices))
    else:
        for sl in slices:
            run(sl)


def chunk_for(cells_per_patient: int, cap: int) -> int:
    """Patients in a chunk: arrays of about CHUNK_CELLS cells, at most ``cap``, at least 64."""
    return max(1, min(cap, max(64, CHUNK_CELLS // max(1, cells_per_patient))))


# ---------------------------------------------------------------------------------------------
# One chunk of the full computation


@dataclass(frozen=True)
class _Layout:
    """What a call asks for, resolved once per (version, columns, years, split) and cached."""

    plan: k.Plan
    keep: np.ndarray  # [15] years kept
    kept_years: tuple[int, ...]
    rows: tuple[int, ...]  # year indices computed
    kept_rows: np.ndarray | slice  # which computed rows are kept
    split: bool
    cond_columns: tuple[str, ...]
    cond_years: tuple[int, ...]
    cond_rows: tuple[int, ...]
    cond_index: np.ndarray
    other_base: np.ndarray  # [row]: the plan's other-cause baseline at the rows computed


@functools.lru_cache(maxsize=256)
def _layout(
    v: PredictVersion, columns: tuple[str, ...] | None, years: tuple[int, ...] | None, split: bool,
    conditional: bool = True,
) -> _Layout:
    """Keyed by the version object itself (hashed by identity), so a variant made with
    ``dataclasses.replace`` never reuses the tables of the version it was made from."""
    col_names = _check_columns(v, columns)
    keep = _check_years(years)
    rows = tuple(range(N_YEARS)) if split else tuple(int(r) for r in np.flatnonzero(keep))
    kept_rows = keep[list(rows)]
    cond_cols = tuple(c for c in col_names if c in v.conditional_columns) if conditional else ()
    cond_years = tuple(int(t) for t in np.arange(CONDITIONAL_FROM + 1, 16)[keep[CONDITIONAL_FROM:]])
    return _Layout(
        plan=k.plan_for(v, col_names), keep=keep,
        kept_years=tuple(int(t) for t in np.arange(1, 16)[keep]), rows=rows,
        kept_rows=slice(None) if kept_rows.all() else kept_rows, split=split,
        cond_columns=cond_cols, cond_years=cond_years if cond_cols else (),
        cond_rows=tuple(t - 1 for t in cond_years),
        cond_index=np.array([col_names.index(c) for c in cond_cols], dtype=np.intp),
        other_base=k.plan_for(v, col_names).other_base[list(rows)],
    )


@dataclass
class _Results:
    """Where a chunk writes: arrays [year, column, patient] of the whole batch."""

    layout: _Layout
    pi: np.ndarray
    mi: np.ndarray
    all_cause: np.ndarray
    breast: np.ndarray | None
    other: np.ndarray | None
    conditional: np.ndarray | None
    relapse: np.ndarray | None
    ext0: np.ndarray | None
    ext5: np.ndarray | None


def _conditional(lay: _Layout, p: k.Patients, s_oth_all: np.ndarray | None) -> np.ndarray:
    """All-cause mortality given alive at 5 years, [year 6..15, conditional column, patient]."""
    plan = lay.plan
    jc = lay.cond_index
    s_c = k.breast_survival(plan, p, lay.cond_rows, origin=CONDITIONAL_FROM - 1, columns=jc)
    at = [r - CONDITIONAL_FROM for r in lay.cond_rows]
    if plan.version.logic["conditional"] == "unconditional_other_cause":  # Q9: 1 - sum of
        s_all = required(s_oth_all, "other-cause survival")  # unconditional annual risks
        m_oth = k.difference_in_place(1.0 - s_all)[CONDITIONAL_FROM:]
        o_c = 1.0 - k.running_sum_in_place(m_oth)[at]
    else:
        o_c = k.other_survival(plan.other_base_from5[at], p)
    return k.all_cause(o_c, s_c, plan.key_of_column[jc])


def _compute_chunk(res: _Results, x: Mapping[str, np.ndarray], sl: slice) -> None:
    lay = res.layout
    plan = lay.plan
    v = plan.version
    p = k.patients(plan, x)
    res.pi[:, sl] = (plan.her2[p.group].T + p.pi_fixed)[lay.keep]
    shared = v.logic["treatment_harms"] in ("shared_index", "shared_index_twice")
    res.mi[sl] = p.mi + p.harm[0] + p.harm[1] if shared else p.mi
    kind = v.logic["output"]
    need_all_other = kind == "extended_endocrine_benefit" or (
        res.conditional is not None and v.logic["conditional"] == "unconditional_other_cause")
    s_oth_all = k.other_survival(plan.other_base, p) if need_all_other else None
    if kind == "extended_endocrine_benefit":
        hazard_pi = plan.increments[p.group].T * p.scale
        s_oth_none = required(s_oth_all, "other-cause survival")[:, plan.keys.index((False, False))]
        m_oth = k.difference_in_place(1.0 - s_oth_none)
        terms = eq.treatment_terms(v, x)
        required(res.ext0, "ext0")[:, sl] = k.extended_endocrine(v, terms, hazard_pi, m_oth, 0)
        required(res.ext5, "ext5")[:, sl] = k.extended_endocrine(v, terms, hazard_pi, m_oth, 5)
        res.all_cause[:, :, sl] = np.nan
        return
    rows = lay.rows
    s_br = k.breast_survival(plan, p, rows)
    s_oth = k.other_survival(lay.other_base, p)
    f_all = k.all_cause(s_oth, s_br, plan.key_of_column)
    res.all_cause[:, :, sl] = f_all[lay.kept_rows]
    if lay.split:
        pred_br, pred_oth = k.split_mortality(f_all, s_br, s_oth[:, plan.key_of_column])
        required(res.breast, "breast")[:, :, sl] = pred_br[lay.kept_rows]
        required(res.other, "other")[:, :, sl] = pred_oth[lay.kept_rows]
    if res.conditional is not None and lay.cond_rows:
        res.conditional[:, :, sl] = _conditional(lay, p, s_oth_all)
    if kind == "dfs_benefit":
        s_rel = k.breast_survival(plan, p, rows, table="relapse")
        required(res.relapse, "relapse")[:, :, sl] = (
            k.all_cause(s_oth, s_rel, plan.key_of_column)[lay.kept_rows])


#: Patients up to which survival by treatment skips the chunk machinery (one chunk anyway).
SMALL_UP_TO = 256


def _compute_small(v: PredictVersion, lay: _Layout, x: Mapping[str, np.ndarray],
                   coded: Mapping[str, np.ndarray], warnings: Mapping[str, np.ndarray]
                   ) -> PredictOutput:
    """``compute`` for a small batch: the kernel calls of :func:`_compute_chunk` for one chunk,
    in the same order on the same values, without the batch arrays they are copied into."""
    plan = lay.plan
    p = k.patients(plan, x)
    shared = v.logic["treatment_harms"] in ("shared_index", "shared_index_twice")
    s_br = k.breast_survival(plan, p, lay.rows)
    s_oth = k.other_survival(lay.other_base, p)
    f_all = k.all_cause(s_oth, s_br, plan.key_of_column)
    conditional = None
    if lay.cond_columns and lay.cond_rows:
        all_other = (k.other_survival(plan.other_base, p)
                     if v.logic["conditional"] == "unconditional_other_cause" else None)
        conditional = _conditional(lay, p, all_other).transpose(2, 1, 0)
    breast = other = None
    if lay.split:
        pair = k.split_mortality(f_all, s_br, s_oth[:, plan.key_of_column])
        breast, other = (a[lay.kept_rows].transpose(2, 1, 0) for a in pair)
    pi = plan.her2[p.group] + p.pi_fixed[:, None]  # [patient, year]
    return output(
        version=v, columns=plan.columns, years=lay.kept_years,
        pi=pi if len(lay.kept_years) == N_YEARS else pi[:, lay.keep],
        mi=p.mi + p.harm[0] + p.harm[1] if shared else p.mi,
        all_cause=f_all[lay.kept_rows].transpose(2, 1, 0), breast=breast, other=other,
        conditional_columns=lay.cond_columns, conditional_years=lay.cond_years,
        conditional_all=conditional, warnings=warnings, inputs=coded,
    )


# ---------------------------------------------------------------------------------------------
# Public entry points


def compute(
    inputs: Mapping[str, object],
    version: str | PredictVersion = CURRENT_VERSION,
    *,
    columns: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    validate: bool = True,
    split: bool = True,
    conditional: bool = True,
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
    (overall survival is identical either way); ``conditional=False`` skips survival
    conditional on being alive at 5 years where the version has it. Chunks of at most
    ``chunk_size`` patients run on ``threads`` threads (default: all cores). ``version`` is a
    version id or a :class:`PredictVersion` (e.g. one with a coefficient swapped, for ranges).
    """
    v = version if isinstance(version, PredictVersion) else load_version(version)
    x, coded, warnings = prepare_inputs(v, inputs, validate)
    lay = _layout(v, None if columns is None else tuple(columns),
                  None if years is None else tuple(int(t) for t in years), bool(split),
                  bool(conditional))
    col_names = lay.plan.columns
    n = x["age"].shape[0]
    if n <= SMALL_UP_TO and v.logic["output"] in ("benefit_matrix", "survival"):
        return _compute_small(v, lay, x, coded, warnings)
    J, T = len(col_names), len(lay.kept_years)
    kind = v.logic["output"]
    res = _Results(
        layout=lay,
        pi=np.empty((T, n)),
        mi=np.empty(n),
        all_cause=np.empty((T, J, n)),
        breast=np.empty((T, J, n)) if split else None,
        other=np.empty((T, J, n)) if split else None,
        conditional=np.empty((len(lay.cond_years), len(lay.cond_columns), n))
        if lay.cond_columns else None,
        relapse=np.empty((T, J, n)) if kind == "dfs_benefit" else None,
        ext0=np.empty((N_YEARS, n)) if kind == "extended_endocrine_benefit" else None,
        ext5=np.empty((N_YEARS - 5, n)) if kind == "extended_endocrine_benefit" else None,
    )

    def run(sl: slice) -> None:
        _compute_chunk(res, {name: col[sl] for name, col in x.items()}, sl)

    run_chunks(n, chunk_for(N_YEARS * J, chunk_size), threads, run)

    def patient_first(a: np.ndarray | None) -> np.ndarray | None:
        """[year, (column,) patient] -> a view [patient, (column,) year]."""
        if a is None:
            return None
        return a.transpose(2, 1, 0) if a.ndim == 3 else a.T

    return PredictOutput(
        version=v,
        columns=col_names,
        years=lay.kept_years,
        pi=required(patient_first(res.pi), "pi"),
        mi=res.mi,
        all_cause=required(patient_first(res.all_cause), "all_cause"),
        breast=patient_first(res.breast),
        other=patient_first(res.other),
        conditional_columns=lay.cond_columns,
        conditional_years=lay.cond_years,
        conditional_all=patient_first(res.conditional),
        relapse_or_death=patient_first(res.relapse),
        extended_benefit_from_diagnosis=patient_first(res.ext0),
        extended_benefit_from_year5=patient_first(res.ext5),
        warnings=warnings,
        inputs=coded,
    )
