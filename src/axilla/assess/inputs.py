"""Each engine's inputs read from the case table, the node counts and earlier results.

Source: the inputs as each model defines them: PREDICT Breast (docs/predict.md; Wishart 2014
for Ki-67 > 10 %), the indices spec (shared input conventions), recurrence.md section 5 (risk
factors) and the guidance field list (docs/guidance.md section 0.2). Which nodes each model
counts is defined once in ``axilla.staging.counts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from axilla.case.assessment import PREDICT_KI67_POSITIVE_ABOVE_PCT
from axilla.case.predict import PREDICT_INPUT_RULES, NumericRule
from axilla.case.recurrence import RecurrenceRiskInputs
from axilla.columns import CaseTable
from axilla.guidance import FIELDS
from axilla.staging import (
    CountColumns,
    StagingResult,
    guidance_node_facts,
    macromet_nodes_total,
    predict_node_input,
)
from axilla.typed import built, field_defaults

_STATUS = {"positive": 1.0, "negative": 0.0}
_CHEMO_GENERATION = {"none": 0.0, "second_generation": 2.0, "third_generation": 3.0}


def _status_values(values: Iterable[str | None], missing: float) -> list[float]:
    """Receptor statuses as 1.0 (positive) / 0.0 (negative), ``missing`` where not recorded."""
    return [_STATUS.get(v, missing) if v is not None else missing for v in values]


def _or(values: list[float], missing: float) -> list[float]:
    """Plain values of a numeric column with not recorded (NaN) as ``missing``."""
    return [missing if x != x else x for x in values]


#: PREDICT's 0/1 (or dose) inputs and the case column each is read from, not recorded as 0.
_FLAG_INPUTS = {
    "horm": "treatment.endocrine_therapy", "traz": "treatment.trastuzumab",
    "bis": "treatment.bisphosphonates", "radio": "treatment.radiotherapy",
    "heart_gy": "treatment.mean_heart_dose_gy", "smoker": "patient.current_smoker",
}
#: PREDICT's input columns, in the order ``_columns`` gives them.
_PREDICT_NAMES = ("age", "size", "nodes", "grade", "er", "her2", "ki67", "pr", "screen",
                  "generation", *_FLAG_INPUTS)


#: PREDICT's validated ranges that a valid case can fall outside, in words for people; the
#: bounds are the ones ``axilla.case.predict`` checks. Every other check of
#: ``validate_predict_columns`` holds for any parsed case (codes come from the case's own
#: vocabularies, the heart dose's case range is PREDICT's, node counts are whole or 0.5):
#: tests/assess/test_predict_inputs.py runs those checks over random cases.
_PREDICT_RANGES = tuple(
    (name, rule.lo, rule.hi, text) for name, text in (
        ("age", "PREDICT was validated for ages {lo:g} to {hi:g} years; the age given is {x:g}"),
        ("size", "PREDICT was validated for invasive sizes of {lo:g} to {hi:g} mm; the size "
                 "given is {x:g} mm"),
        ("nodes", "PREDICT takes {lo:g} to {hi:g} positive nodes; {x:g} are counted"),
    ) if isinstance(rule := PREDICT_INPUT_RULES[name], NumericRule))


def _columns(t: CaseTable, nodes: list[float]) -> dict[str, list[float]]:
    """PREDICT's inputs as plain values by column: missing markers as the source codes them,
    0/1 inputs not recorded as 0, Ki-67 positive above PREDICT's cut-off (Wishart 2014)."""
    v = t.values
    above = PREDICT_KI67_POSITIVE_ABOVE_PCT
    return {
        "age": v("patient.age_years"), "size": v("tumour.size_mm"), "nodes": nodes,
        "grade": _or(v("tumour.grade"), 9.0),
        "er": _status_values(v("tumour.er_status"), np.nan),
        "her2": _status_values(v("tumour.her2"), 9.0),
        "ki67": [9.0 if k != k else float(k > above) for k in v("tumour.ki67_percent")],
        "pr": _status_values(v("tumour.pr_status"), 9.0),
        "screen": _or(v("screen_detected"), 2.0),
        "generation": [_CHEMO_GENERATION[c] for c in v("treatment.chemotherapy")],
        **{name: _or(v(column), 0.0) for name, column in _FLAG_INPUTS.items()},
    }


def predict_inputs(t: CaseTable, counts: Mapping[str, np.ndarray]
                   ) -> tuple[dict[str, np.ndarray], list[list[str]], list[list[str]]]:
    """PREDICT's input columns, the reasons it does not apply and notes on defaults, by case
    (``predict_input_values`` without the plain values)."""
    cols, _, reasons, notes = predict_input_values(t, counts)
    return cols, reasons, notes


def predict_input_values(t: CaseTable, counts: Mapping[str, np.ndarray]) -> tuple[
        dict[str, np.ndarray], dict[str, list[float]], list[list[str]], list[list[str]]]:
    """PREDICT's input columns, the same inputs as plain floats by column, the reasons it does
    not apply and notes on defaults, by case.

    PREDICT is for women after primary surgery for early invasive breast cancer (model papers
    and web tool): not for in-situ disease, M1, neoadjuvant treatment, a recurrence or men.
    Missing markers take the source's missing codes; nothing is clamped. A value outside
    PREDICT's validated range makes it not applicable, said in words for people.
    """
    n = len(t)
    if isinstance(counts, CountColumns):  # each case's own whole numbers: no arrays between
        nodes = [predict_node_input(vars(c)) for c in counts.rows]
    else:
        nodes = predict_node_input(counts).astype(float).tolist()
    values = _columns(t, nodes)
    # every column one row of a single float block (a block per column costs NumPy a call each)
    block = np.array([x for name in _PREDICT_NAMES for x in values[name]],
                     dtype=float).reshape(len(_PREDICT_NAMES), n)
    cols = dict(zip(_PREDICT_NAMES, block, strict=True))
    reasons: list[list[str]] = [[] for _ in range(n)]
    notes: list[list[str]] = [[] for _ in range(n)]
    for i, (primary, size, m, neoadjuvant, recurrence, sex, er, heart, radio, smoker) in \
            enumerate(zip(*(t.values(c) for c in (
                "tumour.primary", "tumour.size_mm", "m", "neoadjuvant", "recurrence",
                "patient.sex", "tumour.er_status", "treatment.mean_heart_dose_gy",
                "treatment.radiotherapy", "patient.current_smoker")), strict=True)):
        why = reasons[i]
        if primary != "invasive":
            why.append(f"PREDICT is for invasive cancer; the primary is {primary}")
        elif size != size:
            why.append("PREDICT needs the invasive tumour size in mm")
        if m in ("cM1", "pM1"):
            why.append("PREDICT is for early breast cancer; M1 disease is outside it")
        if neoadjuvant == 1:
            why.append("PREDICT estimates adjuvant benefit after primary surgery; it does not "
                       "apply after neoadjuvant therapy")
        if recurrence is not None:
            why.append("PREDICT estimates outcomes from the diagnosis of a primary cancer; it "
                       "does not apply once a recurrence is recorded")
        if sex != "female":
            why.append("PREDICT was developed and validated in women")
        if er is None:
            why.append("PREDICT needs ER status")
        for name, lo, hi, text in _PREDICT_RANGES:
            x = values[name][i]
            if x == x and not lo <= x <= hi:
                why.append(text.format(lo=lo, hi=hi, x=x))
        if heart != heart and radio == 1:
            notes[i].append("Mean heart dose not given: taken as 0 Gy, so PREDICT's heart-dose "
                            "harm of radiotherapy is not included")
        if smoker != smoker:
            notes[i].append("Smoking status not given: taken as non-smoker for PREDICT's "
                            "other-cause mortality")
    return cols, values, reasons, notes


def index_values(t: CaseTable) -> dict[str, list[Any]]:
    """The case-level inputs NPI and CTS5 share as plain values by case (nodes come from the
    staging counts): ``invasive`` as bool, the others as floats (NaN = not recorded)."""
    v = t.values
    return {
        "invasive": [p == "invasive" for p in v("tumour.primary")],
        "size_mm": v("tumour.size_mm"), "grade": v("tumour.grade"),
        "age_years": v("patient.age_years"),
        "er_positive": _status_values(v("tumour.er_status"), np.nan),
        "neoadjuvant_therapy": _or(v("neoadjuvant"), 0.0),
        "postmenopausal": [np.nan if m is None else float(m == "post")
                           for m in v("patient.menopausal_status")],
    }


def index_inputs(t: CaseTable) -> dict[str, np.ndarray]:
    """``index_values`` as columns: ``invasive`` a bool array, the others float arrays."""
    x = index_values(t)
    numbers = [name for name in x if name != "invasive"]
    # one float block, a row an input (a block per input costs NumPy a call each)
    block = np.array([v for name in numbers for v in x[name]],
                     dtype=float).reshape(len(numbers), len(t))
    return {"invasive": np.array(x["invasive"], dtype=bool),
            **dict(zip(numbers, block, strict=True))}


#: The codes of the guidance fields set from staging, as the fact schema knows them.
_KNOWN_CODES = {name: frozenset(FIELDS[name].values) for name in ("pn_category", "t_category")}


def _put_enum(facts: dict[str, Any], name: str, value: str) -> None:
    """Set a coded fact only when the guidance field schema knows the code (e.g. not TX)."""
    if value in _KNOWN_CODES[name]:
        facts[name] = value


_OPTIONAL_FACTS = {
    "size_mm": "tumour.size_mm", "grade": "tumour.grade", "er_status": "tumour.er_status",
    "pr_status": "tumour.pr_status", "her2_status": "tumour.her2",
    "menopausal_status": "patient.menopausal_status",
    "breast_surgery": "treatment.breast_surgery",
    "radial_margin_min_mm": "treatment.radial_margin_min_mm", "histology": "histology",
    "regional_nodal_rt_planned": "treatment.regional_nodal_radiotherapy",
}
_WHOLE_FACTS = ("grade",)
_FLAG_FACTS = ("regional_nodal_rt_planned",)
#: The type of each fact read from a number column that is not a float (the cells are plain
#: floats or codes already: ``CaseTable.values``).
_FACT_TYPES: dict[str, type] = {**dict.fromkeys(_WHOLE_FACTS, int),
                                **dict.fromkeys(_FLAG_FACTS, bool)}


def _plain(x: Any, name: str) -> Any:
    """One plain cell as the guidance fact type (None when not recorded)."""
    if isinstance(x, str) or x is None:
        return x
    if x != x:  # NaN: not recorded
        return None
    if name in _WHOLE_FACTS:
        return int(x)
    if name in _FLAG_FACTS:
        return bool(x)
    return float(x)


def guidance_facts(t: CaseTable, counts: Mapping[str, np.ndarray],
                   staged: Sequence[StagingResult]) -> list[dict[str, Any]]:
    """The guidance fields (docs/guidance.md) each case determines before the models run."""
    v = t.values
    endocrine, trastuzumab, radiotherapy, bisphosphonates = (v(f"treatment.{name}") for name in (
        "endocrine_therapy", "trastuzumab", "radiotherapy", "bisphosphonates"))
    kind, primary, age, sex, chemotherapy, neoadjuvant, surgery = (v(c) for c in (
        "procedure.kind", "tumour.primary", "patient.age_years", "patient.sex",
        "treatment.chemotherapy", "neoadjuvant", "treatment.breast_surgery"))
    optional = [(name, v(column), _FACT_TYPES.get(name)) for name, column in
                _OPTIONAL_FACTS.items()]
    out = []
    for i, staging in enumerate(staged):
        node_counts = vars(staging.counts)  # this case's counts, whole numbers
        endocrine_i, trastuzumab_i = endocrine[i] == 1, trastuzumab[i] == 1
        facts: dict[str, Any] = {
            "invasive": primary[i] == "invasive",
            "dcis_only": primary[i] == "dcis",
            "age_years": int(age[i]),
            "sex": sex[i],
            "slnb_done": kind[i] == "sentinel" or bool(node_counts["sentinel_removed"]),
            "anc_done": kind[i] == "dissection",
            **guidance_node_facts(node_counts),
            "systemic_therapy_advised": (endocrine_i or trastuzumab_i
                                         or chemotherapy[i] != "none"),
            "trastuzumab_planned": trastuzumab_i,
            "breast_rt_planned": radiotherapy[i] == 1,
            "adjuvant_bisphosphonate_planned": bisphosphonates[i] == 1,
        }
        for name, column, as_type in optional:  # ``_plain`` of each cell, inline
            x = column[i]
            if x is not None and x == x:  # recorded: a code, or a float not NaN
                facts[name] = x if as_type is None else as_type(x)
        if neoadjuvant[i] != 1:  # after neoadjuvant therapy, which kind must be a fact
            facts.update(neoadjuvant_chemo_given=False, neoadjuvant_et_given=False)
        if surgery[i] == "bcs":
            facts["whole_breast_rt_advised"] = radiotherapy[i] == 1
        _put_enum(facts, "pn_category", f"p{staging.pN.category}{staging.pN.modifier}")
        _put_enum(facts, "t_category", staging.pT.category)
        out.append(facts)
    return out


def risk_inputs(t: CaseTable, counts: Mapping[str, np.ndarray],
                staged: Sequence[StagingResult]) -> list[RecurrenceRiskInputs]:
    """The recurrence risk-factor checklist's inputs of each case (recurrence.md section 5).

    Built without validating again: every value is read from a parsed case, whose ranges
    (``axilla.case.ranges``) lie within the checklist's, as the plain type of its field
    (tests/assess/test_risk_inputs.py checks each record equals the validated one).
    """
    columns = zip(*(t.values(c) for c in (
        "case_id", "treatment.breast_surgery", "treatment.radial_margin_min_mm",
        "tumour.primary", "histology", "treatment.radiotherapy", "tumour.size_mm",
        "patient.age_years", "tumour.grade", "tumour.er_status", "tumour.pr_status",
        "tumour.her2", "lymphovascular_invasion", "tumour.invasive_foci", "neoadjuvant",
        "treatment.endocrine_therapy", "treatment.chemotherapy")), strict=True)
    out = []
    for staging, (case_id, surgery, margin, primary, histology, radio, size, age, grade, er, pr,
                  her2, lvi, foci, neoadjuvant, endocrine, chemotherapy) in zip(
            staged, columns, strict=True):
        pt = staging.pT.category
        out.append(_risk_record(dict(
            case_id=case_id, breast_surgery=surgery,
            radial_margin_min_mm=_plain(margin, ""),
            dcis_only=primary == "dcis", histology=histology,
            breast_rt_given=radio == 1,
            macromet_nodes_total=macromet_nodes_total(vars(staging.counts)),
            size_mm=_plain(size, ""),
            t_category=pt if pt in _KNOWN_CODES["t_category"] else None,
            age_years=float(age),
            grade=None if grade != grade else int(grade),
            er_status=er, pr_status=pr, her2_status=her2,
            lvi=None if lvi != lvi else bool(lvi),
            multifocal=foci > 1,
            extranodal_extension=staging.counts.extranodal_extension > 0,
            neoadjuvant_chemo_given=neoadjuvant == 1,
            endocrine_therapy_taken=endocrine == 1,
            chemotherapy_given=chemotherapy != "none",
        )))
    return out


_RISK_DEFAULTS = field_defaults(RecurrenceRiskInputs)


def _risk_record(values: dict[str, Any]) -> RecurrenceRiskInputs:
    """The checklist record of these values, the other fields at their defaults (None)."""
    return built(RecurrenceRiskInputs, {**_RISK_DEFAULTS, **values}, values)
