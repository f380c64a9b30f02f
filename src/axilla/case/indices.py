"""Inputs of the prognostic indices (NPI, CTS5, VNPI): one case as a frozen pydantic model.

Source: axilla indices specification (shared input conventions; NPI 1.2, CTS5 2.5, VNPI 5).
The rules, ranges and the columnar check live in ``case/index_rules.py`` (re-exported here);
one case is validated by the same check as a batch, so the two can never disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from axilla.case.index_rules import (
    CTS5_ENDOCRINE_YEARS_EXPECTED,
    CTS5_EXTRAPOLATION_BELOW_AGE_YEARS,
    GRADE,
    INDEX_INPUTS,
    NODE_COUNT,
    SIZE_MM,
    FlagRule,
    IndexColumnValidation,
    IndexName,
    InputField,
    NumberRule,
    Rule,
    validate_index_columns,
)
from axilla.errors import InputError

__all__ = [
    "CTS5_ENDOCRINE_YEARS_EXPECTED", "CTS5_EXTRAPOLATION_BELOW_AGE_YEARS", "GRADE",
    "INDEX_INPUTS", "NODE_COUNT", "SIZE_MM", "CTS5Inputs", "FlagRule", "IndexColumnValidation",
    "IndexName", "InputField", "NPIInputs", "NumberRule", "Rule", "VNPIInputs",
    "counted_positive_nodes", "validate_index_columns",
]


def counted_positive_nodes(
    positive_nodes: np.ndarray,
    micrometastatic_nodes: np.ndarray | None = None,
    *,
    count_micromets_as_positive: bool = True,
) -> np.ndarray:
    """Positive nodes an index counts under the micrometastasis policy.

    Source: spec shared conventions (TNM counts pN1mi as node-positive, the default; isolated
    tumour cells are never counted, NICE NG101 1.4.15, so they are not part of positive_nodes).
    """
    nodes = np.asarray(positive_nodes, dtype=float)
    if count_micromets_as_positive or micrometastatic_nodes is None:
        return nodes
    return nodes - np.asarray(micrometastatic_nodes, dtype=float)


# --------------------------------------------------------------------------------------------
# One case: frozen pydantic models.
# --------------------------------------------------------------------------------------------


class _IndexInputs(BaseModel):
    """Shared behaviour: refuse bad input with InputError before pydantic sees it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    INDEX: ClassVar[IndexName]

    def __init__(self, **data: Any) -> None:
        result = _validate_one(self.INDEX, data)
        if result.problems:
            raise InputError([p for _, p in result.problems])
        super().__init__(**data)

    @model_validator(mode="after")
    def _check(self) -> _IndexInputs:
        # Guards model_validate(), which does not pass through __init__.
        result = _validate_one(self.INDEX, self.__dict__)
        if result.problems:
            raise ValueError(str(InputError([p for _, p in result.problems])))
        return self

    def columns(self) -> dict[str, np.ndarray]:
        """The inputs as a batch of one (float arrays, defaults filled)."""
        return {k: v.copy() for k, v in _validate_one(self.INDEX, self.__dict__).columns.items()}

    def warnings(self) -> list[str]:
        """Applicability messages a clinician should see with the result."""
        return [w for _, w in _validate_one(self.INDEX, self.__dict__).warnings]


def _validate_one(index: IndexName, data: Mapping[str, Any]) -> IndexColumnValidation:
    """Validation of one case, remembered: a model is checked on creation and its columns and
    warnings are read afterwards, all from the same values."""
    try:
        key = (index, tuple(sorted(data.items())))
        hash(key)
    except TypeError:  # an unhashable value: validate without remembering
        return validate_index_columns(index, {k: [v] for k, v in data.items()})
    return _validate_one_cached(key)


@functools.lru_cache(maxsize=4096)
def _validate_one_cached(key: tuple[str, tuple[tuple[str, Any], ...]]) -> IndexColumnValidation:
    index, items = key
    return validate_index_columns(index, {k: [v] for k, v in items})  # type: ignore[arg-type]


class NPIInputs(_IndexInputs):
    """One case's Nottingham Prognostic Index inputs (spec 1.2)."""

    INDEX: ClassVar[IndexName] = "NPI"

    size_mm: float = Field(description="Invasive tumour size, mm (> 0; largest invasive focus)")
    positive_nodes: int = Field(description="Positive axillary nodes (ITC not counted), >= 0")
    grade: int = Field(description="Nottingham histological grade 1, 2 or 3")
    micrometastatic_nodes: int = Field(0, description="Of positive_nodes, micrometastases only")
    neoadjuvant_therapy: bool = Field(False, description="Systemic therapy before surgery")


class CTS5Inputs(_IndexInputs):
    """One case's CTS5 inputs (spec 2.5): ER-positive, about 5 years of endocrine therapy."""

    INDEX: ClassVar[IndexName] = "CTS5"

    age_years: float = Field(description="Age at diagnosis, years (18-100)")
    size_mm: float = Field(description="Invasive tumour size, mm (> 0)")
    grade: int = Field(description="Nottingham histological grade 1, 2 or 3")
    positive_nodes: int = Field(description="Positive axillary nodes (ITC not counted), >= 0")
    micrometastatic_nodes: int = Field(0, description="Of positive_nodes, micrometastases only")
    neoadjuvant_therapy: bool = Field(False, description="Systemic therapy before surgery")
    er_positive: bool = Field(True, description="ER-positive; False is refused")
    postmenopausal: bool | None = Field(None, description="Postmenopausal, if known")
    endocrine_therapy_years: float | None = Field(
        None, description="Years of endocrine therapy completed, if known"
    )
    distant_recurrence_free: bool | None = Field(
        None, description="Free of distant recurrence at 5 years, if known"
    )


class VNPIInputs(_IndexInputs):
    """One case's Van Nuys Prognostic Index inputs for pure DCIS (spec 5)."""

    INDEX: ClassVar[IndexName] = "VNPI"

    size_mm: float = Field(description="DCIS size, mm (> 0)")
    margin_mm: float = Field(description="Closest excision margin, mm (>= 0)")
    nuclear_grade: int = Field(description="Nuclear grade 1, 2 or 3")
    comedo_necrosis: bool = Field(description="Comedo-type necrosis present")
    age_years: float = Field(description="Age at diagnosis, years (18-120)")
