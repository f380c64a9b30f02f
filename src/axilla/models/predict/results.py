"""Typed PREDICT results for one patient, with the model version and source attached.

Built from the columnar output of :func:`axilla.models.predict.compute`; a single patient is a
batch of one, so these objects and a cohort run always agree.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from axilla.case.predict import PredictInputs, predict_warnings
from axilla.errors import FieldProblem, InputError
from axilla.models.predict.engine import PredictOutput, compute, output, required
from axilla.models.predict.ranges import benefit_ranges
from axilla.models.predict.tables import r_round
from axilla.models.predict.typed import (
    TREATMENT_NAMES,
    ModelProvenance,
    PredictResult,
    SurvivalByTreatment,
    TreatmentBenefit,
    kept_years,
    per_year_dict,
    positions,
    record,
)
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version
from axilla.typed import CollectorHeld

REPORT_YEARS = (5, 10, 15)

_INPUT_NAMES = ("age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
                "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker")


#: The input that says whether each treatment letter is given (1 = given; chemotherapy: any
#: generation but 0).
_SWITCH = {"r": "radio", "h": "horm", "h10": "horm", "c": "generation", "t": "traz", "b": "bis"}


def _chosen(letter: str, x: Mapping[str, float]) -> bool:
    value = x[_SWITCH[letter]]
    return value != 0 if letter == "c" else value == 1


def _added_letter(v: PredictVersion, a: str, b: str) -> str:
    before = set(v.column_terms[v.columns.index(a)])
    after = [x for x in v.column_terms[v.columns.index(b)] if x not in before]
    return after[0] if len(after) == 1 else "+".join(after)


#: Letters whose gain "if added" is reported, and the input that switches each one on.
#: Radiotherapy is not among them: in versions 3.x its input also moves the baseline of every
#: column, so its gain is not a difference of two columns of one run.
_ADDABLE = {"h": "horm", "c": "generation", "t": "traz", "b": "bis"}


def _plan(v: PredictVersion, x: Mapping[str, float]) -> frozenset[str]:
    """The terms of the column that equals the chosen plan: the chosen treatments, and
    radiotherapy wherever the version's ladder always carries it (3.x, whose radiotherapy
    column differs from the one without it even when radiotherapy is not given)."""
    lay = _layout(v)
    return frozenset({t for t in lay.letters if _chosen(t, x)} | lay.always)


def _applies(letter: str, x: Mapping[str, float]) -> bool:
    """Whether adding ``letter`` can change survival (PREDICT's own conditions)."""
    return {"h": x["er"] == 1, "t": x["her2"] == 1}.get(letter, True)


#: Each treatment switched on where it applies: (input, the input that says whether it
#: applies, the code that does, the value it is given); chemotherapy not chosen is given as
#: third generation, bisphosphonates to every patient.
_SWITCH_ON = (("generation", "generation", 0.0, 3.0), ("horm", "er", 1.0, 1.0),
              ("traz", "her2", 1.0, 1.0), ("bis", None, None, 1.0))
_SWITCHED = tuple(name for name, *_ in _SWITCH_ON)
_FEW_SWITCHED = 8  # patients up to which each value is switched on by itself


def _switch_on(x: Mapping[str, np.ndarray]) -> None:
    """Switch on, in place, each treatment that applies (``_SWITCH_ON``: the ``_SWITCHED``
    inputs of ``x`` are overwritten). Up to _FEW_SWITCHED patients the values are read as
    plain numbers and only those to switch are written (fewer calls than whole-array ones)."""
    n = x["bis"].shape[0]
    for name, when, code, value in _SWITCH_ON:
        target = x[name]
        if when is None:
            target[...] = value
        elif n > _FEW_SWITCHED:
            np.copyto(target, value, where=x[when] == code)
        else:
            for i, found in enumerate(x[when].tolist()):
                if found == code:
                    target[i] = value


def _switched_on(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``x`` (float arrays) with each treatment that applies switched on, in new arrays."""
    on = {**x, **{k: x[k].copy() for k in _SWITCHED}}
    _switch_on(on)
    return on


_PLAN_INPUTS = ("radio", "horm", "generation", "traz", "bis")  # all a plan depends on


@functools.lru_cache(maxsize=256)
def _plan_columns(v: PredictVersion, plan_inputs: tuple[float, ...]) -> tuple[str, ...]:
    """The columns of the plan with these ``_PLAN_INPUTS`` values and of the plan plus each
    treatment it lacks (a few dozen plans a version, so each is resolved once)."""
    lay = _layout(v)
    plan = _plan(v, dict(zip(_PLAN_INPUTS, plan_inputs, strict=True)))
    found = (lay.by_terms.get(plan | extra)
             for extra in [set(), *({t} for t in lay.letters if t not in plan)])
    return tuple(name for name in found if name is not None)


def every_treatment_on(v: PredictVersion, inputs: Mapping[str, np.ndarray]
                       ) -> tuple[dict[str, np.ndarray], list[str]]:
    """Inputs with each treatment that applies switched on (chemotherapy not chosen as third
    generation), and the columns that give OS(chosen) and OS(chosen + one treatment) for
    every patient; ``compute`` of these gives the ``added`` output of :func:`results`.

    Source: PREDICT's treatment terms apply only to the columns that name them, so a column of
    this run equals the same column of the plan's own run (tests/models/predict)."""
    x = {k: np.asarray(val, dtype=float) for k, val in inputs.items()}
    return _switched_on(x), _added_columns(v, x)


def _added_columns(v: PredictVersion, x: Mapping[str, np.ndarray]) -> list[str]:
    """The columns of :func:`every_treatment_on` for inputs ``x`` (float arrays)."""
    rows = set(zip(*(x[k].tolist() for k in _PLAN_INPUTS), strict=True))
    if len(rows) == 1:  # one plan (one patient, or all alike): its columns, in order, once
        return list(_columns_in_order(v, _plan_columns(v, *rows)))
    wanted = {name for row in rows for name in _plan_columns(v, row)}
    return sorted(wanted, key=v.columns.index)


@functools.lru_cache(maxsize=256)
def _columns_in_order(v: PredictVersion, columns: tuple[str, ...]) -> tuple[str, ...]:
    """``columns`` without repeats, in the version's order."""
    return tuple(sorted(set(columns), key=v.columns.index))


@dataclass(frozen=True)
class _Layout:
    """What typed results read from one version's output, resolved once per version."""

    columns: tuple[str, ...]  # every ladder's columns, in the version's order
    treatments: Mapping[str, tuple[str, ...]]  # column -> treatment names
    ladders: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str, str], ...]], ...]
    by_terms: Mapping[frozenset[str], str]  # a column's terms -> its name
    letters: frozenset[str]  # treatment letters of the version whose gain may be added
    always: frozenset[str]  # letters the last column of the standard ladder always carries
    provenance: ModelProvenance
    steps: tuple[tuple[str, str, str, str], ...]  # (treatment, letter, from, to), ladder order
    step_ends: np.ndarray  # positions in ``columns`` of each step's from, then to columns
    ladder_steps: tuple[tuple[str, tuple[str, ...], int, int], ...]  # ladder, its steps [lo, hi)


@functools.lru_cache(maxsize=32)
def _layout(v: PredictVersion) -> _Layout:
    """Keyed by the version object (hashed by identity, as the engine's layouts are)."""
    columns = tuple(sorted({c for steps in v.ladders.values() for c in steps},
                           key=v.columns.index))
    ladders = []
    for ladder, ladder_columns in v.ladders.items():
        pairs = [(a, b, _added_letter(v, a, b)) for a, b in itertools.pairwise(ladder_columns)]
        pairs.append((ladder_columns[0], ladder_columns[-1], "all chosen"))
        ladders.append((ladder, tuple(ladder_columns), tuple(pairs)))
    pairs = [p for _, _, ladder_pairs in ladders for p in ladder_pairs]
    bounds = list(itertools.accumulate((len(p) for _, _, p in ladders), initial=0))
    return _Layout(
        steps=tuple((TREATMENT_NAMES.get(letter, letter), letter, a, b) for a, b, letter in pairs),
        step_ends=np.array([columns.index(a) for a, _, _ in pairs]
                           + [columns.index(b) for _, b, _ in pairs], dtype=np.intp),
        ladder_steps=tuple((ladder, steps, lo, hi) for (ladder, steps, _), (lo, hi) in zip(
            ladders, itertools.pairwise(bounds), strict=True)),
        columns=columns,
        treatments={c: tuple(TREATMENT_NAMES[x] for x in v.column_terms[v.columns.index(c)])
                    for c in columns},
        ladders=tuple(ladders),
        by_terms={frozenset(terms): name
                  for name, terms in zip(v.columns, v.column_terms, strict=True)},
        letters=frozenset(t for terms in v.column_terms for t in terms) & frozenset(_ADDABLE),
        always=frozenset({"r"} & set(v.column_terms[v.columns.index(
            v.ladders["standard"][-1])])),
        provenance=ModelProvenance.of(v),
    )


#: The fields of an output that are arrays by patient first (None where not computed).
_BY_PATIENT = ("pi", "mi", "all_cause", "breast", "other", "conditional_all",
               "relapse_or_death", "extended_benefit_from_diagnosis",
               "extended_benefit_from_year5")


def _patient_rows(out: PredictOutput, rows: slice,
                  warnings: Mapping[str, np.ndarray] | None = None,
                  inputs: Mapping[str, np.ndarray] | None = None) -> PredictOutput:
    """The output of the patients ``rows`` (a contiguous run) of a batch, as views; warnings
    are renumbered to the run (or are ``warnings``, already those of the run; ``inputs``, if
    given, are the run's rows of ``out.inputs``)."""
    if warnings is None:
        start, stop, _ = rows.indices(out.n)
        warnings = {}
        for message, found in out.warnings.items():
            found = found[(found >= start) & (found < stop)] - start
            if found.size:
                warnings[message] = found
    fields = out.__dict__
    part = {k: a if a is None else a[rows] for k in _BY_PATIENT for a in (fields[k],)}
    return output(
        version=out.version, columns=out.columns, years=out.years,
        conditional_columns=out.conditional_columns, conditional_years=out.conditional_years,
        warnings=warnings,
        inputs={k: c[rows] for k, c in out.inputs.items()} if inputs is None else inputs,
        **part)


#: Patients up to which the ladder and the every-treatment-on inputs run as one batch of
#: twice the size (one call's fixed cost); above it, two calls (fewer columns each).
ONE_RUN_UP_TO = 64


@functools.lru_cache(maxsize=256)
def _union(v: PredictVersion, columns_on: tuple[str, ...]) -> tuple[str, ...]:
    """The ladder columns, then those of ``columns_on`` not among them (so that the typed
    results read the ladder as the leading columns; columns are computed independently)."""
    ladder = _layout(v).columns
    return (*ladder, *sorted(set(columns_on) - set(ladder), key=v.columns.index))


def ladder_and_added(v: PredictVersion, x: Mapping[str, np.ndarray], *, validate: bool = True,
                     one_run: bool | None = None) -> tuple[PredictOutput, PredictOutput | None]:
    """The ladder columns of ``x`` and the run :func:`every_treatment_on` asks for, as the two
    arguments of :func:`results`. Inputs already checked (``validate=False``) get the warnings
    of :func:`axilla.case.predict.predict_warnings`. Up to ONE_RUN_UP_TO patients (or with
    ``one_run``) both come from one call over the two sets of inputs stacked; treatment columns
    are independent, so each column equals its own run's (tests/models/predict)."""
    names = list(x)
    given = np.array([x[k] for k in names], dtype=float)  # [input, patient]
    n = given.shape[1]
    coded = dict(zip(names, given, strict=True))
    columns_on = _added_columns(v, coded)
    if one_run is None:
        one_run = n <= ONE_RUN_UP_TO
    warnings = None if validate else predict_warnings(coded, uses_v3_inputs=v.uses_v3_inputs)
    if one_run and columns_on:
        both = np.concatenate([given, given], axis=1)  # [input, patient]: x, then x all on
        on = dict(zip(names, both[:, n:], strict=True))
        _switch_on(on)
        run = compute(dict(zip(names, both, strict=True)), v,
                      columns=_union(v, tuple(columns_on)), validate=validate,
                      conditional=False)
        if validate:
            return _patient_rows(run, slice(0, n)), _patient_rows(run, slice(n, 2 * n))
        # unchecked inputs are coded as given: each half's are its rows of ``both`` (the
        # first half's equal to those of ``given``, of which ``both`` starts with a copy)
        halves = [{k: half[k] for k in run.inputs} for half in (coded, on)]
        return (_patient_rows(run, slice(0, n), warnings, halves[0]),
                _patient_rows(run, slice(n, 2 * n), {}, halves[1]))
    out = compute(coded, v, columns=_layout(v).columns, validate=validate, conditional=False)
    added = (compute(_switched_on(coded), v, columns=columns_on,
                     validate=validate, conditional=False) if columns_on else None)
    if warnings is not None:
        out = dataclasses.replace(out, warnings=warnings)
    return out, added


@functools.lru_cache(maxsize=1024)
def _addable(v: PredictVersion, plan_inputs: tuple[float, ...], er: float, her2: float
             ) -> tuple[tuple[str, tuple[str, str] | None], ...]:
    """For each letter of ``_ADDABLE``: the columns (chosen plan, plan + it) whose difference
    is its gain, or None (already chosen, does not apply, or no such column); resolved once
    for each plan (the ``_PLAN_INPUTS`` values) and ER and HER2 codes."""
    x = {**dict(zip(_PLAN_INPUTS, plan_inputs, strict=True)), "er": er, "her2": her2}
    by_terms = _layout(v).by_terms
    plan = _plan(v, x)
    base = by_terms.get(plan)
    found: list[tuple[str, tuple[str, str] | None]] = []
    for letter in _ADDABLE:
        name = by_terms.get(plan | {letter})
        if letter in plan or base is None or name is None or not _applies(letter, x):
            found.append((letter, None))
        else:
            found.append((letter, (base, name)))
    return tuple(found)


def _if_added(v: PredictVersion, dead: np.ndarray, col: Callable[[str], int],
              at: np.ndarray | slice, per_year: Callable[..., dict[int, float]],
              x: Mapping[str, float]) -> dict[str, dict[int, float] | None]:
    """Gain of adding each treatment to a patient's chosen plan, or None, from ``dead`` (the
    patient's all-cause mortality [column, year] of the added run; each figure 100 x (a - b)
    of two float64 values, the same operations NumPy does element by element)."""
    out: dict[str, dict[int, float] | None] = {}
    for letter, pair in _addable(v, tuple(x[k] for k in _PLAN_INPUTS), x["er"], x["her2"]):
        if pair is None:
            out[letter] = None
            continue
        a, b = dead[col(pair[0])][at].tolist(), dead[col(pair[1])][at].tolist()
        out[letter] = per_year(*[100.0 * (p - q) for p, q in zip(a, b, strict=True)])
    return out


def results(out: PredictOutput, years: Sequence[int] = REPORT_YEARS,
            added: PredictOutput | None = None) -> list[PredictResult]:
    """Typed results, one per patient of a batch (for presentation; the maths is columnar).

    Every figure is computed once for the whole batch, as whole arrays [patient, column,
    year]; each patient then takes its rows, so the cost grows linearly with the batch.
    ``added`` (the output of the inputs and columns :func:`every_treatment_on` gives, same
    patients) fills each benefit's ``if_added_pp``. The cyclic collector is held off while the
    records are built, so the cost a patient does not grow with the batch."""
    with CollectorHeld():
        return _results(out, years, added)


def _results(out: PredictOutput, years: Sequence[int], added: PredictOutput | None
             ) -> list[PredictResult]:
    """``results``, with the collector held off by the caller."""
    v = out.version
    if v.logic["output"] not in ("benefit_matrix", "survival"):
        raise InputError([FieldProblem(
            "version", v.id, "gives no survival by treatment; use compute() and flat_columns()")])
    lay = _layout(v)
    years_of = kept_years(out.years, tuple(years))
    at = positions(out.years, years_of)
    warn: dict[int, list[str]] = {}
    for message, rows in out.warnings.items():
        for i in rows.tolist():
            warn.setdefault(i, []).append(message)
    provenance = lay.provenance
    names = [k for k in _INPUT_NAMES if k in out.inputs]
    inputs = np.array([out.inputs[k] for k in names], dtype=float).reshape(
        len(names), out.n).T.tolist()  # [patient][input]
    at_added: np.ndarray | slice = (positions(added.years, years_of) if added is not None
                                    else slice(0))
    J = len(lay.columns)
    cidx: list[int] | slice = (slice(0, J) if out.columns[:J] == lay.columns  # views
                               else [out.col(c) for c in lay.columns])

    def pick(a: np.ndarray) -> np.ndarray:  # [patient, ladder column, year kept]
        a = a[:, cidx]
        return a if isinstance(at, slice) else a[:, :, at]

    # every figure of a patient as one row a year: [OS, breast, other] by column (percent),
    # then the gain of each ladder step and its display rounding (pp)
    dead = pick(out.all_cause)
    ends = dead.take(lay.step_ends, axis=1)
    P = len(lay.steps)
    gains = 100.0 * (ends[:, :P] - ends[:, P:])  # [patient, step, year]
    figures = np.concatenate([1.0 - dead, pick(required(out.breast, "breast")),
                              pick(required(out.other, "other"))], axis=1)
    rows_of = np.concatenate([np.multiply(figures, 100.0, out=figures), gains,
                              r_round(gains, 1)], axis=1).tolist()
    per_year = per_year_dict(years_of)
    bounds = benefit_ranges(out, years_of)
    by_name = {ladder[0]: ladder for ladder in lay.ladder_steps}
    standard, extended = by_name["standard"], [by_name[k] for k in ("extended",) if k in by_name]
    found = []
    for i in range(out.n):
        x = dict(zip(names, inputs[i], strict=True))
        if_added = ({} if added is None else
                    _if_added(v, added.all_cause[i], added.col, at_added, per_year, x))
        d = [per_year(*r) for r in rows_of[i]]
        # each column's row once (a column on two ladders is the same row on both)
        row = {c: record(SurvivalByTreatment, {
            "column": c, "treatments": list(lay.treatments[c]), "overall_survival_pct": d[j],
            "breast_cancer_mortality_pct": d[J + j], "other_cause_mortality_pct": d[2 * J + j]})
            for j, c in enumerate(lay.columns)}
        bens = []
        for k, (treatment, letter, a, b) in enumerate(lay.steps):
            chosen = letter == "all chosen" or _chosen(letter, x)
            low, high = (None, None) if bounds is None else bounds.pair(
                i, a, b, letter != "all chosen" and chosen)
            bens.append(record(TreatmentBenefit, {
                "treatment": treatment, "letter": letter, "from_column": a, "to_column": b,
                "chosen": chosen, "benefit_pp": d[3 * J + k], "displayed_pp": d[3 * J + P + k],
                "if_added_pp": if_added.get(letter), "benefit_low_pp": low,
                "benefit_high_pp": high}))
        _, columns_of, lo, hi = standard
        ext = [([row[c] for c in e_columns[1:]], bens[e_lo:e_hi - 1], bens[e_hi - 1])
               for _, e_columns, e_lo, e_hi in extended]
        found.append(record(PredictResult, {
            "model": provenance, "years": list(years_of), "inputs": x,
            "surgery_only": row[columns_of[0]], "steps": [row[c] for c in columns_of[1:]],
            "benefits": bens[lo:hi - 1], "total_benefit": bens[hi - 1],
            "extended_steps": ext[0][0] if ext else None,
            "extended_benefits": ext[0][1] if ext else None,
            "extended_total_benefit": ext[0][2] if ext else None,
            "warnings": warn.get(i, []),
        }))
    return found


def predict_one(
    inputs: PredictInputs | Mapping[str, object], version: str = CURRENT_VERSION,
    years: Sequence[int] = REPORT_YEARS,
) -> PredictResult:
    """PREDICT for one patient: a batch of one through the same engine as a cohort."""
    v = load_version(version)
    if not isinstance(inputs, PredictInputs):
        inputs = PredictInputs(**inputs)
    columns = sorted({c for ladder in v.ladders.values() for c in ladder}, key=v.columns.index)
    out = compute({k: [val] for k, val in inputs.model_dump().items()}, v.id, columns=columns,
                  threads=1)
    return results(out, years)[0]
