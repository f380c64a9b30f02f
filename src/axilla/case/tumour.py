"""The primary tumour: invasive size(s), T4 extension, in-situ disease, grade, biomarkers.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast): T categories from the
greatest dimension of the largest invasive focus; Nottingham grade (Elston and Ellis 1991);
ER/PR positive at 1 % or more of stained nuclei (ASCO/CAP 2020). Codes: ``case/codes.py``;
ranges: ``case/ranges.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from axilla.case.codes import Grade, PrimaryKind, Receptor, T4Extension
from axilla.case.ranges import RANGES, bounded
from axilla.case.strict import StrictModel, problem

InvasiveSize = Annotated[float, Field(**RANGES["tumour.invasive_sizes_mm"].bounds())]


class Tumour(StrictModel):
    """The primary tumour: invasive size(s), T4 extension, in-situ disease, grade, biomarkers.

    ``invasive_sizes_mm`` lists the greatest dimension of each separate invasive tumour (more
    than one value = multiple tumours); in-situ extent is not entered here. ER/PR may be given
    as status, percent of stained nuclei (>= 1 % is positive), or both (they must agree).
    """

    primary: PrimaryKind = "invasive"
    invasive_sizes_mm: tuple[InvasiveSize, ...] = Field(
        (), description=f"Invasive foci ({RANGES['tumour.invasive_sizes_mm'].describe()})")
    t4_extension: T4Extension | None = None
    paget: bool = Field(False, description="Paget disease of the nipple present")
    grade: Grade | None = Field(None, description="Nottingham histological grade")
    er: Receptor | None = None
    pr: Receptor | None = None
    her2: Receptor | None = Field(None, description="equivocal after ISH = negative")
    er_percent: float | None = bounded("tumour.er_percent", description="ER, stained nuclei")
    pr_percent: float | None = bounded("tumour.pr_percent", description="PR, stained nuclei")
    ki67_percent: float | None = bounded("tumour.ki67_percent", description="Ki-67 index")
    oncotype_rs: int | None = bounded("tumour.oncotype_rs", description="Recurrence score")

    @model_validator(mode="after")
    def _consistent(self) -> Tumour:
        if self.primary == "invasive" and not self.invasive_sizes_mm and not self.t4_extension:
            raise problem("invasive_sizes_mm", (), "an invasive primary needs at least one "
                          "invasive size in mm or a T4 extension")
        if self.primary != "invasive":
            if self.invasive_sizes_mm:
                raise problem("invasive_sizes_mm", self.invasive_sizes_mm,
                              f"no invasive size allowed when primary is {self.primary!r}")
            if self.t4_extension:
                raise problem("t4_extension", self.t4_extension,
                              f"no T4 extension allowed when primary is {self.primary!r}")
            if self.oncotype_rs is not None:
                raise problem("oncotype_rs", self.oncotype_rs,
                              "a recurrence score needs an invasive primary")
        for name in ("er", "pr"):
            status, pct = getattr(self, name), getattr(self, f"{name}_percent")
            if status is not None and pct is not None and (pct >= 1) != (status == "positive"):
                raise problem(f"{name}_percent", pct, f"{name} is {status} but {pct:g} % of "
                              "nuclei stained (positive means at least 1 %)")
        return self

    def receptor(self, name: Literal["er", "pr"]) -> Receptor | None:
        """ER or PR status, from the status or else from the percent (>= 1 % positive)."""
        status, pct = getattr(self, name), getattr(self, f"{name}_percent")
        if status is not None:
            return status
        if pct is not None:
            return "positive" if pct >= 1 else "negative"
        return None
