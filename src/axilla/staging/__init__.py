"""AJCC 8th edition (revised 2018) or UICC TNM 8 breast cancer staging, centred on the nodes.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised form effective
for cases diagnosed from 1 January 2018; tables cross-checked against NCI SEER EOD. Rules,
examples and the AJCC licensing note: docs/staging.md.

Public API
----------
``stage(case, options=None) -> StagingResult``
    Stage one ``axilla.case.staging.StagingCase``. Pure: no I/O (the tables are read once at
    import). The result (frozen) holds:

    * ``nodes`` (per node: ``category`` neg/itc/micro/macro/pos, ``counts_as_positive``,
      ``size_used_mm``, ``reason``) and ``node_categories`` (the categories, in input order);
    * ``positive_nodes`` (excised axillary nodes with micro- or macrometastases; ITC-only
      nodes excluded), ``itc_nodes``, ``nodes_examined``;
    * ``pT`` and ``pN`` (``prefix``, ``category``, ``modifier`` such as "(i+)", ``suffix``
      such as "(sn)", ``display`` such as "pN1mi(sn)"), ``M`` (e.g. "cM0");
    * ``anatomic_stage``, ``pathological_prognostic_stage``, ``clinical_prognostic_stage``
      ("0", "IA" ... "IV", or None when no group can be assigned), ``complete_response``;
    * ``missing_inputs``, ``reasons`` (why each category was given), ``options``, ``edition``.

``predict_nodes(nodes_or_result) -> float``
    PREDICT Breast's "positive nodes" input from node findings (or a StagingResult): one node
    with micrometastases only = 0.5, ITC = 0, otherwise micro + macro nodes (PREDICT web tool
    convention). ``predict_nodes_from_counts(micro, macro)`` is the same over arrays.

``StagingOptions``
    The choices on uncertain points (ENE in deposit size, >= 4 micrometastasis-only nodes,
    x.5 mm rounding, ypT0 ypN0(i+), Oncotype rule scope); the defaults are the spec's.

Lower level, over arrays: ``classify_deposits`` (node categories from deposit sizes and cell
counts), ``t_category_from_size``; lookups ``anatomic_stage`` and ``prognostic_stage``.
"""

from __future__ import annotations

from collections.abc import Sequence

from axilla.case.staging import NodeFinding, StagingCase
from axilla.staging.groups import Markers, anatomic_stage, prognostic_stage
from axilla.staging.nodes import (
    CATEGORY_NAMES,
    ITC_MAX_CELLS,
    ITC_MAX_MM,
    NodeSummary,
    classify_deposits,
    classify_nodes,
    clinical_n_from_needle,
    pn_category,
    predict_nodes_from_counts,
    summarise,
)
from axilla.staging.options import StagingOptions
from axilla.staging.result import EDITIONS, NodeResult, StagingResult
from axilla.staging.tnm import (
    T1MI_MAX_MM,
    NCategory,
    TCategory,
    m_group,
    m_reason,
    n_group,
    pt_category,
    sn_suffix,
    t_category_from_size,
    t_group,
)

__all__ = [
    "CATEGORY_NAMES",
    "NCategory",
    "NodeResult",
    "StagingCase",
    "StagingOptions",
    "StagingResult",
    "TCategory",
    "anatomic_stage",
    "classify_deposits",
    "predict_nodes",
    "predict_nodes_from_counts",
    "prognostic_stage",
    "stage",
    "t_category_from_size",
]

_POSITIVE = ("micro", "macro", "pos")


def stage(case: StagingCase, options: StagingOptions | None = None) -> StagingResult:
    """Stage one case by AJCC 8th edition (revised 2018) or UICC TNM 8 rules
    (``options.system``), with the reasons for each call and the points left to judgement."""
    options = options or StagingOptions()
    uicc = options.system == "UICC8"
    calls = classify_nodes(case.nodes, options)
    summary = summarise(case.nodes, calls, case.procedure.rtpcr_positive)
    reasons = _node_reasons(case.nodes, calls)
    missing: list[str] = []

    # --- T
    pt, t_reasons = pt_category(case.tumour, case.neoadjuvant, options)
    reasons.extend(t_reasons)

    # --- N
    examined = case.procedure.nodes_removed
    examined = summary.nodes_excised if examined is None else examined
    y = "y" if case.neoadjuvant else ""
    if case.procedure.kind == "none" or examined == 0:
        if summary.needle_only_positive:
            decision = clinical_n_from_needle(summary, case.clinical_n)
            prefix, suffix = f"{y}c", "" if uicc else "(f)"
            n_reasons = [f"{prefix}{decision.reasons[0][1:]}",
                         "metastasis confirmed by fine-needle aspiration or core biopsy only, "
                         "without excision; nodes staged clinically (UICC TNM 8 has no (f) "
                         "suffix)" if uicc else
                         "(f): metastasis confirmed by fine-needle aspiration or core biopsy "
                         "only, without excision; nodes staged clinically"]
        else:
            decision = None
            prefix, suffix = f"{y}p", ""
            n_reasons = [f"{prefix}NX: regional nodes not removed for pathological examination"]
            missing.append("regional nodes (not examined)")
        category = decision.category if decision else "NX"
        modifier = decision.modifier if decision else ""
    else:
        decision = pn_category(summary, options)
        prefix = f"{y}p"
        suffix, sn_reason = sn_suffix(case, summary.nodes_excised)
        category, modifier = decision.category, decision.modifier
        n_reasons = [f"{prefix}{r}" for r in decision.reasons]
        if sn_reason:
            n_reasons.append(sn_reason)
    pn = NCategory(prefix=prefix, category=category, modifier=modifier, suffix=suffix,
                   display=f"{prefix}{category}{modifier}{suffix}")
    reasons.extend(n_reasons)

    # --- M
    reasons.append(m_reason(case.m))
    t, n, m = t_group(pt.category), n_group(category), m_group(case.m)

    # --- stage groups
    complete_response: bool | None = None
    if case.neoadjuvant:
        residual_itc = modifier == "(i+)" and options.itc_after_neoadjuvant_is_residual
        complete_response = t == "T0" and n == "N0" and m == "M0" and not residual_itc
    if case.neoadjuvant and t == "T0" and n == "N0" and m == "M0":
        anatomic = None
        reasons.append("no anatomic stage group: ypT0 ypN0 cM0 after neoadjuvant therapy "
                       + ("(complete pathological response)" if complete_response else
                          "(isolated tumour cells remain: not a complete response by the "
                          "default choice)"))
    else:
        anatomic = anatomic_stage(t, n, m)
        where = f"{pt.display} {pn.without_suffix} {case.m}"
        reasons.append(f"anatomic stage {anatomic}{' (yp)' if y else ''}: {where}" if anatomic else
                       f"no anatomic stage group for {where}")

    markers = Markers(case.tumour.grade, case.tumour.receptor("er"), case.tumour.receptor("pr"),
                      case.tumour.her2, case.tumour.oncotype_rs)
    if uicc:
        path_stage = None
        reasons.append("no prognostic stage group: UICC TNM 8 gives the anatomic stage only")
    elif case.neoadjuvant:
        path_stage = None
        reasons.append("pathological prognostic stage not applicable after neoadjuvant therapy")
    elif prefix.endswith("c") or category == "NX":
        path_stage = None
        reasons.append("pathological prognostic stage not assigned: nodes not staged "
                       "pathologically")
    else:
        path_stage, r = prognostic_stage(t, n, m, markers, "pathological", options.oncotype_scope)
        reasons.extend(r)
    if path_stage is None and markers.missing() and not case.neoadjuvant and not uicc:
        missing.extend(markers.missing())

    if case.clinical_t and case.clinical_n and not uicc:
        clinical_stage, r = prognostic_stage(t_group(case.clinical_t), n_group(case.clinical_n),
                                             m, markers, "clinical")
        reasons.extend(r)
    else:
        clinical_stage = None

    if options.non_default():
        reasons.append("options changed from the defaults: "
                       + ", ".join(f"{k}={v}" for k, v in options.non_default().items()))

    node_results = tuple(
        NodeResult(index=i, site=nd.site, found_by=nd.found_by, category=c.category,
                   counts_as_positive=c.category in _POSITIVE, size_used_mm=c.size_used_mm,
                   reason=c.reason)
        for i, (nd, c) in enumerate(zip(case.nodes, calls, strict=True))
    )
    return StagingResult(
        nodes=node_results,
        node_categories=tuple(c.category for c in calls),
        positive_nodes=summary.positive_axillary,
        itc_nodes=summary.itc_nodes,
        nodes_examined=examined,
        pT=pt,
        pN=pn,
        M=case.m,
        anatomic_stage=anatomic,
        pathological_prognostic_stage=path_stage,
        clinical_prognostic_stage=clinical_stage,
        complete_response=complete_response,
        missing_inputs=tuple(dict.fromkeys(missing)),
        reasons=tuple(reasons),
        options=options,
        edition=EDITIONS[options.system],
        system=options.system,
        ambiguities=ambiguities(case, summary, options),
    )


#: Cell counts this close to the 200-cell rule are flagged: AJCC 8 says "approximately 200
#: cells" and calls the threshold a guideline; UICC 8 frames it as a proposed criterion.
ABOUT_200_CELLS = (150, 250)


def ambiguities(case: StagingCase, summary: NodeSummary,
                options: StagingOptions) -> tuple[str, ...]:
    """Points where the staging texts leave the call to the pathologist, or where AJCC 8 and
    UICC 8 would stage the same case differently (review of both texts, 2026-11)."""
    out: list[str] = []
    low, high = ABOUT_200_CELLS
    for i, node in enumerate(case.nodes):
        cells = node.cells_per_section
        if (cells is not None and low <= cells <= high
                and (node.deposit_mm is None or node.deposit_mm <= ITC_MAX_MM)):
            out.append(f"node {i + 1}: {cells} tumour cells in one cross-section is about the "
                       f"{ITC_MAX_CELLS}-cell threshold; isolated tumour cells or a "
                       "micrometastasis is the pathologist's judgement")
    p, micro_only = summary.positive_axillary, summary.macro_axillary == 0
    if p >= 4 and micro_only and summary.unknown_size_axillary == 0:
        out.append(f"{p} axillary nodes with micrometastases only: pN2a/pN3a require a deposit "
                   "> 2 mm, so the texts read literally give pN1mi while the node count "
                   "suggests more (option micro_only_four_or_more="
                   f"{options.micro_only_four_or_more})")
    if (summary.internal_mammary == "sln" and p >= 1 and micro_only
            and options.system == "AJCC8"):
        out.append("internal mammary sentinel node with micrometastatic axillary nodes only: "
                   "AJCC 8 defines pN1c/pN3b from pN1a/pN2a, which need a deposit > 2 mm, so "
                   "this case is not literally covered (UICC 8 counts any positive node)")
    sizes = case.tumour.invasive_sizes_mm
    if sizes and not case.tumour.t4_extension and T1MI_MAX_MM < max(sizes) < 2.0:
        out.append(f"invasive size {max(sizes):g} mm: AJCC 8 counts it as 2 mm (pT1a); UICC 8 "
                   "rounds to the nearest millimetre (pT1mi up to 1.5 mm)")
    if options.system == "UICC8" and case.clinical_n == "N1mi":
        out.append("clinical N1mi was entered: UICC TNM 8 has no cN1mi category")
    return tuple(out)


def _node_reasons(nodes: Sequence[NodeFinding], calls: Sequence) -> list[str]:
    """Node reasons for the case summary: each involved node, negative nodes counted by site."""
    out: list[str] = []
    negative: dict[str, int] = {}
    for node, call in zip(nodes, calls, strict=True):
        if call.category == "neg" and not call.molecular_only:
            negative[node.site] = negative.get(node.site, 0) + 1
        else:
            out.append(call.reason)
    for site, count in negative.items():
        out.append(f"{count} {site.replace('_', ' ')} node{'s' if count != 1 else ''}: "
                   "no tumour cells -> negative")
    return out


_PREDICT_SITES = ("axillary", "intramammary", "infraclavicular")


def predict_nodes(
    nodes: StagingResult | Sequence[NodeFinding], options: StagingOptions | None = None
) -> float:
    """PREDICT Breast's "positive nodes" input from node findings.

    Counts excised axillary nodes (levels I-III, intramammary): one node with micrometastases
    only -> 0.5; isolated tumour cells -> 0; otherwise the number of micro- plus
    macrometastatic nodes (a positive node without a size counts as 1). Source: the PREDICT
    web tool's convention (WintonCentre/predict-v21-main, commit 33766332,
    src/cljs/predict3/models/adapters/predict2.cljs, ``nodes-v2``: 1 node + "micrometastases
    only" -> 0.5).
    """
    if isinstance(nodes, StagingResult):
        rows = [(n.site, n.found_by, n.category) for n in nodes.nodes]
    else:
        calls = classify_nodes(nodes, options or StagingOptions())
        rows = [(n.site, n.found_by, c.category) for n, c in zip(nodes, calls, strict=True)]
    counted = [cat for site, found_by, cat in rows
               if site in _PREDICT_SITES and found_by in ("sentinel", "dissection")]
    micro = sum(cat == "micro" for cat in counted)
    macro = sum(cat in ("macro", "pos") for cat in counted)
    return float(predict_nodes_from_counts([micro], [macro])[0])
