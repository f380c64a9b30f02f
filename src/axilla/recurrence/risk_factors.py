"""Recurrence risk-factor checklist: each factor present, absent or unknown, never a score.

Source: spec recurrence.md §5 (factor table, three-valued, never summed) with the evidence of §4.
NICE criteria (e.g. the NG101 1.13.4 / 1.13.7 radiotherapy criteria) are not restated here: the
guidance engine is their only owner. Engine: pure, vectorised, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from axilla.case.recurrence import RecurrenceRiskInputs

__all__ = [
    "RISK_FACTORS",
    "RiskFactor",
    "RiskFactorDefinition",
    "RiskFactorSummary",
    "risk_factor_columns",
    "risk_factor_summary",
]

# --------------------------------------------------------------------------------------------
# Risk-factor summary (recurrence.md §5). Three-valued logic over columns: 1.0 present,
# 0.0 absent, NaN unknown (data missing). Never summed.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFactorDefinition:
    """One row of the recurrence.md §5 factor table, with the evidence of §4."""

    id: str
    fields: tuple[str, ...]
    affects: tuple[str, ...]
    strength: Literal["major", "moderate", "minor"]
    evidence: str
    mitigation: str | None = None
    note: str | None = None


def _d(*args: Any, **kwargs: Any) -> RiskFactorDefinition:
    return RiskFactorDefinition(*args, **kwargs)


#: The factors of recurrence.md §5, in its order. Strength labels order the display; not weights.
RISK_FACTORS: tuple[RiskFactorDefinition, ...] = (
    _d("margin_involved", ("breast_surgery", "radial_margin_min_mm"), ("local",), "major",
       "Houssami N et al., Ann Surg Oncol 2014;21:717-730 (OR 2.44 positive vs negative); "
       "NICE NG101 1.4.3", "further surgery (see the surgery guidance)"),
    _d("margin_close", ("breast_surgery", "radial_margin_min_mm", "dcis_only"), ("local",),
       "moderate",
       "Houssami N et al., Ann Surg Oncol 2014 (OR 1.74 close vs negative); NICE NG101 "
       "1.4.4-1.4.5", "consider further surgery (see the surgery guidance)"),
    _d("no_rt_after_bcs", ("breast_surgery", "breast_rt_given"), ("local",), "major",
       "EBCTCG, Lancet 2011;378:1707-1716 (10-year any first recurrence 35.0 % vs 19.3 %)",
       "whole-breast radiotherapy (see the radiotherapy guidance)"),
    _d("nodes_1_3", ("macromet_nodes_total", "pn_category"), ("regional", "distant"), "major",
       "Nodal involvement: strongest single predictor of recurrence and death (NPI, PREDICT)"),
    _d("nodes_4_plus", ("macromet_nodes_total", "pn_category"), ("regional", "distant"), "major",
       "Nodal involvement; >= 4 nodes: high locoregional risk after mastectomy "
       "(NICE NG101 PMRT and supraclavicular rules)"),
    _d("micromets_only", ("pn_category",), ("distant",), "minor",
       "AJCC 8th pN1mi", note="prognostic significance uncertain"),
    _d("tumour_gt_50mm", ("size_mm", "dcis_only"), ("local_after_mastectomy", "distant"),
       "major", "NICE NG101 1.13.11 (PMRT considered for node-negative T3/T4)"),
    _d("t4_or_skin_chest_wall", ("t_category",), ("local", "regional", "distant"), "major",
       "NICE NG101 1.13.11"),
    _d("inflammatory", ("t_category",), ("local", "regional", "distant"), "major",
       "NICE NG101 1.13.25"),
    _d("age_lt_35", ("age_years",), ("local", "any"), "major",
       "Vrieling C et al., JAMA Oncol 2017 (EORTC boost trial); Geurts YM et al., "
       "Breast Cancer Res Treat 2017"),
    _d("age_35_39", ("age_years",), ("local", "any"), "moderate",
       "Vrieling C et al., JAMA Oncol 2017; Geurts YM et al., Breast Cancer Res Treat 2017"),
    _d("grade_3", ("grade",), ("local", "distant"), "moderate",
       "Vrieling C et al., JAMA Oncol 2017; NPI; Pan H et al., N Engl J Med 2017"),
    _d("er_negative", ("er_status",), ("early_local", "early_distant"), "moderate",
       "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; magnitude not re-verified)"),
    _d("her2_positive_no_anti_her2", ("her2_status", "anti_her2_therapy_given"), ("distant",),
       "major", "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; not re-verified)"),
    _d("her2_positive", ("her2_status", "anti_her2_therapy_given"), ("distant",), "minor",
       "Subtype analyses; risk attenuated by anti-HER2 therapy"),
    _d("triple_negative", ("er_status", "pr_status", "her2_status"),
       ("early_local", "early_distant"), "moderate",
       "Subtype analyses (Voduc KD et al., J Clin Oncol 2010; not re-verified)"),
    _d("lvi", ("lvi",), ("local", "regional", "distant"), "moderate",
       "Nottingham series (magnitude not re-verified)"),
    _d("multifocal", ("multifocal",), ("local", "any"), "minor",
       "Geurts YM et al., Breast Cancer Res Treat 2017"),
    _d("extranodal_extension", ("extranodal_extension",), ("regional",), "moderate",
       "Adverse factor (magnitude not re-verified)"),
    _d("residual_disease_after_nact", ("neoadjuvant_chemo_given", "residual_invasive_disease"),
       ("any",), "major", "Cortazar P et al., Lancet 2014 (CTNeoBC; not re-verified)"),
    _d("no_indicated_systemic_therapy",
       ("er_status", "endocrine_therapy_taken", "chemotherapy_recommended",
        "chemotherapy_given"), ("any",), "moderate",
       "Geurts YM et al., Breast Cancer Res Treat 2017 (no chemotherapy); endocrine "
       "non-adherence (general evidence)"),
    _d("germline_brca", ("germline_brca",), ("contralateral",), "major",
       "van den Broek AJ et al., J Clin Oncol 2016; Familial Cancer 2015;14:531-538"),
    _d("lifestyle", ("bmi", "alcohol_units_per_week", "physically_inactive"), ("any",),
       "minor", "NICE NG101 1.16.1 (association)"),
)

_NAN = np.nan


def _and(*xs: np.ndarray) -> np.ndarray:
    out = xs[0]
    for x in xs[1:]:
        out = np.where((out == 0) | (x == 0), 0.0, np.where((out == 1) & (x == 1), 1.0, _NAN))
    return out


def _or(*xs: np.ndarray) -> np.ndarray:
    out = xs[0]
    for x in xs[1:]:
        out = np.where((out == 1) | (x == 1), 1.0, np.where((out == 0) & (x == 0), 0.0, _NAN))
    return out


def _not(x: np.ndarray) -> np.ndarray:
    return 1.0 - x


def _num(columns: Mapping[str, Any], name: str, n: int) -> np.ndarray:
    raw = columns.get(name)
    if raw is None:
        return np.full(n, _NAN)
    arr = np.asarray(raw, dtype=object).reshape(-1)
    return np.array([_NAN if v is None else float(v) for v in arr], dtype=float)


def _is(columns: Mapping[str, Any], name: str, n: int, *values: object) -> np.ndarray:
    """1 where the column equals one of values, 0 where known and different, NaN if unknown."""
    raw = columns.get(name)
    if raw is None:
        return np.full(n, _NAN)
    arr = np.asarray(raw, dtype=object).reshape(-1)
    known = np.array([v is not None and not (isinstance(v, float) and np.isnan(v))
                      for v in arr])
    hit = np.isin(arr, np.asarray(values, dtype=object))
    return np.where(known, hit.astype(float), _NAN)


def _cmp(x: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), _NAN, ok.astype(float))


def _n_rows(columns: Mapping[str, Any]) -> int:
    for value in columns.values():
        if value is not None:
            return int(np.asarray(value, dtype=object).reshape(-1).shape[0])
    raise ValueError("no columns given")


def risk_factor_columns(columns: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Each §5 factor as a column: 1.0 present, 0.0 absent, NaN unknown (recurrence.md §5).

    ``columns`` maps the field names of ``RecurrenceRiskInputs`` to equal-length arrays (None
    for unknown); absent columns are unknown.
    """
    n = _n_rows(columns)
    c = columns
    bcs = _is(c, "breast_surgery", n, "bcs")
    margin = _num(c, "radial_margin_min_mm", n)
    dcis_only = _is(c, "dcis_only", n, True)
    invasive = _not(dcis_only)
    with np.errstate(invalid="ignore"):
        margin_zero = _cmp(margin, margin == 0)
        under_1 = _cmp(margin, (margin > 0) & (margin < 1))
        under_2 = _cmp(margin, (margin > 0) & (margin < 2))
    # close: < 1 mm for invasive, < 2 mm for pure DCIS; known whenever the margin settles it
    close = _or(under_1, _and(under_2, dcis_only))
    macro = _num(c, "macromet_nodes_total", n)
    # pN0 (incl. ITC / mol+) and pN1mi mean no node with a macrometastasis (AJCC 8th)
    no_macro = _is(c, "pn_category", n, "pN0", "pN0(i+)", "pN0(mol+)", "pN1mi") == 1
    macro = np.where(np.isnan(macro) & no_macro, 0.0, macro)
    size = _num(c, "size_mm", n)
    age = _num(c, "age_years", n)
    grade = _num(c, "grade", n)
    er_neg = _is(c, "er_status", n, "negative")
    pr_neg = _is(c, "pr_status", n, "negative")
    her2_pos = _is(c, "her2_status", n, "positive")
    anti_her2 = _is(c, "anti_her2_therapy_given", n, True)
    t4_abc = _is(c, "t_category", n, "T4a", "T4b", "T4c")
    t4d = _is(c, "t_category", n, "T4d")
    t_unknown = _is(c, "t_category", n, "TX", "T4")  # T4 without a subcategory
    t4_abc = np.where(t_unknown == 1, _NAN, t4_abc)
    t4d = np.where(t_unknown == 1, _NAN, t4d)
    with np.errstate(invalid="ignore"):
        out = {
            "margin_involved": _and(bcs, margin_zero),
            "margin_close": _and(bcs, close),
            "no_rt_after_bcs": _and(bcs, _is(c, "breast_rt_given", n, False)),
            "nodes_1_3": _cmp(macro, (macro >= 1) & (macro <= 3)),
            "nodes_4_plus": _cmp(macro, macro >= 4),
            "micromets_only": _is(c, "pn_category", n, "pN1mi"),
            "tumour_gt_50mm": _and(invasive, _cmp(size, size > 50)),
            "t4_or_skin_chest_wall": t4_abc,
            "inflammatory": t4d,
            "age_lt_35": _cmp(age, age < 35),
            "age_35_39": _cmp(age, (age >= 35) & (age < 40)),
            "grade_3": _cmp(grade, grade == 3),
            "er_negative": er_neg,
            "her2_positive_no_anti_her2": _and(her2_pos, _not(anti_her2)),
            "her2_positive": _and(her2_pos, anti_her2),
            "triple_negative": _and(er_neg, pr_neg, _not(her2_pos)),
            "lvi": _is(c, "lvi", n, True),
            "multifocal": _is(c, "multifocal", n, True),
            "extranodal_extension": _is(c, "extranodal_extension", n, True),
            "residual_disease_after_nact": _and(
                _is(c, "neoadjuvant_chemo_given", n, True),
                _is(c, "residual_invasive_disease", n, True),
            ),
            "no_indicated_systemic_therapy": _or(
                _and(_not(er_neg), _is(c, "endocrine_therapy_taken", n, False)),
                _and(_is(c, "chemotherapy_recommended", n, True),
                     _is(c, "chemotherapy_given", n, False)),
            ),
            "germline_brca": np.where(
                _is(c, "germline_brca", n, "unknown") == 1, _NAN,
                _is(c, "germline_brca", n, "brca1", "brca2"),
            ),
            "lifestyle": _or(
                _cmp(_num(c, "bmi", n), _num(c, "bmi", n) >= 30),
                _cmp(_num(c, "alcohol_units_per_week", n),
                     _num(c, "alcohol_units_per_week", n) >= 5),
                _is(c, "physically_inactive", n, True),
            ),
        }
    return out


@dataclass(frozen=True)
class RiskFactor:
    """One factor of the summary: present (True/False/None = unknown) with its provenance."""

    id: str
    value: str
    present: bool | None
    direction: str
    affects: tuple[str, ...]
    strength: str
    evidence: str
    mitigation: str | None
    note: str | None


@dataclass(frozen=True)
class RiskFactorSummary:
    """The structured recurrence risk summary of recurrence.md §5: a checklist, no score."""

    case_id: str | None
    factors: tuple[RiskFactor, ...]
    validated_models: Mapping[str, Any]
    missing_data: tuple[str, ...]
    statement: str = ("No validated score combines these factors; they are listed, not added. "
                      "See the validated models for estimates.")

    def present(self) -> tuple[RiskFactor, ...]:
        """Factors present, major first, in table order within a strength."""
        order = {"major": 0, "moderate": 1, "minor": 2}
        found = [f for f in self.factors if f.present]
        return tuple(sorted(found, key=lambda f: order[f.strength]))


def _tri(x: float) -> bool | None:
    return None if np.isnan(x) else bool(x == 1)


def risk_factor_summary(
    inputs: RecurrenceRiskInputs,
    validated_models: Mapping[str, Any] | None = None,
) -> RiskFactorSummary:
    """The recurrence risk-factor checklist for one case (recurrence.md §5).

    ``validated_models`` (NPI, CTS5, PREDICT results with model name and version) are passed
    through unchanged for display beside the checklist; nothing is combined with them.
    """
    data = inputs.model_dump()
    columns = {k: [v] for k, v in data.items() if k != "case_id"}
    cols = risk_factor_columns(columns)
    factors: list[RiskFactor] = []
    missing: list[str] = []
    for d in RISK_FACTORS:
        present = _tri(cols[d.id][0])
        known = {f: data[f] for f in d.fields if data[f] is not None}
        value = ", ".join(f"{k}={v}" for k, v in known.items()) if known else "unknown"
        if present is None:
            missing += [f for f in d.fields if data[f] is None and f not in missing]
        factors.append(RiskFactor(
            id=d.id, value=value, present=present, direction="higher risk if present",
            affects=d.affects, strength=d.strength, evidence=d.evidence,
            mitigation=d.mitigation, note=d.note,
        ))
    return RiskFactorSummary(
        case_id=inputs.case_id,
        factors=tuple(factors),
        validated_models=dict(validated_models or {}),
        missing_data=tuple(missing),
    )
