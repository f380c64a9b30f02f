"""The risk-factor kernel on one case's plain values equals the columnar kernel, factor by
factor (NaN for NaN), on random valid inputs with unknowns; batches above and below the
small-batch size give the same columns; the summary's factors equal the dataclass built by
its constructor; the shown values and missing data follow the definition."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.case.recurrence import RecurrenceRiskInputs
from axilla.recurrence.risk_factors import (
    RISK_FACTORS,
    SMALL_BATCH,
    RiskFactor,
    _Columns,
    _factors,
    risk_factor_columns,
    risk_factor_summary,
)


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


BOOL = _maybe(st.booleans())
STATUS = st.sampled_from([None, "positive", "negative"])
#: Values at the factor boundaries are drawn often (margins 0, 1, 2; 50 mm; ages 35 and 40).
CASE = st.fixed_dictionaries({
    "breast_surgery": st.sampled_from([None, "bcs", "mastectomy", "none"]),
    "radial_margin_min_mm": _maybe(st.one_of(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0]),
                                             st.floats(0, 200))),
    "dcis_only": BOOL,
    "breast_rt_given": BOOL,
    "macromet_nodes_total": _maybe(st.one_of(st.integers(0, 5), st.integers(0, 100))),
    "pn_category": st.sampled_from([None, "pN0", "pN0(i+)", "pN0(mol+)", "pN1mi", "pN1a",
                                    "pN2a", "pN3a"]),
    "size_mm": _maybe(st.one_of(st.sampled_from([0.0, 50.0, 50.5]), st.floats(0, 500))),
    "t_category": st.sampled_from([None, "TX", "T1", "T2", "T3", "T4", "T4a", "T4b", "T4c",
                                   "T4d"]),
    "age_years": _maybe(st.one_of(st.sampled_from([34.9, 35.0, 39.9, 40.0]),
                                  st.floats(18, 110))),
    "grade": st.sampled_from([None, 1, 2, 3]),
    "er_status": STATUS, "pr_status": STATUS, "her2_status": STATUS,
    "anti_her2_therapy_given": BOOL, "lvi": BOOL, "multifocal": BOOL,
    "extranodal_extension": BOOL, "neoadjuvant_chemo_given": BOOL,
    "residual_invasive_disease": BOOL, "endocrine_therapy_taken": BOOL,
    "chemotherapy_recommended": BOOL, "chemotherapy_given": BOOL,
    "germline_brca": st.sampled_from([None, "brca1", "brca2", "negative", "unknown"]),
    "bmi": _maybe(st.one_of(st.sampled_from([29.9, 30.0]), st.floats(10, 90))),
    "alcohol_units_per_week": _maybe(st.one_of(st.sampled_from([4.9, 5.0]), st.floats(0, 300))),
    "physically_inactive": BOOL,
})


def _columns(rows: list[dict]) -> dict[str, list]:
    return {k: [r[k] for r in rows] for k in rows[0]}


@settings(max_examples=150)
@given(rows=st.lists(CASE, min_size=1, max_size=2 * SMALL_BATCH + 1))
def test_case_by_case_equals_columns(rows):
    cols = _columns(rows)
    with np.errstate(invalid="ignore"):
        columnar = _factors(_Columns(cols, len(rows)))
    got = risk_factor_columns(cols)
    assert list(got) == list(columnar)
    for name, expected in columnar.items():
        assert got[name].dtype == np.float64
        np.testing.assert_array_equal(got[name], expected, err_msg=name)


@given(rows=st.lists(CASE, min_size=SMALL_BATCH + 1, max_size=3 * SMALL_BATCH))
def test_a_large_batch_equals_its_cases_one_by_one(rows):
    whole = risk_factor_columns(_columns(rows))
    for i, row in enumerate(rows):
        one = risk_factor_columns({k: [v] for k, v in row.items()})
        for name, column in whole.items():
            np.testing.assert_array_equal(column[i:i + 1], one[name], err_msg=name)


@given(row=CASE)
def test_summary_factors_equal_the_constructed_dataclass(row):
    if row["dcis_only"] and row["size_mm"] not in (None, 0):
        row = {**row, "size_mm": 0.0}
    summary = risk_factor_summary(RecurrenceRiskInputs(**row))
    cols = risk_factor_columns({k: [v] for k, v in row.items()})
    for d, f in zip(RISK_FACTORS, summary.factors, strict=True):
        x = cols[d.id][0]
        built = RiskFactor(id=d.id, value=f.value, present=None if np.isnan(x) else bool(x == 1),
                           direction="higher risk if present", affects=d.affects,
                           strength=d.strength, evidence=d.evidence, mitigation=d.mitigation,
                           note=d.note)
        assert f == built
        assert hash(f) == hash(built)
        assert type(f) is RiskFactor


@given(row=CASE)
def test_shown_values_and_missing_data_follow_the_definition(row):
    """Each factor shows ``field=value`` for its known fields in table order ("unknown" when
    none is known); missing data lists, in table order and once each, the unknown fields of
    the factors left unknown; ``present`` is a plain bool or None (recurrence.md §5)."""
    if row["dcis_only"] and row["size_mm"] not in (None, 0):
        row = {**row, "size_mm": 0.0}
    inputs = RecurrenceRiskInputs(**row)
    summary = risk_factor_summary(inputs)
    cols = risk_factor_columns({k: [v] for k, v in row.items()})
    data = inputs.__dict__
    missing: list[str] = []
    for d, f in zip(RISK_FACTORS, summary.factors, strict=True):
        shown = ", ".join(f"{name}={data[name]}" for name in d.fields if data[name] is not None)
        assert f.value == (shown or "unknown")
        unknown = bool(np.isnan(cols[d.id][0]))
        assert type(f.present) is (type(None) if unknown else bool)
        if unknown:
            missing += [n for n in d.fields if data[n] is None and n not in missing]
    assert summary.missing_data == tuple(missing)
