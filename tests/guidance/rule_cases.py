"""Per-rule cases: facts built from the guidance specification to make each rule fire, and the
nearest facts (one change) that must not make it fire.

Each entry: (rule id, firing facts, change giving the non-firing facts). Conditions, thresholds
and boundaries are those of the axilla guidance specification (guidance.md), sections A-Q.
"""

from __future__ import annotations

from typing import Any

INV = {"invasive": True}
NOT_DCIS = {"invasive": True, "dcis_only": False}
PURE_DCIS = {"invasive": False, "dcis_only": True}
PRIMARY = {"neoadjuvant_chemo_given": False, "neoadjuvant_et_given": False}
TNBC = {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"}
LUMINAL = {"er_status": "positive", "her2_status": "negative"}
SLN_MACRO_BCS = {
    **INV, **PRIMARY, "breast_surgery": "bcs", "slnb_done": True, "anc_done": False,
    "sln_macromet_count": 2, "whole_breast_rt_advised": True, "systemic_therapy_advised": True,
}
SLN_POS_US = {**INV, "axillary_us": "normal", "axillary_needle_biopsy": "not_done"}
SX_CLOSE = {**NOT_DCIS, "breast_surgery": "bcs", "radial_margin_min_mm": 0}
RT_PARTIAL = {
    **INV, "histology": "nst", "breast_surgery": "bcs", "radial_margin_min_mm": 2.0,
    "age_years": 55, "size_mm": 25, "pn_category": "pN0", **LUMINAL, "grade": 2,
    "endocrine_therapy_5y_planned": True,
}
RT_OMIT = {
    **INV, "breast_surgery": "bcs", "radial_margin_min_mm": 2.0, "age_years": 70,
    "t_category": "T1c", "pn_category": "pN0", **LUMINAL, "grade": 1,
    "endocrine_therapy_5y_planned": True,
}
RT_WBRT = {**INV, "breast_surgery": "bcs", "radial_margin_min_mm": 2.0}
RT_HYPO = {**INV, "breast_rt_planned": True, "regional_nodal_rt_planned": False}
GP_NODE_NEG = {**INV, **LUMINAL, "pn_category": "pN0", "npi": 4.0, "chemo_decision_uncertain": True}
DCIS_ER = {**PURE_DCIS, "er_status": "positive", "breast_surgery": "bcs"}
ET_POST = {**INV, "menopausal_status": "post", "er_status": "positive"}
ET_TESTES = {**INV, "testes_present": True, "er_status": "positive"}
BH = {**INV, "sex": "female", "adjuvant_bisphosphonate_planned": False, "endocrine_plan": "ai",
      "treatment_induced_menopause": False}
BP_NEG_HIGH = {**INV, "menopausal_status": "post", "pn_category": "pN0",
               "macromet_nodes_total": 0, "recurrence_risk": "high"}
PMRT = {**INV, "breast_surgery": "mastectomy", "neoadjuvant_chemo_given": False,
        "im_macromet_nodes": 0}
PMRT_NACT = {**INV, "breast_surgery": "mastectomy", "neoadjuvant_chemo_given": True}
DISTANT = {"recurrence_event": "distant", "distant_disease_suspected": False}

Case = tuple[str, dict[str, Any], dict[str, Any]]

RULE_CASES: list[Case] = [
    # A. pre-treatment assessment
    ("PA-01", INV, {"invasive": False}),
    ("PA-02", PURE_DCIS, {"dcis_only": False}),
    ("PA-03", {**INV, "histology": "lobular", "breast_surgery": "bcs",
               "imaging_extent_discrepancy": False, "breast_density_limits_mammography": False},
     {"breast_surgery": "mastectomy"}),
    # B. tumour profile
    ("TP-01", INV, {"invasive": False}),
    ("TP-02", INV, {"invasive": False}),
    ("TP-03", INV, {"invasive": False}),
    ("TP-04", {**TNBC, "sex": "female", "age_years": 49}, {"age_years": 50}),
    # C. surgery and margins
    ("SX-01", {**INV, "er_status": "positive", "comorbidity_precludes_surgery": False},
     {"comorbidity_precludes_surgery": True}),
    ("SX-02", {"paget_localised": True}, {"paget_localised": False}),
    ("SX-03", {"breast_surgery": "bcs", "radial_margin_min_mm": 0}, {"radial_margin_min_mm": 0.5}),
    ("SX-04", {**PURE_DCIS, "breast_surgery": "bcs", "radial_margin_min_mm": 1.9},
     {"radial_margin_min_mm": 2.0}),
    ("SX-05", {**NOT_DCIS, "breast_surgery": "bcs", "radial_margin_min_mm": 0.9},
     {"radial_margin_min_mm": 1.0}),
    ("SX-06", SX_CLOSE, {"radial_margin_min_mm": 1.5}),
    ("SX-07", {**NOT_DCIS, "breast_surgery": "bcs", "radial_margin_min_mm": 1.0},
     {"radial_margin_min_mm": 0.5}),
    # E. reconstruction
    ("RC-01", {"breast_surgery": "mastectomy"}, {"breast_surgery": "bcs"}),
    ("RC-02", {"breast_surgery": "mastectomy"}, {"breast_surgery": "bcs"}),
    ("RC-03", {"breast_surgery": "mastectomy", "sex": "female"}, {"sex": "male"}),
    ("RC-04", {"breast_surgery": "mastectomy", "sex": "female",
               "comorbidity_precludes_surgery": False}, {"comorbidity_precludes_surgery": True}),
    ("RC-05", {"breast_surgery": "mastectomy"}, {"breast_surgery": "none"}),
    # D. axilla
    ("AX-01", {"preop_diagnosis": "dcis", "breast_surgery": "bcs",
               "dcis_high_risk_invasion": False}, {"dcis_high_risk_invasion": True}),
    ("AX-02", {"preop_diagnosis": "dcis", "breast_surgery": "mastectomy"},
     {"preop_diagnosis": "invasive"}),
    ("AX-03", SLN_POS_US, {"axillary_needle_biopsy": "positive"}),
    ("AX-04", {**SLN_POS_US, "pregnant": False}, {"pregnant": True}),
    ("AX-05", {**INV, "axillary_needle_biopsy": "positive"},
     {"axillary_needle_biopsy": "negative"}),
    ("AX-06", {**INV, "slnb_done": True, "anc_done": False, "sln_macromet_count": 3},
     {"sln_macromet_count": 0}),
    ("AX-07", SLN_MACRO_BCS, {"sln_macromet_count": 3}),
    ("AX-08", {**INV, **PRIMARY, "slnb_done": True, "sln_macromet_count": 0,
               "sln_micromet_count": 2}, {"sln_micromet_count": 0}),
    ("AX-09", {**INV, **PRIMARY, "slnb_done": True, "sln_macromet_count": 0,
               "sln_micromet_count": 0, "sln_itc_count": 1}, {"sln_itc_count": 0}),
    ("AX-10", {"anc_done": True}, {"anc_done": False}),
    ("AX-11", {**INV, "slnb_done": True, "sln_macromet_count": 0, "sln_micromet_count": 0,
               "sln_itc_count": 0}, {"sln_itc_count": 1}),
    # F. systemic therapy planning, PREDICT, profiling
    ("ST-01", INV, {"invasive": False}),
    ("ST-02", INV, {"invasive": False}),
    ("ST-03", INV, {"invasive": False}),
    ("ST-04", {**INV, "sex": "female"}, {"sex": "male"}),
    ("ST-05", {**INV, "age_years": 70, "size_mm": 20, "sex": "female", "er_status": "negative",
               "ethnicity_underrepresented": False}, {"age_years": 69}),
    ("ST-P1", {**INV, "predict_chemo_os_benefit_10y_pct": 4.0}, {"invasive": False}),
    ("GP-01", GP_NODE_NEG, {"npi": 3.4}),
    ("GP-02", {**INV, **LUMINAL, "pn_category": "pN1mi", "chemo_decision_uncertain": True},
     {"pn_category": "pN1a"}),
    ("GP-03", {**INV, **LUMINAL, "macromet_nodes_total": 2, "positive_nodes_total": 3,
               "menopausal_status": "post", "chemo_decision_uncertain": True},
     {"positive_nodes_total": 4}),
    ("GP-04", {**INV, **LUMINAL, "pn_category": "pN0(i+)", "npi": 3.5}, {"npi": 3.4}),
    # G-J. chemotherapy, triple-negative, HER2, HR-positive
    ("CH-01", {**INV, "chemotherapy_indicated": True}, {"chemotherapy_indicated": False}),
    ("CH-02", {**INV, "chemotherapy_indicated": True}, {"chemotherapy_indicated": False}),
    ("CH-03", {**INV, "chemotherapy_indicated": True}, {"chemotherapy_indicated": False}),
    ("TN-01", {**TNBC, "neoadjuvant_chemo_planned": True}, {"her2_status": "positive"}),
    ("TN-02", {**TNBC, "locally_advanced": False, "inflammatory": False,
               "recurrence_risk": "high"}, {"recurrence_risk": "medium"}),
    ("TN-03", {"her2_status": "negative", "germline_brca": "brca1", "recurrence_risk": "high",
               "neoadjuvant_chemo_given": True}, {"germline_brca": "negative"}),
    ("HE-01", {**INV, "her2_status": "positive", "chemotherapy_indicated": True},
     {"chemotherapy_indicated": False}),
    ("HE-02", {"her2_status": "positive", "locally_advanced": True}, {"her2_status": "negative"}),
    ("HE-03", {"her2_status": "positive", "neoadjuvant_chemo_given": True,
               "residual_invasive_disease": True}, {"residual_invasive_disease": False}),
    ("HE-04", {**INV, "her2_status": "positive", "pn_category": "pN1a"},
     {"pn_category": "pN0(i+)"}),
    ("HE-05", {**INV, "her2_status": "positive", "t_category": "T1c"}, {"t_category": "T1b"}),
    ("HE-06", {**INV, "her2_status": "positive", "t_category": "T1b"}, {"t_category": "T1c"}),
    ("HE-07", {**INV, "her2_status": "positive", "t_category": "T2", "lvef_pct": 55,
               "cardiac_flags": []}, {"lvef_pct": 56}),
    ("HE-08", {"er_status": "positive", "her2_status": "positive",
               "months_since_trastuzumab_completed": 11.9},
     {"months_since_trastuzumab_completed": 12}),
    ("HR-01", {**INV, **LUMINAL, "chemotherapy_indicated": True}, {"her2_status": "positive"}),
    ("HR-02", {**INV, "er_status": "negative", "pr_status": "positive", "her2_status": "negative",
               "chemotherapy_indicated": True}, {"pr_status": "negative"}),
    ("HR-03", {**INV, **LUMINAL, "recurrence_risk": "high"}, {"recurrence_risk": "medium"}),
    ("HR-04", {**INV, **LUMINAL, "macromet_nodes_total": 4, "recurrence_risk": "high"},
     {"macromet_nodes_total": 0}),
    # K. endocrine therapy
    ("ET-01", {**ET_POST, "chemotherapy_indicated": False}, {"chemotherapy_indicated": True}),
    ("ET-02", {**INV, "menopausal_status": "pre", "er_status": "positive",
               "neoadjuvant_chemo_planned": True}, {"menopausal_status": "peri"}),
    ("ET-03", {**ET_POST, "chemotherapy_indicated": False}, {"chemotherapy_indicated": True}),
    ("ET-04", {**INV, "er_status": "positive"}, {"er_status": "negative"}),
    ("ET-05", {**INV, "ovaries_present": True, "menopausal_status": "pre",
               "er_status": "positive"}, {"ovaries_present": False}),
    ("ET-06", {**ET_POST, "recurrence_risk": "medium"}, {"er_status": "negative"}),
    ("ET-07", ET_TESTES, {"testes_present": False}),
    ("ET-08", {**ET_TESTES, "tamoxifen_unsuitable": True}, {"tamoxifen_unsuitable": False}),
    ("ET-09", ET_TESTES, {"testes_present": False}),
    ("ET-10", ET_TESTES, {"er_status": "negative"}),
    ("ET-11", {"testes_present": True, "endocrine_plan": "tfs_ai"},
     {"endocrine_plan": "tamoxifen"}),
    ("ET-12", {**INV, "er_status": "positive", "tamoxifen_years_completed": 2.0,
               "ai_years_completed": 2.0}, {"ai_years_completed": 1.5}),
    ("ET-13", {"menopausal_status": "post", "er_status": "positive", "recurrence_risk": "medium",
               "tamoxifen_years_completed": 2}, {"tamoxifen_years_completed": 1.5}),
    ("ET-14", {"menopausal_status": "post", "er_status": "positive", "recurrence_risk": "low",
               "tamoxifen_years_completed": 5}, {"recurrence_risk": "medium"}),
    ("ET-15", {**INV, "er_status": "positive", "tamoxifen_years_completed": 4},
     {"tamoxifen_years_completed": 3.5}),
    ("ET-16", {"ai_years_completed": 4}, {"ai_years_completed": 3}),
    ("ET-17", DCIS_ER, {"breast_surgery": "mastectomy"}),
    ("ET-18", {**DCIS_ER, "whole_breast_rt_advised": True, "rt_received": False},
     {"rt_received": True}),
    ("ET-19", {**DCIS_ER, "whole_breast_rt_advised": False}, {"whole_breast_rt_advised": True}),
    # L. bisphosphonates and bone health
    ("BP-01", {**INV, "menopausal_status": "post", "pn_category": "pN1mi",
               "macromet_nodes_total": 0}, {"pn_category": "pN0"}),
    ("BP-02", BP_NEG_HIGH, {"recurrence_risk": "medium"}),
    ("BP-03", BP_NEG_HIGH, {"recurrence_risk": "medium"}),
    ("BH-01", BH, {"endocrine_plan": "tamoxifen"}),
    ("BH-02", {"endocrine_plan": "tamoxifen"}, {"endocrine_plan": "ai"}),
    ("BH-03", BH, {"adjuvant_bisphosphonate_planned": True}),
    # M. radiotherapy
    ("RT-01", {"breast_rt_planned": True, "regional_nodal_rt_planned": False},
     {"breast_rt_planned": False}),
    ("RT-02", {"left_sided": True, "breast_rt_planned": True, "regional_nodal_rt_planned": False},
     {"left_sided": False}),
    ("RT-03", RT_WBRT, {"radial_margin_min_mm": 0}),
    ("RT-04", RT_PARTIAL, {"histology": "lobular"}),
    ("RT-05", RT_PARTIAL, {"size_mm": 31}),
    ("RT-06", RT_PARTIAL, {"age_years": 49}),
    ("RT-07", RT_OMIT, {"age_years": 64}),
    ("RT-08", RT_OMIT, {"t_category": "T2"}),
    ("RT-09", {**PURE_DCIS, "breast_surgery": "bcs", "radial_margin_min_mm": 3},
     {"radial_margin_min_mm": 0}),
    ("RT-10", {**RT_WBRT, "local_recurrence_risk_high": True},
     {"local_recurrence_risk_high": False}),
    ("RT-11", {**RT_WBRT, "local_recurrence_risk_high": True}, {"radial_margin_min_mm": 0}),
    ("RT-12", {**PMRT, "macromet_nodes_total": 1, "resection_margin_involved": False},
     {"macromet_nodes_total": 0}),
    ("RT-13", {**PMRT, "pn_category": "pN0", "t_category": "T3"}, {"t_category": "T2"}),
    ("RT-13b", {**PMRT, "pn_category": "pN0", "t_category": "T2",
                "resection_margin_involved": False}, {"t_category": "T3"}),
    ("RT-14", {**INV, "pn_category": "pN0(i+)"}, {"pn_category": "pN1mi"}),
    ("RT-15", RT_HYPO, {"regional_nodal_rt_planned": True}),
    ("RT-16", {**RT_HYPO, "radiosensitivity_condition": False, "implant_reconstruction": True,
               "three_week_rt_preferred": False}, {"implant_reconstruction": False}),
    ("RT-17", RT_HYPO, {"breast_rt_planned": False}),
    ("RT-18", {**INV, "regional_nodal_rt_planned": True}, {"regional_nodal_rt_planned": False}),
    ("RT-19", {**INV, "positive_nodes_total": 4}, {"positive_nodes_total": 3}),
    ("RT-20", {**INV, "positive_nodes_total": 2, "t_category": "T3", "grade": 2,
               "performance_status_good": True}, {"performance_status_good": False}),
    ("RT-21", {**INV, "macromet_nodes_total": 1, "im_macromet_nodes": 0},
     {"macromet_nodes_total": 0}),
    ("RT-22", RT_PARTIAL, {"endocrine_therapy_5y_planned": False}),
    ("RT-23", {"locally_advanced": True, "inflammatory": False, "neoadjuvant_chemo_given": True},
     {"neoadjuvant_chemo_given": False}),
    ("RT-24", {**PMRT_NACT, "post_treatment_node_positive_macro": True,
               "resection_margin_involved": False}, {"post_treatment_node_positive_macro": False}),
    ("RT-25", {**PMRT_NACT, "pretreatment_node_positive_macro": True},
     {"pretreatment_node_positive_macro": False}),
    ("RT-26", {**PMRT_NACT, "pretreatment_node_positive_macro": False,
               "post_treatment_node_positive_macro": False, "t_category": "T2",
               "ct_category": "T3"}, {"ct_category": "T2"}),
    # N. side effects
    ("SE-01", NOT_DCIS, {"invasive": False}),
    ("SE-02", {**NOT_DCIS, "lymphoedema_present": False}, {"lymphoedema_present": True}),
    ("SE-03", {"lymphoedema_present": True}, {"lymphoedema_present": False}),
    ("SE-04", {"shoulder_condition_preexisting": False, "bmi": 30.5, "anc_done": False,
               "regional_nodal_rt_planned": False}, {"bmi": 30}),
    ("SE-05", {"systemic_hrt_current": True}, {"systemic_hrt_current": False}),
    ("SE-06", {"hot_flushes": True}, {"hot_flushes": False}),
    # O. follow-up and lifestyle
    ("FU-01", PURE_DCIS, {"dcis_only": False}),
    ("FU-02", {"breast_surgery": "mastectomy"}, {"breast_surgery": "bcs"}),
    ("FU-03", NOT_DCIS, {"invasive": False}),
    ("FU-04", NOT_DCIS, {"invasive": False}),
    ("LS-01", NOT_DCIS, {"invasive": False}),
    # P. pregnancy (practice)
    ("PG-01", {"pregnant": True}, {"pregnant": False}),
    ("PG-02", {**SLN_POS_US, "pregnant": True}, {"pregnant": False}),
    ("PG-03", {"pregnant": True}, {"pregnant": False}),
    # Q.1 CG81 (distant recurrence)
    ("RC81-14", {"recurrence_event": "local"}, {"recurrence_event": "contralateral_new_primary"}),
    ("RC81-01", DISTANT, {"recurrence_event": "contralateral_new_primary"}),
    ("RC81-02", {"recurrence_event": "local"}, {"recurrence_event": "contralateral_new_primary"}),
    ("RC81-03", {"recurrence_event": "contralateral_new_primary",
                 "distant_disease_suspected": True}, {"distant_disease_suspected": False}),
    ("RC81-04", {**DISTANT, "distant_sites": ["brain"]}, {"distant_sites": ["bone"]}),
    ("RC81-05", {"recurrence_event": "local"}, {"recurrence_event": "contralateral_new_primary"}),
    ("RC81-06", {"recurrence_event": "distant"}, {"recurrence_event": "local"}),
    ("RC81-11", {"recurrence_event": "distant"}, {"recurrence_event": "local"}),
    ("RC81-12", {"recurrence_event": "distant", "distant_sites": ["bone"]},
     {"distant_sites": ["liver"]}),
    ("RC81-07", {"recurrence_event": "distant"}, {"recurrence_event": "locoregional"}),
    ("RC81-08", {"recurrence_event": "local", "uncontrolled_local_disease": True},
     {"uncontrolled_local_disease": False}),
    ("RC81-09", {"recurrence_event": "distant", "distant_sites": ["bone", "liver"]},
     {"distant_sites": ["liver"]}),
    ("RC81-13", {"recurrence_event": "distant", "distant_sites": ["bone", "lung"]},
     {"distant_sites": ["lung"]}),
    ("RC81-10", {"recurrence_event": "distant", "distant_sites": ["lung", "brain"]},
     {"distant_sites": ["lung"]}),
    # Q.2 isolated locoregional recurrence (practice)
    ("LR-01", {"recurrence_event": "local"}, {"recurrence_event": "distant"}),
    ("LR-02", {"recurrence_event": "locoregional"}, {"recurrence_event": "distant"}),
    ("LR-03", {"recurrence_event": "local", "breast_surgery": "bcs"},
     {"breast_surgery": "mastectomy"}),
    ("LR-04", {"recurrence_event": "local", "breast_surgery": "mastectomy"},
     {"breast_surgery": "bcs"}),
    ("LR-05", {"recurrence_event": "regional"}, {"recurrence_event": "local"}),
    ("LR-06", {"recurrence_event": "locoregional", "recurrence_isolated": True},
     {"recurrence_isolated": False}),
    ("LR-07", {"recurrence_event": "distant", "on_adjuvant_chemotherapy": True},
     {"on_adjuvant_chemotherapy": False}),
]
