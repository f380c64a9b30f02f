"""AJCC 8th edition (revised 2018) or UICC TNM 8 breast cancer staging, centred on the nodes.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised form effective
for cases diagnosed from 1 January 2018; tables cross-checked against NCI SEER EOD. Rules,
examples and the AJCC licensing note: docs/staging.md.

Public API
----------
``stage(case, options=None) -> StagingResult`` and ``stage_many(cases, options, nodes)``
    Stage one ``axilla.case.staging.StagingCase`` (or a batch, node counts in one pass).
    Pure: no I/O (the tables are read once at import). The result (frozen) holds:

    * ``nodes`` (per node: ``category`` neg/itc/micro/macro/pos, ``counts_as_positive``,
      ``size_used_mm``, ``reason``) and ``node_categories`` (the categories, in input order);
    * ``positive_nodes`` (excised axillary nodes with micro- or macrometastases; ITC-only
      nodes excluded), ``itc_nodes``, ``nodes_examined``, and ``counts`` (every per-case
      node count, ``staging.counts.NodeCounts``, computed once; callers never recount);
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

import numpy as np

from axilla.case.staging import NodeFinding, StagingCase
from axilla.columns import NodeTable
from axilla.staging.counts import (
    CountColumns,
    NodeCounts,
    count_nodes,
    count_rows,
    counts_at,
    counts_columns,
    guidance_node_facts,
    index_node_inputs,
    macromet_nodes_total,
    predict_node_input,
)
from axilla.staging.groups import Markers, anatomic_stage, prognostic_stage
from axilla.staging.nodes import (
    CATEGORY_NAMES,
    ITC_MAX_CELLS,
    ITC_MAX_MM,
    NodeCall,
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
from axilla.typed import built

__all__ = [
    "CATEGORY_NAMES",
    "CountColumns",
    "NCategory",
    "NodeCounts",
    "NodeResult",
    "StagingCase",
    "StagingOptions",
    "StagingResult",
    "TCategory",
    "anatomic_stage",
    "classify_deposits",
    "count_nodes",
    "counts_columns",
    "guidance_node_facts",
    "index_node_inputs",
    "macromet_nodes_total",
    "predict_node_input",
    "predict_nodes",
    "predict_nodes_from_counts",
    "prognostic_stage",
    "stage",
    "stage_many",
    "t_category_from_size",
]

_POSITIVE = ("micro", "macro", "pos")


def stage(case: StagingCase, options: StagingOptions | None = None) -> StagingResult:
    """Stage one case by AJCC 8th edition (revised 2018) or UICC TNM 8 rules
    (``options.system``), with the reasons for each call and the points left to judgement."""
    return stage_many([case], options)[0]


def stage_many(cases: Sequence[StagingCase], options: StagingOptions | None = None,
               nodes: NodeTable | None = None) -> list[StagingResult]:
    """Stage a batch: node categories per case, every node count in one columnar pass.

    ``nodes`` is the batch's node table (``axilla.columns``) when the caller already has it;
    otherwise it is read from the cases.
    """
    options = options or _DEFAULT_OPTIONS
    calls = [classify_nodes(c.nodes, options) for c in cases]
    if nodes is None:
        found = [n for c in cases for n in c.nodes]
        index = [i for i, c in enumerate(cases) for _ in c.nodes]
        site, found_by = [n.site for n in found], [n.found_by for n in found]
        ene = [n.extranodal_extension for n in found]
    else:
        index, site, found_by = nodes.case_rows, nodes.values("site"), nodes.values("found_by")
        ene = [x == 1 for x in nodes.values("extranodal_extension")]
    removed = [np.nan if (r := c.procedure.nodes_removed) is None else float(r) for c in cases]
    categories = [_CODES[x.category] for case_calls in calls for x in case_calls]
    rows = count_rows(index, len(cases), site, found_by, categories, ene, removed)
    if rows is not None:  # a few nodes: counted one by one, no columns in between
        counts = [built(NodeCounts, row) for row in rows]  # whole numbers, every count
    else:
        count_cols = count_nodes(index, len(cases), site, found_by, categories, ene, removed)
        counts = [counts_at(count_cols, i) for i in range(len(cases))]
    return [_stage_one(c, k, n, options) for c, k, n in zip(cases, calls, counts, strict=True)]


_CODES = {name: code for code, name in enumerate(CATEGORY_NAMES)}
#: The default options, made once (frozen, so one instance serves every result).
_DEFAULT_OPTIONS = StagingOptions()


def _stage_one(case: StagingCase, calls: list[NodeCall], counts: NodeCounts,
               options: StagingOptions) -> StagingResult:
    """One case's T, N, M and stage groups, given its node calls and counts."""
    uicc = options.system == "UICC8"
    summary = summarise(case.nodes, calls, case.procedure.rtpcr_positive, vars(counts))  # read only
    reasons = _node_reasons(case.nodes, calls)
    missing: list[str] = []

    # --- T
    pt, t_reasons = pt_category(case.tumour, case.neoadjuvant, options)
    reasons.extend(t_reasons)

    # --- N
    examined = counts.nodes_examined
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
    pn = built(NCategory, {"prefix": prefix, "category": category, "modifier": modifier,
                           "suffix": suffix, "display": f"{prefix}{category}{modifier}{suffix}"})
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

    changed = {} if options is _DEFAULT_OPTIONS else options.non_default()
    if changed:
        reasons.append("options changed from the defaults: "
                       + ", ".join(f"{k}={v}" for k, v in changed.items()))

    # the records are built without validating again: every value below is of its field's
    # exact type (tests/staging/test_built_results.py checks each equals the validated record)
    node_results = tuple(
        built(NodeResult, {"index": i, "site": nd.site, "found_by": nd.found_by,
                           "category": c.category, "counts_as_positive": c.category in _POSITIVE,
                           "size_used_mm": c.size_used_mm, "reason": c.reason})
        for i, (nd, c) in enumerate(zip(case.nodes, calls, strict=True))
    )
    return built(StagingResult, {
        "nodes": node_results,
        "node_categories": tuple(c.category for c in calls),
        "positive_nodes": counts.axillary_positive,
        "itc_nodes": summary.itc_nodes,
        "nodes_examined": examined,
        "counts": counts,
        "pT": pt,
        "pN": pn,
        "M": case.m,
        "anatomic_stage": anatomic,
        "pathological_prognostic_stage": path_stage,
        "clinical_prognostic_stage": clinical_stage,
        "complete_response": complete_response,
        "missing_inputs": tuple(dict.fromkeys(missing)),
        "reasons": tuple(reasons),
        "options": options,
        "edition": EDITIONS[options.system],
        "system": options.system,
        "ambiguities": ambiguities(case, summary, options),
    })


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


def predict_nodes(
    nodes: StagingResult | Sequence[NodeFinding], options: StagingOptions | None = None
) -> float:
    """PREDICT Breast's "positive nodes" input from node findings (or a staging result).

    The nodes counted are defined once in ``axilla.staging.counts.predict_node_input``:
    excised axillary (levels I-III, intramammary) nodes; one node with micrometastases only ->
    0.5; isolated tumour cells -> 0; otherwise micro- plus macrometastatic nodes (a positive
    node without a size counts as 1). Source: the PREDICT web tool's convention
    (WintonCentre/predict-v21-main, commit 33766332,
    src/cljs/predict3/models/adapters/predict2.cljs, ``nodes-v2``).
    """
    if isinstance(nodes, StagingResult):
        counts = nodes.counts
    else:
        calls = classify_nodes(nodes, options or StagingOptions())
        counts = counts_at(count_nodes(
            [0] * len(nodes), 1, [n.site for n in nodes], [n.found_by for n in nodes],
            [CATEGORY_NAMES.index(c.category) for c in calls]), 0)
    columns = {k: np.asarray([v]) for k, v in counts.model_dump().items()}
    return float(predict_node_input(columns)[0])
