"""Lymph-node findings from FHIR: per-node Observations, else summary counts, else nothing.

Source: spec fhir.md section 2.8 (import precedence: per-node pattern -> counts -> N category;
counts of positive nodes exclude isolated tumour cells, SEER/NAACCR rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axilla.interop.fhir.report import Conflict, ImportReport

if TYPE_CHECKING:
    from axilla.interop.fhir.extract import Extractor


def node_findings(v: dict[str, Any], ex: Extractor, report: ImportReport
                  ) -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    """(node findings, nodal procedure, level the nodes came from) for the case."""
    slnb, anc = bool(v.get("slnb_done")), bool(v.get("anc_done"))
    kind = "dissection" if anc else "sentinel" if slnb else "none"
    if ex.nodes:
        nodes = [_one(res, comp, kind) for res, comp in ex.nodes]
        excised = [n["found_by"] for n in nodes if n["found_by"] in ("sentinel", "dissection")]
        if kind == "none" and excised:
            kind = "dissection" if "dissection" in excised else "sentinel"
            report.warnings.append(f"no axillary procedure resource: {kind} is taken from the "
                                   "per-node observations")
        removed = v.get("nodes_examined")
        return nodes, {"kind": kind, **({"nodes_removed": removed} if removed is not None
                                        else {})}, "per-node"
    sentinel_pos, sentinel_n = v.get("sentinel_positive"), v.get("sentinel_examined")
    positive, examined = v.get("nodes_positive"), v.get("nodes_examined")
    parts = [v.get(k) for k in ("nodes_macro", "nodes_micro", "nodes_itc")]
    if positive is not None and None not in parts and positive == sum(p or 0 for p in parts):
        report.warnings.append(f"positive node count {positive} equals macro + micro + ITC; "
                               "ITC-only nodes are not positive (SEER/NAACCR)")
    if sentinel_pos is not None and positive is None and examined is None:
        positive, examined = sentinel_pos, sentinel_n
        kind = kind if kind != "none" else "sentinel"
    if positive is None or examined is None:
        level = "n-category" if v.get("pn") or v.get("cn") else "none"
        if examined is not None and kind == "none":
            report.warnings.append(f"{examined} nodes examined but no positive count and no "
                                   "axillary procedure: nodes not itemised")
        return [], {"kind": kind}, level
    if positive > examined:
        report.conflicts.append(Conflict(kind="node-counts", sources=[],
                                message=f"{positive} positive nodes of {examined} examined"))
        return [], {"kind": kind}, "counts"
    if kind == "none":
        kind = "sentinel" if sentinel_pos is not None else "dissection"
        report.warnings.append(f"node counts without an axillary procedure: {kind} assumed")
    found_by = "sentinel" if kind == "sentinel" else "dissection"
    nodes = ([{"found_by": found_by, "tumour_present": True}] * positive
             + [{"found_by": found_by, "deposit_mm": 0.0}] * (examined - positive))
    return nodes, {"kind": kind}, "counts"


def _one(res: dict[str, Any], comp: dict[str, Any], kind: str) -> dict[str, Any]:
    found_by = comp.get("found_by") or ("sentinel" if comp.get("sentinel") or kind == "sentinel"
                                        else "dissection")
    node: dict[str, Any] = {"site": comp.get("site", "axillary"), "found_by": found_by,
                            "method": comp.get("method") or "he"}
    for name in ("deposit_mm", "cells_per_section", "intranodal_deposit_mm"):
        if comp.get(name) is not None:
            node[name] = comp[name]
    for name in ("clinically-detected", "tumour-present"):
        if comp.get(name) is not None:
            node[name.replace("-", "_")] = comp[name]
    if comp.get("extranodal_extension"):
        node["extranodal_extension"] = True
    if comp.get("deposit_mm") is None and "tumour_present" not in node and comp.get(
            "category") not in (None, "negative"):
        node["tumour_present"] = True
    node["_category"] = comp.get("category")
    node["_source"] = f"Observation/{res.get('id')}"
    return node
