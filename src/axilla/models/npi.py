"""Nottingham Prognostic Index: score, node stage, groups and the Blamey 10-year survival curve.

Source: Haybittle JL et al. Br J Cancer 1982;45:361-366 (NPI = 0.2 x size_cm + N + G); Todd JH
et al. Br J Cancer 1987;56:489-492 (three groups); Galea MH et al. Breast Cancer Res Treat
1992;22:207-219 (four groups); Blamey RW et al. Eur J Cancer 2007;43:1548-1555 (six groups) and
2007;43:1545-1547 (individual 10-year survival curve). Coefficients and cut-offs are read by
name from ``data/indices.toml``. Engines assume input validated by ``axilla.case.indices``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import numpy as np

from axilla.case.index_rules import SMALL_BATCH, accepted_values
from axilla.case.indices import NPIInputs, counted_positive_nodes
from axilla.models.applicability import counted_node_values, tumour_reasons
from axilla.models.batch import (
    checked_columns,
    few_finite_rows,
    frozen_record,
    round_like_numpy,
)
from axilla.models.data import Provenance, index_parameters, parameter

GroupScheme = Literal["groups6", "groups3", "groups4"]

_NPI = index_parameters("npi")
_SURV = index_parameters("npi", "survival10")
SIZE_COEFFICIENT_PER_CM: float = float(parameter(_NPI, "size_coefficient_per_cm", "npi"))
SCORE_DECIMALS: int = int(parameter(_NPI, "score_decimals", "npi"))
DERIVATION_MAX_SIZE_MM: float = float(parameter(_NPI, "derivation_max_size_mm", "npi"))
SURVIVAL10_NPI_RANGE: tuple[float, float] = (
    float(parameter(_SURV, "npi_min", "npi.survival10")),
    float(parameter(_SURV, "npi_max", "npi.survival10")),
)


SCHEMES: tuple[GroupScheme, ...] = ("groups6", "groups3", "groups4")


def _read_groups(scheme: GroupScheme) -> tuple[np.ndarray, np.ndarray]:
    table = index_parameters("npi", scheme)
    bounds = np.asarray(parameter(table, "upper_bounds", f"npi.{scheme}"), dtype=float)
    codes = np.asarray(parameter(table, "codes", f"npi.{scheme}"), dtype=str)
    return bounds, codes


#: The tables, read once: node-stage thresholds, group bounds and codes, the survival curve.
_GROUPS = {scheme: _read_groups(scheme) for scheme in SCHEMES}
_NODE_MIN = np.asarray(parameter(_NPI, "node_stage_min_nodes", "npi"), dtype=float)
_NODE_STAGES = np.asarray(parameter(_NPI, "node_stage_values", "npi"), dtype=int)
_CURVE = tuple(float(parameter(_SURV, name, "npi.survival10"))
               for name in ("quadratic", "linear", "constant"))
_SURV_DECIMALS = int(parameter(_SURV, "decimals", "npi.survival10"))
_GROUP6_LABELS = dict(zip(
    parameter(index_parameters("npi", "groups6"), "codes", "npi.groups6"),
    parameter(index_parameters("npi", "groups6"), "labels", "npi.groups6"), strict=True))
_GROUP_SOURCES: dict[str, str] = {
    scheme: str(parameter(index_parameters("npi", scheme), "source", f"npi.{scheme}"))
    for scheme in SCHEMES}


def _groups(scheme: GroupScheme) -> tuple[np.ndarray, np.ndarray]:
    return _GROUPS[scheme]


def node_stage(positive_nodes: np.ndarray) -> np.ndarray:
    """NPI node stage N: 1 for no positive nodes, 2 for 1-3, 3 for 4 or more (Haybittle 1982)."""
    idx = np.searchsorted(_NODE_MIN, np.asarray(positive_nodes, dtype=float), side="right") - 1
    return _NODE_STAGES[idx]


def npi_score(size_mm: np.ndarray, positive_nodes: np.ndarray, grade: np.ndarray) -> np.ndarray:
    """NPI in full precision: 0.2 x size (cm) + node stage + grade (Haybittle 1982)."""
    size_cm = np.asarray(size_mm, dtype=float) / 10.0
    return (
        SIZE_COEFFICIENT_PER_CM * size_cm
        + node_stage(positive_nodes)
        + np.asarray(grade, dtype=float)
    )


def round_score(score: np.ndarray) -> np.ndarray:
    """The NPI as reported and classified: rounded to 3 decimals (spec 1.3)."""
    return np.round(np.asarray(score, dtype=float), SCORE_DECIMALS)


def npi_group(score: np.ndarray, scheme: GroupScheme = "groups6") -> np.ndarray:
    """Group codes of NPI scores: round to 3 decimals, "<=" on each upper bound (spec 1.3).

    Schemes: ``groups6`` (EPG ... VPG, Blamey 2007), ``groups3`` (good/moderate/poor, Todd
    1987), ``groups4`` (excellent/good/moderate/poor, Galea 1992).
    """
    bounds, codes = _groups(scheme)
    return codes[np.searchsorted(bounds, round_score(score), side="left")]


def npi_survival10_pct(score: np.ndarray) -> np.ndarray:
    """Blamey 2007 individual 10-year breast-cancer survival, percent; NaN outside NPI 2.0-6.9.

    The curve is evaluated at the full-precision NPI; its validity range is judged on the NPI
    rounded to 3 decimals so that boundary values are classified deterministically.
    """
    npi = np.asarray(score, dtype=float)
    a, b, c = _CURVE
    lo, hi = SURVIVAL10_NPI_RANGE
    rounded = round_score(npi)
    in_range = (rounded >= lo) & (rounded <= hi)
    return np.where(in_range, a * npi**2 + b * npi + c, np.nan)


@dataclass(frozen=True)
class NPIColumns:
    """NPI outputs for a batch; one entry per case."""

    counted_positive_nodes: np.ndarray
    node_stage: np.ndarray
    score_unrounded: np.ndarray
    score: np.ndarray
    group6: np.ndarray
    group3: np.ndarray
    group4: np.ndarray
    surv10_pct: np.ndarray
    size_outside_derivation: np.ndarray


def compute_npi(
    size_mm: np.ndarray,
    positive_nodes: np.ndarray,
    grade: np.ndarray,
    *,
    micrometastatic_nodes: np.ndarray | None = None,
    count_micromets_as_positive: bool = True,
) -> NPIColumns:
    """Every NPI output for a batch of cases (a single case is a batch of one).

    ``positive_nodes`` excludes isolated tumour cells; with ``count_micromets_as_positive``
    False the ``micrometastatic_nodes`` among them are not counted (spec shared conventions).
    """
    nodes = counted_positive_nodes(
        positive_nodes, micrometastatic_nodes,
        count_micromets_as_positive=count_micromets_as_positive,
    )
    if few_finite_rows(size_mm, nodes, grade):
        return _npi_rows(size_mm.tolist(), nodes.tolist(), grade.tolist())
    size = np.atleast_1d(np.asarray(size_mm, dtype=float))
    raw = npi_score(size, nodes, grade)
    return NPIColumns(
        counted_positive_nodes=np.atleast_1d(nodes).astype(int),
        node_stage=np.atleast_1d(node_stage(nodes)),
        score_unrounded=np.atleast_1d(raw),
        score=np.atleast_1d(round_score(raw)),
        group6=np.atleast_1d(npi_group(raw, "groups6")),
        group3=np.atleast_1d(npi_group(raw, "groups3")),
        group4=np.atleast_1d(npi_group(raw, "groups4")),
        surv10_pct=np.atleast_1d(npi_survival10_pct(raw)),
        size_outside_derivation=size > DERIVATION_MAX_SIZE_MM,
    )


def _npi_rows(size_mm: list[float], nodes: list[float], grade: list[float]) -> NPIColumns:
    """``compute_npi`` for a few cases, on plain floats: the same equations and tables."""
    rows = zip(*map(_npi_row, size_mm, nodes, grade), strict=True)
    return NPIColumns(*(np.array(column, dtype=dtype)
                        for column, dtype in zip(rows, _ROW_DTYPES, strict=True)))


def _npi_row(size_mm: float, nodes: float, grade: float) -> tuple[Any, ...]:
    """Every NPI output of one case on plain floats, in ``NPIColumns`` field order."""
    stage = _NODE_STAGE_LIST[bisect_right(_NODE_MIN_LIST, nodes) - 1]
    raw = SIZE_COEFFICIENT_PER_CM * (size_mm / 10.0) + stage + grade
    score = round_like_numpy(raw, SCORE_DECIMALS)
    (b6, c6), (b3, c3), (b4, c4) = _GROUP_LISTS
    a, b, c = _CURVE
    lo, hi = SURVIVAL10_NPI_RANGE
    return (int(nodes), stage, raw, score, c6[bisect_left(b6, score)],
            c3[bisect_left(b3, score)], c4[bisect_left(b4, score)],
            a * (raw * raw) + b * raw + c if lo <= score <= hi else math.nan,
            size_mm > DERIVATION_MAX_SIZE_MM)


#: The dtype of each ``NPIColumns`` field (in field order), as the columnar kernel gives it.
_ROW_DTYPES = (np.dtype(int), _NODE_STAGES.dtype, np.dtype(float), np.dtype(float),
               _GROUPS["groups6"][1].dtype, _GROUPS["groups3"][1].dtype,
               _GROUPS["groups4"][1].dtype, np.dtype(float), np.dtype(bool))


def _column_rows(out: NPIColumns) -> Iterator[tuple[Any, ...]]:
    """The rows of a batch's outputs as plain values (``_npi_row``'s form)."""
    return zip(*(getattr(out, f.name).tolist() for f in fields(NPIColumns)), strict=True)


_NODE_MIN_LIST = _NODE_MIN.tolist()
_NODE_STAGE_LIST = _NODE_STAGES.tolist()
_GROUP_LISTS = tuple((bounds.tolist(), codes.tolist())
                     for bounds, codes in (_GROUPS[scheme] for scheme in SCHEMES))


def micromet_policy(count_micromets_as_positive: bool) -> str:
    """The micrometastasis policy in words, recorded with every value."""
    if count_micromets_as_positive:
        return "micrometastases counted as positive"
    return "micrometastases not counted"


def npi_provenance(count_micromets_as_positive: bool = True) -> Provenance:
    """Model, version, variant and source of the NPI score."""
    return Provenance(
        model=str(parameter(_NPI, "model", "npi")),
        version=str(parameter(_NPI, "version", "npi")),
        source=str(parameter(_NPI, "source", "npi")),
        variant=micromet_policy(count_micromets_as_positive),
    )


def npi_survival10_provenance() -> Provenance:
    """Model, version and source of the individual 10-year survival curve."""
    return Provenance(
        model="NPI individual 10-year survival curve",
        version=str(parameter(_SURV, "version", "npi.survival10")),
        source=str(parameter(_SURV, "source", "npi.survival10")),
        variant="historical Nottingham 1990-1999 cohort, not treatment-adjusted",
    )


#: Provenance depends on the micrometastasis policy only; frozen, built once for each.
_PROVENANCE = {policy: npi_provenance(policy) for policy in (True, False)}
_SURVIVAL_PROVENANCE = npi_survival10_provenance()


@dataclass(frozen=True)
class NPIResult:
    """The NPI of one case with the provenance of each number.

    ``surv10_pct`` is None (with ``surv10_note`` saying why) outside NPI 2.0-6.9. It is a
    historical curve (Nottingham 1990-1999), not a treatment-benefit estimate.
    """

    provenance: Provenance
    score: float
    node_stage: int
    group6: str
    group6_label: str
    group3: str
    group4: str
    surv10_pct: float | None
    surv10_note: str
    survival_provenance: Provenance
    counted_positive_nodes: int
    count_micromets_as_positive: bool
    group_sources: Mapping[str, str]
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        out = asdict(self)
        out["group_sources"] = dict(self.group_sources)
        out["warnings"] = list(self.warnings)
        return out


def npi_applicability(
    invasive: np.ndarray, size_mm: np.ndarray, grade: np.ndarray
) -> list[tuple[str, ...]]:
    """Why the NPI cannot be given, for each case (empty = applicable), in words for people.

    The NPI is defined for operable invasive breast cancer from the invasive size, the
    histological grade and the nodes (Haybittle 1982; indices spec 1.2). ``size_mm`` and
    ``grade`` hold NaN where not recorded.
    """
    return tumour_reasons("NPI", invasive, size_mm, grade)


def npi_results(
    size_mm: np.ndarray,
    positive_nodes: np.ndarray,
    grade: np.ndarray,
    micrometastatic_nodes: np.ndarray,
    neoadjuvant_therapy: np.ndarray,
    *,
    count_micromets_as_positive: bool = True,
    accepted: bool = False,
) -> list[NPIResult]:
    """The NPI result of each case of a batch, computed in one columnar call.

    Every case must be applicable (``npi_applicability``); the inputs are checked against the
    spec's ranges (``axilla.case.indices``) and a refusal raises ``InputError``, unless they
    were ``accepted`` already (read from parsed cases: ``checked_columns``).
    """
    columns = {"size_mm": size_mm, "positive_nodes": positive_nodes, "grade": grade,
               "micrometastatic_nodes": micrometastatic_nodes,
               "neoadjuvant_therapy": neoadjuvant_therapy}
    if accepted and len(size_mm) <= SMALL_BATCH:  # a few rows: plain values throughout
        return npi_row_results({k: v.tolist() for k, v in columns.items()},
                               count_micromets_as_positive=count_micromets_as_positive)
    cols, warnings = checked_columns("NPI", columns, accepted=accepted)
    sizes = cols["size_mm"].tolist()
    rows = _column_rows(compute_npi(
        cols["size_mm"], cols["positive_nodes"], cols["grade"],
        micrometastatic_nodes=cols["micrometastatic_nodes"],
        count_micromets_as_positive=count_micromets_as_positive))
    return [_result(row, size, found, count_micromets_as_positive)
            for row, size, found in zip(rows, sizes, warnings, strict=True)]


def npi_row_results(columns: Mapping[str, list[float]], *,
                    count_micromets_as_positive: bool = True) -> list[NPIResult]:
    """``npi_results`` of a few accepted rows (read from parsed cases) given as plain values,
    a list by input name: the same checks' defaults and warnings, the same equations
    (``_npi_row``), without an array."""
    values, warnings = accepted_values("NPI", columns)
    sizes = values["size_mm"]
    nodes = counted_node_values(values, count_micromets_as_positive)
    return [_result(row, size, found, count_micromets_as_positive) for row, size, found in zip(
        map(_npi_row, sizes, nodes, values["grade"]), sizes, warnings, strict=True)]


def npi_for_case(inputs: NPIInputs, *, count_micromets_as_positive: bool = True) -> NPIResult:
    """The NPI result of one validated case, computed as a batch of one."""
    cols = inputs.columns()
    out = compute_npi(
        cols["size_mm"], cols["positive_nodes"], cols["grade"],
        micrometastatic_nodes=cols["micrometastatic_nodes"],
        count_micromets_as_positive=count_micromets_as_positive,
    )
    return _result(next(_column_rows(out)), inputs.size_mm, inputs.warnings(),
                   count_micromets_as_positive)


def _result(row: tuple[Any, ...], size_mm: float, input_warnings: list[str],
            count_micromets_as_positive: bool) -> NPIResult:
    """One case's outputs (``_npi_row``'s form) as an NPIResult with its provenance and
    warnings, built from these checked values of each field's type (``frozen_record``)."""
    nodes, stage, _, score, group6, group3, group4, surv, outside = row
    warnings = list(input_warnings)
    if outside:
        warnings.append(
            f"size_mm: {size_mm:g} mm is above {DERIVATION_MAX_SIZE_MM:g} mm, outside the "
            "operable cancers of the derivation cohorts; computed anyway"
        )
    if surv != surv:
        surv10: float | None = None
        note = _SURV_NOTES[0]
    else:
        surv10 = round(surv, _SURV_DECIMALS)
        note = _SURV_NOTES[1]
    return frozen_record(NPIResult, {
        "provenance": _PROVENANCE[count_micromets_as_positive], "score": score,
        "node_stage": stage, "group6": group6, "group6_label": _GROUP6_LABELS[group6],
        "group3": group3, "group4": group4, "surv10_pct": surv10, "surv10_note": note,
        "survival_provenance": _SURVIVAL_PROVENANCE, "counted_positive_nodes": nodes,
        "count_micromets_as_positive": count_micromets_as_positive,
        "group_sources": dict(_GROUP_SOURCES), "warnings": tuple(warnings)})


#: The note on the 10-year survival: why it is not given (outside the curve's range), or what
#: it is.
_SURV_NOTES = (
    "not given: the curve was fitted for NPI {:g} to {:g} only".format(*SURVIVAL10_NPI_RANGE),
    "historical 10-year breast-cancer survival (Nottingham 1990-1999), not treatment-adjusted")
