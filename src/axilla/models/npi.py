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
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np

from axilla.case.index_rules import SMALL_BATCH, accepted_values
from axilla.case.indices import NPIInputs, counted_positive_nodes
from axilla.models.applicability import tumour_reasons
from axilla.models.batch import (
    checked_columns,
    few_finite_rows,
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
    rows = _npi_row_values(size_mm, nodes, grade)
    return NPIColumns(**{name: np.array(rows[name], dtype=dtype)
                         for name, dtype in _ROW_DTYPES.items()})


def _npi_row_values(size_mm: list[float], nodes: list[float], grade: list[float]
                    ) -> dict[str, list[Any]]:
    """Every NPI output of a few cases as lists of plain values, by ``NPIColumns`` field."""
    a, b, c = _CURVE
    lo, hi = SURVIVAL10_NPI_RANGE
    stages, raws, scores, surv = [], [], [], []
    groups: dict[str, list[str]] = {scheme: [] for scheme in SCHEMES}
    for size, n, g in zip(size_mm, nodes, grade, strict=True):
        stage = int(_NODE_STAGES[bisect_right(_NODE_MIN_LIST, n) - 1])
        raw = SIZE_COEFFICIENT_PER_CM * (size / 10.0) + stage + g
        score = round_like_numpy(raw, SCORE_DECIMALS)
        for scheme in SCHEMES:
            bounds, codes = _GROUP_LISTS[scheme]
            groups[scheme].append(codes[bisect_left(bounds, score)])
        stages.append(stage)
        raws.append(raw)
        scores.append(score)
        surv.append(a * (raw * raw) + b * raw + c if lo <= score <= hi else math.nan)
    return {
        "counted_positive_nodes": [int(n) for n in nodes], "node_stage": stages,
        "score_unrounded": raws, "score": scores, "group6": groups["groups6"],
        "group3": groups["groups3"], "group4": groups["groups4"], "surv10_pct": surv,
        "size_outside_derivation": [s > DERIVATION_MAX_SIZE_MM for s in size_mm],
    }


#: The dtype of each ``NPIColumns`` field, as the columnar kernel gives it.
_ROW_DTYPES = {
    "counted_positive_nodes": np.dtype(int), "node_stage": _NODE_STAGES.dtype,
    "score_unrounded": np.dtype(float), "score": np.dtype(float),
    "group6": _GROUPS["groups6"][1].dtype, "group3": _GROUPS["groups3"][1].dtype,
    "group4": _GROUPS["groups4"][1].dtype, "surv10_pct": np.dtype(float),
    "size_outside_derivation": np.dtype(bool),
}


def _npi_outputs(size_mm: np.ndarray, positive_nodes: np.ndarray, grade: np.ndarray,
                 micrometastatic_nodes: np.ndarray, count_micromets_as_positive: bool) -> Any:
    """``compute_npi`` of checked columns; for a few cases its plain values (read by field,
    row by row, as ``_result`` does), with no arrays built only to be read back."""
    nodes = counted_positive_nodes(positive_nodes, micrometastatic_nodes,
                                   count_micromets_as_positive=count_micromets_as_positive)
    if few_finite_rows(size_mm, nodes, grade):
        return SimpleNamespace(**_npi_row_values(size_mm.tolist(), nodes.tolist(),
                                                 grade.tolist()))
    return compute_npi(size_mm, positive_nodes, grade,
                       micrometastatic_nodes=micrometastatic_nodes,
                       count_micromets_as_positive=count_micromets_as_positive)


_NODE_MIN_LIST = _NODE_MIN.tolist()
_GROUP_LISTS = {scheme: (bounds.tolist(), codes.tolist())
                for scheme, (bounds, codes) in _GROUPS.items()}


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
        values, warnings = accepted_values("NPI", {k: v.tolist() for k, v in columns.items()})
        sizes = values["size_mm"]
        nodes = counted_positive_nodes(positive_nodes, micrometastatic_nodes,
                                       count_micromets_as_positive=count_micromets_as_positive)
        out: Any = SimpleNamespace(**_npi_row_values(sizes, nodes.tolist(), values["grade"]))
    else:
        cols, warnings = checked_columns("NPI", columns, accepted=accepted)
        sizes = cols["size_mm"].tolist()
        out = _npi_outputs(cols["size_mm"], cols["positive_nodes"], cols["grade"],
                           cols["micrometastatic_nodes"], count_micromets_as_positive)
    return [_result(out, i, sizes[i], warnings[i], count_micromets_as_positive)
            for i in range(len(warnings))]


def npi_for_case(inputs: NPIInputs, *, count_micromets_as_positive: bool = True) -> NPIResult:
    """The NPI result of one validated case, computed as a batch of one."""
    cols = inputs.columns()
    out = compute_npi(
        cols["size_mm"], cols["positive_nodes"], cols["grade"],
        micrometastatic_nodes=cols["micrometastatic_nodes"],
        count_micromets_as_positive=count_micromets_as_positive,
    )
    return _result(out, 0, inputs.size_mm, inputs.warnings(), count_micromets_as_positive)


def _result(out: Any, i: int, size_mm: float, input_warnings: list[str],
            count_micromets_as_positive: bool) -> NPIResult:
    """One case (row ``i``) of a batch's outputs (``_npi_outputs``) as an NPIResult with its
    provenance and warnings."""
    warnings = list(input_warnings)
    if out.size_outside_derivation[i]:
        warnings.append(
            f"size_mm: {size_mm:g} mm is above {DERIVATION_MAX_SIZE_MM:g} mm, outside the "
            "operable cancers of the derivation cohorts; computed anyway"
        )
    surv = float(out.surv10_pct[i])
    lo, hi = SURVIVAL10_NPI_RANGE
    decimals = _SURV_DECIMALS
    if surv != surv:
        surv10: float | None = None
        note = f"not given: the curve was fitted for NPI {lo:g} to {hi:g} only"
    else:
        surv10 = round(surv, decimals)
        note = "historical 10-year breast-cancer survival (Nottingham 1990-1999), not "\
            "treatment-adjusted"
    group6 = str(out.group6[i])
    return NPIResult(
        provenance=_PROVENANCE[count_micromets_as_positive],
        score=float(out.score[i]),
        node_stage=int(out.node_stage[i]),
        group6=group6,
        group6_label=_GROUP6_LABELS[group6],
        group3=str(out.group3[i]),
        group4=str(out.group4[i]),
        surv10_pct=surv10,
        surv10_note=note,
        survival_provenance=_SURVIVAL_PROVENANCE,
        counted_positive_nodes=int(out.counted_positive_nodes[i]),
        count_micromets_as_positive=count_micromets_as_positive,
        group_sources=dict(_GROUP_SOURCES),
        warnings=tuple(warnings),
    )
