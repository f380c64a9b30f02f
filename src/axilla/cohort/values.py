"""Raw cell values of a cohort file as numbers or text, and refusals recorded row by row."""

from __future__ import annotations

import math

import numpy as np

MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none"})


def parse_numbers(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values as floats (NaN when missing) and a mask of values that are not numbers."""
    arr = np.asarray(raw)
    if arr.dtype.kind in "fiu":
        return arr.astype(float), np.zeros(arr.shape, bool)
    if arr.dtype.kind == "b":  # a boolean is never a number
        return np.full(arr.shape, math.nan), np.ones(arr.shape, bool)
    if not any(isinstance(v, bool) for v in arr.tolist()[:1]):
        try:  # fast path: every cell a number or a numeric text
            return arr.astype(float), np.zeros(arr.shape, bool)
        except (TypeError, ValueError):
            pass
    out = np.empty(arr.shape[0], dtype=float)
    bad = np.zeros(arr.shape[0], dtype=bool)
    for i, v in enumerate(arr.tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out[i] = math.nan
        elif isinstance(v, bool):
            out[i], bad[i] = math.nan, True
        elif isinstance(v, int | float):
            out[i] = float(v)
        elif str(v).strip().lower() in MISSING_TOKENS:
            out[i] = math.nan
        else:
            try:
                out[i] = float(str(v).strip())
            except ValueError:
                out[i], bad[i] = math.nan, True
    return out, bad


def strings(raw: np.ndarray) -> np.ndarray:
    """Cells as text; missing cells as the empty string."""
    return np.asarray(["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                       for v in np.asarray(raw, dtype=object).tolist()], dtype=object)


def refuse(errors: list, rows: np.ndarray, mask: np.ndarray, name: str, raw: np.ndarray,
           reason: str) -> None:
    """Append (row, field, value, reason) for every row where ``mask`` is set."""
    for i in np.flatnonzero(mask):
        value = raw[i]
        errors.append((int(rows[i]), name, value.item() if isinstance(value, np.generic)
                       else value, reason))
