"""PREDICT Breast inputs: codes, ranges and the checks that guard the engine.

Every refusal names the field, the value and the valid range; the same rules serve one
patient (a pydantic model) and a cohort (columns), so the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from axilla.case.codes import ALIASES, RECEPTOR_STATUSES
from axilla.case.strict import StrictModel, number_from_text
from axilla.errors import FieldProblem, InputError

# --------------------------------------------------------------------------------------------
# 1. PREDICT Breast inputs
#
# Codes and ranges follow the PREDICT Breast web tool and the official R implementation
# (WintonCentre/predict-v30-r, commit 42223bc, see docs/models/predict.md): age 25-85 years,
# tumour size 1-500 mm, 0-50 positive nodes (0.5 = micrometastases only, the web tool's
# convention), missing markers coded 9 (grade, HER2, Ki-67, PR) and 2 (mode of detection).
# --------------------------------------------------------------------------------------------


#: Values up to which a rule checks one by one (NumPy's cost per call exceeds the work).
FEW_ROWS = 8


def _each(ok_value: Callable[[float], bool], x: np.ndarray) -> np.ndarray:
    return np.array([ok_value(v) for v in x.ravel().tolist()], dtype=bool).reshape(x.shape)


@dataclass(frozen=True)
class NumericRule:
    """A numeric input: closed range, optionally restricted to whole numbers (or halves)."""

    lo: float
    hi: float
    unit: str = ""
    steps: Literal["any", "whole", "whole_or_half"] = "any"

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        extra = {
            "any": "",
            "whole": ", a whole number",
            "whole_or_half": ", a whole number (or 0.5 for micrometastases only)",
        }[self.steps]
        return f"{self.lo:g} to {self.hi:g}{unit}{extra}"

    def ok(self, x: np.ndarray) -> np.ndarray:
        """Whether each value is allowed (a few values: one by one, else as arrays)."""
        x = np.asarray(x, dtype=float)
        if x.size <= FEW_ROWS:
            return _each(self.ok_value, x)
        return self.ok_array(x)

    def ok_value(self, v: float) -> bool:
        if not (math.isfinite(v) and self.lo <= v <= self.hi):
            return False
        if self.steps == "whole":
            return v == math.floor(v)
        if self.steps == "whole_or_half":
            return v == math.floor(v) or v == 0.5
        return True

    def ok_array(self, x: np.ndarray) -> np.ndarray:
        good = np.isfinite(x) & (x >= self.lo) & (x <= self.hi)
        if self.steps == "whole":
            good &= x == np.floor(x)
        elif self.steps == "whole_or_half":
            good &= (x == np.floor(x)) | (x == 0.5)
        return good


@dataclass(frozen=True)
class CodeRule:
    """A coded input: the allowed codes with their meaning."""

    codes: Mapping[float, str]

    def describe(self) -> str:
        return "one of " + ", ".join(f"{c:g} ({m})" for c, m in self.codes.items())

    def ok(self, x: np.ndarray) -> np.ndarray:
        """Whether each value is allowed (a few values: one by one, else as arrays)."""
        x = np.asarray(x, dtype=float)
        if x.size <= FEW_ROWS:
            return _each(self.ok_value, x)
        return self.ok_array(x)

    def ok_value(self, v: float) -> bool:
        return any(v == code for code in self.codes)

    def ok_array(self, x: np.ndarray) -> np.ndarray:
        good = np.zeros(x.shape, dtype=bool)
        for code in self.codes:  # a handful of codes: faster than np.isin on any size
            good |= x == code
        return good


YES_NO = CodeRule({0: "no", 1: "yes"})

#: The validated range and code set of each PREDICT input, by the reference column name.
PREDICT_INPUT_RULES: dict[str, NumericRule | CodeRule] = {
    "age": NumericRule(25, 85, "years"),
    "screen": CodeRule({0: "symptomatic", 1: "screen-detected", 2: "unknown"}),
    "size": NumericRule(1, 500, "mm"),
    "grade": CodeRule({1: "grade 1", 2: "grade 2", 3: "grade 3", 9: "unknown"}),
    "nodes": NumericRule(0, 50, "positive nodes", steps="whole_or_half"),
    "er": CodeRule({0: "negative", 1: "positive"}),
    "her2": CodeRule({0: "negative", 1: "positive", 9: "unknown"}),
    "ki67": CodeRule({0: "negative", 1: "positive", 9: "unknown"}),
    "pr": CodeRule({0: "negative", 1: "positive", 9: "unknown"}),
    # Code 1 is not a PREDICT code; the source model gives it the third-generation effect
    # (quirk Q14). It is accepted only so that registry files coded that way reproduce the
    # source, and always flagged.
    "generation": CodeRule({0: "none", 1: "non-standard code", 2: "second", 3: "third"}),
    "horm": YES_NO,
    "traz": YES_NO,
    "bis": YES_NO,
    "radio": YES_NO,
    "heart_gy": NumericRule(0, 50, "Gy"),
    "smoker": CodeRule({0: "non-smoker or ex-smoker", 1: "current smoker"}),
}

#: Inputs every version requires, and the extra ones of the 3.x family.
PREDICT_CORE_INPUTS = (
    "age", "screen", "size", "grade", "nodes", "er", "her2", "ki67",
    "generation", "horm", "traz", "bis", "radio",
)
PREDICT_V3_INPUTS = ("pr", "heart_gy", "smoker")

#: What a missing value becomes, as the source model codes it.
PREDICT_MISSING_CODES: dict[str, float] = {"screen": 2, "grade": 9, "her2": 9, "ki67": 9, "pr": 9}

#: Mean heart dose above which the per-Gy harm is an extrapolation (the reference domain).
HEART_GY_EVALUATED_MAX = 10.0


def predict_input_names(uses_v3_inputs: bool) -> tuple[str, ...]:
    """The input names a version reads, in reference-file order."""
    if not uses_v3_inputs:
        return PREDICT_CORE_INPUTS
    return (*PREDICT_CORE_INPUTS[:8], "pr", *PREDICT_CORE_INPUTS[8:], "heart_gy", "smoker")


@dataclass(frozen=True)
class ColumnValidation:
    """Outcome of validating PREDICT inputs held as columns.

    ``valid`` marks rows that may be computed; ``problems`` lists (row, problem) for refused rows;
    ``warnings`` maps each message a clinician should see to the accepted rows it concerns.
    """

    valid: np.ndarray
    problems: list[tuple[int, FieldProblem]]
    warnings: dict[str, np.ndarray]
    columns: dict[str, np.ndarray]

    def warnings_for(self, row: int) -> list[str]:
        """The warnings of one row."""
        return [m for m, rows in self.warnings.items() if np.isin(row, rows)]


#: Words a PREDICT code may also be written as, besides its meaning: the vocabulary's
#: deprecated receptor aliases (pos, neg) and the short form of screen-detected.
_EXTRA_WORDS = {**{a: c for a, c in ALIASES.items() if c in RECEPTOR_STATUSES},
                "screen": "screen-detected"}


def code_words(name: str) -> dict[str, float]:
    """The words a coded PREDICT input may be written as (its meanings), lower case -> code."""
    rule = PREDICT_INPUT_RULES[name]
    if not isinstance(rule, CodeRule):
        return {}
    words = {meaning.lower(): float(code) for code, meaning in rule.codes.items()}
    words.update({alias: words[word] for alias, word in _EXTRA_WORDS.items() if word in words})
    return words


def value_from_text(name: str, text: str) -> float:
    """One PREDICT input written as text: a plain number or a code's word; ValueError else."""
    try:
        return number_from_text(text)
    except ValueError:
        pass
    found = code_words(name).get(text.strip().lower())
    if found is None:
        raise ValueError(text)
    return found


def _as_column(raw: object, n: int | None, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, unreadable mask): empty cells are NaN (missing); a value that is neither a
    number nor one of the input's words (``III``, ``true``, ``3_0``) is unreadable, never
    taken as missing."""
    arr = np.asarray(raw, dtype=object if not isinstance(raw, np.ndarray) else None)
    unreadable = np.zeros(arr.shape, dtype=bool)
    if arr.dtype == object:
        out = np.empty(arr.shape, dtype=float)
        flat_in, flat_out, bad = arr.reshape(-1), out.reshape(-1), unreadable.reshape(-1)
        seen: dict[str, float] = {}  # a column holds few distinct texts: read each once
        for i, v in enumerate(flat_in):
            if v is None or (isinstance(v, str) and not v.strip()):
                flat_out[i] = math.nan
            elif isinstance(v, str):
                if v not in seen:
                    try:
                        seen[v] = value_from_text(name, v)
                    except ValueError:
                        seen[v] = -math.inf  # unreadable: never a valid value
                flat_out[i] = seen[v]
                if flat_out[i] == -math.inf:
                    flat_out[i], bad[i] = math.nan, True
            elif isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
                flat_out[i], bad[i] = math.nan, True
            else:
                flat_out[i] = float(v)
        arr = out
    arr = np.atleast_1d(arr.astype(float, copy=False))
    unreadable = np.atleast_1d(unreadable)
    if n is not None and arr.shape[0] != n:
        raise InputError([FieldProblem("inputs", arr.shape[0], f"every column needs {n} rows")])
    return arr, unreadable


def _refused_rows(rule: NumericRule | CodeRule, x: np.ndarray,
                  unreadable: np.ndarray | None) -> list[int]:
    """Rows whose value the rule refuses or that could not be read (a few rows: one by one)."""
    if x.shape[0] <= FEW_ROWS:
        flags = unreadable.tolist() if unreadable is not None else None
        return [i for i, v in enumerate(x.tolist())
                if not rule.ok_value(v) or (flags is not None and flags[i])]
    ok = rule.ok_array(x)
    if unreadable is not None:
        ok &= ~unreadable
    return [] if ok.all() else np.flatnonzero(~ok).tolist()


def validate_predict_columns(
    columns: Mapping[str, object], *, uses_v3_inputs: bool = True, warn: bool = True
) -> ColumnValidation:
    """Check PREDICT inputs held as columns; missing markers become the source's missing codes.

    Rows are refused (not clamped) when a value is outside its range or code set. Accepted rows
    that the source model handles in a clinically surprising way carry a warning (unless
    ``warn=False``, for a caller that reads only the refusals).
    """
    names = predict_input_names(uses_v3_inputs)
    absent = [name for name in names if name not in columns and name not in PREDICT_MISSING_CODES]
    if absent:
        raise InputError(
            [FieldProblem(name, None, "this input is required") for name in absent]
        )
    n = None
    cols: dict[str, np.ndarray] = {}
    raw_values: dict[str, object] = {}
    unreadable: dict[str, np.ndarray] = {}
    for name in names:
        if name in columns:
            raw = columns[name]
            if isinstance(raw, np.ndarray) and raw.dtype == np.float64 and raw.ndim == 1 and (
                    n is None or raw.shape[0] == n):
                arr = raw  # numbers already: nothing can be unreadable
            else:
                arr, unreadable[name] = _as_column(raw, n, name)
            raw_values[name] = raw
        else:
            arr = None
        if arr is not None:
            n = arr.shape[0]
        cols[name] = arr  # type: ignore[assignment]
    assert n is not None
    for name, code in PREDICT_MISSING_CODES.items():
        if name not in names:
            continue
        if cols[name] is None:
            cols[name] = np.full(n, code)
        else:
            cols[name] = np.where(np.isnan(cols[name]), code, cols[name])

    valid = np.ones(n, dtype=bool)
    problems: list[tuple[int, FieldProblem]] = []
    for name in names:
        rule = PREDICT_INPUT_RULES[name]
        bad = _refused_rows(rule, cols[name], unreadable.get(name))
        for i in bad:
            raw = raw_values.get(name)
            try:
                value = raw[i] if raw is not None else cols[name][i]  # type: ignore[index]
            except (TypeError, IndexError):
                value = cols[name][i]
            if isinstance(value, np.generic):
                value = value.item()
            problems.append((i, FieldProblem(name, value, f"must be {rule.describe()}")))
        if bad:
            valid[bad] = False
    problems.sort(key=lambda p: p[0])

    warnings = predict_warnings(cols, valid, uses_v3_inputs=uses_v3_inputs) if warn else {}
    return ColumnValidation(valid, problems, warnings, cols)


#: The warnings on accepted inputs: (condition on coded inputs, message). Each condition is
#: written with operators that mean the same on arrays (elementwise) and on plain numbers, so
#: one definition serves a cohort and a few rows read one by one; the flag marks the
#: conditions on the 3.x inputs.
_WARNINGS: tuple[tuple[Callable[[Mapping[str, Any]], Any], str, bool], ...] = (
    (lambda c: c["generation"] == 1,
     "generation: code 1 is not a PREDICT code; the model gives it the third-generation "
     "chemotherapy effect (source quirk Q14)", False),
    (lambda c: (c["horm"] == 1) & (c["er"] == 0),
     "horm: endocrine therapy has no modelled benefit in ER-negative disease", False),
    (lambda c: (c["traz"] == 1) & (c["her2"] != 1),
     "traz: trastuzumab has no modelled benefit unless HER2 is positive", False),
    (lambda c: (c["radio"] == 0) & (c["heart_gy"] > 0),
     "heart_gy: the model applies the heart-dose harm to the radiotherapy columns even "
     "without radiotherapy (source quirk Q10)", True),
    (lambda c: c["heart_gy"] > HEART_GY_EVALUATED_MAX,
     f"heart_gy: above {HEART_GY_EVALUATED_MAX:g} Gy the per-Gy harm is extrapolated", True),
)
_WARNING_INPUTS = ("generation", "horm", "er", "traz", "her2", "radio", "heart_gy")


def predict_warnings(cols: Mapping[str, np.ndarray], valid: np.ndarray | None = None, *,
                     uses_v3_inputs: bool = True) -> dict[str, np.ndarray]:
    """Each message a clinician should see, with the rows (of ``valid`` ones) it concerns.

    ``cols`` are coded inputs (missing markers as codes); the same messages
    :func:`validate_predict_columns` attaches, for inputs already checked by it. Up to
    FEW_ROWS rows the conditions are read row by row on plain numbers."""
    warnings: dict[str, np.ndarray] = {}
    rules = [r for r in _WARNINGS if uses_v3_inputs or not r[2]]
    n = np.shape(cols["generation"])[0]
    if n <= FEW_ROWS:
        names = [k for k in _WARNING_INPUTS if k in cols]
        rows = [dict(zip(names, r, strict=True)) for r in zip(
            *(np.asarray(cols[k], dtype=float).tolist() for k in names), strict=True)]
        keep = [True] * n if valid is None else np.asarray(valid).tolist()
        for condition, message, _ in rules:
            found = [i for i, row in enumerate(rows) if condition(row) and keep[i]]
            if found:
                warnings[message] = np.array(found, dtype=np.intp)
        return warnings
    for condition, message, _ in rules:
        mask = condition(cols)
        if valid is not None:  # None: every row
            mask = mask & valid
        if mask.any():
            warnings[message] = np.flatnonzero(mask)
    return warnings


class PredictInputs(StrictModel):
    """One patient's PREDICT Breast inputs, as codes the source model understands.

    Missing markers may be given as ``None``; they become the version's own missing code. Codes
    are numbers: ``true`` or ``"1"`` is refused, never read as 1.
    """

    age: float = Field(description="Age at diagnosis, years (25-85)")
    size: float = Field(description="Invasive tumour size, mm (1-500)")
    nodes: float = Field(description="Positive nodes (0-50; 0.5 = micrometastases only)")
    grade: float | None = Field(None, description="1, 2, 3; None or 9 = unknown")
    er: float = Field(description="ER status: 1 positive, 0 negative")
    her2: float | None = Field(None, description="1 positive, 0 negative, None or 9 unknown")
    ki67: float | None = Field(None, description="1 positive, 0 negative, None or 9 unknown")
    pr: float | None = Field(None, description="1 positive, 0 negative, None or 9 unknown")
    screen: float | None = Field(None, description="0 symptomatic, 1 screen-detected, 2 unknown")
    generation: float = Field(0, description="Chemotherapy: 0 none, 2 second, 3 third generation")
    horm: float = Field(0, description="Endocrine therapy 1/0")
    traz: float = Field(0, description="Trastuzumab 1/0")
    bis: float = Field(0, description="Bisphosphonates 1/0")
    radio: float = Field(0, description="Radiotherapy 1/0")
    heart_gy: float = Field(0, description="Mean heart dose, Gy")
    smoker: float = Field(0, description="0 non-smoker or ex-smoker, 1 current smoker")

    @model_validator(mode="after")
    def _check(self) -> PredictInputs:
        result = validate_predict_columns({k: [v] for k, v in self.__dict__.items()})
        if result.problems:
            raise InputError([p for _, p in result.problems])
        return self

    def columns(self) -> dict[str, np.ndarray]:
        """The inputs as a batch of one, missing markers coded as the source model codes them."""
        return validate_predict_columns({k: [v] for k, v in self.__dict__.items()}).columns

    def warnings(self) -> list[str]:
        """Messages a clinician should see about how the model treats these inputs."""
        result = validate_predict_columns({k: [v] for k, v in self.__dict__.items()})
        return result.warnings_for(0)
