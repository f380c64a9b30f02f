"""Measured nodes -> node categories and the patient's pN, through the staging engine.

Source: AJCC 8th edition, chapter 48 (Breast): node categories from the largest deposit and
the pN rules, as implemented once in ``axilla.staging``; a measured node becomes an ordinary
``NodeFinding`` (``deposit_mm`` = its largest extent), so a case from slides is staged exactly
like any other case. This is the only module of the pathology shell that knows the staging
engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import ValidationError

from axilla.case.codes import ITC_MAX_MM, MICROMET_MAX_MM, FoundBy, NodeSite
from axilla.case.nodes import NodeFinding
from axilla.case.problems import input_error
from axilla.case.staging import parse_staging_case
from axilla.errors import FieldProblem, InputError
from axilla.pathology import CAMELYON16, ITC_MAJOR_AXIS_UM, Measurement
from axilla.pathology.camelyon17 import SLIDE_LABELS
from axilla.staging import CATEGORY_NAMES, StagingOptions, StagingResult, classify_deposits, stage

#: The node-size boundaries in micrometres (owned in mm by the case vocabulary).
BOUNDARIES_UM = (ITC_MAX_MM * 1000, MICROMET_MAX_MM * 1000)
#: Staging's node categories in CAMELYON17's slide-label words.
CAMELYON_LABEL: dict[str, str] = dict(zip(CATEGORY_NAMES[:4], SLIDE_LABELS, strict=True))
#: Category of a CAMELYON16-convention measurement that is not ITC (micro or macro undecided).
NOT_ITC = "not_itc"


@dataclass(frozen=True)
class NodeReport:
    """One node: its measurement, category and the boundaries it is too close to decide."""

    measurement: Measurement
    category: str
    undecidable_near_um: tuple[float, ...] = ()

    @property
    def undecidable(self) -> bool:
        return bool(self.undecidable_near_um)

    @property
    def camelyon_label(self) -> str | None:
        return CAMELYON_LABEL.get(self.category)

    def as_dict(self) -> dict[str, object]:
        m = self.measurement
        return {
            "source": m.source,
            "largest_extent_um": m.largest_extent_um,
            "category": self.category,
            "component_count": m.component_count,
            "component_extents_um": [float(v) for v in m.component_extents_um],
            "undecidable_at_this_resolution": self.undecidable,
            "undecidable_near_um": list(self.undecidable_near_um),
            "provenance": m.provenance(),
        }


def node_reports(measurements: Sequence[Measurement]) -> list[NodeReport]:
    """Category of every measured node by the staging engine's rule (one vectorised call)."""
    largest_um = np.array([m.largest_extent_um for m in measurements], dtype=float)
    codes = classify_deposits(largest_um / 1000.0)
    out = []
    for m, code in zip(measurements, codes, strict=True):
        if m.method == CAMELYON16:
            category = ("neg" if not m.component_count else
                        "itc" if m.largest_extent_um < ITC_MAJOR_AXIS_UM else NOT_ITC)
            out.append(NodeReport(m, category))
        else:
            out.append(NodeReport(m, CATEGORY_NAMES[int(code)], m.near(BOUNDARIES_UM)))
    return out


def node_findings(
    reports: Sequence[NodeReport],
    sites: Sequence[NodeSite] | None = None,
    found_by: FoundBy = "sentinel",
) -> tuple[NodeFinding, ...]:
    """The measured nodes as ordinary ``NodeFinding``s (``deposit_mm`` = largest extent / 1000),
    ready for any ``Case`` or ``StagingCase``; sites default to axillary (level I-II)."""
    sites = list(sites) if sites is not None else ["axillary"] * len(reports)
    if len(sites) != len(reports):
        raise InputError([FieldProblem("sites", len(sites),
                                       f"one site a node: {len(reports)} nodes measured")])
    out = []
    for i, (report, site) in enumerate(zip(reports, sites, strict=True)):
        if report.measurement.method == CAMELYON16:
            raise ValueError(f"{report.measurement.source}: the CAMELYON16 ellipse convention "
                             "is not a staging measure; measure with the Feret method to stage")
        try:
            out.append(NodeFinding.model_validate({
                "site": site, "found_by": found_by,
                "deposit_mm": report.measurement.largest_extent_um / 1000.0}))
        except ValidationError as exc:
            raise input_error(exc, prefix=f"nodes[{i}]") from None
    return tuple(out)


def stage_nodes(
    reports: Sequence[NodeReport],
    procedure: Literal["sentinel", "dissection"] = "sentinel",
    sites: Sequence[NodeSite] | None = None,
    options: StagingOptions | None = None,
) -> StagingResult:
    """pN (with node categories and reasons) of one patient whose nodes were measured.

    ``sites`` gives each node's site (default: all axillary level I-II); ``procedure`` is
    sentinel or dissection. The primary tumour is recorded as not assessed: only the nodal
    categories of the result are meaningful.
    """
    case = parse_staging_case({
        "tumour": {"primary": "not_assessed"},
        "nodes": node_findings(reports, sites, procedure),
        "procedure": {"kind": procedure},
    })
    return stage(case, options)


__all__ = ["BOUNDARIES_UM", "NodeReport", "node_findings", "node_reports", "stage_nodes"]
