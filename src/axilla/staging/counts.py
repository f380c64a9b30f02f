"""Per-case node counts, computed once over a node table, and the nodes each model counts.

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised 2018: regional
nodes (level I-II axillary and intramammary nodes count as axillary; level III is
infraclavicular), ITC / micrometastasis / macrometastasis, and nodes confirmed by needle biopsy
only being staged clinically with the (f) suffix (docs/staging.md). Which of these nodes each
model reads is stated once here, with its source:

* pN and the indices (NPI, CTS5): excised axillary nodes (sentinel or dissection, level I-II and
  intramammary) holding micro- or macrometastases or tumour without a size; isolated tumour
  cells never count (indices spec, shared input conventions: ``positive_nodes``, NICE NG101
  1.4.15). A node positive on needle biopsy only is not among them: it was not examined
  pathologically, exactly as the pN category does not count it.
* PREDICT: the same excised nodes plus excised infraclavicular (level III) nodes, with one
  micrometastatic node entered as 0.5 (``predict_nodes_from_counts``; PREDICT web tool).
* Guidance (docs/guidance.md section 0.2): ``sln_*_count`` over the axillary nodes excised as
  sentinel nodes (NICE NG101 1.4.12-1.4.15 speak of the axilla: an internal mammary sentinel
  node is not one of them), ``macromet_nodes_total`` over the excised axillary nodes, and
  ``im_macromet_nodes`` over the excised internal mammary nodes with a macrometastasis (or
  tumour without a size), which NG101 1.13 radiotherapy rules read separately.

Everything is columnar: one element per node in, one element per case out.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from axilla.staging.nodes import (
    AXILLARY_SITES,
    ITC,
    MACRO,
    MICRO,
    NEGATIVE,
    POSITIVE_SIZE_UNKNOWN,
    SMALL_NODES,
    one_micro_as_half,
)

#: How a node reached the pathologist when it was excised (not needle biopsy, not imaging).
EXCISED_BY = ("sentinel", "dissection")


class NodeCounts(BaseModel):
    """One case's nodes counted by region and category (AJCC 8th categories)."""

    model_config = ConfigDict(frozen=True)

    axillary_macro: int
    axillary_micro: int
    axillary_itc: int
    axillary_unknown_size: int
    axillary_negative: int
    axillary_needle_only_positive: int
    sentinel_removed: int
    sentinel_macro: int
    sentinel_micro: int
    sentinel_itc: int
    sentinel_unknown_size: int
    infraclavicular_micro: int
    infraclavicular_positive: int
    internal_mammary_positive: int
    internal_mammary_macro: int  # excised, macrometastasis or tumour without a size
    supraclavicular_positive: int
    extranodal_extension: int
    nodes_excised: int
    nodes_examined: int

    @property
    def axillary_positive(self) -> int:
        """Excised axillary nodes counted as positive: micro + macro + without a size."""
        return self.axillary_macro + self.axillary_micro + self.axillary_unknown_size


COUNT_NAMES: tuple[str, ...] = tuple(NodeCounts.model_fields)
_COUNT_SET = frozenset(COUNT_NAMES)


def count_nodes(
    case_index: np.ndarray | Sequence[int],
    n_cases: int,
    site: np.ndarray | Sequence[str],
    found_by: np.ndarray | Sequence[str],
    category: np.ndarray | Sequence[int],
    extranodal_extension: np.ndarray | Sequence[bool] | None = None,
    nodes_removed: np.ndarray | Sequence[float] | None = None,
) -> dict[str, np.ndarray]:
    """Every count of ``NodeCounts`` for a batch: one int array of length ``n_cases`` each.

    ``category`` holds the codes of ``axilla.staging.nodes`` (NEGATIVE ... POSITIVE_SIZE_UNKNOWN).
    ``nodes_removed`` (NaN = not given) is the number the operation note records; without it
    the nodes examined are the excised node findings other than supraclavicular ones.
    """
    rows = count_rows(case_index, n_cases, site, found_by, category, extranodal_extension,
                      nodes_removed)
    if rows is not None:
        return {name: np.array([r[name] for r in rows], dtype=np.int64) for name in COUNT_NAMES}
    idx = np.asarray(case_index, dtype=np.int64)
    site_a = np.asarray(site, dtype=object)
    found = np.asarray(found_by, dtype=object)
    cat = np.asarray(category, dtype=np.int64)
    ene = (np.zeros(idx.shape, bool) if extranodal_extension is None
           else np.asarray(extranodal_extension, dtype=bool))

    def per_case(mask: np.ndarray) -> np.ndarray:
        return np.bincount(idx[mask], minlength=n_cases).astype(np.int64)

    excised = np.isin(found, EXCISED_BY)
    axillary = np.isin(site_a, AXILLARY_SITES)
    ax = axillary & excised
    sentinel = (found == "sentinel") & axillary
    positive = np.isin(cat, (MICRO, MACRO, POSITIVE_SIZE_UNKNOWN))
    im_excised = (site_a == "internal_mammary") & excised
    infra = (site_a == "infraclavicular") & excised
    out = {
        "axillary_macro": per_case(ax & (cat == MACRO)),
        "axillary_micro": per_case(ax & (cat == MICRO)),
        "axillary_itc": per_case(ax & (cat == ITC)),
        "axillary_unknown_size": per_case(ax & (cat == POSITIVE_SIZE_UNKNOWN)),
        "axillary_negative": per_case(ax & (cat == NEGATIVE)),
        "axillary_needle_only_positive": per_case(axillary & (found == "needle_biopsy")
                                                  & positive),
        "sentinel_removed": per_case(sentinel),
        "sentinel_macro": per_case(sentinel & (cat == MACRO)),
        "sentinel_micro": per_case(sentinel & (cat == MICRO)),
        "sentinel_itc": per_case(sentinel & (cat == ITC)),
        "sentinel_unknown_size": per_case(sentinel & (cat == POSITIVE_SIZE_UNKNOWN)),
        "infraclavicular_micro": per_case(infra & (cat == MICRO)),
        "infraclavicular_positive": per_case(infra & positive),
        "internal_mammary_positive": per_case((site_a == "internal_mammary") & positive),
        "internal_mammary_macro": per_case(im_excised & np.isin(cat, (MACRO,
                                                                      POSITIVE_SIZE_UNKNOWN))),
        "supraclavicular_positive": per_case((site_a == "supraclavicular") & positive),
        "extranodal_extension": per_case(ene),
        "nodes_excised": per_case(excised & (site_a != "supraclavicular")),
    }
    removed = (np.full(n_cases, np.nan) if nodes_removed is None
               else np.asarray(nodes_removed, dtype=float))
    out["nodes_examined"] = np.where(np.isnan(removed), out["nodes_excised"],
                                     np.nan_to_num(removed)).astype(np.int64)
    return out


_BY_CATEGORY = {NEGATIVE: "negative", ITC: "itc", MICRO: "micro", MACRO: "macro",
                POSITIVE_SIZE_UNKNOWN: "unknown_size"}
_POSITIVE_CODES = (MICRO, MACRO, POSITIVE_SIZE_UNKNOWN)


_Ints = np.ndarray | Sequence[int]
_Texts = np.ndarray | Sequence[str]


def _plain(values: np.ndarray | Sequence[Any], dtype: type) -> list[Any]:
    """One-dimensional values as a list of plain values of ``dtype`` (a list of them as is)."""
    if isinstance(values, list) and all(type(v) is _PLAIN[dtype] for v in values):
        return values
    return np.asarray(values, dtype=dtype).reshape(-1).tolist()


_PLAIN: dict[type, type] = {np.int64: int, float: float, bool: bool}


def count_rows(case_index: _Ints, n_cases: int, site: _Texts, found_by: _Texts, category: _Ints,
               extranodal_extension: np.ndarray | Sequence[bool] | None = None,
               nodes_removed: np.ndarray | Sequence[float] | None = None,
               ) -> list[dict[str, int]] | None:
    """``count_nodes`` of a batch of up to ``SMALL_NODES`` nodes as one dict of counts a case.

    The same definitions, node by node; None when the batch is larger (or a case index or a
    removed count is out of the ordinary), for the columnar path.
    """
    if len(case_index) > SMALL_NODES:
        return None
    idx = _plain(case_index, np.int64)
    removed = ([math.nan] * n_cases if nodes_removed is None
               else _plain(nodes_removed, float))
    if (len(removed) != n_cases or any(math.isinf(r) for r in removed)
            or not all(0 <= i < n_cases for i in idx)):
        return None
    ene = ([False] * len(idx) if extranodal_extension is None
           else _plain(extranodal_extension, bool))
    rows = [dict.fromkeys(COUNT_NAMES, 0) for _ in range(n_cases)]
    for i, where, how, code, spread in zip(idx, list(site), list(found_by),
                                           _plain(category, np.int64), ene, strict=True):
        row = rows[i]
        excised = how in EXCISED_BY
        positive = code in _POSITIVE_CODES
        if where in AXILLARY_SITES:
            kind = _BY_CATEGORY.get(code)
            if excised and kind is not None:
                row[f"axillary_{kind}"] += 1
            if how == "needle_biopsy" and positive:
                row["axillary_needle_only_positive"] += 1
            if how == "sentinel":
                row["sentinel_removed"] += 1
                if kind is not None and code != NEGATIVE:
                    row[f"sentinel_{kind}"] += 1
        elif where == "infraclavicular" and excised:
            row["infraclavicular_micro"] += code == MICRO
            row["infraclavicular_positive"] += positive
        elif where == "internal_mammary":
            row["internal_mammary_positive"] += positive
            row["internal_mammary_macro"] += excised and code in (MACRO, POSITIVE_SIZE_UNKNOWN)
        elif where == "supraclavicular":
            row["supraclavicular_positive"] += positive
        row["extranodal_extension"] += spread
        row["nodes_excised"] += excised and where != "supraclavicular"
    for row, given in zip(rows, removed, strict=True):
        row["nodes_examined"] = row["nodes_excised"] if given != given else int(given)
    return rows


def counts_at(columns: Mapping[str, np.ndarray], row: int) -> NodeCounts:
    """The counts of one case (row) of ``count_nodes`` output."""
    return NodeCounts(**{name: int(columns[name][row]) for name in COUNT_NAMES})


class CountColumns(Mapping[str, np.ndarray]):
    """Counts of several cases as columns (an int64 array per count, an element a case), each
    made when first read and then kept: the engines of a few cases read a few counts."""

    def __init__(self, counts: Sequence[NodeCounts]) -> None:
        self.rows = counts  # each case's counts, in batch order
        self._made: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        found = self._made.get(name)
        if found is None:
            if name not in _COUNT_SET:
                raise KeyError(name)
            found = self._made[name] = np.array([getattr(c, name) for c in self.rows],
                                                dtype=np.int64)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(COUNT_NAMES)

    def __len__(self) -> int:
        return len(COUNT_NAMES)


def counts_columns(counts: Sequence[NodeCounts]) -> CountColumns:
    """Counts of several cases back as columns (one int array per count)."""
    return CountColumns(counts)


# --------------------------------------------------------------------------------------------
# The nodes each model counts (the one definition; see the module docstring for the sources)


#: Counts as ``counts_columns`` gives them (an int64 array each, an element a case) or as one
#: case's plain whole numbers (``vars(NodeCounts)``): the definitions below read either.
CountValues = Mapping[str, Any]


def index_node_inputs(c: CountValues) -> tuple[Any, Any]:
    """NPI and CTS5 ``positive_nodes`` and ``micrometastatic_nodes`` (indices spec)."""
    micro = c["axillary_micro"]
    return c["axillary_macro"] + micro + c["axillary_unknown_size"], micro


def predict_node_input(c: CountValues) -> Any:
    """PREDICT's ``nodes``: excised axillary and infraclavicular nodes, 0.5 for one micro
    (``predict_nodes_from_counts``); float64 columns, or a float for one case's counts."""
    micro = c["axillary_micro"] + c["infraclavicular_micro"]
    positive, _ = index_node_inputs(c)
    return one_micro_as_half(micro, positive + c["infraclavicular_positive"])


def macromet_nodes_total(c: CountValues) -> Any:
    """Excised axillary nodes with a macrometastasis or tumour without a size (guidance 0.2)."""
    return c["axillary_macro"] + c["axillary_unknown_size"]


def guidance_node_facts(c: CountValues) -> dict[str, Any]:
    """The node counts of the guidance field list (docs/guidance.md section 0.2)."""
    positive, _ = index_node_inputs(c)
    return {
        "sln_macromet_count": c["sentinel_macro"] + c["sentinel_unknown_size"],
        "sln_micromet_count": c["sentinel_micro"],
        "sln_itc_count": c["sentinel_itc"],
        "macromet_nodes_total": macromet_nodes_total(c),
        "positive_nodes_total": positive,
        "im_macromet_nodes": c["internal_mammary_macro"],
    }
