"""Choices on points the staging specification marks UNCERTAIN, with their defaults.

Source: docs/staging.md section "Choices on uncertain points" (which restates the project's
staging specification, section 9). Every default is the specification's stated default.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StagingOptions(BaseModel):
    """How staging resolves the points the sources leave open. Defaults = the spec's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system: Literal["AJCC8", "UICC8"] = Field(
        "AJCC8",
        description="Staging system: AJCC 8th edition (revised 2018), with prognostic stage "
        "groups; or UICC TNM 8, which the Royal College of Pathologists' dataset asks UK "
        "pathologists to use (anatomic stage only, pT rounded to the nearest millimetre, no "
        "(f) suffix).",
    )
    ene_in_deposit_size: bool = Field(
        True,
        description="Measure a node's whole contiguous deposit including any part outside the "
        "capsule (True); False uses intranodal_deposit_mm where it is given.",
    )
    micro_only_four_or_more: Literal["pN1mi", "by_count"] = Field(
        "pN1mi",
        description="Four or more nodes that all hold micrometastases only: pN1mi (SEER EOD, "
        "CAMELYON17) or by node count (pN2a/pN3a).",
    )
    t_half_mm: Literal["up", "down"] = Field(
        "up", description="Tumour sizes at exactly x.5 mm (from 2 mm upward) round up or down."
    )
    itc_after_neoadjuvant_is_residual: bool = Field(
        True,
        description="ypT0 with ypN0(i+) is not a complete pathological response (True) or is "
        "(False). No stage group is assigned either way.",
    )
    oncotype_scope: Literal["ajcc", "seer"] = Field(
        "ajcc",
        description="Recurrence score < 11 -> IA applies to T1-T2 N0 M0 (AJCC text) or also to "
        "T0-T1 N1 (SEER EOD table encoding).",
    )

    def non_default(self) -> dict[str, object]:
        """The options that differ from the defaults (for provenance)."""
        return {k: v for k, v in self.model_dump().items() if _DEFAULTS[k] != v}


#: The default of each option, read once (the options are frozen).
_DEFAULTS = dict(StagingOptions())
