"""The assessment of one case: typed sections of figures, then the words and pictures.

Source: the project design ("figures apart from words"): ``Figures`` is what ``compute``
gives (staging, PREDICT, indices, guidance, recurrence; numbers with their provenance), and an
``Assessment`` adds what ``present`` gives (explanations and charts). JSON schema:
docs/assessment.schema.json (``axilla assess --schema``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from axilla.case.assessment import CASE_SCHEMA_VERSION
from axilla.explain.questions import PatientQuestion
from axilla.guidance import GuidanceResult
from axilla.models.cts5 import CTS5Result
from axilla.models.npi import NPIResult
from axilla.models.predict.results import PredictResult
from axilla.recurrence import RecurrenceClassification, RiskFactorSummary
from axilla.staging import StagingResult

ASSESSMENT_SCHEMA_VERSION = "1.3"
_FROZEN = ConfigDict(frozen=True)


class Provenance(BaseModel):
    """What produced an assessment: software, model and rule-set versions, the exact input."""

    model_config = _FROZEN

    axilla_version: str
    assessment_schema_version: str = ASSESSMENT_SCHEMA_VERSION
    case_schema_version: str = CASE_SCHEMA_VERSION
    staging_edition: str
    predict_version: str | None
    predict_source: str | None
    ruleset_version: str
    input_sha256: str


class Explanation(BaseModel):
    """One result in two voices: a clinician's line and a patient's sentence."""

    model_config = _FROZEN

    topic: str
    clinician: str
    patient: str
    glossary_terms: list[str] = Field(default_factory=list)


class PredictSection(BaseModel):
    """PREDICT Breast for this case, or why it does not apply (reasons for people)."""

    model_config = _FROZEN

    applicable: bool
    not_applicable_reasons: list[str] = Field(default_factory=list)
    inputs: dict[str, float] | None = Field(None, description="As coded for the model")
    result: PredictResult | None = None


class NPISection(BaseModel):
    """The Nottingham Prognostic Index of this case, or why it does not apply."""

    model_config = _FROZEN

    name: Literal["NPI"] = "NPI"
    applicable: bool
    not_applicable_reasons: list[str] = Field(default_factory=list)
    result: NPIResult | None = None


class CTS5Section(BaseModel):
    """CTS5 (late distant recurrence) for this case, or why it does not apply."""

    model_config = _FROZEN

    name: Literal["CTS5"] = "CTS5"
    applicable: bool
    not_applicable_reasons: list[str] = Field(default_factory=list)
    result: CTS5Result | None = None


IndexSection = Annotated[NPISection | CTS5Section, Field(discriminator="name")]


class RecurrenceSection(BaseModel):
    """The recurrence risk-factor checklist (never a score) and the class of an event."""

    model_config = _FROZEN

    risk_factors: RiskFactorSummary
    event: RecurrenceClassification | None = None


class Charts(BaseModel):
    """Pictures as standalone SVG documents (no script), and the icon tallies they show."""

    model_config = _FROZEN

    icon_array_year: int | None = None
    icon_array_counts: dict[str, int] | None = Field(
        None, description="Icons out of 100 for each outcome; they sum to exactly 100")
    icon_array_svg: str | None = None
    survival_curves_svg: str | None = None
    stacked_bars_svg: str | None = Field(
        None, description="At 5, 10 and 15 years: alive with surgery only, extra alive with "
        "each chosen treatment, died of breast cancer, died of other causes")


class Figures(BaseModel):
    """What ``compute`` gives for one case: every figure with its provenance, no text."""

    model_config = _FROZEN

    schema_version: str = ASSESSMENT_SCHEMA_VERSION
    case_id: str | None
    provenance: Provenance
    staging: StagingResult
    predict: PredictSection
    indices: list[IndexSection]
    guidance: GuidanceResult
    recurrence: RecurrenceSection
    warnings: list[str] = Field(default_factory=list)

    @property
    def npi(self) -> NPISection:
        """The NPI section."""
        return next(i for i in self.indices if isinstance(i, NPISection))

    @property
    def cts5(self) -> CTS5Section:
        """The CTS5 section."""
        return next(i for i in self.indices if isinstance(i, CTS5Section))


class Assessment(Figures):
    """The whole assessment of one case: the figures, then explanations and charts."""

    explanations: list[Explanation]
    patient_questions: list[PatientQuestion] = Field(
        default_factory=list,
        description="The questions patients ask, each answered from this case in plain words "
        "(ids: axilla.explain.questions.QUESTION_IDS), in the order they are given")
    charts: Charts
