"""Typed PREDICT results for one patient, with the model version and source attached.

Built from the columnar output of :func:`axilla.models.predict.compute`; a single patient is a
batch of one, so these objects and a cohort run always agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from axilla.case.predict import PredictInputs
from axilla.errors import FieldProblem, InputError
from axilla.models.predict.engine import PredictOutput, compute
from axilla.models.predict.tables import r_round
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

REPORT_YEARS = (5, 10, 15)

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


def _chosen(letter: str, x: Mapping[str, float]) -> bool:
    return {
        "r": x["radio"] == 1, "h": x["horm"] == 1, "h10": x["horm"] == 1,
        "c": x["generation"] != 0, "t": x["traz"] == 1, "b": x["bis"] == 1,
    }[letter]


def _by_year(
    values: np.ndarray, years: Sequence[int], all_years: Sequence[int]
) -> dict[int, float]:
    return {t: float(values[list(all_years).index(t)]) for t in years}


def _row(out: PredictOutput, i: int, column: str, years: Sequence[int]) -> SurvivalByTreatment:
    j = out.col(column)
    letters = out.version.column_terms[out.version.columns.index(column)]
    return SurvivalByTreatment(
        column=column,
        treatments=[TREATMENT_NAMES[x] for x in letters],
        overall_survival_pct=_by_year(100.0 * (1.0 - out.all_cause[i, j]), years, out.years),
        breast_cancer_mortality_pct=_by_year(100.0 * out.breast[i, j], years, out.years),
        other_cause_mortality_pct=_by_year(100.0 * out.other[i, j], years, out.years),
    )


def _benefit(out: PredictOutput, i: int, a: str, b: str, letter: str, chosen: bool,
             years: Sequence[int]) -> TreatmentBenefit:
    values = out.benefit_vs(b, a)[i]
    return TreatmentBenefit(
        treatment=TREATMENT_NAMES.get(letter, letter), letter=letter, from_column=a, to_column=b,
        chosen=chosen, benefit_pp=_by_year(values, years, out.years),
        displayed_pp=_by_year(r_round(values, 1), years, out.years),
    )


def _added_letter(v: PredictVersion, a: str, b: str) -> str:
    before = set(v.column_terms[v.columns.index(a)])
    after = [x for x in v.column_terms[v.columns.index(b)] if x not in before]
    return after[0] if len(after) == 1 else "+".join(after)


def results(out: PredictOutput, years: Sequence[int] = REPORT_YEARS) -> list[PredictResult]:
    """Typed results, one per patient of a batch (for presentation; the maths is columnar)."""
    v = out.version
    if v.logic["output"] not in ("benefit_matrix", "survival"):
        raise InputError([FieldProblem(
            "version", v.id, "gives no survival by treatment; use compute() and flat_columns()")])
    years = [t for t in years if t in out.years]
    names = ("age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
             "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker")
    warn: dict[int, list[str]] = {}
    for message, rows in out.warnings.items():
        for i in rows:
            warn.setdefault(int(i), []).append(message)
    found = []
    for i in range(out.n):
        x = {k: float(out.inputs[k][i]) for k in names if k in out.inputs}
        ladders = {}
        for ladder in ("standard", "extended"):
            steps = v.ladders.get(ladder)
            if not steps:
                continue
            rows = [_row(out, i, c, years) for c in steps[1:]]
            bens = []
            for a, b in itertools.pairwise(steps):
                letter = _added_letter(v, a, b)
                bens.append(_benefit(out, i, a, b, letter, _chosen(letter, x), years))
            total = _benefit(out, i, steps[0], steps[-1], "all chosen", True, years)
            ladders[ladder] = (rows, bens, total)
        steps, bens, total = ladders["standard"]
        ext = ladders.get("extended")
        found.append(PredictResult(
            model=ModelProvenance.of(v),
            years=list(years),
            inputs=x,
            surgery_only=_row(out, i, v.ladders["standard"][0], years),
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
