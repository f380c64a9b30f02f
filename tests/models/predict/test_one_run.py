"""The assessment's PREDICT path (one run for the ladder and every treatment on, inputs checked
once) gives the typed results of the general path (two runs, each validating its inputs).

Oracles: the general path, run in the same test on the same inputs (reference vectors of
every version, random valid patients, the example cases), and the reference vectors
themselves for the columns the typed results read. Figures agree to 1e-12 pp (the one run
sums a column's hazard over the same year runs as the ladder's columns, so the last bits
of ``if_added_pp`` may differ); everything else is identical.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.assess import assess
from axilla.case import predict as case_predict
from axilla.case.assessment import parse_case
from axilla.case.predict import (
    PREDICT_INPUT_RULES,
    predict_warnings,
    validate_predict_columns,
)
from axilla.models.predict import compute, load_version
from axilla.models.predict import results as results_module
from axilla.models.predict.results import ladder_and_added, results
from support.predict_patients import valid_patients
from support.predict_reference import load_reference

TYPED_VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TOL = 1e-12


def assert_same(a: Any, b: Any, path: str = "") -> None:
    """Equal structures; floats within TOL (absolute, in the figures' own units)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for k in a:
            assert_same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (u, w) in enumerate(zip(a, b, strict=True)):
            assert_same(u, w, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=0.0, abs_tol=TOL), (path, a, b)
    else:
        assert a == b, (path, a, b)


def typed(version: str, x: dict[str, np.ndarray], one_run: bool, validate: bool) -> list[Any]:
    out, added = ladder_and_added(load_version(version), x, validate=validate,
                                  one_run=one_run)
    return [json.loads(r.model_dump_json()) for r in results(out, range(1, 16), added)]


@pytest.mark.parametrize("version", TYPED_VERSIONS)
def test_one_run_unvalidated_equals_two_validated_runs_on_the_reference_inputs(version):
    x = {k: c[:40] for k, c in load_reference(version).inputs.items()}
    general = typed(version, x, one_run=False, validate=True)
    fast = typed(version, x, one_run=True, validate=False)
    assert len(fast) == 40
    assert_same(fast, general)


def test_one_run_reads_the_source_columns_of_the_reference():
    """Overall survival of ladder columns from the one run equals the source's own (3.2)."""
    ref = load_reference("3.2")
    x = {k: c[:40] for k, c in ref.inputs.items()}
    out, _ = ladder_and_added(load_version("3.2"), x, validate=False, one_run=True)
    for c in ("s", "rh", "rhctb"):
        for t in (5, 10, 15):
            np.testing.assert_allclose(out.overall_survival(c)[:, out.year(t)],
                                       ref.outputs[f"os_{c}_y{t}"][:40], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(x=valid_patients(), version=st.sampled_from(TYPED_VERSIONS))
def test_one_run_equals_two_runs_on_random_valid_patients(x, version):
    assert_same(typed(version, x, one_run=True, validate=False),
                typed(version, x, one_run=False, validate=True))


@settings(max_examples=60, deadline=None)
@given(x=valid_patients(4))
def test_warnings_of_checked_inputs_are_those_validation_gives(x):
    for v3 in (True, False):
        checked = validate_predict_columns(x, uses_v3_inputs=v3)
        found = predict_warnings(checked.columns, uses_v3_inputs=v3)
        assert {m: r.tolist() for m, r in found.items()} == {
            m: r.tolist() for m, r in checked.warnings.items()}


@settings(max_examples=80, deadline=None)
@given(x=valid_patients(4), bad=st.sampled_from(
    [("age", 24.9), ("size", 0.0), ("nodes", 1.5), ("grade", 4.0), ("heart_gy", math.nan),
     ("generation", 5.0), ("smoker", math.inf), ("pr", 2.0), ("er", math.nan)]),
    row=st.integers(0, 3))
def test_float_columns_are_refused_as_the_same_values_given_as_lists(x, bad, row):
    name, value = bad
    n = x["age"].shape[0]
    x[name][row % n] = value
    as_arrays = validate_predict_columns(x)
    as_lists = validate_predict_columns({k: c.tolist() for k, c in x.items()})
    def shown(problems):  # repr: NaN is refused as NaN but never equals itself
        return [(i, p.field, repr(p.value), type(p.value), p.reason) for i, p in problems]

    assert shown(as_arrays.problems) == shown(as_lists.problems)
    assert as_arrays.problems
    with pytest.MonkeyPatch.context() as mp:  # the same rows checked as arrays
        mp.setattr(case_predict, "FEW_ROWS", 0)
        for given in (x, {k: c.tolist() for k, c in x.items()}):
            general = validate_predict_columns(given)
            assert shown(general.problems) == shown(as_lists.problems)
            assert general.valid.tolist() == as_lists.valid.tolist()
            assert {m: r.tolist() for m, r in general.warnings.items()} == {
                m: r.tolist() for m, r in as_lists.warnings.items()}
    assert as_arrays.valid.tolist() == as_lists.valid.tolist()
    for k in as_lists.columns:
        np.testing.assert_array_equal(as_arrays.columns[k], as_lists.columns[k])


@pytest.mark.parametrize("version", ["2.1", "3.0", "3.2"])
def test_skipping_conditional_survival_leaves_every_other_figure_identical(version):
    x = {k: c[:30] for k, c in load_reference(version).inputs.items()}
    a = compute(x, version)
    b = compute(x, version, conditional=False)
    assert b.conditional_all is None and b.conditional_columns == ()
    for name in ("pi", "mi", "all_cause", "breast", "other"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_assessment_json_of_the_example_is_the_general_paths(path, monkeypatch):
    case = parse_case(json.loads(path.read_text("utf-8")))
    fast = json.loads(assess(case).model_dump_json())
    monkeypatch.setattr(results_module, "ONE_RUN_UP_TO", 0)
    general = json.loads(assess(case).model_dump_json())
    assert_same(fast, general)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(
        [0.0, -0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 9.0, 24.9, 25.0, 85.0, 85.5, 500.0, 50.0, 50.5]),
    st.integers(-2, 600).map(float)), min_size=1, max_size=20))
def test_rules_checking_values_one_by_one_agree_with_the_array_check(values):
    x = np.array(values)
    for name, rule in PREDICT_INPUT_RULES.items():
        expected = rule.ok_array(x).tolist()
        assert [rule.ok_value(v) for v in values] == expected, name
        assert rule.ok(x).tolist() == expected, name


@settings(max_examples=60, deadline=None)
@given(x=valid_patients(), version=st.sampled_from(TYPED_VERSIONS))
def test_typed_figures_are_exactly_the_array_formulas(x, version):
    """Per-year figures are read from the output arrays with the columnar formulas (NumPy,
    written out here): overall survival 100 (1 - dead), the gains 100 (dead[a] - dead[b]),
    ``if_added_pp`` 100 (dead[plan] - dead[plan + it]) of two columns of the added run (which
    two: tests/models/predict/test_if_added.py); identical to the last bit."""
    v = load_version(version)
    out, added = ladder_and_added(v, x, validate=False)
    years = list(range(1, 16))
    for i, r in enumerate(results(out, years, added)):
        def dead(o, c, i=i):
            return o.all_cause[i, o.col(c)]

        for step in [r.surgery_only, *r.steps, *(r.extended_steps or [])]:
            assert list(step.overall_survival_pct.values()) == (
                100.0 * (1.0 - dead(out, step.column))).tolist()
        assert r.steps[0] is not r.surgery_only
        for b in [*r.benefits, r.total_benefit, *(r.extended_benefits or [])]:
            assert list(b.benefit_pp.values()) == (
                100.0 * (dead(out, b.from_column) - dead(out, b.to_column))).tolist()
        for b in r.benefits:
            if b.if_added_pp is None:
                continue
            gains = {(c, d): (100.0 * (dead(added, c) - dead(added, d))).tolist()
                     for c in added.columns for d in added.columns}
            assert list(b.if_added_pp.values()) in gains.values()
