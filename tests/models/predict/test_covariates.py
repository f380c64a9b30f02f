"""PREDICT covariates against the equations written out by hand, patient by patient.

Oracle: the formulas of the spec (/work/shared/spec/predict.md secs. 2.1-2.2, 3.1-3.2,
4.2-4.4; docs/models/predict.md "Equations") restated below in plain Python floats, one
patient at a time, with each version's coefficients read by name from its data file; the
integer codes (treatment state, HER2 group) as the kernel's tables are laid out. Random inputs
(hypothesis) for every version with a data file, valid codes and (unvalidated) odd codes,
mixed and single ER status; figures within 1e-12 relative (1e-12 absolute near zero), codes
equal. And: a patient's covariates are the same alone or in a batch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import equations as eq
from axilla.models.predict import load_version
from axilla.models.predict.engine import prepare_inputs
from axilla.models.predict.versions import PredictVersion, available_versions

Patient = dict[str, float]

VERSIONS = tuple(available_versions())
KEYS = ((False, False), (True, False), (False, True), (True, True))
VALID = {"grade": [1, 2, 3, 9], "er": [0, 1], "her2": [0, 1, 9], "ki67": [0, 1, 9],
         "pr": [0, 1, 9], "screen": [0, 1, 2], "generation": [0, 1, 2, 3], "horm": [0, 1],
         "traz": [0, 1], "bis": [0, 1], "radio": [0, 1], "smoker": [0, 1]}
#: Codes the checks refuse, for inputs given unvalidated: markers and flags other than 0/1
#: contribute nothing (her2 0.5 is no HER2 code), any smoker code but 0 smokes (Q15).
ODD = {"er": [0.5, 2], "her2": [0.5, 3], "ki67": [2, -1], "pr": [4, 0.5],
       "generation": [5, -2], "horm": [2], "traz": [9], "bis": [0.5], "radio": [3],
       "smoker": [2, 9]}


@st.composite
def patients(draw: st.DrawFn, odd: bool = False, n_max: int = 12) -> dict[str, np.ndarray]:
    n = draw(st.integers(1, n_max))

    def col(strategy: st.SearchStrategy) -> np.ndarray:
        return np.array(draw(st.lists(strategy, min_size=n, max_size=n)), dtype=float)

    x = {name: col(st.sampled_from(codes + (ODD.get(name, []) if odd else [])))
         for name, codes in VALID.items()}
    x.update(age=col(st.floats(25, 85)), size=col(st.floats(1, 500)),
             nodes=col(st.one_of(st.integers(0, 50).map(float), st.just(0.5))),
             heart_gy=col(st.floats(0, 50)))
    return x


def by_hand_index(v: PredictVersion, p: Patient) -> float:
    """Breast-cancer index without HER2: spec 2.1 (2.x), 3.1 (3.0), 4.2 (3.1, 3.2)."""
    c, mk, base = v.coef, "prognostic_index.markers", "prognostic_index"
    er_pos = p["er"] == 1
    age, size, nodes, grade, screen = (p[k] for k in ("age", "size", "nodes", "grade", "screen"))
    if v.logic["prognostic_index"] == "v2":
        nodes_term = math.log((nodes + 1) / 10)
        if er_pos:
            s, a = "prognostic_index.er_positive", age / 10
            pi = (c(s, "age_1_beta") * (a ** -2 + c(s, "age_1_offset"))
                  + c(s, "age_2_beta") * (a ** -2 * math.log(a) + c(s, "age_2_offset"))
                  + c(s, "size_beta") * (math.log(size / 100) + c(s, "size_offset"))
                  + c(s, "nodes_beta") * (nodes_term + c(s, "nodes_offset"))
                  + c(s, "grade_beta") * grade + c(s, "screen_beta") * screen)
        else:
            s = "prognostic_index.er_negative"
            exactly = v.logic["er_negative_grade"] == "exactly_2_or_3"
            high = float(grade in (2, 3)) if exactly else float(grade >= 2)  # Q2
            pi = (c(s, "age_beta") * (age + c(s, "age_offset"))
                  + c(s, "size_beta") * (math.sqrt(size / 100) + c(s, "size_offset"))
                  + c(s, "nodes_beta") * (nodes_term + c(s, "nodes_offset"))
                  + c(s, "grade_beta") * high + c(s, "screen_beta") * screen)
    else:
        A = (age - c(base, "age_origin")) / 100
        s = "prognostic_index.er_positive" if er_pos else "prognostic_index.er_negative"
        if er_pos:
            age_terms = c(s, "ag1") * A ** -0.5 + c(s, "ag2") * A ** 2
            size_term = c(s, "sz1") * (1 - math.exp(-size / 20))
        else:
            age_terms = c(s, "ag1") * A + c(s, "ag2") * A * math.log(A)
            size_term = c(s, "sz1") * math.log(size)
        pi = (age_terms + size_term + c(s, "nd1") * math.log(nodes + 1) + c(s, "gr1") * grade
              + c(s, "sc1") * screen + c(s, "yr1") * c(base, "calendar_year"))
    which = "er_positive" if er_pos else "er_negative"
    if er_pos:
        pi += {1: c(mk, "ki67_positive_er_positive"),
               0: c(mk, "ki67_negative_er_positive")}.get(p["ki67"], 0.0)
    if v.uses_v3_inputs:
        pi += {1: c(mk, f"pr_positive_{which}"), 0: c(mk, f"pr_negative_{which}")}.get(
            p["pr"], 0.0)
        pi += c(base, f"radiotherapy_baseline_{which}")
    return pi


def by_hand_other(v: PredictVersion, p: Patient) -> float:
    """Other-cause index without per-column harms: spec 2.2, 3.2 (first three terms), 4.4."""
    c, s = v.coef, "other_cause_index"
    form = v.logic["other_cause_index"]
    if form == "v3.1":
        A = (p["age"] - c("prognostic_index", "age_origin")) / 100
        mi = (c(s, "ag1") * A ** 3 + c(s, "ag2") * A ** 3 * math.log(A)
              + c(s, "yr") * c("prognostic_index", "calendar_year"))
    else:
        mi = c(s, "age_beta") * ((p["age"] / 10) ** 2 + c(s, "age_offset"))
    if form == "v2":
        return mi
    smoker = c(s, "non_smoker") if p["smoker"] == 0 else c(s, "current_smoker")  # Q15
    return mi + c(s, "radiotherapy_baseline") + smoker


def by_hand_harms(v: PredictVersion, p: Patient) -> tuple[float, float]:
    """Chemotherapy (any generation code but 0) and heart-dose harms (3.0: with radiotherapy
    only; 3.1/3.2: always, Q10); none in 2.x."""
    c, s = v.coef, "other_cause_index"
    if v.logic["treatment_harms"] == "none":
        return 0.0, 0.0
    chemo = c(s, "chemotherapy") if p["generation"] != 0 else 0.0
    with_radio = p["radio"] == 1 or not v.logic["heart_harm_requires_radiotherapy"]
    return chemo, c(s, "heart_dose_per_gy") * p["heart_gy"] if with_radio else 0.0


def by_hand_lp(v: PredictVersion, mi: float, harm: tuple[float, float], key: tuple[bool, bool]
               ) -> float:
    """Other-cause log hazard of a column: mi; + both harms (3.0; twice in 3.0_only, Q8);
    + the column's own (3.1, 3.2: radiotherapy, chemotherapy)."""
    c_oth, r_oth = harm
    mode = v.logic["treatment_harms"]
    if mode == "shared_index":
        return mi + c_oth + r_oth
    if mode == "shared_index_twice":
        return mi + c_oth + r_oth + c_oth + r_oth
    if mode == "by_column":
        return mi + (r_oth if key[0] else 0.0) + (c_oth if key[1] else 0.0)
    return mi


def by_hand_codes(p: Patient) -> tuple[int, int]:
    """(treatment state, HER2 group) in the order of GENERATION_CODES and HER2_CODES."""
    er_pos = p["er"] == 1
    generation = {0: 0, 2: 1}.get(p["generation"], 2)  # code 1 and others: third (Q14)
    state = (16 * generation + 8 * (p["horm"] == 1 and er_pos)
             + 4 * (p["traz"] == 1 and p["her2"] == 1) + 2 * (p["bis"] == 1)
             + (p["radio"] == 1))
    return state, 3 * er_pos + {0: 0, 1: 1}.get(p["her2"], 2)


def close(got: np.ndarray, expected: object) -> None:
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def rows(x: dict[str, np.ndarray]) -> list[Patient]:
    n = x["age"].shape[0]
    return [{k: float(col[i]) for k, col in x.items()} for i in range(n)]


def check_against_hand(version: str, raw: dict[str, np.ndarray]) -> None:
    v = load_version(version)
    x, _, _ = prepare_inputs(v, raw, False)
    people = rows(x)
    close(eq.prognostic_index_fixed(v, x), [by_hand_index(v, p) for p in people])
    mi = eq.other_cause_index(v, x)
    close(mi, [by_hand_other(v, p) for p in people])
    harm = eq.harms(v, x)
    hand_harms = [by_hand_harms(v, p) for p in people]
    close(np.stack(harm), np.array(hand_harms).T.reshape(2, -1))
    lps = eq.other_cause_lps(v, mi, harm, KEYS)
    close(lps, [[by_hand_lp(v, m, h, key) for m, h in zip(mi, hand_harms, strict=True)]
                for key in KEYS])
    for k, key in enumerate(KEYS):
        np.testing.assert_array_equal(eq.other_cause_lp(v, mi, harm, key), lps[k])
    codes = np.array([by_hand_codes(p) for p in people]).T
    np.testing.assert_array_equal(eq.treatment_state(x), codes[0])
    np.testing.assert_array_equal(eq.group_index(x), codes[1])
    np.testing.assert_array_equal(eq.state_group_index(x), codes[0] * eq.N_GROUPS + codes[1])


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=60)
@given(raw=patients())
def test_covariates_equal_the_equations_by_hand(version: str, raw: dict[str, np.ndarray]) -> None:
    check_against_hand(version, raw)


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=30)
@given(raw=patients(odd=True))
def test_odd_codes_given_unvalidated_contribute_as_the_source_reads_them(
        version: str, raw: dict[str, np.ndarray]) -> None:
    check_against_hand(version, raw)


def test_every_version_with_a_data_file_is_checked() -> None:
    assert {"2.1", "2.2", "3.0", "3.1", "3.2"} <= set(VERSIONS)


def test_spec_worked_example_index_and_other_cause() -> None:
    """Spec sec. 7: v3.2 PI(1) = 4.0824824417760217 and mi = 0.59401782059365538 (benefits32
    defaults; mi with the chemotherapy harm of the r-and-c columns' index, HER2- at year 1:
    PI(1) = fixed part + (-0.053)); v3.1 PI(1) = 3.5150999663908613."""
    raw = dict(age=50.0, screen=0.0, size=20.0, grade=2.0, nodes=2.0, er=1.0, her2=0.0,
               ki67=1.0, pr=1.0, generation=3.0, horm=1.0, traz=1.0, bis=1.0, radio=1.0,
               heart_gy=4.0, smoker=1.0)
    for version, pi_1 in (("3.2", 4.0824824417760217), ("3.1", 3.5150999663908613)):
        v = load_version(version)
        x, _, _ = prepare_inputs(v, raw, False)
        close(eq.prognostic_index_fixed(v, x) + eq.her2_table(v)[eq.group_index(x), 0], [pi_1])
    v = load_version("3.2")
    x, _, _ = prepare_inputs(v, raw, False)
    close(eq.other_cause_index(v, x), [0.59401782059365538])


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=25)
@given(raw=patients(odd=True), data=st.data())
def test_a_patient_alone_equals_the_same_patient_in_a_batch(
        version: str, raw: dict[str, np.ndarray], data: st.DataObject) -> None:
    """Exactly: the ER groups of a mixed batch take their own formula, as one patient does."""
    v = load_version(version)
    x, _, _ = prepare_inputs(v, raw, False)
    i = data.draw(st.integers(0, x["age"].shape[0] - 1))
    one = {k: col[i:i + 1].copy() for k, col in x.items()}
    for fn in (eq.prognostic_index_fixed, eq.other_cause_index):
        assert fn(v, one)[0] == fn(v, x)[i]
    assert eq.state_group_index(one)[0] == eq.state_group_index(x)[i]
