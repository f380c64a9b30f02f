"""Whole numbers for patient text: percentages rounded half up as people round them.

Source: the project's rounding rule for patient texts (half away from zero on the decimal
value that is printed, DESIGN "Explain for two readers"); IEEE 754 doubles for why the quick
way below 2**52 decides every half as the decimal digits would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

#: Below this magnitude every double's fraction (``x - floor(x)``) and every ``n + 0.5`` are
#: exact, so comparing the fraction with 0.5 decides as the decimal digits of ``repr`` would.
_EXACT_HALVES = 2.0 ** 52


def patient_number(x: float) -> str:
    """A whole number for patient text, rounded half up (12.5 -> 13; -0.4 -> "-0").

    The decimal value of ``repr(x)`` rounded half away from zero; below 2**52 the same result
    from the double itself (a double and its shortest repr lie on the same side of every
    exact half), the decimal way above it and for NaN and infinities.
    """
    x = float(x)
    if 0.0 < x < _EXACT_HALVES:  # the usual case: a positive percentage
        whole = int(x)
        return str(whole + 1 if x - whole >= 0.5 else whole)
    if not -_EXACT_HALVES < x < _EXACT_HALVES:
        return _patient_number_decimal(x)
    size = abs(x)
    whole = math.floor(size)
    if size - whole >= 0.5:
        whole += 1
    return f"-{whole}" if math.copysign(1.0, x) < 0 else str(whole)


def patient_numbers(values: Iterable[float]) -> list[str]:
    """``patient_number`` of each of ``values``, the usual case (a positive percentage) worked
    in one pass."""
    out = []
    for x in values:
        if 0.0 < x < _EXACT_HALVES:
            whole = int(x)
            out.append(str(whole + 1 if x - whole >= 0.5 else whole))
        else:
            out.append(patient_number(x))
    return out


def _patient_number_decimal(x: float) -> str:
    """``patient_number`` by decimal arithmetic on the shortest repr of ``x``."""
    return str(Decimal(repr(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
