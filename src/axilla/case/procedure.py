"""The axillary operation: sentinel node biopsy, axillary dissection, or none.

Source: AJCC 8th edition, breast chapter: the (sn) suffix when fewer than six nodes were
removed at sentinel biopsy; RT-PCR positive nodes without ITC seen are pN0(mol+).
"""

from __future__ import annotations

from pydantic import Field

from axilla.case.codes import Procedure
from axilla.case.ranges import bounded
from axilla.case.strict import StrictModel


class NodalProcedure(StrictModel):
    """The axillary operation: sentinel node biopsy, axillary dissection, or none."""

    kind: Procedure
    nodes_removed: int | None = bounded(
        "procedure.nodes_removed", description="None = the number of excised node findings")
    rtpcr_positive: bool = Field(False, description="RT-PCR positive nodes, no ITC seen")
