"""Why NPI or CTS5 cannot be given to a case, in words for people.

Source: axilla indices specification (NPI 1.2: operable invasive cancer with size, grade and
nodes, Haybittle 1982; CTS5 2.5: ER-positive invasive cancer, ages of the input rule, Dowsett
2018). The age range is the input rule's own (``axilla.case.index_rules``). Also the positive
nodes both indices count, for a few rows of plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np

from axilla.case.index_rules import INDEX_INPUTS, NumberRule, value_ok
from axilla.case.indices import counted_positive_nodes


def tumour_reasons(model: str, invasive: np.ndarray, size_mm: np.ndarray, grade: np.ndarray
                   ) -> list[tuple[str, ...]]:
    """Why ``model`` (an index of invasive cancer from size and grade) cannot be given, by case
    (``tumour_row_reasons`` of each row)."""
    sizes = np.asarray(size_mm, dtype=float).tolist()
    grades = np.asarray(grade, dtype=float).tolist()
    return [tumour_row_reasons(model, inv, size, g) for inv, size, g in zip(
        np.asarray(invasive, dtype=bool).tolist(), sizes, grades, strict=True)]


def tumour_row_reasons(model: str, invasive: bool, size_mm: float, grade: float
                       ) -> tuple[str, ...]:
    """Why ``model`` cannot be given to one case, written for people: "NPI needs the
    histological grade; it is not recorded". NaN marks a size or grade not recorded; an empty
    tuple means nothing is missing."""
    if not invasive:
        return (f"{model} is for invasive breast cancer; the tumour recorded is not invasive",)
    if size_mm == size_mm and grade == grade:
        return ()
    reasons = []
    if size_mm != size_mm:
        reasons.append(f"{model} needs the invasive tumour size in mm; it is not recorded")
    if grade != grade:
        reasons.append(f"{model} needs the histological grade; it is not recorded")
    return tuple(reasons)


_AGE_RULE = cast(NumberRule, INDEX_INPUTS["CTS5"]["age_years"].rule)  # the table's own kind
_AGE_OK = value_ok(_AGE_RULE)


def cts5_applicability(
    invasive: np.ndarray, er_positive: np.ndarray, age_years: np.ndarray, size_mm: np.ndarray,
    grade: np.ndarray,
) -> list[tuple[str, ...]]:
    """Why CTS5 cannot be given, for each case (empty = applicable), in words for people.

    CTS5 is defined for ER-positive invasive breast cancer from age, size, grade and nodes
    (Dowsett 2018; indices spec 2.5); the age range is the spec's (``axilla.case.indices``).
    ``er_positive`` is 1, 0 or NaN (not recorded); NaN marks a missing size or grade.
    """
    ers = np.asarray(er_positive, dtype=float).tolist()
    ages = np.asarray(age_years, dtype=float).tolist()
    return [cts5_row_reasons(*row) for row in zip(
        np.asarray(invasive, dtype=bool).tolist(), ers, ages,
        np.asarray(size_mm, dtype=float).tolist(), np.asarray(grade, dtype=float).tolist(),
        strict=True)]


def cts5_row_reasons(invasive: bool, er: float, age: float, size_mm: float, grade: float
                      ) -> tuple[str, ...]:
    """``cts5_applicability`` of one case."""
    tumour = tumour_row_reasons("CTS5", invasive, size_mm, grade)
    if not invasive:
        return tumour
    reasons = []
    if er != er:
        reasons.append("CTS5 is for ER-positive disease; the ER status is not recorded")
    elif er != 1:
        reasons.append("CTS5 is for ER-positive disease; this cancer is ER-negative")
    if not _AGE_OK(age):
        reasons.append(f"CTS5 was derived for ages {_AGE_RULE.lo:g} to {_AGE_RULE.hi:g} "
                       f"years; the age given is {age:g}")
    return (*reasons, *tumour)


def counted_node_values(values: Mapping[str, list[float]], count_micromets_as_positive: bool
                        ) -> list[float]:
    """``counted_positive_nodes`` of a few rows' plain values, as floats: the positive nodes
    themselves under the default policy, without an array."""
    positive = values["positive_nodes"]
    if count_micromets_as_positive:
        return [float(x) for x in positive]
    return counted_positive_nodes(np.array(positive, dtype=float), np.array(
        values["micrometastatic_nodes"], dtype=float), count_micromets_as_positive=False).tolist()
