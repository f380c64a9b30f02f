"""Primary tumour (pT), the written forms of T and N, and distant metastasis (M).

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised 2018: T
definitions, the rounding rule for tumour size (<= 1.0 mm T1mi; > 1.0 and < 2.0 mm counted as
2 mm; otherwise the nearest whole millimetre), the (m) suffix, prefixes and suffixes of N, M
categories. Restated in docs/staging.md. UICC TNM 8 (RCPath dataset, Appendix D, 2018): the same
cut-offs, with sizes rounded to the nearest whole millimetre (1.1 mm is reported as 1 mm, so
T1mi), and no (f) suffix.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from axilla.case.staging import StagingCase, Tumour
from axilla.staging.options import StagingOptions
from axilla.typed import built

T1MI_MAX_MM = 1.0
#: Upper bounds (mm, after rounding) of T1a, T1b, T1c and T2; larger is T3.
T_CUTOFFS_MM = (5, 10, 20, 50)
T_SIZE_CATEGORIES = ("T1a", "T1b", "T1c", "T2", "T3")


class TCategory(BaseModel):
    """A T category with its parts: prefix (p, yp, c), category (T1c), (m), display."""

    model_config = ConfigDict(frozen=True)

    prefix: str
    category: str
    multiple: bool
    display: str


class NCategory(BaseModel):
    """An N category with its parts, e.g. prefix "p", category "N0", modifier "(i+)",
    suffix "(sn)", display "pN0(i+)(sn)"."""

    model_config = ConfigDict(frozen=True)

    prefix: str
    category: str
    modifier: str
    suffix: str
    display: str

    @property
    def without_suffix(self) -> str:
        return f"{self.prefix}{self.category}{self.modifier}"


def rounded_size_mm(size_mm: np.ndarray | Sequence[float], half: str = "up",
                    system: str = "AJCC8") -> np.ndarray:
    """Size used for T after the system's rounding rule (NaN where the tumour is T1mi).

    AJCC 8: <= 1.0 mm is T1mi; > 1.0 and < 2.0 mm counts as 2 mm; from 2 mm the nearest whole
    millimetre. UICC 8 (RCPath): the nearest whole millimetre throughout, so up to 1.5 mm
    (x.5 by ``half``) is T1mi. x.5 rounds up (``half="up"``, the default) or down.
    """
    s = np.atleast_1d(np.asarray(size_mm, dtype=float))
    nearest = np.floor(s + 0.5) if half == "up" else np.ceil(s - 0.5)
    if system == "UICC8":
        return np.where(nearest <= T1MI_MAX_MM, np.nan, nearest)
    out = np.where(s < 2.0, 2.0, nearest)
    return np.where(s <= T1MI_MAX_MM, np.nan, out)


def t_category_from_size(size_mm: np.ndarray | Sequence[float], half: str = "up",
                         system: str = "AJCC8") -> np.ndarray:
    """T category (T1mi ... T3) of each invasive size in mm, over an array."""
    s = np.atleast_1d(np.asarray(size_mm, dtype=float))
    r = rounded_size_mm(s, half, system)
    idx = np.searchsorted(np.asarray(T_CUTOFFS_MM, dtype=float), np.nan_to_num(r), side="left")
    cats = np.asarray(T_SIZE_CATEGORIES, dtype=object)[idx]
    return np.where(np.isnan(r), "T1mi", cats).astype(str)


def rounded_size_one_mm(size_mm: float, half: str = "up", system: str = "AJCC8") -> float:
    """``rounded_size_mm`` of one finite size, on a plain float."""
    s = float(size_mm)
    nearest = float(math.floor(s + 0.5) if half == "up" else math.ceil(s - 0.5))
    if system == "UICC8":
        return math.nan if nearest <= T1MI_MAX_MM else nearest
    if s <= T1MI_MAX_MM:
        return math.nan
    return 2.0 if s < 2.0 else nearest


def t_category_one(size_mm: float, half: str = "up", system: str = "AJCC8") -> str:
    """``t_category_from_size`` of one finite size."""
    r = rounded_size_one_mm(size_mm, half, system)
    return "T1mi" if r != r else T_SIZE_CATEGORIES[bisect_left(T_CUTOFFS_MM, r)]


def t_group(category: str) -> str:
    """Stage-table T group: T1mi..T1c -> T1, T4a..T4d -> T4, Tis(...) -> Tis."""
    if category.startswith("Tis"):
        return "Tis"
    if category in ("T0", "TX"):
        return category
    return category[:2]


def pt_category(tumour: Tumour, neoadjuvant: bool,
                options: StagingOptions) -> tuple[TCategory, list[str]]:
    """pT (ypT after neoadjuvant therapy) of the primary tumour, with its reasons."""
    prefix = "yp" if neoadjuvant else "p"
    sizes = tumour.invasive_sizes_mm
    multiple = len(sizes) > 1
    reasons: list[str] = []
    if tumour.primary == "dcis":
        cat = "Tis(DCIS)"
        reasons.append("Tis(DCIS): ductal carcinoma in situ, no invasive carcinoma")
        if tumour.paget:
            reasons.append("Paget disease noted; staged by the underlying DCIS")
    elif tumour.primary == "paget":
        cat = "Tis(Paget)"
        reasons.append("Tis(Paget): Paget disease of the nipple without underlying invasive "
                       "carcinoma or DCIS")
    elif tumour.primary == "none":
        cat = "T0"
        reasons.append("T0: no evidence of primary tumour" + (" (no residual invasive or "
                       "in-situ tumour after neoadjuvant therapy)" if neoadjuvant else ""))
    elif tumour.primary == "not_assessed":
        cat = "TX"
        reasons.append("TX: primary tumour cannot be assessed")
    else:
        largest = max(sizes) if sizes else None
        if tumour.t4_extension:
            cat = "T4" + tumour.t4_extension
            what = {"a": "extension to the chest wall",
                    "b": "ulceration, satellite skin nodules or skin oedema",
                    "c": "both T4a and T4b", "d": "inflammatory carcinoma"}[tumour.t4_extension]
            reasons.append(f"{cat}: {what} (entered; overrides size"
                           + (f" {largest:g} mm)" if largest else ")"))
        else:
            assert largest is not None
            cat = t_category_one(largest, options.t_half_mm, options.system)
            reasons.append(_size_reason(cat, largest, options.t_half_mm, options.system))
        if multiple:
            reasons.append(f"(m): {len(sizes)} separate invasive tumours "
                           f"({', '.join(f'{s:g}' for s in sizes)} mm); the largest is used, "
                           "sizes are not added")
        if tumour.paget:
            reasons.append("Paget disease noted; staged by the underlying invasive carcinoma")
    if cat.startswith("Tis") or cat in ("T0", "TX"):
        multiple = False
    display = f"{prefix}{cat}{'(m)' if multiple else ''}"
    return built(TCategory, {"prefix": prefix, "category": cat, "multiple": multiple,
                             "display": display}), reasons


def _size_reason(cat: str, size: float, half: str, system: str = "AJCC8") -> str:
    uicc = system == "UICC8"
    if cat == "T1mi":
        if uicc and size > T1MI_MAX_MM:
            return (f"T1mi: largest invasive size {size:g} mm, rounded to the nearest "
                    f"millimetre ({T1MI_MAX_MM:g} mm; UICC TNM 8 / RCPath rule)")
        return f"T1mi: largest invasive size {size:g} mm (<= {T1MI_MAX_MM:g} mm, not rounded)"
    r = rounded_size_one_mm(size, half, system)
    if size < 2.0 and not uicc:
        how = f"{size:g} mm (> 1.0 and < 2.0 mm counts as 2 mm)"
    elif r == size:
        how = f"{size:g} mm"
    else:
        how = f"{size:g} mm, rounded to {r:g} mm"
    bounds = {"T1a": "> 1 and <= 5 mm", "T1b": "> 5 and <= 10 mm", "T1c": "> 10 and <= 20 mm",
              "T2": "> 20 and <= 50 mm", "T3": "> 50 mm"}[cat]
    return f"{cat}: largest invasive size {how} ({bounds})"


def m_group(m: str) -> str:
    """M0 (incl. cM0(i+)) or M1 (cM1, pM1)."""
    return "M1" if m.endswith("M1") else "M0"


def m_reason(m: str) -> str:
    return _M_REASONS[m]


_M_REASONS = {
    "cM0": "cM0: no clinical or radiographic evidence of distant metastasis",
    "cM0(i+)": "cM0(i+): tumour cells <= 0.2 mm in blood, marrow or non-regional nodes "
               "without symptoms; staged as M0",
    "cM1": "cM1: distant metastasis by clinical or radiographic means",
    "pM1": "pM1: histologically proven distant metastasis > 0.2 mm",
}


def n_group(category: str) -> str:
    """Stage-table N group: N0 (incl. (i+)/(mol+)), N1mi, N1, N2, N3 or NX."""
    if category in ("N0", "N1mi", "NX"):
        return category
    return category[:2]


def sn_suffix(case: StagingCase, nodes_excised: int) -> tuple[str, str | None]:
    """The (sn) suffix: sentinel procedure with fewer than 6 nodes removed (CAP wording)."""
    if case.procedure.kind != "sentinel":
        return "", None
    removed = case.procedure.nodes_removed
    removed = nodes_excised if removed is None else removed
    if removed < 6:
        return "(sn)", f"(sn): sentinel node procedure with {removed} node(s) removed (< 6)"
    return "", f"no (sn): {removed} nodes removed at the sentinel procedure (6 or more)"
