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

import math
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from axilla.errors import FieldProblem, InputError

# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------

#: Where a node lies. Intramammary nodes count as axillary nodes (AJCC 8th, breast chapter).
NodeSite = Literal[
    "axillary", "intramammary", "infraclavicular", "internal_mammary", "supraclavicular"
]
#: How the node came to the pathologist: excised as a sentinel node, excised at dissection,
#: sampled by fine-needle aspiration or core biopsy only, or seen on imaging/exam only.
FoundBy = Literal["sentinel", "dissection", "needle_biopsy", "imaging"]
#: How tumour was detected in the node.
DetectionMethod = Literal["he", "ihc", "rtpcr"]
Receptor = Literal["positive", "negative"]
PrimaryKind = Literal["invasive", "dcis", "paget", "none", "not_assessed"]
MStatus = Literal["cM0", "cM0(i+)", "cM1", "pM1"]
ClinicalT = Literal[
    "TX", "T0", "Tis", "T1mi", "T1a", "T1b", "T1c", "T1", "T2", "T3",
    "T4a", "T4b", "T4c", "T4d", "T4",
]
ClinicalN = Literal[
    "NX", "N0", "N1mi", "N1", "N2", "N2a", "N2b", "N3", "N3a", "N3b", "N3c",
]

#: Sites whose excised nodes count toward the number of nodes removed (for the (sn) suffix).
EXCISED = ("sentinel", "dissection")

#: Valid ranges, quoted in error messages.
RANGES: dict[str, str] = {
    "invasive_sizes_mm": "each size greater than 0 and at most 500 mm",
    "deposit_mm": "0 to 200 mm (0 = no tumour in the node)",
    "intranodal_deposit_mm": "0 to 200 mm, not larger than deposit_mm",
    "cells_per_section": "a whole number from 0 to 1000000",
    "nodes_removed": "a whole number from 0 to 100",
    "er_percent": "0 to 100 %",
    "pr_percent": "0 to 100 %",
    "ki67_percent": "0 to 100 %",
    "oncotype_rs": "a whole number from 0 to 100",
    "grade": "1, 2 or 3 (Nottingham grade)",
}


def _problem(field: str, value: object, reason: str) -> PydanticCustomError:
    return PydanticCustomError(
        "axilla_field", "{field}: {reason}", {"field": field, "value": value, "reason": reason}
    )


_FROZEN = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------------------------
# One lymph node
# --------------------------------------------------------------------------------------------


class NodeFinding(BaseModel):
    """One regional lymph node (or nodal tumour nodule) as the pathologist reported it.

    ``deposit_mm`` is the greatest dimension of the largest contiguous tumour deposit in one
    cross-section (0 = no tumour); never the sum of separate clusters. ``cells_per_section`` is
    the largest number of tumour cells in a single cross-section, when counted. A positive node
    without a size may be given as ``tumour_present=True`` with no ``deposit_mm``.
    """

    model_config = _FROZEN

    site: NodeSite = "axillary"
    found_by: FoundBy = "dissection"
    clinically_detected: bool = False
    tumour_present: bool | None = Field(
        None, description="None = decided by deposit_mm / cells_per_section"
    )
    deposit_mm: float | None = Field(None, ge=0, le=200)
    cells_per_section: int | None = Field(None, ge=0, le=1_000_000)
    method: DetectionMethod = "he"
    extranodal_extension: bool = False
    intranodal_deposit_mm: float | None = Field(
        None, ge=0, le=200, description="Part of the deposit inside the capsule (ENE only)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> NodeFinding:
        d, c = self.deposit_mm, self.cells_per_section
        if self.tumour_present is None and d is None and c is None:
            raise _problem("deposit_mm", None,
                           "give the largest deposit in mm (0 for a negative node) or "
                           "tumour_present")
        if self.tumour_present is False:
            if d:
                raise _problem("deposit_mm", d, "a node marked negative cannot have a deposit; "
                               "use 0 or mark the node positive")
            if c:
                raise _problem("cells_per_section", c, "a node marked negative cannot have "
                               "tumour cells")
            if self.extranodal_extension:
                raise _problem("extranodal_extension", True, "a node marked negative cannot "
                               "have extranodal extension")
        if d == 0 and c:
            raise _problem("cells_per_section", c, "tumour cells counted but deposit_mm is 0")
        if self.tumour_present is True and d == 0 and self.method != "rtpcr":
            raise _problem("deposit_mm", d, "a node marked positive needs a deposit above 0 mm "
                           "(leave it empty if not measured)")
        if self.method == "rtpcr" and (d or c):
            raise _problem("method", "rtpcr", "RT-PCR does not measure deposits; give the "
                           "histological method (he or ihc) for a measured deposit")
        if self.intranodal_deposit_mm is not None:
            if not self.extranodal_extension:
                raise _problem("intranodal_deposit_mm", self.intranodal_deposit_mm,
                               "only meaningful with extranodal_extension")
            if d is None or self.intranodal_deposit_mm > d:
                raise _problem("intranodal_deposit_mm", self.intranodal_deposit_mm,
                               f"must be {RANGES['intranodal_deposit_mm']} (deposit_mm {d})")
        if self.found_by == "imaging":
            if not self.clinically_detected:
                raise _problem("clinically_detected", False,
                               "a node known from imaging or examination only is clinically "
                               "detected")
            if d or c:
                raise _problem("deposit_mm", d, "a node seen on imaging only has no measured "
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


# --------------------------------------------------------------------------------------------
# Primary tumour and biomarkers
# --------------------------------------------------------------------------------------------

InvasiveSize = Annotated[float, Field(gt=0, le=500)]


class Tumour(BaseModel):
    """The primary tumour: invasive size(s), T4 extension, in-situ disease, grade, biomarkers.

    ``invasive_sizes_mm`` lists the greatest dimension of each separate invasive tumour (more
    than one value = multiple tumours); in-situ extent is not entered here. ER/PR may be given
    as status, percent of stained nuclei (>= 1 % is positive), or both (they must agree).
    """

    model_config = _FROZEN

    primary: PrimaryKind = "invasive"
    invasive_sizes_mm: tuple[InvasiveSize, ...] = ()
    t4_extension: Literal["a", "b", "c", "d"] | None = None
    paget: bool = Field(False, description="Paget disease of the nipple present")
    grade: Literal[1, 2, 3] | None = None
    er: Receptor | None = None
    pr: Receptor | None = None
    her2: Receptor | None = Field(None, description="equivocal after ISH = negative")
    er_percent: float | None = Field(None, ge=0, le=100)
    pr_percent: float | None = Field(None, ge=0, le=100)
    ki67_percent: float | None = Field(None, ge=0, le=100)
    oncotype_rs: int | None = Field(None, ge=0, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> Tumour:
        if self.primary == "invasive" and not self.invasive_sizes_mm and not self.t4_extension:
            raise _problem("invasive_sizes_mm", (), "an invasive primary needs at least one "
                           "invasive size in mm or a T4 extension")
        if self.primary != "invasive":
            if self.invasive_sizes_mm:
                raise _problem("invasive_sizes_mm", self.invasive_sizes_mm,
                               f"no invasive size allowed when primary is {self.primary!r}")
            if self.t4_extension:
                raise _problem("t4_extension", self.t4_extension,
                               f"no T4 extension allowed when primary is {self.primary!r}")
            if self.oncotype_rs is not None:
                raise _problem("oncotype_rs", self.oncotype_rs,
                               "a recurrence score needs an invasive primary")
        for name in ("er", "pr"):
            status, pct = getattr(self, name), getattr(self, f"{name}_percent")
            if status is not None and pct is not None and (pct >= 1) != (status == "positive"):
                raise _problem(f"{name}_percent", pct, f"{name} is {status} but {pct:g} % of "
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


# --------------------------------------------------------------------------------------------
# Procedure and the whole case
# --------------------------------------------------------------------------------------------


class NodalProcedure(BaseModel):
    """The axillary operation: sentinel node biopsy, axillary dissection, or none."""

    model_config = _FROZEN

    kind: Literal["sentinel", "dissection", "none"]
    nodes_removed: int | None = Field(
        None, ge=0, le=100, description="None = the number of excised node findings"
    )
    rtpcr_positive: bool = Field(False, description="RT-PCR positive nodes, no ITC seen")


class StagingCase(BaseModel):
    """Everything AJCC staging needs about one patient."""

    model_config = _FROZEN

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
        raise _problem("procedure.kind", "none", f"{excised} node(s) are marked as excised "
                       "(sentinel or dissection) but no procedure is given")
    removed = procedure.nodes_removed
    if removed is not None and removed < excised:
        raise _problem("procedure.nodes_removed", removed, f"fewer than the {excised} "
                       "excised nodes described")


# --------------------------------------------------------------------------------------------
# pydantic errors -> InputError
# --------------------------------------------------------------------------------------------


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def input_error_from(
    exc: ValidationError, rename: Callable[[str], str] | None = None
) -> InputError:
    """Turn pydantic's validation error into InputError, one FieldProblem per failure."""
    problems = []
    for err in exc.errors():
        ctx = err.get("ctx") or {}
        if err["type"] == "axilla_field":
            base = _loc(err["loc"])
            field = f"{base}.{ctx['field']}" if base else str(ctx["field"])
            value, reason = ctx["value"], str(ctx["reason"])
        else:
            field = _loc(err["loc"])
            value = err.get("input")
            reason = err["msg"]
            leaf = next((p for p in reversed(err["loc"]) if isinstance(p, str)), "")
            if leaf in RANGES:
                reason = f"{reason}; valid: {RANGES[leaf]}"
        problems.append(FieldProblem(rename(field) if rename else field, value, reason))
    return InputError(problems)


def parse_staging_case(data: Mapping[str, Any]) -> StagingCase:
    """Validate a mapping (e.g. parsed JSON) as a StagingCase; raise InputError if refused."""
    try:
        return StagingCase.model_validate(data)
    except ValidationError as exc:
        raise input_error_from(exc) from None


# --------------------------------------------------------------------------------------------
# One row of the staging CSV format (tests/data/staging/README.md)
# --------------------------------------------------------------------------------------------

#: Input columns of the staging CSV format, in file order.
ROW_COLUMNS = (
    "case_id", "neoadjuvant", "primary", "tumor_sizes_mm", "t4", "procedure",
    "axillary_nodes_mm", "axillary_node_cells", "im_nodes", "infraclavicular",
    "supraclavicular", "node_rtpcr", "m", "grade", "er", "pr", "her2", "oncotype_rs",
)
#: Columns a row must have (the others may be absent and are then blank).
ROW_REQUIRED = ("procedure", "axillary_nodes_mm")

_ROW_FIELD_OF = {
    "tumour.invasive_sizes_mm": "tumor_sizes_mm",
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


def staging_case_from_row(row: Mapping[str, str | None]) -> StagingCase:
    """Build a StagingCase from one row of the staging CSV format; InputError names the column.

    Axillary nodes become level I-II nodes excised by the row's procedure; ``im_nodes`` = sln
    adds a positive internal-mammary sentinel node, = clinical a clinically detected one;
    ``infraclavicular``/``supraclavicular`` = 1 add one positive node at that site.
    """
    problems: list[FieldProblem] = []

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    def choice(name: str, allowed: Mapping[str, Any], default: str | None = None) -> Any:
        raw = cell(name)
        if raw == "" and default is not None:
            raw = default
        if raw in allowed:
            return allowed[raw]
        shown = ", ".join(k if k else "(blank)" for k in allowed)
        problems.append(FieldProblem(name, raw, f"must be one of {shown}"))
        return None

    def numbers(name: str, kind: Callable[[str], float]) -> list[float] | None:
        raw = cell(name)
        if raw == "":
            return []
        out = []
        for part in raw.split(";"):
            try:
                value = kind(part.strip())
            except ValueError:
                what = "whole numbers" if kind is int else "numbers"
                problems.append(FieldProblem(name, raw, f"must be ;-separated {what}"))
                return None
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(FieldProblem(name, raw, "must be finite numbers"))
                return None
            out.append(value)
        return out

    for name in ROW_REQUIRED:
        if cell(name) == "":
            problems.append(FieldProblem(name, "", "required"))

    flag = {"0": False, "1": True}
    neoadjuvant = choice("neoadjuvant", flag, "0")
    primary = choice("primary", {k: k for k in ("invasive", "dcis", "paget", "none")},
                     "invasive")
    sizes = numbers("tumor_sizes_mm", float)
    t4 = choice("t4", {"": None, "a": "a", "b": "b", "c": "c", "d": "d"})
    procedure = choice("procedure", {"sln": "sentinel", "alnd": "dissection"}) \
        if cell("procedure") else None
    node_mm = numbers("axillary_nodes_mm", float)
    node_cells = numbers("axillary_node_cells", int)
    im = choice("im_nodes", {"none": None, "sln": "sln", "clinical": "clinical"}, "none")
    infra = choice("infraclavicular", flag, "0")
    supra = choice("supraclavicular", flag, "0")
    rtpcr = choice("node_rtpcr", {"": False, "pos": True, "neg": False})
    m = choice("m", {k: k for k in ("cM0", "cM0(i+)", "cM1", "pM1")}, "cM0")
    grade = choice("grade", {"": None, "1": 1, "2": 2, "3": 3})
    receptor = {"": None, "pos": "positive", "neg": "negative"}
    er, pr, her2 = (choice(k, receptor) for k in ("er", "pr", "her2"))
    rs_list = numbers("oncotype_rs", int)
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
        raise input_error_from(exc, _row_field) from None
