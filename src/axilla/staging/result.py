"""The outcome of staging one case: categories, stage groups and the reasons behind them.

Source of the categories: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast),
revised 2018 (see docs/staging.md).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from axilla.staging.counts import NodeCounts
from axilla.staging.nodes import NodeCategory
from axilla.staging.options import StagingOptions
from axilla.staging.tnm import NCategory, TCategory

EDITION = "AJCC Cancer Staging Manual, 8th edition, breast chapter (revised 2018)"
#: The full name of each staging system, shown on every staging output.
EDITIONS = {
    "AJCC8": EDITION,
    "UICC8": "UICC TNM Classification of Malignant Tumours, 8th edition, breast (as used by the "
             "Royal College of Pathologists' breast dataset, Appendix D, 2018)",
}


class NodeResult(BaseModel):
    """One node finding after classification (same order as the case's ``nodes``)."""

    model_config = ConfigDict(frozen=True)

    index: int
    site: str
    found_by: str
    category: NodeCategory  # neg / itc / micro / macro / pos (positive, size unknown)
    counts_as_positive: bool
    size_used_mm: float | None
    reason: str


class StagingResult(BaseModel):
    """AJCC staging of one case. Stage fields are None where no group can be assigned."""

    model_config = ConfigDict(frozen=True)

    nodes: tuple[NodeResult, ...]
    node_categories: tuple[NodeCategory, ...]
    positive_nodes: int  # excised axillary level I-II (incl. intramammary) micro + macro
    itc_nodes: int
    nodes_examined: int
    counts: NodeCounts  # every per-case node count, computed once (staging.counts)
    pT: TCategory  # noqa: N815 (the AJCC's own name)
    pN: NCategory  # noqa: N815 (the AJCC's own name)
    M: str
    anatomic_stage: str | None
    pathological_prognostic_stage: str | None
    clinical_prognostic_stage: str | None
    complete_response: bool | None  # after neoadjuvant therapy only; None otherwise
    missing_inputs: tuple[str, ...]
    reasons: tuple[str, ...]
    options: StagingOptions
    edition: str = EDITION
    system: str = "AJCC8"
    ambiguities: tuple[str, ...] = ()  # points where the sources leave the call to judgement

    @property
    def axillary_node_categories(self) -> tuple[NodeCategory, ...]:
        """Categories of the axillary (level I-II and intramammary) nodes, in input order."""
        return tuple(n.category for n in self.nodes if n.site in ("axillary", "intramammary"))

    def summary(self) -> str:
        """One line, e.g. "pT1c pN1mi(sn) cM0, anatomic stage IB, pathological prognostic IA"."""
        parts = [f"{self.system}: {self.pT.display} {self.pN.display} {self.M}"]
        parts.append(f"anatomic stage {self.anatomic_stage or 'not assigned'}")
        if self.system == "AJCC8":
            parts.append("pathological prognostic stage "
                         f"{self.pathological_prognostic_stage or 'not assigned'}")
        if self.clinical_prognostic_stage:
            parts.append(f"clinical prognostic stage {self.clinical_prognostic_stage}")
        return ", ".join(parts)
