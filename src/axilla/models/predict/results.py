"""Typed PREDICT results for one patient, with the model version and source attached.

Built from the columnar output of :func:`axilla.models.predict.compute`; a single patient is a
batch of one, so these objects and a cohort run always agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from axilla.case.predict import PredictInputs
from axilla.errors import FieldProblem, InputError
from axilla.models.predict.engine import PredictOutput, compute, required
from axilla.models.predict.ranges import benefit_ranges
from axilla.models.predict.tables import r_round
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

REPORT_YEARS = (5, 10, 15)
M = TypeVar("M", bound=BaseModel)

#: What each treatment letter of a column name stands for.
TREATMENT_NAMES = {
    "r": "radiotherapy",
    "h": "endocrine therapy (5 years)",
    "h10": "endocrine therapy (10 years)",
    "c": "chemotherapy",
    "t": "trastuzumab",
    "b": "bisphosphonates",
}


class ModelProvenance(BaseModel):
    """Which model produced a figure, and where it comes from."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    function: str = Field(description="The function of the official implementation reproduced")
    source: str
    dated: str
    current: bool
    superseded: bool

    @classmethod
    def of(cls, v: PredictVersion) -> ModelProvenance:
        return cls(name=v.name, version=v.id, function=v.function, source=v.source,
                   dated=v.dated, current=v.current, superseded=v.superseded)


class SurvivalByTreatment(BaseModel):
    """Outcomes for one treatment column, percent of women alive/dead by year since diagnosis."""

    model_config = ConfigDict(frozen=True)

    column: str = Field(description="The source's treatment column, e.g. 'rhctb'")
    treatments: list[str]
    overall_survival_pct: dict[int, float]
    breast_cancer_mortality_pct: dict[int, float]
    other_cause_mortality_pct: dict[int, float]


class TreatmentBenefit(BaseModel):
    """Additional overall survival from adding one treatment to those before it, in pp."""

    model_config = ConfigDict(frozen=True)

    treatment: str
    letter: str
    from_column: str
    to_column: str
    chosen: bool = Field(description="Whether the inputs say this treatment is given")
    benefit_pp: dict[int, float] = Field(description="Unrounded, percentage points")
    displayed_pp: dict[int, float] = Field(
        description="Rounded to 0.1 pp with R's rule, as the source displays it")
    if_added_pp: dict[int, float] | None = Field(
        None, description="Percentage points of overall survival gained by adding this "
        "treatment to the chosen plan: OS(chosen + it) - OS(chosen), unrounded. null when it "
        "is already chosen or does not apply (trastuzumab when HER2 is not positive, endocrine "
        "therapy when ER-negative), and for radiotherapy (its input also moves the baseline "
        "in 3.x); chemotherapy not chosen is added as third generation")
    benefit_low_pp: dict[int, float] | None = Field(
        None, description="Low end of the benefit's 95% range, pp, unrounded: this treatment's "
        "log hazard ratio at the low-benefit end of its range, the treatments before it at "
        "their central values, as the PREDICT 2.x web tool computes its ranges "
        "(WintonCentre/predict-v21-main, src/cljs/predict/models/predict.cljs). null where the "
        "version defines no range (3.x), the treatment is not chosen, or for the total")
    benefit_high_pp: dict[int, float] | None = Field(
        None, description="High end of the benefit's 95% range, pp, unrounded; as "
        "benefit_low_pp with the high-benefit end of the treatment's range")


class PredictResult(BaseModel):
    """One patient's PREDICT result: survival by treatment and the benefit of each treatment."""

    model_config = ConfigDict(frozen=True)

    model: ModelProvenance
    years: list[int]
    inputs: dict[str, float] = Field(description="Inputs as coded for the model (missing = 9/2)")
    surgery_only: SurvivalByTreatment
    steps: list[SurvivalByTreatment] = Field(
        description="Each treatment added in turn, the last one being all chosen treatments")
    benefits: list[TreatmentBenefit]
    total_benefit: TreatmentBenefit
    extended_steps: list[SurvivalByTreatment] | None = None
    extended_benefits: list[TreatmentBenefit] | None = None
    extended_total_benefit: TreatmentBenefit | None = None
    warnings: list[str] = Field(default_factory=list)


_NO_RANGE = {"benefit_low_pp": None, "benefit_high_pp": None}
_INPUT_NAMES = ("age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
                "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker")


def _chosen(letter: str, x: Mapping[str, float]) -> bool:
    return {
        "r": x["radio"] == 1, "h": x["horm"] == 1, "h10": x["horm"] == 1,
        "c": x["generation"] != 0, "t": x["traz"] == 1, "b": x["bis"] == 1,
    }[letter]


def _built(cls: type[M], **values: object) -> M:
    """A model from values the engine produced, every field given, without re-validation
    (what ``model_construct`` does, less its alias and default handling: these models have
    neither aliases nor hooks). tests/models/predict: each result re-validates to itself."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def _rows(values: np.ndarray, at: Sequence[int]) -> list[list[float]]:
    """A [patient, year] array at year positions ``at``, as Python lists (one call a batch)."""
    return values[:, list(at)].tolist()


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
    last = v.column_terms[v.columns.index(v.ladders["standard"][-1])]
    letters = {t for terms in v.column_terms for t in terms} & set(_ADDABLE)
    return frozenset({t for t in letters if _chosen(t, x)} | ({"r"} & set(last)))


def _applies(letter: str, x: Mapping[str, float]) -> bool:
    """Whether adding ``letter`` can change survival (PREDICT's own conditions)."""
    return {"h": x["er"] == 1, "t": x["her2"] == 1}.get(letter, True)


def every_treatment_on(v: PredictVersion, inputs: Mapping[str, np.ndarray]
                       ) -> tuple[dict[str, np.ndarray], list[str]]:
    """Inputs with each treatment that applies switched on (chemotherapy not chosen as third
    generation), and the columns that give OS(chosen) and OS(chosen + one treatment) for
    every patient; ``compute`` of these gives the ``added`` output of :func:`results`.

    Source: PREDICT's treatment terms apply only to the columns that name them, so a column of
    this run equals the same column of the plan's own run (tests/models/predict)."""
    x = {k: np.asarray(val, dtype=float) for k, val in inputs.items()}
    letters = {t for terms in v.column_terms for t in terms}
    by_terms = {frozenset(terms): name for name, terms in zip(v.columns, v.column_terms,
                                                              strict=True)}
    x["generation"] = np.where(x["generation"] == 0, 3.0, x["generation"])
    x["horm"] = np.where(x["er"] == 1, 1.0, x["horm"])
    x["traz"] = np.where(x["her2"] == 1, 1.0, x["traz"])
    x["bis"] = np.ones_like(x["bis"])
    names = ("radio", "horm", "generation", "traz", "bis")  # all a plan depends on
    wanted: set[str] = set()
    rows = np.stack([np.asarray(inputs[k], dtype=float) for k in names], axis=1)
    for row in np.unique(rows, axis=0).tolist():  # at most a few dozen distinct plans
        plan = _plan(v, dict(zip(names, row, strict=True)))
        for extra in [set(), *({t} for t in letters & set(_ADDABLE) if t not in plan)]:
            name = by_terms.get(plan | extra)
            if name is not None:
                wanted.add(name)
    return x, sorted(wanted, key=v.columns.index)


def _if_added(v: PredictVersion, added: PredictOutput, years: Sequence[int],
              x: Mapping[str, float], i: int) -> dict[str, dict[int, float] | None]:
    """Gain of adding each treatment to patient ``i``'s chosen plan, or None."""
    by_terms = {frozenset(terms): name for name, terms in zip(v.columns, v.column_terms,
                                                              strict=True)}
    plan = _plan(v, x)
    base = by_terms.get(plan)
    out: dict[str, dict[int, float] | None] = {}
    for letter in _ADDABLE:
        name = by_terms.get(plan | {letter})
        if letter in plan or base is None or name is None or not _applies(letter, x):
            out[letter] = None
            continue
        gain = 100.0 * (added.all_cause[i, added.col(base)] - added.all_cause[i, added.col(name)])
        out[letter] = {t: float(gain[added.year(t)]) for t in years}
    return out


def results(out: PredictOutput, years: Sequence[int] = REPORT_YEARS,
            added: PredictOutput | None = None) -> list[PredictResult]:
    """Typed results, one per patient of a batch (for presentation; the maths is columnar).

    Every figure is computed once for the whole batch; each patient then takes its rows, so
    the cost grows linearly with the batch. ``added`` (the output of the inputs and columns
    :func:`every_treatment_on` gives, same patients) fills each benefit's ``if_added_pp``."""
    v = out.version
    if v.logic["output"] not in ("benefit_matrix", "survival"):
        raise InputError([FieldProblem(
            "version", v.id, "gives no survival by treatment; use compute() and flat_columns()")])
    years = [t for t in years if t in out.years]
    at = [out.years.index(t) for t in years]
    warn: dict[int, list[str]] = {}
    for message, rows in out.warnings.items():
        for i in rows:
            warn.setdefault(int(i), []).append(message)
    provenance = ModelProvenance.of(v)
    names = [k for k in _INPUT_NAMES if k in out.inputs]
    inputs = np.stack([np.asarray(out.inputs[k], dtype=float) for k in names], axis=1).tolist()
    columns = sorted({c for steps in v.ladders.values() for c in steps}, key=v.columns.index)
    years_of = tuple(years)
    breast, other = required(out.breast, "breast"), required(out.other, "other")
    figures = {c: (_rows(100.0 * (1.0 - out.all_cause[:, out.col(c)]), at),
                   _rows(100.0 * breast[:, out.col(c)], at),
                   _rows(100.0 * other[:, out.col(c)], at)) for c in columns}
    treatments = {c: [TREATMENT_NAMES[x] for x in v.column_terms[v.columns.index(c)]]
                  for c in columns}
    steps_of: dict[str, tuple[tuple[str, ...], list[tuple[str, str, str]],
                              list[list[list[float]]], list[list[list[float]]]]] = {}
    for ladder, ladder_columns in v.ladders.items():
        pairs = [(a, b, _added_letter(v, a, b)) for a, b in itertools.pairwise(ladder_columns)]
        pairs.append((ladder_columns[0], ladder_columns[-1], "all chosen"))
        gains = [out.benefit_vs(b, a) for a, b, _ in pairs]
        steps_of[ladder] = (ladder_columns, pairs, [_rows(x, at) for x in gains],
                            [_rows(r_round(x, 1), at) for x in gains])

    def row(i: int, c: str) -> SurvivalByTreatment:
        os_, bcm, ocm = figures[c]
        return _built(
            SurvivalByTreatment, column=c, treatments=list(treatments[c]),
            overall_survival_pct=dict(zip(years_of, os_[i], strict=True)),
            breast_cancer_mortality_pct=dict(zip(years_of, bcm[i], strict=True)),
            other_cause_mortality_pct=dict(zip(years_of, ocm[i], strict=True)),
        )

    bounds = benefit_ranges(out, years_of)
    found = []
    for i in range(out.n):
        x = dict(zip(names, inputs[i], strict=True))
        if_added = _if_added(v, added, years_of, x, i) if added is not None else {}
        ladders: dict[str, tuple[list[SurvivalByTreatment], list[TreatmentBenefit],
                                 TreatmentBenefit]] = {}
        for ladder, (columns_of, pairs, values, shown) in steps_of.items():
            bens = [
                _built(
                    TreatmentBenefit, treatment=TREATMENT_NAMES.get(letter, letter),
                    letter=letter, from_column=a, to_column=b,
                    chosen=letter == "all chosen" or _chosen(letter, x),
                    benefit_pp=dict(zip(years_of, value[i], strict=True)),
                    displayed_pp=dict(zip(years_of, disp[i], strict=True)),
                    if_added_pp=if_added.get(letter),
                    **(bounds.fields(i, a, b, letter != "all chosen" and _chosen(letter, x))
                       if bounds is not None else _NO_RANGE))
                for (a, b, letter), value, disp in zip(pairs, values, shown, strict=True)
            ]
            ladders[ladder] = ([row(i, c) for c in columns_of[1:]], bens[:-1], bens[-1])
        steps, bens, total = ladders["standard"]
        ext = ladders.get("extended")
        found.append(_built(
            PredictResult,
            model=provenance,
            years=list(years),
            inputs=x,
            surgery_only=row(i, v.ladders["standard"][0]),
            steps=steps,
            benefits=bens,
            total_benefit=total,
            extended_steps=ext[0] if ext else None,
            extended_benefits=ext[1] if ext else None,
            extended_total_benefit=ext[2] if ext else None,
            warnings=warn.get(i, []),
        ))
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
