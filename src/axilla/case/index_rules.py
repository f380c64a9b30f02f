"""Rules of the prognostic index inputs (NPI, CTS5, VNPI): codes, ranges, the columnar check.

Source: axilla indices specification (shared input conventions; NPI 1.2, CTS5 2.5, VNPI 5).
Every refusal names the field, the value and the valid range. The same rules serve one case
(frozen pydantic models) and a batch held as columns, so the two can never disagree; engines
downstream assume input that passed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from axilla.case.index_cells import cells, column
from axilla.case.predict import CodeRule
from axilla.case.ranges import RANGES
from axilla.errors import FieldProblem, InputError

IndexName = Literal["NPI", "CTS5", "VNPI"]

#: Below this age a CTS5 patient is unlikely to be postmenopausal: the score is extrapolated
#: (spec 2.1 and 2.5; derivation in postmenopausal women of the ATAC trial).
CTS5_EXTRAPOLATION_BELOW_AGE_YEARS = 50.0
#: Years of completed endocrine therapy CTS5 assumes (spec 2.5), closed; outside it, flagged.
CTS5_ENDOCRINE_YEARS_EXPECTED = (4.5, 5.5)


# Rules: what one input may be.


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


# Columnar check.


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
    if n <= SMALL_BATCH and all(not isinstance(v, np.ndarray) or v.ndim <= 1
                                for v in columns.values()):
        return _validate_rows(index, spec, columns, n)

    cols: dict[str, np.ndarray] = {}
    valid = np.ones(n, dtype=bool)
    problems: list[tuple[int, FieldProblem]] = []
    for name, input_field in spec.items():
        flag = isinstance(input_field.rule, FlagRule)
        if name in columns:
            values, raw, missing = column(columns[name], flag)
        else:
            values, raw = np.full(n, math.nan), np.full(n, None, dtype=object)
            missing = np.ones(n, dtype=bool)
        if not input_field.required:
            values = np.where(missing, input_field.default, values)
        ok = input_field.rule.ok(values) | (missing & (not input_field.required))
        for i in np.flatnonzero(~ok):
            problems.append((int(i), _refusal(name, input_field, raw[i], bool(missing[i]))))
        valid &= ok
        cols[name] = values

    if "micrometastatic_nodes" in spec:
        too_many = valid & (cols["micrometastatic_nodes"] > cols["positive_nodes"])
        for i in np.flatnonzero(too_many):
            problems.append((int(i), _too_many_micro(cols["micrometastatic_nodes"][i],
                                                     cols["positive_nodes"][i])))
        valid &= ~too_many
    if index == "CTS5":
        er_negative = valid & (cols["er_positive"] == 0)
        problems.extend((int(i), _ER_NEGATIVE) for i in np.flatnonzero(er_negative))
        valid &= ~er_negative
    problems.sort(key=lambda p: p[0])
    return IndexColumnValidation(valid, problems, _warnings(index, cols, valid), cols)


#: Up to this many rows, checks and indices run row by row on plain values (the same rules
#: and equations, the same order): faster than NumPy's per-call cost on a handful of rows.
SMALL_BATCH = 8


def value_ok(rule: Rule) -> Callable[[float], bool]:
    """``rule.ok`` for one value (a float), without an array."""
    if isinstance(rule, NumberRule):
        lo, hi, whole = rule.lo, rule.hi, rule.whole
        if rule.lo_inclusive:
            return lambda x: (lo <= x <= hi and math.isfinite(x)
                              and (not whole or x == math.floor(x)))
        return lambda x: lo < x <= hi and math.isfinite(x) and (not whole or x == math.floor(x))
    if isinstance(rule, FlagRule):
        return lambda x: x == 0 or x == 1
    codes = tuple(rule.codes)
    return lambda x: any(x == code for code in codes)


#: Each input of each index as (name, field, read as a flag, its rule for one value).
_ROW_RULES = {index: tuple((name, f, isinstance(f.rule, FlagRule), value_ok(f.rule))
                           for name, f in spec.items()) for index, spec in INDEX_INPUTS.items()}


def _validate_rows(index: str, spec: Mapping[str, InputField], columns: Mapping[str, object],
                   n: int) -> IndexColumnValidation:
    """``validate_index_columns`` for a few rows, row by row on plain values."""
    rules = _ROW_RULES[index]
    found: dict[str, tuple[list[float], list[Any], list[bool]]] = {}
    values: dict[str, list[float]] = {}
    for name, input_field, flag, _ in rules:
        if name in columns:
            given, _, gaps = found[name] = cells(columns[name], flag)
        else:
            given, _, gaps = found[name] = ([math.nan] * n, [None] * n, [True] * n)
        values[name] = given if input_field.required or not any(gaps) else [
            input_field.default if m else v for v, m in zip(given, gaps, strict=True)]
    valid = [True] * n
    problems: list[tuple[int, FieldProblem]] = []
    for i in range(n):
        for name, input_field, _, ok in rules:
            if ok(values[name][i]):
                continue
            missing = found[name][2][i]
            if missing and not input_field.required:
                continue
            valid[i] = False
            problems.append((i, _refusal(name, input_field, found[name][1][i], missing)))
        if valid[i] and "micrometastatic_nodes" in spec:
            micro, positive = values["micrometastatic_nodes"][i], values["positive_nodes"][i]
            if micro > positive:
                valid[i] = False
                problems.append((i, _too_many_micro(micro, positive)))
        if valid[i] and index == "CTS5" and values["er_positive"][i] == 0:
            valid[i] = False
            problems.append((i, _ER_NEGATIVE))
    warnings = [(i, message) for i in range(n) if valid[i]
                for name, test, message in _WARNINGS[index] if test(values[name][i])]
    return IndexColumnValidation(np.array(valid, dtype=bool), problems, warnings,
                                 {k: _float_column(columns.get(k), v) for k, v in values.items()})


def accepted_rows(index: IndexName, columns: Mapping[str, np.ndarray]) -> IndexColumnValidation:
    """``accepted_values`` of float columns as their check (tests/case/test_index_accepted)."""
    values, warnings = accepted_values(index, {k: v.tolist() for k, v in columns.items()})
    return IndexColumnValidation(np.ones(len(warnings), dtype=bool), [], [
        (i, message) for i, found in enumerate(warnings) for message in found],
        {name: np.array(v, dtype=float) for name, v in values.items()})


def accepted_values(index: IndexName, columns: Mapping[str, list[float]]
                    ) -> tuple[dict[str, list[float]], list[list[str]]]:
    """Inputs of a few rows every rule accepts, defaults filled, and each row's warnings."""
    n, values = len(columns["size_mm"]), {}
    for name, f, _, _ in _ROW_RULES[index]:  # a sum unequal to itself: a NaN to fill
        values[name] = ([f.default] * n if (given := columns.get(name)) is None else given
                        if f.required or (total := sum(given)) == total else
                        [f.default if v != v else v for v in given])
    return values, [[message for name, test, message in _WARNINGS[index]
                     if test(values[name][i])] for i in range(n)]


def _float_column(raw: object, values: list[float]) -> np.ndarray:
    """``values`` as a float column: ``raw`` itself when it is already that column."""
    if (isinstance(raw, np.ndarray) and raw.dtype == np.float64 and raw.ndim == 1
            and raw.tolist() == values):
        return raw
    return np.array(values, dtype=float)


def _refusal(name: str, input_field: InputField, value: Any, missing: bool) -> FieldProblem:
    """The problem of one refused value (``value`` as given)."""
    if isinstance(value, np.generic):
        value = value.item()
    if missing:
        return FieldProblem(name, None, f"is required; must be {input_field.rule.describe()}")
    return FieldProblem(name, value, f"must be {input_field.rule.describe()}")


def _too_many_micro(micro: float, positive: float) -> FieldProblem:
    return FieldProblem(
        "micrometastatic_nodes", _plain(micro),
        f"must be from 0 to positive_nodes ({_plain(positive)}); micrometastatic nodes are a "
        "subset of the positive nodes")


_ER_NEGATIVE = FieldProblem(
    "er_positive", False, "must be true: CTS5 is defined only for ER-positive disease")


def _first(raw: object) -> object:
    """The value of a one-row column (for messages), else None."""
    items = np.atleast_1d(np.asarray(raw, dtype=object))
    return items[0] if items.shape[0] == 1 else None


def _plain(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _warning_table(index: str) -> tuple[tuple[str, Callable[[Any], Any], str], ...]:
    """(input, test of its value, message) of each applicability warning (spec 1.2, 2.1, 2.5).

    Each test works on a column and on one value alike; it is asked only of accepted rows, whose
    values are finite or NaN (unknown), so a comparison with NaN is simply false.
    """
    lo, hi = CTS5_ENDOCRINE_YEARS_EXPECTED
    out: list[tuple[str, Callable[[Any], Any], str]] = []
    if "neoadjuvant_therapy" in INDEX_INPUTS[index]:
        out.append(("neoadjuvant_therapy", lambda x: x == 1,
                    "neoadjuvant_therapy: post-treatment pathology (ypT/ypN) does not reproduce "
                    f"the {index} derivation setting of primary surgery; interpret with caution"))
    if index == "CTS5":
        out += [
            ("age_years", lambda x: x < CTS5_EXTRAPOLATION_BELOW_AGE_YEARS,
             f"age_years: below {CTS5_EXTRAPOLATION_BELOW_AGE_YEARS:g} years; CTS5 was derived "
             "in postmenopausal women, so the score is an extrapolation"),
            ("postmenopausal", lambda x: x == 0,
             "postmenopausal: CTS5 was derived in postmenopausal women; premenopausal use is an "
             "extrapolation"),
            ("endocrine_therapy_years", lambda x: (x < lo) | (x > hi),
             f"endocrine_therapy_years: CTS5 assumes about 5 years ({lo:g} to {hi:g}) of "
             "completed endocrine therapy"),
            ("distant_recurrence_free", lambda x: x == 0,
             "distant_recurrence_free: CTS5 estimates late distant recurrence in women free of "
             "distant recurrence at 5 years"),
        ]
    return tuple(out)


_WARNINGS = {index: _warning_table(index) for index in INDEX_INPUTS}


def _warnings(index: str, cols: dict[str, np.ndarray], valid: np.ndarray) -> list[tuple[int, str]]:
    """Applicability messages for accepted rows (spec 1.2, 2.1 and 2.5)."""
    out: list[tuple[int, str]] = []
    with np.errstate(invalid="ignore"):
        for name, test, message in _WARNINGS[index]:
            out.extend((int(i), message) for i in np.flatnonzero(test(cols[name]) & valid))
    out.sort(key=lambda w: w[0])
    return out
