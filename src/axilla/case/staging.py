"""Staging inputs: the primary tumour, each lymph node finding, the nodal procedure, M status.

Source of the categories and ranges: AJCC Cancer Staging Manual, 8th edition, chapter 48
(Breast), revised form effective 1 January 2018, as restated in docs/staging.md. Every refusal
names the field, the value and the valid range; engines downstream (axilla.staging) trust
what passes here.

Build a case with ``parse_staging_case(mapping)`` (or ``StagingCase.model_validate``; the
former turns pydantic's errors into ``InputError``), or from one row of the staging CSV format
(tests/data/staging/README.md) with ``staging_case_from_row(row)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import Field, ValidationError, model_validator

from axilla.case.codes import (
    ALIASES,
    EXCISED,
    GRADES,
    M_STATUSES,
    NAME_ALIASES,
    PRIMARY_KINDS,
    RECEPTOR_STATUSES,
    T4_EXTENSIONS,
    ClinicalN,
    ClinicalT,
    DetectionMethod,
    FoundBy,
    MStatus,
    NodeSite,
    PrimaryKind,
    Receptor,
)
from axilla.case.nodes import NodeFinding
from axilla.case.problems import input_error
from axilla.case.procedure import NodalProcedure
from axilla.case.ranges import RANGES as _RANGES
from axilla.case.strict import StrictModel, number_from_text, problem
from axilla.case.tumour import InvasiveSize, Tumour
from axilla.errors import FieldProblem, InputError

#: Valid ranges by field name, in words (kept for older callers; owned by ``case/ranges.py``).
RANGES: dict[str, str] = {path.rsplit(".", 1)[1]: r.describe() for path, r in _RANGES.items()}

__all__ = [
    "EXCISED", "RANGES", "ROW_COLUMNS", "ROW_REQUIRED", "ClinicalN", "ClinicalT",
    "DetectionMethod", "FoundBy", "InvasiveSize", "MStatus", "NodalProcedure", "NodeFinding",
    "NodeSite", "PrimaryKind", "Receptor", "StagingCase", "Tumour",
    "check_procedure_matches_nodes", "input_error_from",
    "parse_staging_case", "staging_case_from_row",
]

class StagingCase(StrictModel):
    """Everything AJCC staging needs about one patient."""

    tumour: Tumour
    nodes: tuple[NodeFinding, ...] = ()
    procedure: NodalProcedure
    m: MStatus = "cM0"
    neoadjuvant: bool = Field(False, description="systemic or radiation therapy before surgery")
    clinical_t: ClinicalT | None = Field(None, description="cT, for the clinical prognostic stage")
    clinical_n: ClinicalN | None = Field(None, description="cN, for the clinical prognostic stage")

    @model_validator(mode="after")
    def _consistent(self) -> StagingCase:
        check_procedure_matches_nodes(self.procedure, self.nodes)
        return self


def check_procedure_matches_nodes(procedure: NodalProcedure,
                                  nodes: tuple[NodeFinding, ...]) -> None:
    """Excised nodes need a procedure, and no fewer nodes removed than excised nodes listed;
    every model holding both (StagingCase, Case) runs this rule."""
    excised = sum(1 for n in nodes if n.excised)
    if procedure.kind == "none" and excised:
        raise problem("procedure.kind", "none", f"{excised} node(s) are marked as excised "
                      "(sentinel or dissection) but no procedure is given")
    removed = procedure.nodes_removed
    if removed is not None and removed < excised:
        raise problem("procedure.nodes_removed", removed, f"fewer than the {excised} "
                      "excised nodes described")


def input_error_from(
    exc: ValidationError, rename: Callable[[str], str] | None = None
) -> InputError:
    """Turn pydantic's validation error into InputError (``case/problems.py``, kept by name)."""
    return input_error(exc, rename=rename)


def parse_staging_case(data: Mapping[str, Any]) -> StagingCase:
    """Validate a mapping (e.g. parsed JSON) as a StagingCase; raise InputError if refused."""
    try:
        return StagingCase.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc) from None


# --------------------------------------------------------------------------------------------
# One row of the staging CSV format (tests/data/staging/README.md)
# --------------------------------------------------------------------------------------------

#: Input columns of the staging CSV format, in file order.
ROW_COLUMNS = (
    "case_id", "neoadjuvant", "primary", "tumour_sizes_mm", "t4", "procedure",
    "axillary_nodes_mm", "axillary_node_cells", "im_nodes", "infraclavicular",
    "supraclavicular", "node_rtpcr", "m", "grade", "er", "pr", "her2", "oncotype_rs",
)
#: Columns a row must have (the others may be absent and are then blank).
ROW_REQUIRED = ("procedure", "axillary_nodes_mm")

_ROW_FIELD_OF = {
    "tumour.invasive_sizes_mm": "tumour_sizes_mm",
    "tumour.t4_extension": "t4",
    "tumour.oncotype_rs": "oncotype_rs",
    "tumour.grade": "grade",
    "tumour.": "primary",
    "nodes": "axillary_nodes_mm",
    "procedure": "procedure",
}


def _row_field(field: str) -> str:
    for prefix, column in _ROW_FIELD_OF.items():
        if field.startswith(prefix):
            return column
    return field


def _codes(codes: tuple[str, ...]) -> dict[str, str]:
    """Text -> code: the vocabulary's codes and their deprecated aliases (sln, pos, ...)."""
    return {**{k: k for k in codes}, **{a: c for a, c in ALIASES.items() if c in codes}}


def staging_case_from_row(row: Mapping[str, str | None]) -> StagingCase:
    """Build a StagingCase from one row of the staging CSV format; InputError names the column.

    Axillary nodes become level I-II nodes excised by the row's procedure; ``im_nodes`` = sln
    adds a positive internal-mammary sentinel node, = clinical a clinically detected one;
    ``infraclavicular``/``supraclavicular`` = 1 add one positive node at that site.
    """
    problems: list[FieldProblem] = []
    given = {NAME_ALIASES.get(k, k): k for k in row}  # tumor_sizes_mm: older files
    row = {NAME_ALIASES.get(k, k): v for k, v in row.items()}

    def column(name: str) -> str:
        """The column as the file names it."""
        return given.get(name, name)

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    def choice(name: str, allowed: Mapping[str, Any], default: str | None = None) -> Any:
        raw = cell(name)
        if raw == "" and default is not None:
            raw = default
        if raw in allowed:
            return allowed[raw]
        shown = ", ".join(k if k else "(blank)" for k in allowed)
        problems.append(FieldProblem(column(name), raw, f"must be one of {shown}"))
        return None

    def numbers(name: str, whole: bool = False) -> list[Any] | None:
        raw = cell(name)
        if raw == "":
            return []
        out: list[Any] = []
        for part in raw.split(";"):
            try:
                value = number_from_text(part, whole)
            except ValueError:
                what = "whole numbers" if whole else "numbers"
                problems.append(FieldProblem(column(name), raw, f"must be ;-separated {what}"))
                return None
            out.append(int(value) if whole else value)
        return out

    for name in ROW_REQUIRED:
        if cell(name) == "":
            problems.append(FieldProblem(name, "", "required"))

    flag = {"0": False, "1": True}
    neoadjuvant = choice("neoadjuvant", flag, "0")
    primary = choice("primary", {k: k for k in PRIMARY_KINDS if k != "not_assessed"},
                     "invasive")
    sizes = numbers("tumour_sizes_mm")
    t4 = choice("t4", {"": None, **{k: k for k in T4_EXTENSIONS}})
    procedure = choice("procedure", _codes(("sentinel", "dissection"))) \
        if cell("procedure") else None
    node_mm = numbers("axillary_nodes_mm")
    node_cells = numbers("axillary_node_cells", whole=True)
    im = choice("im_nodes", {"none": None, "sentinel": "sln", "sln": "sln",
                             "clinical": "clinical"}, "none")
    infra = choice("infraclavicular", flag, "0")
    supra = choice("supraclavicular", flag, "0")
    rtpcr = choice("node_rtpcr", {"": False, **{k: c == "positive" for k, c in
                                                _codes(RECEPTOR_STATUSES).items()}})
    m = choice("m", {k: k for k in M_STATUSES}, "cM0")
    grade = choice("grade", {"": None, **{str(g): g for g in GRADES}})
    receptor = {"": None, **_codes(RECEPTOR_STATUSES)}
    er, pr, her2 = (choice(k, receptor) for k in ("er", "pr", "her2"))
    rs_list = numbers("oncotype_rs", whole=True)
    if rs_list is not None and len(rs_list) > 1:
        problems.append(FieldProblem("oncotype_rs", cell("oncotype_rs"), "one score only"))
    if node_mm and node_cells and len(node_cells) != len(node_mm):
        problems.append(FieldProblem(
            "axillary_node_cells", cell("axillary_node_cells"),
            f"needs one entry per axillary node ({len(node_mm)}), aligned with axillary_nodes_mm"))
    if problems:
        raise InputError(problems)

    found_by = "sentinel" if procedure == "sentinel" else "dissection"
    nodes: list[dict[str, Any]] = []
    for i, mm in enumerate(node_mm or []):
        cells = node_cells[i] if node_cells else None
        nodes.append({"site": "axillary", "found_by": found_by, "deposit_mm": mm,
                      "cells_per_section": cells})
    if im == "sln":
        nodes.append({"site": "internal_mammary", "found_by": "sentinel", "tumour_present": True})
    elif im == "clinical":
        nodes.append({"site": "internal_mammary", "found_by": "imaging",
                      "clinically_detected": True, "tumour_present": True})
    if infra:
        nodes.append({"site": "infraclavicular", "found_by": "dissection", "tumour_present": True})
    if supra:
        nodes.append({"site": "supraclavicular", "found_by": "dissection", "tumour_present": True})
    data = {
        "tumour": {
            "primary": primary, "invasive_sizes_mm": tuple(sizes or ()), "t4_extension": t4,
            "grade": grade, "er": er, "pr": pr, "her2": her2,
            "oncotype_rs": rs_list[0] if rs_list else None,
        },
        "nodes": nodes,
        "procedure": {"kind": procedure, "rtpcr_positive": rtpcr},
        "m": m,
        "neoadjuvant": neoadjuvant,
    }
    try:
        return StagingCase.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, rename=lambda f: column(_row_field(f))) from None
