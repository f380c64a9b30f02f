"""The leaner paths of one patient's PREDICT give what the general constructions give.

Oracles: the source's substitution of missing codes by hand (screen 2 -> 0.204, grade 9 ->
2.13; docs/models/predict.md, spec sec. 1.1) for a few patients, where a code is now looked
for before any array is made, and for a batch large enough to take the array path; the
general sort of the columns of every plan (the columns of one plan, now resolved once a plan);
the reference vectors of tests/data/predict through the one-run ladder and typed results.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import equations as eq
from axilla.models.predict import load_version
from axilla.models.predict.engine import _FEW, prepare_inputs
from axilla.models.predict.results import (
    _FEW_SWITCHED,
    _PLAN_INPUTS,
    _added_columns,
    _plan_columns,
    _switch_on,
    ladder_and_added,
    results,
)
from support.predict_patients import valid_patients
from support.predict_reference import load_reference

VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
#: docs/models/predict.md: the values every version's data file gives the missing codes.
SCREEN_UNKNOWN, GRADE_UNKNOWN = 0.204, 2.13


def by_hand(code: float, missing_code: float, value: float) -> float:
    return value if code == missing_code else code


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=40)
@given(raw=valid_patients(n_max=_FEW + 4))
def test_missing_codes_are_replaced_as_by_hand_alone_and_in_a_large_batch(
        version: str, raw: dict[str, np.ndarray]) -> None:
    v = load_version(version)
    assert dict(v.tables["missing"]) == {"screen_unknown": SCREEN_UNKNOWN,
                                         "grade_unknown": GRADE_UNKNOWN}
    x, coded, _ = prepare_inputs(v, raw, False)
    screen = [by_hand(c, 2.0, SCREEN_UNKNOWN) for c in raw["screen"].tolist()]
    grade = [by_hand(c, 9.0, GRADE_UNKNOWN) for c in raw["grade"].tolist()]
    assert x["screen"].tolist() == screen and x["grade"].tolist() == grade
    assert x["screen"].dtype == np.float64 and x["grade"].dtype == np.float64
    np.testing.assert_array_equal(coded["screen"], raw["screen"])  # as coded, untouched
    np.testing.assert_array_equal(coded["grade"], raw["grade"])
    # the same patients within a batch larger than _FEW (the array path) give the same rows
    n = raw["age"].shape[0]
    big = {k: np.resize(c, n * (_FEW // n + 2)) for k, c in raw.items()}
    xb, _, _ = prepare_inputs(v, big, False)
    for name in ("screen", "grade"):
        assert xb[name][:n].tolist() == x[name].tolist()


def test_a_patient_with_no_missing_code_keeps_the_given_values() -> None:
    v = load_version("3.2")
    raw = {k: np.asarray(c[:1], dtype=float) for k, c in load_reference("3.2").inputs.items()}
    raw["screen"], raw["grade"] = np.array([1.0]), np.array([3.0])
    x, _, _ = prepare_inputs(v, raw, False)
    assert x["screen"].tolist() == [1.0] and x["grade"].tolist() == [3.0]


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=40)
@given(raw=valid_patients(n_max=3), data=st.data())
def test_the_columns_of_one_plan_are_those_of_the_general_sort(
        version: str, raw: dict[str, np.ndarray], data: st.DataObject) -> None:
    v = load_version(version)
    x = {k: np.asarray(c, dtype=float) for k, c in raw.items()}
    rows = set(zip(*(x[k].tolist() for k in _PLAN_INPUTS), strict=True))
    general = sorted({c for row in rows for c in _plan_columns(v, row)}, key=v.columns.index)
    assert _added_columns(v, x) == general
    i = data.draw(st.integers(0, x["age"].shape[0] - 1))
    one = {k: c[i:i + 1] for k, c in x.items()}
    row = tuple(one[k][0] for k in _PLAN_INPUTS)
    assert _added_columns(v, one) == sorted(set(_plan_columns(v, row)), key=v.columns.index)


@pytest.mark.parametrize("version", VERSIONS)
def test_one_patient_at_a_time_equals_the_batch_of_reference_patients(version: str) -> None:
    """Each reference patient alone (one plan: the cached columns) gives, bit for bit, its
    row of the batch (several plans: the general sort)."""
    v = load_version(version)
    inputs = {k: np.asarray(c[:12], dtype=float)
              for k, c in load_reference(version).inputs.items()}
    out, added = ladder_and_added(v, inputs, validate=False)
    batch = results(out, added=added)
    for i in range(12):
        out, added = ladder_and_added(v, {k: c[i:i + 1] for k, c in inputs.items()},
                                      validate=False)
        alone = results(out, added=added)[0]
        assert alone.model_dump() == batch[i].model_dump()


def switched_by_hand(p: dict[str, float]) -> dict[str, float]:
    return {"generation": 3.0 if p["generation"] == 0 else p["generation"],
            "horm": 1.0 if p["er"] == 1 else p["horm"],
            "traz": 1.0 if p["her2"] == 1 else p["traz"], "bis": 1.0}


@settings(max_examples=60)
@given(raw=valid_patients(n_max=_FEW_SWITCHED + 4))
def test_treatments_are_switched_on_as_by_hand_alone_and_in_a_large_batch(
        raw: dict[str, np.ndarray]) -> None:
    n = raw["age"].shape[0]
    people = [{k: float(c[i]) for k, c in raw.items()} for i in range(n)]
    x = {k: c.astype(float) for k, c in raw.items()}
    _switch_on(x)
    big = {k: np.resize(c, n * (_FEW_SWITCHED // n + 2)).astype(float) for k, c in raw.items()}
    _switch_on(big)
    for i, p in enumerate(people):
        expected = switched_by_hand(p)
        assert {k: x[k][i] for k in expected} == expected
        assert {k: big[k][i] for k in expected} == expected
    for k in raw:  # nothing else changes
        if k not in ("generation", "horm", "traz", "bis"):
            np.testing.assert_array_equal(x[k], raw[k])


def codes_by_hand(p: dict[str, float]) -> tuple[int, int]:
    """(treatment state, HER2 group): 16 x generation code (0, 2 -> 1, else 2) + 8 x endocrine
    if ER-positive + 4 x trastuzumab if HER2-positive + 2 x bisphosphonates + radiotherapy;
    3 x ER-positive + HER2 code (0, 1, else 2)."""
    er = p["er"] == 1
    gen = {0.0: 0, 2.0: 1}.get(p["generation"], 2)
    state = (16 * gen + 8 * (p["horm"] == 1 and er) + 4 * (p["traz"] == 1 and p["her2"] == 1)
             + 2 * (p["bis"] == 1) + (p["radio"] == 1))
    return state, 3 * er + {0.0: 0, 1.0: 1}.get(p["her2"], 2)


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=40)
@given(raw=valid_patients(n_max=4))
def test_codes_and_index_from_one_er_test_are_those_of_their_own_functions(
        version: str, raw: dict[str, np.ndarray]) -> None:
    v = load_version(version)
    x, _, _ = prepare_inputs(v, raw, False)
    er_pos = eq.er_positive(x)
    state, group = eq.state_and_group(x, er_pos)
    people = [{k: float(c[i]) for k, c in x.items()} for i in range(x["age"].shape[0])]
    assert list(zip(state.tolist(), group.tolist(), strict=True)) == [
        codes_by_hand(p) for p in people]
    np.testing.assert_array_equal(state, eq.treatment_state(x))
    np.testing.assert_array_equal(group, eq.group_index(x))
    assert group.dtype == np.intp
    assert (eq.prognostic_index_fixed(v, x, er_pos).tobytes()
            == eq.prognostic_index_fixed(v, x).tobytes())
