"""Structured recurrence risk-factor summary (spec recurrence.md §5): a checklist, never a score."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.recurrence import RecurrenceRiskInputs
from axilla.errors import InputError
from axilla.recurrence import RISK_FACTORS, risk_factor_columns, risk_factor_summary

# The factor table of recurrence.md §5, in its order: id, affects, strength.
SPEC_TABLE = [
    ("margin_involved", ("local",), "major"),
    ("margin_close", ("local",), "moderate"),
    ("no_rt_after_bcs", ("local",), "major"),
    ("nodes_1_3", ("regional", "distant"), "major"),
    ("nodes_4_plus", ("regional", "distant"), "major"),
    ("micromets_only", ("distant",), "minor"),
    ("tumour_gt_50mm", ("local_after_mastectomy", "distant"), "major"),
    ("t4_or_skin_chest_wall", ("local", "regional", "distant"), "major"),
    ("inflammatory", ("local", "regional", "distant"), "major"),
    ("age_lt_35", ("local", "any"), "major"),
    ("age_35_39", ("local", "any"), "moderate"),
    ("grade_3", ("local", "distant"), "moderate"),
    ("er_negative", ("early_local", "early_distant"), "moderate"),
    ("her2_positive_no_anti_her2", ("distant",), "major"),
    ("her2_positive", ("distant",), "minor"),
    ("triple_negative", ("early_local", "early_distant"), "moderate"),
    ("lvi", ("local", "regional", "distant"), "moderate"),
    ("multifocal", ("local", "any"), "minor"),
    ("extranodal_extension", ("regional",), "moderate"),
    ("residual_disease_after_nact", ("any",), "major"),
    ("no_indicated_systemic_therapy", ("any",), "moderate"),
    ("germline_brca", ("contralateral",), "major"),
    ("lifestyle", ("any",), "minor"),
]


def factors(**kw):
    return {f.id: f for f in risk_factor_summary(RecurrenceRiskInputs(**kw)).factors}


def present(**kw):
    return {k: f.present for k, f in factors(**kw).items()}


def test_one_entry_per_factor_in_spec_order_with_affects_and_strength():
    summary = risk_factor_summary(RecurrenceRiskInputs())
    assert [(f.id, f.affects, f.strength) for f in summary.factors] == SPEC_TABLE
    for f in summary.factors:
        assert f.evidence  # provenance on every factor
        assert f.direction == "higher risk if present"


def test_no_score_anywhere():
    summary = risk_factor_summary(RecurrenceRiskInputs(age_years=30, grade=3, lvi=True))
    names = {f.name for f in dataclasses.fields(summary)}
    assert not names & {"score", "total", "points", "sum"}
    assert "not added" in summary.statement


def test_all_unknown_when_nothing_is_known_and_missing_data_listed():
    summary = risk_factor_summary(RecurrenceRiskInputs(case_id="c1"))
    assert summary.case_id == "c1"
    assert all(f.present is None for f in summary.factors)
    assert {"radial_margin_min_mm", "age_years", "grade", "lvi", "germline_brca"} <= set(
        summary.missing_data)


@pytest.mark.parametrize(("margin", "dcis_only", "involved", "close"), [
    (0, False, True, False),
    (0.5, False, False, True),
    (0.999, False, False, True),
    (1.0, False, False, False),
    (1.5, True, False, True),    # pure DCIS: close below 2 mm
    (1.999, True, False, True),
    (2.0, True, False, False),
    (1.5, None, False, None),    # between 1 and 2 mm: depends on DCIS-only status
    (0.5, None, False, True),    # below 1 mm: close whatever the tumour type
])
def test_margin_thresholds(margin, dcis_only, involved, close):
    p = present(breast_surgery="bcs", radial_margin_min_mm=margin, dcis_only=dcis_only)
    assert p["margin_involved"] is involved
    assert p["margin_close"] is close


def test_margin_and_rt_factors_need_bcs():
    p = present(breast_surgery="mastectomy", radial_margin_min_mm=0, breast_rt_given=False)
    assert p["margin_involved"] is False
    assert p["margin_close"] is False
    assert p["no_rt_after_bcs"] is False
    assert present(breast_surgery="bcs", breast_rt_given=False)["no_rt_after_bcs"] is True


@pytest.mark.parametrize(("macro", "one_three", "four_plus"), [
    (0, False, False), (1, True, False), (3, True, False), (4, False, True), (12, False, True),
])
def test_node_counts(macro, one_three, four_plus):
    p = present(macromet_nodes_total=macro)
    assert (p["nodes_1_3"], p["nodes_4_plus"]) == (one_three, four_plus)


def test_pn1mi_is_micromets_only_and_implies_no_macrometastasis():
    p = present(pn_category="pN1mi(sn)")
    assert p["micromets_only"] is True
    assert p["nodes_1_3"] is False and p["nodes_4_plus"] is False


@pytest.mark.parametrize(("size", "gt50"), [(50, False), (50.1, True), (80, True)])
def test_tumour_over_50mm(size, gt50):
    assert present(size_mm=size, dcis_only=False)["tumour_gt_50mm"] is gt50


@pytest.mark.parametrize(("t", "t4abc", "t4d"), [
    ("T2", False, False), ("T4a", True, False), ("T4c", True, False), ("T4d", False, True),
    ("T4", None, None), ("TX", None, None),
])
def test_t4_categories(t, t4abc, t4d):
    p = present(t_category=t)
    assert (p["t4_or_skin_chest_wall"], p["inflammatory"]) == (t4abc, t4d)


@pytest.mark.parametrize(("age", "lt35", "a35_39"), [
    (34.9, True, False), (35, False, True), (39.9, False, True), (40, False, False),
])
def test_age_bands(age, lt35, a35_39):
    p = present(age_years=age)
    assert (p["age_lt_35"], p["age_35_39"]) == (lt35, a35_39)


def test_receptor_factors():
    p = present(er_status="negative", pr_status="negative", her2_status="negative")
    assert p["er_negative"] is True and p["triple_negative"] is True
    assert p["her2_positive"] is False and p["her2_positive_no_anti_her2"] is False
    p = present(er_status="positive", her2_status="positive", anti_her2_therapy_given=False)
    assert p["her2_positive_no_anti_her2"] is True and p["her2_positive"] is False
    assert p["triple_negative"] is False
    p = present(her2_status="positive", anti_her2_therapy_given=True)
    assert p["her2_positive"] is True and p["her2_positive_no_anti_her2"] is False
    p = present(er_status="negative", pr_status="negative")  # HER2 unknown
    assert p["triple_negative"] is None


def test_neoadjuvant_residual_disease():
    assert present(neoadjuvant_chemo_given=True, residual_invasive_disease=True)[
        "residual_disease_after_nact"] is True
    assert present(neoadjuvant_chemo_given=True, residual_invasive_disease=False)[
        "residual_disease_after_nact"] is False
    assert present(neoadjuvant_chemo_given=False)["residual_disease_after_nact"] is False


def test_indicated_systemic_therapy_not_taken():
    f = "no_indicated_systemic_therapy"
    assert present(er_status="positive", endocrine_therapy_taken=False)[f] is True
    assert present(chemotherapy_recommended=True, chemotherapy_given=False)[f] is True
    assert present(er_status="negative", chemotherapy_recommended=False)[f] is False
    assert present(er_status="positive", endocrine_therapy_taken=True,
                   chemotherapy_recommended=True, chemotherapy_given=True)[f] is False
    assert present(er_status="positive", endocrine_therapy_taken=True)[f] is None


def test_brca_and_lifestyle():
    assert present(germline_brca="brca2")["germline_brca"] is True
    assert present(germline_brca="negative")["germline_brca"] is False
    assert present(germline_brca="unknown")["germline_brca"] is None
    assert present(bmi=30)["lifestyle"] is True
    assert present(alcohol_units_per_week=5)["lifestyle"] is True
    assert present(bmi=29.9, alcohol_units_per_week=4.9, physically_inactive=False)[
        "lifestyle"] is False
    assert present(bmi=25)["lifestyle"] is None


def test_missing_data_only_for_unknown_factors():
    summary = risk_factor_summary(RecurrenceRiskInputs(breast_surgery="mastectomy"))
    assert "radial_margin_min_mm" not in summary.missing_data  # not needed after mastectomy
    assert "breast_rt_given" not in summary.missing_data


def test_micrometastasis_note_and_mitigation_links():
    f = factors()
    assert "uncertain" in f["micromets_only"].note
    assert "surgery guidance" in f["margin_involved"].mitigation
    # rule ids belong to the guidance engine alone
    assert not any(re.search(r"\b[A-Z]{2}-\d\d\b", x.mitigation or "") for x in f.values())


def test_validated_models_are_passed_through_unchanged():
    models = {"npi": {"score": 4.36, "group6": "MPG1", "version": "Blamey 2007 groups"}}
    summary = risk_factor_summary(RecurrenceRiskInputs(), validated_models=models)
    assert summary.validated_models == models


def test_no_nice_criteria_are_restated_in_the_checklist():
    # NG101 1.13.4 / 1.13.7 are the guidance engine's (RT-04, RT-07), with clear margins
    summary = risk_factor_summary(RecurrenceRiskInputs())
    assert not hasattr(summary, "nice_local_risk_flags")


@pytest.mark.parametrize(("kw", "field"), [
    ({"age_years": 12}, "age_years"),
    ({"radial_margin_min_mm": -0.1}, "radial_margin_min_mm"),
    ({"pn_category": "pN4"}, "pn_category"),
    ({"grade": 4}, "grade"),
    ({"macromet_nodes_total": 2.5}, "macromet_nodes_total"),
    ({"dcis_only": True, "size_mm": 12}, "size_mm"),
])
def test_bad_inputs_are_refused(kw, field):
    with pytest.raises(InputError) as info:
        RecurrenceRiskInputs(**kw)
    assert field in [p.field for p in info.value.problems]


_OPTIONAL_BOOL = st.sampled_from([True, False, None])


@given(
    macro=st.one_of(st.none(), st.integers(0, 30)),
    age=st.one_of(st.none(), st.floats(18, 110)),
    er=st.sampled_from(["positive", "negative", None]),
    pr=st.sampled_from(["positive", "negative", None]),
    her2=st.sampled_from(["positive", "negative", None]),
    anti=_OPTIONAL_BOOL,
)
def test_columns_agree_with_the_single_case_and_exclusive_bands(macro, age, er, pr, her2, anti):
    kw = dict(macromet_nodes_total=macro, age_years=age, er_status=er, pr_status=pr,
              her2_status=her2, anti_her2_therapy_given=anti)
    p = present(**kw)
    cols = risk_factor_columns({k: [v] for k, v in kw.items()})
    for fid, value in p.items():
        x = cols[fid][0]
        assert (value is None and np.isnan(x)) or (value is not None and x == float(value))
    # mutually exclusive bands never both present
    assert not (p["nodes_1_3"] and p["nodes_4_plus"])
    assert not (p["age_lt_35"] and p["age_35_39"])
    assert not (p["her2_positive"] and p["her2_positive_no_anti_her2"])
    assert not (p["triple_negative"] and her2 == "positive")


def test_columns_evaluate_many_cases_at_once():
    cols = risk_factor_columns({"macromet_nodes_total": [0, 2, 5, None],
                                "age_years": [30, 36, 50, None]})
    np.testing.assert_array_equal(cols["nodes_1_3"][:3], [0, 1, 0])
    assert np.isnan(cols["nodes_1_3"][3])
    np.testing.assert_array_equal(cols["age_lt_35"][:3], [1, 0, 0])


def test_definitions_cover_every_column():
    cols = risk_factor_columns({"age_years": [50]})
    assert [d.id for d in RISK_FACTORS] == [k for k in cols if not k.endswith("criteria_met")]
