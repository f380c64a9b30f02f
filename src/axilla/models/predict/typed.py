"""PREDICT's typed results: survival by treatment column and the benefit of each treatment.

The shapes a patient's PREDICT result takes in an assessment and over the API; the figures are
filled by ``axilla.models.predict.results``. Column and treatment names are the source's
(WintonCentre/predict-v30-r, ``benefits*`` functions).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from axilla.models.predict.versions import PredictVersion
from axilla.typed import new, set_dict, set_extra, set_fields_set, set_private

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


@functools.lru_cache(maxsize=16)
def per_year_dict(years: tuple[int, ...]) -> Callable[..., dict[int, float]]:
    """A function of one value a year returning {year: value}. Written as a dict display
    with the years as constant keys, which CPython builds in one step: half the time of
    ``dict(zip(years, values))``, and a result holds some fifty of these dicts."""
    names = [f"v{j}" for j in range(len(years))]
    pairs = ", ".join(f"{int(t)}: {name}" for t, name in zip(years, names, strict=True))
    return eval(f"lambda {', '.join(names)}: {{{pairs}}}")  # whole numbers and names only


@functools.lru_cache(maxsize=256)
def positions(have: tuple[int, ...], want: tuple[int, ...]) -> np.ndarray | slice:
    """Where each of ``want`` is in ``have``, as an index (read-only: it is shared), or a
    slice when that is all of ``have`` in order (a view, no copy)."""
    at = [have.index(t) for t in want]
    if at == list(range(len(have))):
        return slice(None)
    found = np.array(at, dtype=np.intp)
    found.flags.writeable = False
    return found


@functools.lru_cache(maxsize=256)
def kept_years(have: tuple[int, ...], years: tuple[int, ...]) -> tuple[int, ...]:
    """The ``years`` asked for that a run kept, in the order asked."""
    return tuple(int(t) for t in years if t in have)


_FIELDS: dict[type[BaseModel], frozenset[str]] = {
    cls: frozenset(cls.model_fields)
    for cls in (SurvivalByTreatment, TreatmentBenefit, PredictResult)}


def record(cls: type[M], values: dict[str, object]) -> M:
    """:func:`axilla.typed.built` of ``values``, which give every field of ``cls``: the
    set of fields set is copied from one made once per class."""
    obj = new(cls)
    set_dict(obj, values)
    set_fields_set(obj, set(_FIELDS[cls]))
    set_extra(obj, None)
    set_private(obj, None)
    return obj
