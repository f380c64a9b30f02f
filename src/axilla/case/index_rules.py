"""Rules of the prognostic index inputs (NPI, CTS5, VNPI): codes, ranges, the columnar check.

Source: axilla indices specification (shared input conventions; NPI 1.2, CTS5 2.5, VNPI 5).
Every refusal names the field, the value and the valid range. The same rules serve one case
(frozen pydantic models) and a batch held as columns, so the two can never disagree; engines
downstream assume input that passed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from axilla.case.predict import CodeRule
from axilla.case.ranges import RANGES
from axilla.case.strict import number_from_text
from axilla.errors import FieldProblem, InputError

IndexName = Literal["NPI", "CTS5", "VNPI"]

#: Below this age a CTS5 patient is unlikely to be postmenopausal: the score is extrapolated
#: (spec 2.1 and 2.5; derivation in postmenopausal women of the ATAC trial).
CTS5_EXTRAPOLATION_BELOW_AGE_YEARS = 50.0
#: CTS5 assumes about five years of completed endocrine therapy (spec 2.5); outside this closed
#: range of years the value is flagged.
CTS5_ENDOCRINE_YEARS_EXPECTED = (4.5, 5.5)


# --------------------------------------------------------------------------------------------
# Rules: what one input may be.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberRule:
    """A numeric input: a lower bound (open or closed), an optional upper bound, whole or not."""

    lo: float
    hi: float = math.inf
    unit: str = ""
    lo_inclusive: bool = True
    whole: bool = False

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.whole else "a number"
        if math.isinf(self.hi):
            relation = "of at least" if self.lo_inclusive else "greater than"
            return f"{kind} {relation} {self.lo:g}{unit}"
        if not self.lo_inclusive:
            return f"{kind} greater than {self.lo:g} and at most {self.hi:g}{unit}"
        return f"{kind} from {self.lo:g} to {self.hi:g}{unit}"

    def ok(self, x: np.ndarray) -> np.ndarray:
        good = np.isfinite(x) & (x <= self.hi)
        good &= (x >= self.lo) if self.lo_inclusive else (x > self.lo)
        if self.whole:
            good &= x == np.floor(x)
        return good


@dataclass(frozen=True)
class FlagRule:
    """A yes/no input, held as 1.0 (true) and 0.0 (false) in columns."""

    def describe(self) -> str:
        return "true or false"

    def ok(self, x: np.ndarray) -> np.ndarray:
        return (x == 0) | (x == 1)


Rule = NumberRule | CodeRule | FlagRule


@dataclass(frozen=True)
class InputField:
    """One input of an index: its rule, whether it is required and its default when absent."""

    rule: Rule
    required: bool = True
    default: float = math.nan
    description: str = ""


GRADE = CodeRule({1: "grade 1", 2: "grade 2", 3: "grade 3"})
#: The same bounds as the case vocabulary (one range each: ``axilla.case.ranges``).
SIZE_MM = NumberRule(0, RANGES["tumour.invasive_sizes_mm"].hi, unit="mm", lo_inclusive=False)
NODE_COUNT = NumberRule(0, RANGES["procedure.nodes_removed"].hi, whole=True)

_NODAL = {
    "positive_nodes": InputField(
        NODE_COUNT, description="Axillary nodes with metastasis (isolated tumour cells excluded)"
    ),
    "micrometastatic_nodes": InputField(
        NODE_COUNT, required=False, default=0.0,
        description="How many of positive_nodes hold only micrometastases (>0.2 to 2 mm)",
    ),
    "neoadjuvant_therapy": InputField(
        FlagRule(), required=False, default=0.0,
        description="Systemic therapy before surgery (indices derived after primary surgery)",
    ),
}

#: The inputs of each index, by name, with their rule (spec sections 1.2, 2.5 and 5).
INDEX_INPUTS: dict[str, dict[str, InputField]] = {
    "NPI": {
        "size_mm": InputField(SIZE_MM, description="Invasive tumour size, mm (largest focus)"),
        "grade": InputField(GRADE, description="Nottingham histological grade"),
        **_NODAL,
    },
    "CTS5": {
        "age_years": InputField(
            NumberRule(18, 100, "years"), description="Age at diagnosis, years"
        ),
        "size_mm": InputField(SIZE_MM, description="Invasive tumour size, mm"),
        "grade": InputField(GRADE, description="Nottingham histological grade"),
        **_NODAL,
        "er_positive": InputField(
            FlagRule(), required=False, default=1.0,
            description="Oestrogen-receptor positive (CTS5 is defined only for ER-positive)",
        ),
        "postmenopausal": InputField(
            FlagRule(), required=False, description="Postmenopausal at diagnosis (if known)"
        ),
        "endocrine_therapy_years": InputField(
            NumberRule(0, 30, "years"), required=False,
            description="Years of adjuvant endocrine therapy completed (if known)",
        ),
        "distant_recurrence_free": InputField(
            FlagRule(), required=False,
            description="Free of distant recurrence at 5 years (if known)",
        ),
    },
    "VNPI": {
        "size_mm": InputField(SIZE_MM, description="DCIS size, mm"),
        "margin_mm": InputField(
            NumberRule(0, unit="mm"), description="Closest excision margin, mm"
        ),
        "nuclear_grade": InputField(
            CodeRule({1: "low", 2: "intermediate", 3: "high"}),
            description="DCIS nuclear grade",
        ),
        "comedo_necrosis": InputField(FlagRule(), description="Comedo-type necrosis present"),
        "age_years": InputField(
            NumberRule(18, 120, "years"), description="Age at diagnosis, years"
        ),
    },
}


# --------------------------------------------------------------------------------------------
# Columnar check.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexColumnValidation:
    """Outcome of validating index inputs held as columns.

    ``valid`` marks rows that may be computed; ``problems`` lists (row, problem) for refused
    rows; ``warnings`` lists (row, message) for accepted rows a clinician should see;
    ``columns`` holds every input of the index as float arrays, absent optional inputs filled
    with their default (NaN = unknown).
    """

    valid: np.ndarray
    problems: list[tuple[int, FieldProblem]]
    warnings: list[tuple[int, str]]
    columns: dict[str, np.ndarray] = field(default_factory=dict)


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_MISSING = object()


def _number(value: Any, flag: bool) -> float:
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


def _is_missing(value: Any) -> bool:
    if value is None or value is _MISSING:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _column(raw: object, flag: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(float values, raw values for messages, missing mask) of one input column."""
    numeric_kinds = "fiub" if flag else "fiu"
    if isinstance(raw, np.ndarray) and raw.dtype.kind in numeric_kinds:
        values = np.atleast_1d(raw.astype(float))
        return values, values, np.isnan(values)
    items = np.atleast_1d(np.asarray(raw, dtype=object))
    values = np.fromiter((_number(v, flag) for v in items), dtype=float, count=items.shape[0])
    missing = np.fromiter((_is_missing(v) for v in items), dtype=bool, count=items.shape[0])
    return values, items, missing


def validate_index_columns(
    index: IndexName, columns: Mapping[str, object]
) -> IndexColumnValidation:
    """Check the inputs of ``index`` held as columns (one list or array per input name).

    Rows are refused (never clamped) when a value is outside its range or code set, when a
    required input is missing, or when micrometastatic_nodes exceeds positive_nodes. CTS5 rows
    of ER-negative disease are refused (spec 2.5). Accepted rows outside the derivation setting
    carry a warning. Unknown input names refuse the whole batch.
    """
    if index not in INDEX_INPUTS:
        known = ", ".join(INDEX_INPUTS)
        raise InputError([FieldProblem("index", index, f"must be one of {known}")])
    spec = INDEX_INPUTS[index]
    unknown = [name for name in columns if name not in spec]
    if unknown:
        raise InputError(
            [FieldProblem(name, _first(columns[name]), f"is not an input of {index}; expected "
                          f"one of {', '.join(spec)}") for name in unknown]
        )
    n = None
    for name, raw in columns.items():
        length = raw.shape[0] if isinstance(raw, np.ndarray) and raw.ndim else len(
            np.atleast_1d(np.asarray(raw, dtype=object))
        )
        if n is None:
            n = length
        elif length != n:
            raise InputError([FieldProblem(name, length, f"every input needs {n} rows")])
    if n is None:
        raise InputError([FieldProblem(name, None, "this input is required")
                          for name, f in spec.items() if f.required])

    cols: dict[str, np.ndarray] = {}
    valid = np.ones(n, dtype=bool)
    problems: list[tuple[int, FieldProblem]] = []
    for name, input_field in spec.items():
        flag = isinstance(input_field.rule, FlagRule)
        if name in columns:
            values, raw, missing = _column(columns[name], flag)
        else:
            values, raw = np.full(n, math.nan), np.full(n, None, dtype=object)
            missing = np.ones(n, dtype=bool)
        if not input_field.required:
            values = np.where(missing, input_field.default, values)
        ok = input_field.rule.ok(values) | (missing & (not input_field.required))
        for i in np.flatnonzero(~ok):
            value = raw[i]
            if isinstance(value, np.generic):
                value = value.item()
            if missing[i]:
                reason = f"is required; must be {input_field.rule.describe()}"
                value = None
            else:
                reason = f"must be {input_field.rule.describe()}"
            problems.append((int(i), FieldProblem(name, value, reason)))
        valid &= ok
        cols[name] = values

    if "micrometastatic_nodes" in spec:
        too_many = valid & (cols["micrometastatic_nodes"] > cols["positive_nodes"])
        for i in np.flatnonzero(too_many):
            problems.append((int(i), FieldProblem(
                "micrometastatic_nodes", _plain(cols["micrometastatic_nodes"][i]),
                f"must be from 0 to positive_nodes ({_plain(cols['positive_nodes'][i])}); "
                "micrometastatic nodes are a subset of the positive nodes",
            )))
        valid &= ~too_many
    if index == "CTS5":
        er_negative = valid & (cols["er_positive"] == 0)
        for i in np.flatnonzero(er_negative):
            problems.append((int(i), FieldProblem(
                "er_positive", False, "must be true: CTS5 is defined only for ER-positive disease"
            )))
        valid &= ~er_negative
    problems.sort(key=lambda p: p[0])
    return IndexColumnValidation(valid, problems, _warnings(index, cols, valid), cols)


def _first(raw: object) -> object:
    """The value of a one-row column (for messages), else None."""
    items = np.atleast_1d(np.asarray(raw, dtype=object))
    return items[0] if items.shape[0] == 1 else None


def _plain(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _warnings(index: str, cols: dict[str, np.ndarray], valid: np.ndarray) -> list[tuple[int, str]]:
    """Applicability messages for accepted rows (spec 1.2, 2.1 and 2.5)."""
    out: list[tuple[int, str]] = []

    def flag(mask: np.ndarray, message: str) -> None:
        out.extend((int(i), message) for i in np.flatnonzero(mask & valid))

    if "neoadjuvant_therapy" in cols:
        flag(cols["neoadjuvant_therapy"] == 1,
             "neoadjuvant_therapy: post-treatment pathology (ypT/ypN) does not reproduce the "
             f"{index} derivation setting of primary surgery; interpret with caution")
    if index == "CTS5":
        lo, hi = CTS5_ENDOCRINE_YEARS_EXPECTED
        flag(cols["age_years"] < CTS5_EXTRAPOLATION_BELOW_AGE_YEARS,
             f"age_years: below {CTS5_EXTRAPOLATION_BELOW_AGE_YEARS:g} years; CTS5 was derived "
             "in postmenopausal women, so the score is an extrapolation")
        flag(cols["postmenopausal"] == 0,
             "postmenopausal: CTS5 was derived in postmenopausal women; premenopausal use is an "
             "extrapolation")
        years = cols["endocrine_therapy_years"]
        flag(np.isfinite(years) & ((years < lo) | (years > hi)),
             f"endocrine_therapy_years: CTS5 assumes about 5 years ({lo:g} to {hi:g}) of "
             "completed endocrine therapy")
        flag(cols["distant_recurrence_free"] == 0,
             "distant_recurrence_free: CTS5 estimates late distant recurrence in women free of "
             "distant recurrence at 5 years")
    out.sort(key=lambda w: w[0])
    return out


def counted_positive_nodes(
    positive_nodes: np.ndarray,
    micrometastatic_nodes: np.ndarray | None = None,
    *,
    count_micromets_as_positive: bool = True,
) -> np.ndarray:
    """Positive nodes an index counts under the micrometastasis policy.

    Source: spec shared conventions (TNM counts pN1mi as node-positive, the default; isolated
    tumour cells are never counted, NICE NG101 1.4.15, so they are not part of positive_nodes).
    """
    nodes = np.asarray(positive_nodes, dtype=float)
    if count_micromets_as_positive or micrometastatic_nodes is None:
        return nodes
    return nodes - np.asarray(micrometastatic_nodes, dtype=float)
