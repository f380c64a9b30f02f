"""One raw input column of a prognostic index read as floats, strictly, with its gaps.

Source: axilla indices specification (shared input conventions): a boolean is never a number
and a number never a flag; text is read as plain decimal digits or, for a flag, true/false/
yes/no. The rules that judge the values live in ``case/index_rules.py``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from axilla.case.strict import number_from_text

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_MISSING = object()


def number(value: Any, flag: bool) -> float:
    """One raw value as a float; NaN when missing or unreadable (then refused by its rule).

    Strict at the edge: a boolean is never a number and a number never a flag; text is read
    only as plain decimal digits (never ``3_0`` or ``nan``) or, for a flag, true/false/yes/no.
    """
    if value is None or value is _MISSING or (isinstance(value, str) and not value.strip()):
        return math.nan
    if isinstance(value, bool | np.bool_):
        return float(value) if flag else math.nan
    if isinstance(value, str):
        text = value.strip().lower()
        if flag and text in _TRUE:
            return 1.0
        if flag and text in _FALSE:
            return 0.0
        try:
            return math.nan if flag else number_from_text(text)
        except ValueError:
            return math.nan
    if flag or not isinstance(value, int | float | np.number):
        return math.nan
    return float(value)


def is_missing(value: Any) -> bool:
    """Whether a raw value counts as not given (None, blank text, NaN)."""
    if value is None or value is _MISSING:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def column(raw: object, flag: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(float values, raw values for messages, missing mask) of one input column."""
    numeric_kinds = "fiub" if flag else "fiu"
    if isinstance(raw, np.ndarray) and raw.dtype.kind in numeric_kinds:
        values = np.atleast_1d(raw.astype(float))
        return values, values, np.isnan(values)
    items = np.atleast_1d(np.asarray(raw, dtype=object))
    values = np.fromiter((number(v, flag) for v in items), dtype=float, count=items.shape[0])
    missing = np.fromiter((is_missing(v) for v in items), dtype=bool, count=items.shape[0])
    return values, items, missing


def cells(raw: object, flag: bool) -> tuple[list[float], list[Any], list[bool]]:
    """``column`` as lists of plain values: (floats, raw values for messages, missing)."""
    numeric_kinds = "fiub" if flag else "fiu"
    if isinstance(raw, np.ndarray) and raw.dtype.kind in numeric_kinds:
        if raw.ndim == 1 and raw.dtype == np.float64:
            values = raw.tolist()  # already plain floats: no copy to convert
        else:
            values = np.atleast_1d(raw).astype(float).tolist()
        return values, values, [v != v for v in values]
    items = list(np.atleast_1d(np.asarray(raw, dtype=object)))
    return ([number(v, flag) for v in items], items, [is_missing(v) for v in items])
