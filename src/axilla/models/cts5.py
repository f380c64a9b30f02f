"""CTS5 (Clinical Treatment Score post-5 years): score, risk group and approximate 5-10 y risk.

Source: Dowsett M et al. J Clin Oncol 2018;36:1941-1948 (ATAC derivation, BIG 1-98
validation): CTS5 = 0.438 x Nodes + 0.988 x (0.093 x Size - 0.001 x Size^2 + 0.375 x Grade +
0.017 x Age), groups low < 3.13 <= intermediate <= 3.86 < high. The 30 mm size cap follows
independent public implementations (moderate confidence; an option). The absolute 5-10-year
risk is RECONSTRUCTED from the group anchors (not published) and always labelled approximate.
Coefficients are read by name from ``data/indices.toml``; input validated by
``axilla.case.indices``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from itertools import repeat
from typing import Any

import numpy as np

from axilla.case.index_rules import SMALL_BATCH, accepted_values
from axilla.case.indices import CTS5Inputs, counted_positive_nodes
from axilla.models.applicability import counted_node_values
from axilla.models.applicability import cts5_applicability as cts5_applicability
from axilla.models.batch import (
    checked_columns,
    few_finite_rows,
    frozen_record,
    round_like_numpy,
)
from axilla.models.data import Provenance, index_parameters, parameter

_CTS5 = index_parameters("cts5")
_RISK = index_parameters("cts5", "risk_5_10y")


def _p(name: str) -> Any:
    return parameter(_CTS5, name, "cts5")


#: Tumour size (mm) above which CTS5 uses the cap value; ``None`` passed as ``size_cap_mm``
#: disables the cap (a sensitivity analysis, not the default).
CTS5_SIZE_CAP_MM: float = float(_p("size_cap_mm"))
DERIVATION_MAX_SIZE_MM: float = float(_p("derivation_max_size_mm"))
INTERMEDIATE_FROM: float = float(_p("intermediate_from"))
HIGH_ABOVE: float = float(_p("high_above"))
GROUP_DECIMALS: int = int(_p("group_decimals"))
BASELINE_CUMULATIVE_HAZARD: float = float(
    parameter(_RISK, "baseline_cumulative_hazard", "cts5.risk_5_10y")
)
RISK_LABEL = "approximate (reconstructed from the published group anchors, not a published model)"


#: The tables and coefficients, read once.
_NODE_MIN = np.asarray(_p("node_category_min_nodes"), dtype=float)
_NODE_VALUES = np.asarray(_p("node_category_values"), dtype=int)
_NODE_MIN_LIST = _NODE_MIN.tolist()
_CODES = np.asarray(_p("group_codes"), dtype=str)
_CODE_LIST = _CODES.tolist()
_PUBLISHED_RISK = {str(code): str(risk) for code, risk in zip(
    _p("group_codes"), _p("group_published_risk"), strict=True)}
_RISK_DECIMALS = int(parameter(_RISK, "decimals", "cts5.risk_5_10y"))
_C_NODES, _C_OUTER, _C_SIZE, _C_SIZE2, _C_GRADE, _C_AGE = (
    _p(name) for name in ("nodes", "outer", "size", "size_squared", "grade", "age"))


def node_category(positive_nodes: np.ndarray) -> np.ndarray:
    """CTS5 Nodes category: 0 -> 0, 1 -> 1, 2-3 -> 2, 4-9 -> 3, 10 or more -> 4."""
    idx = np.searchsorted(_NODE_MIN, np.asarray(positive_nodes, dtype=float), side="right") - 1
    return _NODE_VALUES[idx]


def cts5_score(
    age_years: np.ndarray,
    size_mm: np.ndarray,
    grade: np.ndarray,
    positive_nodes: np.ndarray,
    *,
    size_cap_mm: float | None = CTS5_SIZE_CAP_MM,
) -> np.ndarray:
    """CTS5 in full precision (Dowsett 2018); size is min(size_mm, size_cap_mm) unless None."""
    size = np.asarray(size_mm, dtype=float)
    if size_cap_mm is not None:
        size = np.minimum(size, size_cap_mm)
    inner = (
        _C_SIZE * size
        + _C_SIZE2 * size**2
        + _C_GRADE * np.asarray(grade, dtype=float)
        + _C_AGE * np.asarray(age_years, dtype=float)
    )
    return _C_NODES * node_category(positive_nodes) + _C_OUTER * inner


def cts5_group(score: np.ndarray) -> np.ndarray:
    """Risk group codes: low < 3.13, intermediate 3.13-3.86 inclusive, high > 3.86.

    The score is rounded to 6 decimals before the comparison (spec 2.3).
    """
    s = np.round(np.asarray(score, dtype=float), GROUP_DECIMALS)
    return _CODES[(s >= INTERMEDIATE_FROM).astype(int) + (s > HIGH_ABOVE).astype(int)]


def cts5_risk_5_10y_pct(score: np.ndarray) -> np.ndarray:
    """APPROXIMATE distant-recurrence risk between years 5 and 10, percent.

    RECONSTRUCTED: 100 x (1 - exp(-0.00223 x exp(CTS5))), a baseline cumulative hazard
    back-calculated from the published anchors (5 % at 3.13, 10 % at 3.86; Dowsett 2018). No
    published conversion exists; no longer horizon is offered.
    """
    hazard = np.exp(np.asarray(score, dtype=float)) * -BASELINE_CUMULATIVE_HAZARD  # negated
    return np.expm1(hazard) * -100.0


@dataclass(frozen=True)
class CTS5Columns:
    """CTS5 outputs for a batch; one entry per case."""

    counted_positive_nodes: np.ndarray
    node_category: np.ndarray
    size_used_mm: np.ndarray
    size_capped: np.ndarray
    score: np.ndarray
    score_uncapped: np.ndarray
    group: np.ndarray
    risk_5_10y_pct: np.ndarray
    size_outside_derivation: np.ndarray


def compute_cts5(
    age_years: np.ndarray,
    size_mm: np.ndarray,
    grade: np.ndarray,
    positive_nodes: np.ndarray,
    *,
    micrometastatic_nodes: np.ndarray | None = None,
    count_micromets_as_positive: bool = True,
    size_cap_mm: float | None = CTS5_SIZE_CAP_MM,
) -> CTS5Columns:
    """Every CTS5 output for a batch of cases (a single case is a batch of one).

    ``score`` is in full precision (round to 4 decimals for display); ``risk_5_10y_pct`` is
    the reconstructed, approximate conversion.
    """
    nodes = counted_positive_nodes(
        positive_nodes, micrometastatic_nodes,
        count_micromets_as_positive=count_micromets_as_positive,
    )
    if few_finite_rows(size_mm, age_years, grade, nodes):  # a few cases: plain floats
        rows = list(map(_cts5_row, age_years.tolist(), size_mm.tolist(), grade.tolist(),
                        nodes.tolist(), repeat(size_cap_mm)))
        columns = [np.array(column, dtype=dtype)
                   for column, dtype in zip(zip(*rows, strict=True), _ROW_DTYPES, strict=True)]
        return CTS5Columns(**dict(zip(_ROW_FIELDS, columns, strict=True)),
                           risk_5_10y_pct=_row_risks(rows))
    size = np.atleast_1d(np.asarray(size_mm, dtype=float))
    score = np.atleast_1d(cts5_score(age_years, size, grade, nodes, size_cap_mm=size_cap_mm))
    uncapped = np.atleast_1d(cts5_score(age_years, size, grade, nodes, size_cap_mm=None))
    capped = size > size_cap_mm if size_cap_mm is not None else np.zeros(size.shape, bool)
    return CTS5Columns(
        counted_positive_nodes=np.atleast_1d(nodes).astype(int),
        node_category=np.atleast_1d(node_category(nodes)),
        size_used_mm=np.where(capped, size_cap_mm if size_cap_mm is not None else 0.0, size),
        size_capped=capped,
        score=score,
        score_uncapped=uncapped,
        group=np.atleast_1d(cts5_group(score)),
        risk_5_10y_pct=np.atleast_1d(cts5_risk_5_10y_pct(score)),
        size_outside_derivation=size > DERIVATION_MAX_SIZE_MM,
    )


def _row_score(age: float, size: float, grade: float, category: int) -> float:
    """``cts5_score`` of one case on plain floats (the size already capped or not)."""
    inner = _C_SIZE * size + _C_SIZE2 * (size * size) + _C_GRADE * grade + _C_AGE * age
    return _C_NODES * category + _C_OUTER * inner


def _cts5_row(age: float, size: float, grade: float, nodes: float, size_cap_mm: float | None
              ) -> tuple[Any, ...]:
    """Every CTS5 output of one case on plain floats but the approximate risk (``_row_risks``),
    in ``CTS5Columns`` field order."""
    category = _NODE_VALUE_LIST[bisect_right(_NODE_MIN_LIST, nodes) - 1]
    over = size_cap_mm is not None and size > size_cap_mm
    score = _row_score(age, size if size_cap_mm is None else min(size, size_cap_mm), grade,
                       category)
    rounded = round_like_numpy(score, GROUP_DECIMALS)
    return (int(nodes), category, size_cap_mm if over else size, over, score,
            _row_score(age, size, grade, category),
            _CODE_LIST[(rounded >= INTERMEDIATE_FROM) + (rounded > HIGH_ABOVE)],
            size > DERIVATION_MAX_SIZE_MM)


def _row_risks(rows: list[tuple[Any, ...]]) -> np.ndarray:
    """The approximate risk of each row's score: NumPy's exponential, one call for all rows."""
    return cts5_risk_5_10y_pct(np.array([row[_SCORE_AT] for row in rows], dtype=float))


#: The dtype of each ``CTS5Columns`` field but the risk, in field order, as the columnar kernel
#: gives it; where the score falls among them.
_ROW_DTYPES = (np.dtype(int), _NODE_VALUES.dtype, np.dtype(float), np.dtype(bool),
               np.dtype(float), np.dtype(float), _CODES.dtype, np.dtype(bool))
_ROW_FIELDS = tuple(f.name for f in fields(CTS5Columns) if f.name != "risk_5_10y_pct")
_SCORE_AT = _ROW_FIELDS.index("score")
_NODE_VALUE_LIST = _NODE_VALUES.tolist()


def _column_rows(out: CTS5Columns) -> Iterator[tuple[Any, ...]]:
    """The rows of a batch's outputs as plain values (``_cts5_row``'s form)."""
    return zip(*(getattr(out, name).tolist() for name in _ROW_FIELDS), strict=True)


def cts5_provenance(
    count_micromets_as_positive: bool = True, size_cap_mm: float | None = CTS5_SIZE_CAP_MM
) -> Provenance:
    """Model, version, variant (size cap, micrometastasis policy) and source of CTS5."""
    cap = (
        f"size capped at {size_cap_mm:g} mm (cap of moderate confidence)"
        if size_cap_mm is not None else "size uncapped (sensitivity analysis)"
    )
    policy = (
        "micrometastases counted as positive" if count_micromets_as_positive
        else "micrometastases not counted"
    )
    return Provenance(
        model=str(_p("model")), version=str(_p("version")), source=str(_p("source")),
        variant=f"{cap}; {policy}",
    )


def cts5_risk_provenance() -> Provenance:
    """Provenance of the approximate absolute risk: RECONSTRUCTED, not published."""
    return Provenance(
        model="CTS5 5-10-year distant-recurrence risk",
        version=f"baseline cumulative hazard {BASELINE_CUMULATIVE_HAZARD:g}",
        source=str(parameter(_RISK, "source", "cts5.risk_5_10y")),
        variant="approximate",
        status=str(parameter(_RISK, "status", "cts5.risk_5_10y")),
    )


#: Provenance with the default size cap, for each micrometastasis policy; frozen, built once.
_PROVENANCE = {policy: cts5_provenance(policy) for policy in (True, False)}
_RISK_PROVENANCE = cts5_risk_provenance()


@dataclass(frozen=True)
class CTS5Result:
    """CTS5 of one case with the provenance of each number.

    ``risk_5_10y_pct`` is APPROXIMATE (``risk_5_10y_label`` says so): reconstructed from the
    published group anchors, not a published model.
    """

    provenance: Provenance
    score: float
    score_uncapped: float
    node_category: int
    group: str
    group_published_risk: str
    risk_5_10y_pct: float
    risk_5_10y_label: str
    risk_provenance: Provenance
    size_capped: bool
    size_cap_mm: float | None
    counted_positive_nodes: int
    count_micromets_as_positive: bool
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        out = asdict(self)
        out["warnings"] = list(self.warnings)
        return out


def cts5_results(
    age_years: np.ndarray,
    size_mm: np.ndarray,
    grade: np.ndarray,
    positive_nodes: np.ndarray,
    micrometastatic_nodes: np.ndarray,
    neoadjuvant_therapy: np.ndarray,
    postmenopausal: np.ndarray,
    *,
    count_micromets_as_positive: bool = True,
    size_cap_mm: float | None = CTS5_SIZE_CAP_MM,
    accepted: bool = False,
) -> list[CTS5Result]:
    """The CTS5 result of each case of a batch, computed in one columnar call.

    Every case must be applicable (``cts5_applicability``); ``postmenopausal`` is 1, 0 or NaN
    (not known). A refusal by the input checks raises ``InputError`` (``accepted``: see
    ``checked_columns``)."""
    columns = {"age_years": age_years, "size_mm": size_mm, "grade": grade,
               "positive_nodes": positive_nodes, "micrometastatic_nodes": micrometastatic_nodes,
               "neoadjuvant_therapy": neoadjuvant_therapy, "postmenopausal": postmenopausal}
    if accepted and len(size_mm) <= SMALL_BATCH:  # a few rows: plain values throughout
        return cts5_row_results({k: v.tolist() for k, v in columns.items()},
                                count_micromets_as_positive=count_micromets_as_positive,
                                size_cap_mm=size_cap_mm)
    cols, warnings = checked_columns("CTS5", columns, accepted=accepted)
    sizes = cols["size_mm"].tolist()
    out = compute_cts5(cols["age_years"], cols["size_mm"], cols["grade"],
                       cols["positive_nodes"], micrometastatic_nodes=cols[
                           "micrometastatic_nodes"],
                       count_micromets_as_positive=count_micromets_as_positive,
                       size_cap_mm=size_cap_mm)
    return [_result(row, risk, size, found, count_micromets_as_positive, size_cap_mm)
            for row, risk, size, found in zip(_column_rows(out), out.risk_5_10y_pct.tolist(),
                                              sizes, warnings, strict=True)]


def cts5_row_results(columns: Mapping[str, list[float]], *,
                     count_micromets_as_positive: bool = True,
                     size_cap_mm: float | None = CTS5_SIZE_CAP_MM) -> list[CTS5Result]:
    """``cts5_results`` of a few accepted rows (read from parsed cases) given as plain values,
    a list by input name: the same checks' defaults and warnings, the same equations
    (``_cts5_row``; the risk by NumPy's exponential, one call for all rows)."""
    values, warnings = accepted_values("CTS5", columns)
    sizes = values["size_mm"]
    rows = list(map(_cts5_row, values["age_years"], sizes, values["grade"],
                    counted_node_values(values, count_micromets_as_positive),
                    repeat(size_cap_mm)))
    return [_result(row, risk, size, found, count_micromets_as_positive, size_cap_mm)
            for row, risk, size, found in zip(rows, _row_risks(rows).tolist(), sizes, warnings,
                                              strict=True)]


def cts5_for_case(
    inputs: CTS5Inputs,
    *,
    count_micromets_as_positive: bool = True,
    size_cap_mm: float | None = CTS5_SIZE_CAP_MM,
) -> CTS5Result:
    """The CTS5 result of one validated case, computed as a batch of one."""
    cols = inputs.columns()
    out = compute_cts5(
        cols["age_years"], cols["size_mm"], cols["grade"], cols["positive_nodes"],
        micrometastatic_nodes=cols["micrometastatic_nodes"],
        count_micromets_as_positive=count_micromets_as_positive,
        size_cap_mm=size_cap_mm,
    )
    return _result(next(_column_rows(out)), float(out.risk_5_10y_pct[0]), inputs.size_mm,
                   inputs.warnings(), count_micromets_as_positive, size_cap_mm)


def _result(row: tuple[Any, ...], risk: float, size_mm: float, input_warnings: list[str],
            count_micromets_as_positive: bool, size_cap_mm: float | None) -> CTS5Result:
    """One case's outputs (``_cts5_row``'s form and its risk) as a CTS5Result with its
    provenance and warnings, built from these checked values of each field's type."""
    nodes, category, _, capped, score, uncapped, group, outside = row
    warnings = list(input_warnings)
    if capped:
        warnings.append(
            f"size_mm: {size_mm:g} mm used as {size_cap_mm:g} mm (CTS5 size cap; "
            f"uncapped score {uncapped:.4f})"
        )
    if outside:
        warnings.append(
            f"size_mm: {size_mm:g} mm is above {DERIVATION_MAX_SIZE_MM:g} mm, outside "
            "the derivation population; computed anyway"
        )
    provenance = (_PROVENANCE[count_micromets_as_positive] if size_cap_mm == CTS5_SIZE_CAP_MM
                  else cts5_provenance(count_micromets_as_positive, size_cap_mm))
    return frozen_record(CTS5Result, {
        "provenance": provenance, "score": score, "score_uncapped": uncapped,
        "node_category": category, "group": group,
        "group_published_risk": _PUBLISHED_RISK[group],
        "risk_5_10y_pct": round(risk, _RISK_DECIMALS), "risk_5_10y_label": RISK_LABEL,
        "risk_provenance": _RISK_PROVENANCE, "size_capped": capped, "size_cap_mm": size_cap_mm,
        "counted_positive_nodes": nodes,
        "count_micromets_as_positive": count_micromets_as_positive,
        "warnings": tuple(warnings)})
