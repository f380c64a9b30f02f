"""One whole case, as a breast team knows it: patient, tumour, nodes, operation, treatment plan,
and a recurrence event when there is one.

It composes the staging vocabulary (``axilla.case.staging``) and the recurrence vocabulary
(``axilla.case.recurrence``). ``parse_case`` turns any refusal into an ``InputError`` whose
problems name the field (dotted path, e.g. ``nodes.0.deposit_mm``), the value and the range.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from axilla.case.recurrence import RecurrenceEvent
from axilla.case.staging import (
    ClinicalN,
    ClinicalT,
    MStatus,
    NodalProcedure,
    NodeFinding,
    StagingCase,
    Tumour,
    check_procedure_matches_nodes,
    input_error_from,
)
from axilla.errors import InputError

CASE_SCHEMA_VERSION = "1.0"
_FROZEN = ConfigDict(frozen=True, extra="forbid")

#: Ki-67 positivity as PREDICT defines it: more than 10 % of tumour cells stained
#: (Wishart GC et al., BMC Cancer 2014;14:908).
PREDICT_KI67_POSITIVE_ABOVE_PCT = 10.0


class Patient(BaseModel):
    """The person: age at diagnosis, sex, menopausal status, smoking."""

    model_config = _FROZEN

    age_years: float = Field(ge=18, le=110, description="Age at diagnosis, years (18-110)")
    sex: Literal["female", "male"] = "female"
    menopausal_status: Literal["pre", "peri", "post"] | None = None
    current_smoker: bool | None = Field(None, description="Current smoker (None = not known)")


class TreatmentPlan(BaseModel):
    """Breast surgery done and the adjuvant treatments chosen (or being weighed)."""

    model_config = _FROZEN

    breast_surgery: Literal["bcs", "mastectomy", "none"] | None = Field(
        None, description="bcs = breast-conserving surgery (wide local excision)")
    radial_margin_min_mm: float | None = Field(None, ge=0, le=200)
    chemotherapy: Literal["none", "second_generation", "third_generation"] = "none"
    endocrine_therapy: bool = False
    trastuzumab: bool = False
    bisphosphonates: bool = False
    radiotherapy: bool = False
    regional_nodal_radiotherapy: bool | None = None
    mean_heart_dose_gy: float | None = Field(None, ge=0, le=50)


class Case(BaseModel):
    """Everything axilla assesses about one patient."""

    model_config = _FROZEN

    case_id: str | None = Field(None, max_length=64, description="Local identifier, not PII")
    patient: Patient
    tumour: Tumour
    nodes: tuple[NodeFinding, ...] = ()
    procedure: NodalProcedure
    m: MStatus = "cM0"
    neoadjuvant: bool = Field(False, description="Systemic therapy before surgery")
    clinical_t: ClinicalT | None = None
    clinical_n: ClinicalN | None = None
    screen_detected: bool | None = Field(None, description="Found by screening (None = unknown)")
    histology: Literal["nst", "lobular", "other"] | None = None
    lymphovascular_invasion: bool | None = None
    treatment: TreatmentPlan = TreatmentPlan()
    recurrence: RecurrenceEvent | None = None
    guidance_facts: dict[str, Any] = Field(
        default_factory=dict,
        description="Further facts of the guidance field list (docs/guidance.md) that the case "
        "does not otherwise hold, e.g. axillary_us; they take precedence over derived ones.")

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        check_procedure_matches_nodes(self.procedure, self.nodes)
        return self

    def staging_case(self) -> StagingCase:
        return StagingCase(tumour=self.tumour, nodes=self.nodes, procedure=self.procedure,
                           m=self.m, neoadjuvant=self.neoadjuvant, clinical_t=self.clinical_t,
                           clinical_n=self.clinical_n)

    def invasive_size_mm(self) -> float | None:
        """The largest invasive focus, which PREDICT, NPI and CTS5 read as tumour size."""
        return max(self.tumour.invasive_sizes_mm) if self.tumour.invasive_sizes_mm else None

    def input_hash(self) -> str:
        """SHA-256 of the case's canonical JSON: ties an assessment to its exact input."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def parse_case(data: Mapping[str, Any]) -> Case:
    """Validate a case from a mapping (e.g. parsed JSON); refusals become ``InputError``."""
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise input_error_from(exc) from None
    except InputError:
        raise
