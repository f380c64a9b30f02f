"""Lymph nodes: category of each node (ITC / micro / macro), positive count, pN category.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised 2018: regional
lymph node definitions and the ITC/micrometastasis rules; NCI PDQ table "Pathologic (pN)";
SEER EOD breast coding notes for positive nodes without a size. Restated in docs/staging.md.

The node categories are computed over arrays (one element per node, any number of cases);
the pN decision takes one case's node summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np

from axilla.case.staging import NodeFinding
from axilla.staging.options import StagingOptions

#: Largest deposit (mm) that is still isolated tumour cells; larger is a micrometastasis.
ITC_MAX_MM = 0.2
#: Largest deposit (mm) that is still a micrometastasis; larger is a macrometastasis.
MICRO_MAX_MM = 2.0
#: Most tumour cells in one cross-section that are still ITC; more is a micrometastasis.
ITC_MAX_CELLS = 200

#: Category codes, as stored in arrays, and their names.
NEGATIVE, ITC, MICRO, MACRO, POSITIVE_SIZE_UNKNOWN = 0, 1, 2, 3, 4
NodeCategory = Literal["neg", "itc", "micro", "macro", "pos"]
CATEGORY_NAMES: tuple[NodeCategory, ...] = ("neg", "itc", "micro", "macro", "pos")

AXILLARY_SITES = ("axillary", "intramammary")


def classify_deposits(
    deposit_mm: np.ndarray | Sequence[float],
    cells_per_section: np.ndarray | Sequence[float] | None = None,
    involved: np.ndarray | Sequence[bool] | None = None,
) -> np.ndarray:
    """Category code of each node from its largest contiguous deposit and cell count.

    ``deposit_mm``: NaN = not measured. ``cells_per_section``: NaN = not counted.
    ``involved``: tumour reported (default: deposit > 0 or cells > 0). An involved node without
    a measured deposit is POSITIVE_SIZE_UNKNOWN (treated as > 0.2 mm, SEER rule).
    Boundaries (AJCC): <= 0.2 mm ITC, > 0.2 to <= 2.0 mm micro, > 2.0 mm macro; more than 200
    cells in one cross-section makes a node at least a micrometastasis.
    """
    d = np.atleast_1d(np.asarray(deposit_mm, dtype=float))
    c = (np.full(d.shape, np.nan) if cells_per_section is None
         else np.atleast_1d(np.asarray(cells_per_section, dtype=float)))
    measured = ~np.isnan(d)
    with np.errstate(invalid="ignore"):
        many_cells = c > ITC_MAX_CELLS
        present = ((d > 0) | (c > 0)) if involved is None else np.asarray(involved, dtype=bool)
        macro = measured & (d > MICRO_MAX_MM)
        micro = measured & ~macro & ((d > ITC_MAX_MM) | many_cells)
    out = np.full(d.shape, NEGATIVE, dtype=np.int8)
    out[present & measured] = ITC
    out[present & ~measured] = POSITIVE_SIZE_UNKNOWN
    out[present & micro] = MICRO
    out[present & macro] = MACRO
    return out


#: Up to this many nodes they are classified and counted node by node on plain values (the
#: same definitions as the columns): faster than NumPy's per-call cost for a few nodes.
SMALL_NODES = 32


def deposit_code(deposit_mm: float, cells_per_section: float, involved: bool) -> int:
    """``classify_deposits`` of one node (NaN = not measured, not counted)."""
    if not involved:
        return NEGATIVE
    measured = deposit_mm == deposit_mm
    if measured and deposit_mm > MICRO_MAX_MM:
        return MACRO
    if measured and (deposit_mm > ITC_MAX_MM or cells_per_section > ITC_MAX_CELLS):
        return MICRO
    return ITC if measured else POSITIVE_SIZE_UNKNOWN


def is_positive(codes: np.ndarray) -> np.ndarray:
    """Nodes counted as positive: micro, macro, or positive without a size (never ITC)."""
    return np.isin(codes, (MICRO, MACRO, POSITIVE_SIZE_UNKNOWN))


class NodeCall(NamedTuple):
    """One node's category and why (a named tuple: made for every node of every case)."""

    category: NodeCategory
    size_used_mm: float | None
    molecular_only: bool
    reason: str


def _size_used(node: NodeFinding, options: StagingOptions) -> tuple[float | None, str]:
    if (not options.ene_in_deposit_size and node.extranodal_extension
            and node.intranodal_deposit_mm is not None):
        return node.intranodal_deposit_mm, " (intranodal part; extranodal part excluded)"
    note = ""
    if node.extranodal_extension:
        note = (" (whole deposit including the extranodal part)" if options.ene_in_deposit_size
                else " (intranodal size not given: whole deposit used)")
    return node.deposit_mm, note


def classify_nodes(nodes: Sequence[NodeFinding], options: StagingOptions) -> list[NodeCall]:
    """Category of each node finding, with its reason, in input order."""
    sizes, notes, cells, involved, molecular = [], [], [], [], []
    for node in nodes:
        mol = node.method == "rtpcr" and node.is_involved
        size, note = _size_used(node, options)
        if mol:
            size = 0.0
        sizes.append(np.nan if size is None else size)
        notes.append(note)
        cells.append(np.nan if node.cells_per_section is None else node.cells_per_section)
        involved.append(node.is_involved and not mol)
        molecular.append(mol)
    if len(nodes) <= SMALL_NODES:
        codes = [deposit_code(*x) for x in zip(sizes, cells, involved, strict=True)]
    else:
        codes = classify_deposits(sizes, cells, involved).tolist()
    out = []
    for node, code, size, note, mol in zip(nodes, codes, sizes, notes, molecular, strict=True):
        out.append(NodeCall(CATEGORY_NAMES[code], None if size != size else float(size), mol,
                            _node_reason(node, code, size, note, mol)))
    return out


def _node_reason(node: NodeFinding, code: int, size: float, note: str, mol: bool) -> str:
    where = node.site.replace("_", " ")
    cells = node.cells_per_section
    cell_text = f", {cells} cells in one cross-section" if cells is not None else ""
    if mol:
        return f"{where} node: RT-PCR positive, no tumour cells seen -> negative (mol+)"
    if code == NEGATIVE:
        return f"{where} node: no tumour cells -> negative"
    if code == POSITIVE_SIZE_UNKNOWN:
        return (f"{where} node: positive without a measured deposit -> counted as positive "
                f"(> {ITC_MAX_MM:g} mm assumed){cell_text}")
    size_text = f"largest deposit {size:g} mm{note}{cell_text}"
    if code == ITC:
        return (f"{where} node: {size_text} -> ITC (<= {ITC_MAX_MM:g} mm and <= "
                f"{ITC_MAX_CELLS} cells; not counted as positive)")
    if code == MICRO:
        why = (f"> {ITC_MAX_CELLS} cells in one cross-section" if size <= ITC_MAX_MM
               else f"> {ITC_MAX_MM:g} mm and <= {MICRO_MAX_MM:g} mm")
        return f"{where} node: {size_text} -> micrometastasis ({why})"
    return f"{where} node: {size_text} -> macrometastasis (> {MICRO_MAX_MM:g} mm)"


class NodeSummary(NamedTuple):
    """What the pN decision needs from one case's node findings."""

    positive_axillary: int  # level I-II and intramammary, excised, micro + macro + unknown size
    macro_axillary: int
    micro_axillary: int
    unknown_size_axillary: int
    itc_nodes: int  # ITC-only regional nodes (any site)
    infraclavicular_positive: bool
    supraclavicular_positive: bool
    internal_mammary: Literal["none", "sln", "clinical"]
    molecular_positive: bool
    nodes_excised: int  # regional nodes removed (axillary I-III, intramammary, IM)
    needle_only_positive: tuple[str, ...]  # sites of positive needle-biopsy-only findings


def summarise(nodes: Sequence[NodeFinding], calls: Sequence[NodeCall], rtpcr_positive: bool,
              counts: Mapping[str, int]) -> NodeSummary:
    """What pN needs from one case's node findings, given its counts (``staging.counts``)."""
    c = counts
    im_clinical = im_sln = infraclavicular = molecular = False
    itc = 0
    needle: list[str] = []
    for n, call in zip(nodes, calls, strict=True):
        category = call.category
        molecular = molecular or call.molecular_only
        if category == "itc":
            itc += 1
        elif category in _POSITIVE_NAMES:
            site = n.site
            if site == "internal_mammary":
                im_clinical = im_clinical or n.clinically_detected
                im_sln = im_sln or n.excised
            elif site == "infraclavicular":
                infraclavicular = True
            if n.found_by == "needle_biopsy":
                needle.append(site)
    return NodeSummary(
        positive_axillary=c["axillary_macro"] + c["axillary_micro"] + c["axillary_unknown_size"],
        macro_axillary=c["axillary_macro"],
        micro_axillary=c["axillary_micro"],
        unknown_size_axillary=c["axillary_unknown_size"],
        itc_nodes=itc,
        infraclavicular_positive=infraclavicular,
        supraclavicular_positive=c["supraclavicular_positive"] > 0,
        internal_mammary="clinical" if im_clinical else ("sln" if im_sln else "none"),
        molecular_positive=rtpcr_positive or molecular,
        nodes_excised=c["nodes_excised"],
        needle_only_positive=tuple(needle),
    )


#: The node categories counted as positive (never ITC).
_POSITIVE_NAMES = frozenset(("micro", "macro", "pos"))


class NDecision(NamedTuple):
    """An N category without prefix or suffix: e.g. ("N1mi", ""), ("N0", "(i+)")."""

    category: str
    modifier: str
    reasons: tuple[str, ...]


def _by_count(p: int) -> str:
    return "3" if p >= 10 else ("2" if p >= 4 else "1")


def pn_category(s: NodeSummary, options: StagingOptions) -> NDecision:
    """The pN category from one case's node summary, in the AJCC/spec order of precedence.

    Source: AJCC 8th (revised 2018) pN definitions; project staging spec section 2.2.
    """
    p, mac = s.positive_axillary, s.macro_axillary > 0
    count = (f"{p} positive axillary node{'s' if p != 1 else ''} "
             f"({s.macro_axillary} macro, {s.micro_axillary} micro"
             + (f", {s.unknown_size_axillary} without size" if s.unknown_size_axillary else "")
             + f"; {s.itc_nodes} ITC-only not counted)")
    if s.supraclavicular_positive:
        return NDecision("N3c", "", ("N3c: ipsilateral supraclavicular node metastasis",))
    if s.infraclavicular_positive:
        return NDecision("N3a", "", ("N3a: positive infraclavicular (level III) node",))
    if s.internal_mammary == "clinical":
        if p >= 1:
            return NDecision("N3b", "", (f"N3b: clinically detected internal mammary node(s) "
                                         f"with {count}",))
        return NDecision("N2b", "", ("N2b: clinically detected internal mammary node(s) with "
                                     "pathologically negative axillary nodes",))
    if s.internal_mammary == "sln":
        if p == 0:
            return NDecision("N1b", "", ("N1b: positive internal mammary sentinel node, not "
                                         "clinically detected; no positive axillary node",))
        if p <= 3:
            return NDecision("N1c", "", (f"N1c: positive internal mammary sentinel node with "
                                         f"{count}",))
        return NDecision("N3b", "", (f"N3b: positive internal mammary sentinel node with {count}"
                                     " (more than 3)",))
    if p >= 1 and mac:
        cat = {"1": "N1a", "2": "N2a", "3": "N3a"}[_by_count(p)]
        band = {"1": "1-3", "2": "4-9", "3": "10 or more"}[_by_count(p)]
        return NDecision(cat, "", (f"{cat}: {count}; {band} positive with at least one deposit "
                                   f"> {MICRO_MAX_MM:g} mm",))
    if p >= 1 and s.unknown_size_axillary:
        cat = "N" + _by_count(p)
        return NDecision(cat, "", (f"{cat}: {count}; whether any deposit exceeds "
                                   f"{MICRO_MAX_MM:g} mm is unknown, so only the parent "
                                   "category can be given",))
    if p >= 1:
        if p >= 4 and options.micro_only_four_or_more == "by_count":
            cat = {"2": "N2a", "3": "N3a"}[_by_count(p)]
            return NDecision(cat, "", (f"{cat}: {count}; micrometastases only, staged by "
                                       "count (option micro_only_four_or_more=by_count)",))
        extra = (" (4 or more micrometastasis-only nodes: pN1mi by default, an uncertain point)"
                 if p >= 4 else "")
        return NDecision("N1mi", "", (f"N1mi: {count}; 0 macrometastases{extra}",))
    if s.itc_nodes:
        return NDecision("N0", "(i+)", (f"N0(i+): isolated tumour cells only in {s.itc_nodes} "
                                        "node(s); no node counted as positive",))
    if s.molecular_positive:
        return NDecision("N0", "(mol+)", ("N0(mol+): RT-PCR positive, no ITC seen",))
    return NDecision("N0", "", ("N0: no regional node metastasis",))


def clinical_n_from_needle(s: NodeSummary, entered: str | None) -> NDecision:
    """cN from nodes confirmed by needle biopsy only (no excision): staged clinically, (f).

    Source: AJCC 8th (revised 2018): nodal metastasis confirmed by FNA or core biopsy without
    excision is classified clinically with the (f) suffix; cN categories by site.
    """
    sites = set(s.needle_only_positive)
    im = s.internal_mammary != "none" or "internal_mammary" in sites
    axillary = bool(sites & set(AXILLARY_SITES))
    if s.supraclavicular_positive:
        return NDecision("N3c", "", ("cN3c: supraclavicular node confirmed by needle biopsy",))
    if s.infraclavicular_positive:
        return NDecision("N3a", "", ("cN3a: infraclavicular node confirmed by needle biopsy",))
    if im and axillary:
        return NDecision("N3b", "", ("cN3b: internal mammary and axillary nodes",))
    if im:
        return NDecision("N2b", "", ("cN2b: internal mammary nodes without axillary nodes",))
    if entered in ("N2", "N2a"):
        return NDecision("N2a", "", ("cN2a: axillary nodes fixed or matted (as entered)",))
    return NDecision("N1", "", ("cN1: axillary node(s) confirmed by needle biopsy; fixed or "
                                "matted nodes (cN2a) must be entered as clinical_n",))


def predict_nodes_from_counts(
    micro: np.ndarray | Sequence[int], macro: np.ndarray | Sequence[int]
) -> np.ndarray:
    """PREDICT Breast's node input from counts of micro- and macrometastatic nodes.

    Convention of the PREDICT web tool (WintonCentre/predict-v21-main, commit 33766332,
    src/cljs/predict3/models/adapters/predict2.cljs, ``nodes-v2``; the "Micrometastases only"
    input is enabled only when positive nodes = 1): one positive node holding micrometastases
    only is entered as 0.5; otherwise the number of positive nodes (micro + macro). ITC count 0.
    """
    mi = np.asarray(micro, dtype=float)
    return one_micro_as_half(mi, mi + np.asarray(macro, dtype=float))


def one_micro_as_half(micro: Any, total: Any) -> Any:
    """``predict_nodes_from_counts`` given the micrometastatic and all positive nodes, element
    by element over arrays or on one case's whole numbers (a float either way)."""
    return total - 0.5 * ((total == 1) & (micro == 1))
