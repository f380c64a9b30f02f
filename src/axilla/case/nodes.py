"""One regional lymph node (or nodal tumour nodule) as the pathologist reported it.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised form effective
1 January 2018: regional node sites, the largest contiguous deposit, cells in one cross-section,
extranodal extension, RT-PCR detection (restated in docs/staging.md). Codes: ``case/codes.py``;
ranges: ``case/ranges.py``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from axilla.case.codes import EXCISED, DetectionMethod, FoundBy, NodeSite
from axilla.case.ranges import RANGES, bounded
from axilla.case.strict import StrictModel, problem


class NodeFinding(StrictModel):
    """One regional lymph node (or nodal tumour nodule) as the pathologist reported it.

    ``deposit_mm`` is the greatest dimension of the largest contiguous tumour deposit in one
    cross-section (0 = no tumour); never the sum of separate clusters. ``cells_per_section`` is
    the largest number of tumour cells in a single cross-section, when counted. A positive node
    without a size may be given as ``tumour_present=True`` with no ``deposit_mm``.
    """

    site: NodeSite = "axillary"
    found_by: FoundBy = "dissection"
    clinically_detected: bool = False
    tumour_present: bool | None = Field(
        None, description="None = decided by deposit_mm / cells_per_section"
    )
    deposit_mm: float | None = bounded("nodes.deposit_mm", description="Largest deposit")
    cells_per_section: int | None = bounded(
        "nodes.cells_per_section", description="Most tumour cells in one cross-section")
    method: DetectionMethod = "he"
    extranodal_extension: bool = False
    intranodal_deposit_mm: float | None = bounded(
        "nodes.intranodal_deposit_mm", description="Part of the deposit inside the capsule "
        "(ENE only)")

    @model_validator(mode="after")
    def _consistent(self) -> NodeFinding:
        d, c = self.deposit_mm, self.cells_per_section
        if self.tumour_present is None and d is None and c is None:
            raise problem("deposit_mm", None,
                          "give the largest deposit in mm (0 for a negative node) or "
                          "tumour_present")
        if self.tumour_present is False:
            if d:
                raise problem("deposit_mm", d, "a node marked negative cannot have a deposit; "
                              "use 0 or mark the node positive")
            if c:
                raise problem("cells_per_section", c, "a node marked negative cannot have "
                              "tumour cells")
            if self.extranodal_extension:
                raise problem("extranodal_extension", True, "a node marked negative cannot "
                              "have extranodal extension")
        if d == 0 and c:
            raise problem("cells_per_section", c, "tumour cells counted but deposit_mm is 0")
        if self.tumour_present is True and d == 0 and self.method != "rtpcr":
            raise problem("deposit_mm", d, "a node marked positive needs a deposit above 0 mm "
                          "(leave it empty if not measured)")
        if self.method == "rtpcr" and (d or c):
            raise problem("method", "rtpcr", "RT-PCR does not measure deposits; give the "
                          "histological method (he or ihc) for a measured deposit")
        if self.intranodal_deposit_mm is not None:
            if not self.extranodal_extension:
                raise problem("intranodal_deposit_mm", self.intranodal_deposit_mm,
                              "only meaningful with extranodal_extension")
            if d is None or self.intranodal_deposit_mm > d:
                valid = RANGES["nodes.intranodal_deposit_mm"].describe()
                raise problem("intranodal_deposit_mm", self.intranodal_deposit_mm,
                              f"must be {valid} (deposit_mm {d})")
        if self.found_by == "imaging":
            if not self.clinically_detected:
                raise problem("clinically_detected", False,
                              "a node known from imaging or examination only is clinically "
                              "detected")
            if d or c:
                raise problem("deposit_mm", d, "a node seen on imaging only has no measured "
                              "deposit")
        return self

    @property
    def is_involved(self) -> bool:
        """Tumour reported in the node (by histology, or RT-PCR when method is rtpcr)."""
        if self.tumour_present is not None:
            return self.tumour_present
        return bool((self.deposit_mm or 0) > 0 or (self.cells_per_section or 0) > 0)

    @property
    def excised(self) -> bool:
        return self.found_by in EXCISED
