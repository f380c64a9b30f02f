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
from axilla.recurrence import row_kernel

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
    """1 where the column equals one of values, 0 where known and different, NaN if unknown.

    One pass in Python over the column (the values are a handful of labels): the same test as a
    set membership, without NumPy's per-call set-up, which dominated for a batch of one case.
    """
    raw = columns.get(name)
    if raw is None:
        return np.full(n, _NAN)
    wanted = frozenset(values)
    arr = np.asarray(raw, dtype=object).reshape(-1).tolist()
    return np.array([_NAN if v is None or (isinstance(v, float) and v != v)
                     else float(v in wanted) for v in arr], dtype=float)


def _cmp(x: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), _NAN, ok.astype(float))


class _Columns:
    """The three-valued operations over columns (1.0 present, 0.0 absent, NaN unknown)."""

    def __init__(self, columns: Mapping[str, Any], n: int) -> None:
        self.columns, self.n = columns, n

    def num(self, name: str) -> Any:
        return _num(self.columns, name, self.n)

    def is_(self, name: str, *values: object) -> Any:
        return _is(self.columns, name, self.n, *values)

    and_, or_ = staticmethod(_and), staticmethod(_or)
    not_, cmp = staticmethod(_not), staticmethod(_cmp)
    where = staticmethod(np.where)
    isnan = staticmethod(np.isnan)


def _n_rows(columns: Mapping[str, Any]) -> int:
    for value in columns.values():
        if value is not None:
            return int(np.asarray(value, dtype=object).reshape(-1).shape[0])
    raise ValueError("no columns given")


#: Up to this many cases the factors are evaluated case by case on plain values (the same
#: equations, ``_factors``, written out once as one function: ``row_kernel``): faster than
#: NumPy's per-call cost on a handful of elements.
SMALL_BATCH = 8


def risk_factor_columns(columns: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Each §5 factor as a column: 1.0 present, 0.0 absent, NaN unknown (recurrence.md §5).

    ``columns`` maps the field names of ``RecurrenceRiskInputs`` to equal-length arrays (None
    for unknown); absent columns are unknown. Up to ``SMALL_BATCH`` cases are evaluated case
    by case, larger batches as columns: the same equations either way.
    """
    n = _n_rows(columns)
    if n > SMALL_BATCH:
        with np.errstate(invalid="ignore"):
            return _factors(_Columns(columns, n))
    cells = {k: (None if v is None else np.asarray(v, dtype=object).reshape(-1).tolist())
             for k, v in columns.items()}
    rows = [_ROW({k: None if v is None else v[i] for k, v in cells.items()}) for i in range(n)]
    return {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}


def _factors(o: Any) -> dict[str, Any]:
    """The §5 factors, written once over the operations of ``_Columns`` (or of
    ``row_kernel.Tracer``, which writes them out for one case)."""
    bcs = o.is_("breast_surgery", "bcs")
    margin = o.num("radial_margin_min_mm")
    dcis_only = o.is_("dcis_only", True)
    invasive = o.not_(dcis_only)
    margin_zero = o.cmp(margin, margin == 0)
    under_1 = o.cmp(margin, (margin > 0) & (margin < 1))
    under_2 = o.cmp(margin, (margin > 0) & (margin < 2))
    # close: < 1 mm for invasive, < 2 mm for pure DCIS; known whenever the margin settles it
    close = o.or_(under_1, o.and_(under_2, dcis_only))
    macro = o.num("macromet_nodes_total")
    # pN0 (incl. ITC / mol+) and pN1mi mean no node with a macrometastasis (AJCC 8th)
    no_macro = o.is_("pn_category", "pN0", "pN0(i+)", "pN0(mol+)", "pN1mi") == 1
    macro = o.where(o.isnan(macro) & no_macro, 0.0, macro)
    size = o.num("size_mm")
    age = o.num("age_years")
    grade = o.num("grade")
    er_neg = o.is_("er_status", "negative")
    pr_neg = o.is_("pr_status", "negative")
    her2_pos = o.is_("her2_status", "positive")
    anti_her2 = o.is_("anti_her2_therapy_given", True)
    t4_abc = o.is_("t_category", "T4a", "T4b", "T4c")
    t4d = o.is_("t_category", "T4d")
    t_unknown = o.is_("t_category", "TX", "T4")  # T4 without a subcategory
    t4_abc = o.where(t_unknown == 1, _NAN, t4_abc)
    t4d = o.where(t_unknown == 1, _NAN, t4d)
    bmi = o.num("bmi")
    alcohol = o.num("alcohol_units_per_week")
    return {
        "margin_involved": o.and_(bcs, margin_zero),
        "margin_close": o.and_(bcs, close),
        "no_rt_after_bcs": o.and_(bcs, o.is_("breast_rt_given", False)),
        "nodes_1_3": o.cmp(macro, (macro >= 1) & (macro <= 3)),
        "nodes_4_plus": o.cmp(macro, macro >= 4),
        "micromets_only": o.is_("pn_category", "pN1mi"),
        "tumour_gt_50mm": o.and_(invasive, o.cmp(size, size > 50)),
        "t4_or_skin_chest_wall": t4_abc,
        "inflammatory": t4d,
        "age_lt_35": o.cmp(age, age < 35),
        "age_35_39": o.cmp(age, (age >= 35) & (age < 40)),
        "grade_3": o.cmp(grade, grade == 3),
        "er_negative": er_neg,
        "her2_positive_no_anti_her2": o.and_(her2_pos, o.not_(anti_her2)),
        "her2_positive": o.and_(her2_pos, anti_her2),
        "triple_negative": o.and_(er_neg, pr_neg, o.not_(her2_pos)),
        "lvi": o.is_("lvi", True),
        "multifocal": o.is_("multifocal", True),
        "extranodal_extension": o.is_("extranodal_extension", True),
        "residual_disease_after_nact": o.and_(
            o.is_("neoadjuvant_chemo_given", True), o.is_("residual_invasive_disease", True)),
        "no_indicated_systemic_therapy": o.or_(
            o.and_(o.not_(er_neg), o.is_("endocrine_therapy_taken", False)),
            o.and_(o.is_("chemotherapy_recommended", True), o.is_("chemotherapy_given", False)),
        ),
        "germline_brca": o.where(
            o.is_("germline_brca", "unknown") == 1, _NAN, o.is_("germline_brca", "brca1", "brca2"),
        ),
        "lifestyle": o.or_(
            o.cmp(bmi, bmi >= 30), o.cmp(alcohol, alcohol >= 5),
            o.is_("physically_inactive", True)),
    }


#: ``_factors`` for one case's values by field name (absent or None = unknown), and its source.
_ROW, _ROW_SOURCE = row_kernel.compiled(_factors)


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


#: Each factor's id, the fields shown beside it and the fields of its ``RiskFactor`` that come
#: from its definition, in table order (built once).
_PLAN: tuple[tuple[str, tuple[str, ...], dict[str, Any]], ...] = tuple((d.id, d.fields, {
    "id": d.id, "direction": "higher risk if present", "affects": d.affects,
    "strength": d.strength, "evidence": d.evidence, "mitigation": d.mitigation, "note": d.note})
    for d in RISK_FACTORS)


def risk_factor_summary(
    inputs: RecurrenceRiskInputs,
    validated_models: Mapping[str, Any] | None = None,
) -> RiskFactorSummary:
    """The recurrence risk-factor checklist for one case (recurrence.md §5).

    ``validated_models`` (NPI, CTS5, PREDICT results with model name and version) are passed
    through unchanged for display beside the checklist; nothing is combined with them.
    """
    data = inputs.__dict__  # read only; the fields are plain values (no nested models)
    found = _ROW(data)  # one case: the plain-value kernel of risk_factor_columns
    factors: list[RiskFactor] = []
    missing: list[str] = []
    shown: dict[str, str] = {}  # "field=value" of each known field, written once a case
    new = object.__new__
    for factor_id, fields, fixed in _PLAN:
        x = found[factor_id]
        value = None
        for f in fields:
            text = shown.get(f)
            if text is None:
                v = data[f]
                if v is None:  # unknown: asked for when the factor is unknown
                    if x != x and f not in missing:
                        missing.append(f)
                    continue
                text = shown[f] = f"{f}={v}"
            value = text if value is None else f"{value}, {text}"
        # ``RiskFactor(**fixed, value=..., present=...)`` without a setattr per field
        out = new(RiskFactor)
        held = out.__dict__
        held.update(fixed)
        held["value"] = "unknown" if value is None else value
        held["present"] = None if x != x else x == 1
        factors.append(out)
    return RiskFactorSummary(
        case_id=inputs.case_id,
        factors=tuple(factors),
        validated_models=dict(validated_models or {}),
        missing_data=tuple(missing),
    )
