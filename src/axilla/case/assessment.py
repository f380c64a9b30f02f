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
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from axilla.case.codes import (
    BreastSurgery,
    Chemotherapy,
    ClinicalN,
    ClinicalT,
    Histology,
    MenopausalStatus,
    MStatus,
    Sex,
)
from axilla.case.facts import validate_facts
from axilla.case.nodes import NodeFinding
from axilla.case.problems import input_error, prefixed
from axilla.case.procedure import NodalProcedure
from axilla.case.ranges import bounded
from axilla.case.recurrence import RecurrenceEvent
from axilla.case.staging import StagingCase, check_procedure_matches_nodes
from axilla.case.strict import StrictModel
from axilla.case.tumour import Tumour
from axilla.errors import InputError
from axilla.typed import built

CASE_SCHEMA_VERSION = "1.0"

#: Ki-67 positivity as PREDICT defines it: more than 10 % of tumour cells stained
#: (Wishart GC et al., BMC Cancer 2014;14:908).
PREDICT_KI67_POSITIVE_ABOVE_PCT = 10.0


class Patient(StrictModel):
    """The person: age at diagnosis, sex, menopausal status, smoking."""

    age_years: float = bounded("patient.age_years", ..., "Age at diagnosis")
    sex: Sex = "female"
    menopausal_status: MenopausalStatus | None = None
    current_smoker: bool | None = Field(None, description="Current smoker (None = not known)")


class TreatmentPlan(StrictModel):
    """Breast surgery done and the adjuvant treatments chosen (or being weighed)."""

    breast_surgery: BreastSurgery | None = Field(
        None, description="bcs = breast-conserving surgery (wide local excision)")
    radial_margin_min_mm: float | None = bounded(
        "treatment.radial_margin_min_mm", description="Closest radial margin")
    chemotherapy: Chemotherapy = "none"
    endocrine_therapy: bool = False
    trastuzumab: bool = False
    bisphosphonates: bool = False
    radiotherapy: bool = False
    regional_nodal_radiotherapy: bool | None = None
    mean_heart_dose_gy: float | None = bounded(
        "treatment.mean_heart_dose_gy", description="Mean heart dose of radiotherapy")


class Case(StrictModel):
    """Everything axilla assesses about one patient."""

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
    histology: Histology | None = None
    lymphovascular_invasion: bool | None = None
    treatment: TreatmentPlan = TreatmentPlan()
    recurrence: RecurrenceEvent | None = None
    guidance_facts: dict[str, Any] = Field(
        default_factory=dict,
        description="Further facts of the guidance field list (docs/guidance.md) that the case "
        "does not otherwise hold, e.g. axillary_us; they take precedence over derived ones. "
        "Checked against the fact schema (case/fields.yaml) when the case is parsed.")

    @field_validator("guidance_facts")
    @classmethod
    def _known_facts(cls, facts: dict[str, Any]) -> dict[str, Any]:
        """Each fact checked against the schema now, under its full path (kept as given)."""
        try:
            validate_facts(facts)
        except InputError as exc:
            raise InputError(prefixed(exc.problems, "guidance_facts")) from None
        return facts

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        check_procedure_matches_nodes(self.procedure, self.nodes)
        return self

    def staging_case(self) -> StagingCase:
        """The staging part of the case.

        Built without validating again: every field is the same value of the same type as
        here, and the one cross-field rule (``check_procedure_matches_nodes``) passed when this
        case was parsed.
        """
        return built(StagingCase, {
            "tumour": self.tumour, "nodes": self.nodes, "procedure": self.procedure, "m": self.m,
            "neoadjuvant": self.neoadjuvant, "clinical_t": self.clinical_t,
            "clinical_n": self.clinical_n})

    def invasive_size_mm(self) -> float | None:
        """The largest invasive focus, which PREDICT, NPI and CTS5 read as tumour size."""
        return max(self.tumour.invasive_sizes_mm) if self.tumour.invasive_sizes_mm else None

    def input_hash(self) -> str:
        """SHA-256 of the case's canonical JSON: ties an assessment to its exact input."""
        text = _CANONICAL.encode(self.model_dump(mode="json"))
        return hashlib.sha256(text.encode()).hexdigest()


#: The canonical JSON of a case: keys sorted, no spaces (what ``json.dumps(..., sort_keys=True,
#: separators=(",", ":"))`` writes; a case's dump holds no cycle to look for).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False)


def parse_case(data: Mapping[str, Any]) -> Case:
    """Validate a case from a mapping (e.g. parsed JSON); refusals become ``InputError``."""
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc) from None
