"""Index inputs of a batch checked once against the spec's rules, with warnings by case.

Source: axilla indices specification (shared input conventions); the rules themselves live in
``axilla.case.indices``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np

from axilla.case.index_rules import SMALL_BATCH, accepted_rows
from axilla.case.indices import IndexName, validate_index_columns
from axilla.errors import InputError


def checked_columns(index: IndexName, columns: Mapping[str, np.ndarray], *,
                    accepted: bool = False) -> tuple[dict[str, np.ndarray], list[list[str]]]:
    """The inputs as float columns (defaults filled) and each case's warnings.

    The cases must be applicable already; a refusal by the input rules raises ``InputError``.
    ``accepted``: the columns are float arrays of a few rows read from parsed cases, which
    every input rule accepts (``axilla.case.index_rules.accepted_rows``): not checked again.
    """
    floats = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    if accepted and len(floats["size_mm"]) <= SMALL_BATCH:
        checked = accepted_rows(index, floats)
    else:
        checked = validate_index_columns(index, floats)
    if checked.problems:
        raise InputError([p for _, p in checked.problems])
    n = int(checked.valid.shape[0])
    warnings: list[list[str]] = [[] for _ in range(n)]
    for row, message in checked.warnings:
        warnings[row].append(message)
    return checked.columns, warnings


def few_finite_rows(*columns: Any) -> bool:
    """Whether ``columns`` are 1-d float arrays of one length up to ``SMALL_BATCH``, all finite.

    Anything else (scalars to broadcast, NaN, other types) takes the columnar path.
    """
    first = columns[0]
    if not isinstance(first, np.ndarray) or first.ndim != 1 or first.shape[0] > SMALL_BATCH:
        return False
    n = first.shape[0]
    for x in columns:
        if not (isinstance(x, np.ndarray) and x.shape == (n,) and x.dtype == np.float64):
            return False
        if not all(math.isfinite(v) for v in x.tolist()):
            return False
    return True


def round_like_numpy(x: float, decimals: int) -> float:
    """``np.round(x, decimals)`` of one finite float, bit for bit (decimals >= 0).

    NumPy multiplies by 10**decimals, rounds half to even (``rint``) and divides back; Python's
    ``round`` of a float to an integer is the same half-to-even rule, and ``copysign`` keeps
    the sign of a zero as ``rint`` does.
    """
    scale = 10.0 ** decimals
    y = x * scale
    return math.copysign(float(round(y)), y) / scale


R = TypeVar("R")


def frozen_record(cls: type[R], values: dict[str, Any]) -> R:
    """A frozen dataclass ``cls`` holding ``values`` (every field, in field order; the dict is
    kept), without the generated ``__init__``'s assignment of each field in turn: for results
    built from checked values of each field's type (the same record: tests/models/
    test_indices_speed4.py). ``cls`` has no ``__post_init__`` and no slots."""
    record = _new(cls)
    _set(record, "__dict__", values)
    return record


_new, _set = object.__new__, object.__setattr__
