"""Recurrence vocabulary: a recurrence event, and the facts the recurrence risk summary reads.

Source: docs/recurrence.md; spec recurrence.md §1 (event definitions, what to record for each
event) and §5 (risk-factor definitions); guidance spec §0.2 and §Q (field names used by the
recurrence rules). Anatomical terms follow the AJCC 8th edition regional-node definitions:
cervical, contralateral axillary and contralateral internal mammary nodes are distant (M1).

Every refusal raises ``InputError`` naming the field, the value and the valid range.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from axilla.case.strict import StrictModel
from axilla.errors import FieldProblem, InputError

# --------------------------------------------------------------------------------------------
# Sites of new disease (recurrence.md §1 and §2). The side relative to the primary is part of
# the site name wherever it changes the class (a contralateral axillary node is distant).
# --------------------------------------------------------------------------------------------

#: Local sites: the treated breast (incl. its skin and nipple) after breast-conserving surgery,
#: the chest wall (skin, subcutaneous tissue, pectoral muscle, scar) after mastectomy.
LOCAL_SITES: tuple[str, ...] = ("ipsilateral_breast", "ipsilateral_chest_wall")

#: Regional sites: ipsilateral regional nodes (AJCC 8th), and the soft tissue at or near the
#: axillary scar (an axillary recurrence whether or not a node is identified in it).
REGIONAL_SITES: tuple[str, ...] = (
    "ipsilateral_axillary_nodes",  # levels I-II (and intramammary nodes)
    "ipsilateral_infraclavicular_nodes",  # axillary level III
    "ipsilateral_internal_mammary_nodes",
    "ipsilateral_supraclavicular_nodes",
    "ipsilateral_axillary_scar_soft_tissue",
)

#: In-transit deposits: skin or subcutaneous tissue between the tumour bed and the regional
#: nodes (lymphatic spread); locoregional, neither breast/chest wall alone nor a node.
IN_TRANSIT_SITES: tuple[str, ...] = ("ipsilateral_in_transit",)

#: The opposite breast: a new (second) primary unless there is evidence of metastasis.
CONTRALATERAL_BREAST_SITES: tuple[str, ...] = ("contralateral_breast",)

#: Distant sites, including non-regional nodes (M1 in AJCC 8th).
DISTANT_SITES: tuple[str, ...] = (
    "bone",
    "bone_marrow",
    "lung",
    "pleura",
    "liver",
    "brain",
    "meninges",
    "distant_soft_tissue_skin",
    "peritoneum",
    "gastrointestinal_tract",
    "ovary",
    "cervical_nodes",
    "contralateral_axillary_nodes",
    "contralateral_internal_mammary_nodes",
    "contralateral_supraclavicular_nodes",
    "other_non_regional_nodes",
    "other_distant",
)

ALL_SITES: tuple[str, ...] = (
    *LOCAL_SITES, *REGIONAL_SITES, *IN_TRANSIT_SITES, *CONTRALATERAL_BREAST_SITES, *DISTANT_SITES
)

RecurrenceSite = Literal[ALL_SITES]  # type: ignore[valid-type]  # the sites listed above

BreastSurgery = Literal["bcs", "mastectomy", "none"]
ReceptorStatus = Literal["positive", "negative"]
SameOrDifferent = Literal["same", "different"]

#: How the new disease relates to the primary treatment: progression or residual disease while
#: that treatment is under way, or recurrence after a disease-free interval.
DISEASE_COURSES: tuple[str, ...] = (
    "progression_on_treatment",
    "residual_disease",
    "recurrence_after_disease_free_interval",
)
DiseaseCourse = Literal[DISEASE_COURSES]  # type: ignore[valid-type]  # the courses listed above

#: Longest interval accepted between the primary diagnosis and a recurrence, months (60 years).
MAX_INTERVAL_MONTHS = 720.0

# Valid ranges stated in error messages, by field name.
_VALID: dict[str, str] = {
    "sites": "one or more of " + ", ".join(ALL_SITES) + ", each once",
    "months_since_primary_diagnosis": f"0 to {MAX_INTERVAL_MONTHS:g} months, or empty if unknown",
    "months_since_primary_surgery": f"0 to {MAX_INTERVAL_MONTHS:g} months, or empty if unknown",
    "radial_margin_min_mm": "0 to 200 mm (0 = tumour on ink), or empty if unknown",
    "macromet_nodes_total": "a whole number 0 to 100, or empty if unknown",
    "size_mm": "0 to 500 mm (invasive size), or empty if unknown",
    "age_years": "18 to 110 years, or empty if unknown",
    "bmi": "10 to 90 kg/m2, or empty if unknown",
    "alcohol_units_per_week": "0 to 300 UK units a week, or empty if unknown",
    "pn_category": "an AJCC 8th pN category such as pN0, pN0(i+), pN1mi, pN1a ... pN3c "
    "(optionally yp-, with (sn) or (f)), or empty if unknown",
}


def _problems_from(exc: ValidationError) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    errors = exc.errors()
    item_errors = {e["loc"][0] for e in errors if len(e.get("loc", ())) > 1}
    for err in errors:
        if err["type"] == "too_short" and err["loc"] and err["loc"][0] in item_errors:
            continue  # the refused items already explain why the list came out short
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, InputError):
            problems.extend(cause.problems)
            continue
        loc = err.get("loc", ())
        name = str(loc[0]) if loc else "input"
        where = name + "".join(f"[{part}]" for part in loc[1:])
        valid = _VALID.get(name)
        reason = err.get("msg", "invalid")
        if valid and err["type"] != "literal_error" and "valid:" not in reason:
            reason = f"{reason}; valid: {valid}"
        problems.append(FieldProblem(where, err.get("input"), reason))
    return problems


class _Vocabulary(StrictModel):
    """Frozen input record whose refusals are ``InputError`` with field-level problems."""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InputError(_problems_from(exc)) from None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> _Vocabulary:
        """Build from a mapping (a CSV row, a JSON object); empty strings mean unknown."""
        return cls(**{k: (None if v == "" else v) for k, v in data.items()})


# --------------------------------------------------------------------------------------------
# 1. A recurrence event (recurrence.md §1 "Record for each event"; guidance §0.2 and §Q fields)
# --------------------------------------------------------------------------------------------


class RecurrenceEvent(_Vocabulary):
    """New disease found after treatment of a primary breast cancer (recurrence.md §1)."""

    sites: tuple[RecurrenceSite, ...] = Field(
        min_length=1, description="Sites of the new disease, side relative to the primary"
    )
    event_date: date | None = Field(None, description="Date the new disease was found")
    months_since_primary_diagnosis: float | None = Field(
        None, ge=0, le=MAX_INTERVAL_MONTHS, description="Interval from primary diagnosis, months"
    )
    months_since_primary_surgery: float | None = Field(
        None, ge=0, le=MAX_INTERVAL_MONTHS, description="Interval from primary surgery, months"
    )
    breast_surgery: BreastSurgery | None = Field(
        None, description="Breast operation done for the primary (guidance §0.2)"
    )
    prior_breast_rt: bool | None = Field(
        None, description="Breast or chest-wall radiotherapy given for the primary"
    )
    prior_axillary_surgery: Literal["none", "slnb", "anc"] | None = Field(
        None, description="Axillary surgery for the primary: none, sentinel biopsy, clearance"
    )
    prior_regional_nodal_rt: bool | None = Field(
        None, description="Axillary / regional nodal radiotherapy given for the primary"
    )
    location_in_breast: Literal["at_or_near_tumour_bed", "remote_different_quadrant"] | None = (
        Field(None, description="For an ipsilateral breast event: where it lies")
    )
    histology: Literal["nst", "lobular", "other", "dcis"] | None = Field(
        None, description="Histology of the recurrence"
    )
    histology_vs_primary: SameOrDifferent | None = Field(
        None, description="Histological type compared with the primary"
    )
    er_status: ReceptorStatus | None = Field(None, description="ER of the recurrence")
    pr_status: ReceptorStatus | None = Field(None, description="PR of the recurrence")
    her2_status: ReceptorStatus | None = Field(None, description="HER2 of the recurrence")
    receptors_vs_primary: SameOrDifferent | None = Field(
        None, description="ER/PR/HER2 profile compared with the primary"
    )
    pathology_confirmed: bool = Field(
        False, description="Confirmed on biopsy or cytology (else the class stays suspected)"
    )
    restaging_complete: bool = Field(
        False, description="Full restaging done (CT chest/abdomen/pelvis + bone, or PET-CT)"
    )
    distant_disease_suspected: bool = Field(
        False, description="Symptoms or imaging suggest distant disease not yet confirmed"
    )
    spinal_metastases_suspected: bool = Field(False, description="Spinal metastases suspected")
    on_adjuvant_chemotherapy: bool = Field(
        False, description="Found while (neo)adjuvant chemotherapy was under way"
    )
    on_primary_treatment: bool | None = Field(
        None,
        description="Found while the planned primary treatment (surgery, chemotherapy, "
        "radiotherapy, HER2-targeted therapy) was still under way; long-term adjuvant endocrine "
        "therapy alone does not count",
    )
    disease_course: DiseaseCourse | None = Field(
        None,
        description="Progression or residual disease on primary treatment, or recurrence after "
        "a disease-free interval",
    )
    uncontrolled_local_disease: bool = Field(
        False, description="Fungating, ulcerating or otherwise uncontrolled local disease"
    )
    second_non_breast_primary: bool = Field(
        False, description="The new disease is a different (non-breast) cancer"
    )
    metastatic_at_primary_diagnosis: bool = Field(
        False, description="Stage IV at first diagnosis (de novo metastatic, not a recurrence)"
    )

    @field_validator("sites")
    @classmethod
    def _unique_sites(cls, sites: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({s for s in sites if sites.count(s) > 1})
        if repeated:
            raise InputError([FieldProblem(
                "sites", list(sites), f"each site once; repeated: {', '.join(repeated)}"
            )])
        return sites

    @model_validator(mode="after")
    def _consistent(self) -> RecurrenceEvent:
        problems: list[FieldProblem] = []
        if "ipsilateral_breast" in self.sites and self.breast_surgery == "mastectomy":
            problems.append(FieldProblem(
                "sites", list(self.sites),
                "after mastectomy a local recurrence is on the chest wall: use "
                "ipsilateral_chest_wall, not ipsilateral_breast",
            ))
        if self.location_in_breast is not None and "ipsilateral_breast" not in self.sites:
            problems.append(FieldProblem(
                "location_in_breast", self.location_in_breast,
                "only for an event in the ipsilateral breast (sites must include "
                "ipsilateral_breast); leave empty otherwise",
            ))
        d, s = self.months_since_primary_diagnosis, self.months_since_primary_surgery
        if d is not None and s is not None and s > d:
            problems.append(FieldProblem(
                "months_since_primary_surgery", s,
                f"surgery follows diagnosis, so this must be at most "
                f"months_since_primary_diagnosis ({d:g})",
            ))
        if self.on_adjuvant_chemotherapy and self.on_primary_treatment is False:
            problems.append(FieldProblem(
                "on_primary_treatment", False,
                "(neo)adjuvant chemotherapy is primary treatment: with on_adjuvant_chemotherapy "
                "true this must be true or empty",
            ))
        if (self.disease_course == "recurrence_after_disease_free_interval"
                and (self.on_adjuvant_chemotherapy or self.on_primary_treatment)):
            problems.append(FieldProblem(
                "disease_course", self.disease_course,
                "there is no disease-free interval while primary treatment is under way: use "
                "progression_on_treatment or residual_disease",
            ))
        if self.second_non_breast_primary and self.metastatic_at_primary_diagnosis:
            problems.append(FieldProblem(
                "metastatic_at_primary_diagnosis", True,
                "cannot also be a second non-breast primary; choose one",
            ))
        if problems:
            raise InputError(problems)
        return self


# --------------------------------------------------------------------------------------------
# 2. Inputs of the structured risk-factor summary (recurrence.md §5)
# --------------------------------------------------------------------------------------------

TCategory = Literal[
    "TX", "Tis", "T0", "T1mi", "T1a", "T1b", "T1c", "T1", "T2", "T3",
    "T4", "T4a", "T4b", "T4c", "T4d",
]

PN_CATEGORIES: tuple[str, ...] = (
    "pNX", "pN0", "pN0(i+)", "pN0(mol+)", "pN1mi", "pN1", "pN1a", "pN1b", "pN1c",
    "pN2", "pN2a", "pN2b", "pN3", "pN3a", "pN3b", "pN3c",
)
_PN_PATTERN = re.compile(r"^(y?p)(N[^ ()]*(?:\((?:i\+|mol\+)\))?)(\((?:sn|f)\))?$")


def normalise_pn_category(value: str) -> str:
    """The bare pN category of a label with a ``yp`` prefix or an (sn)/(f) suffix removed."""
    m = _PN_PATTERN.match(value.strip())
    if not m or f"p{m.group(2)}" not in PN_CATEGORIES:
        raise ValueError(value)
    return f"p{m.group(2)}"


class RecurrenceRiskInputs(_Vocabulary):
    """The case facts the recurrence risk-factor summary reads; None = not known.

    Source: recurrence.md §5 (factor definitions); field names of guidance §0.2.
    """

    case_id: str | None = None
    breast_surgery: BreastSurgery | None = None
    radial_margin_min_mm: float | None = Field(None, ge=0, le=200)
    dcis_only: bool | None = Field(None, description="Pure DCIS, no invasive carcinoma")
    histology: Literal["nst", "lobular", "other"] | None = None
    breast_rt_given: bool | None = Field(
        None, description="Whole- or partial-breast RT given after BCS (False if declined)"
    )
    macromet_nodes_total: int | None = Field(None, ge=0, le=100)
    pn_category: str | None = Field(None, description="AJCC 8th pN, e.g. pN1mi")
    size_mm: float | None = Field(None, ge=0, le=500, description="Invasive size")
    t_category: TCategory | None = None
    age_years: float | None = Field(None, ge=18, le=110)
    grade: Literal[1, 2, 3] | None = None
    er_status: ReceptorStatus | None = None
    pr_status: ReceptorStatus | None = None
    her2_status: ReceptorStatus | None = None
    anti_her2_therapy_given: bool | None = None
    lvi: bool | None = Field(None, description="Lymphovascular invasion present")
    multifocal: bool | None = None
    extranodal_extension: bool | None = None
    neoadjuvant_chemo_given: bool | None = None
    residual_invasive_disease: bool | None = Field(
        None, description="Residual invasive disease after neoadjuvant therapy (no pCR)"
    )
    endocrine_therapy_taken: bool | None = None
    endocrine_therapy_5y_planned: bool | None = None
    chemotherapy_recommended: bool | None = None
    chemotherapy_given: bool | None = None
    germline_brca: Literal["brca1", "brca2", "negative", "unknown"] | None = None
    bmi: float | None = Field(None, ge=10, le=90)
    alcohol_units_per_week: float | None = Field(None, ge=0, le=300)
    physically_inactive: bool | None = None

    @field_validator("pn_category")
    @classmethod
    def _pn(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_pn_category(value)
        except ValueError:
            raise InputError([FieldProblem(
                "pn_category", value, f"not recognised; valid: {_VALID['pn_category']}"
            )]) from None

    @model_validator(mode="after")
    def _consistent(self) -> RecurrenceRiskInputs:
        problems: list[FieldProblem] = []
        if self.dcis_only and self.size_mm not in (None, 0):
            problems.append(FieldProblem(
                "size_mm", self.size_mm,
                "is the invasive size; with dcis_only it must be 0 or empty",
            ))
        if problems:
            raise InputError(problems)
        return self
