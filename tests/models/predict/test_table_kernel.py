"""The benefit-table kernel against the general engine (the same equations, another order of
operations): unrounded within 1e-9 pp, rounded identical, for random patients of every
version with a benefit table; and R's rule still decides the cells next to a tie.

Oracles: ``incremental_benefits(compute(...))`` of the general engine, the official rounded
benefits of tests/data/predict/v3.2.csv (``ben_<name>_y<T>``), and r_round (spec sec. 1.5).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings

from axilla.models.predict import benefit_table, compute, load_version, tables
from axilla.models.predict.tables import incremental_benefits, ladder_steps, r_round
from models.predict.test_properties import patients
from support.predict_reference import load_reference

TABLE_VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
ALL_YEARS = tuple(range(1, 16))


@pytest.mark.parametrize("version", TABLE_VERSIONS)
@settings(max_examples=30, deadline=None)
@given(x=patients(n=6))
def test_kernel_equals_the_general_engine(version, x):
    assert_table_equals_engine(x, version)


def assert_table_equals_engine(x, version, tolerance=1e-9):
    out = compute(x, version)
    exact = benefit_table(x, version, years=ALL_YEARS, rounded=False)
    shown = benefit_table(x, version, years=ALL_YEARS)
    v = load_version(version)
    for ladder in v.ladders:
        for name, values in incremental_benefits(out, ladder).items():
            assert np.max(np.abs(exact[name] - values)) <= tolerance, name
            np.testing.assert_array_equal(shown[name], r_round(values, 1), err_msg=name)


@pytest.mark.parametrize("version", TABLE_VERSIONS)
def test_the_table_agrees_with_the_full_engine_on_many_random_patients(version):
    """5,000 patients: several chunks of the kernel, both ER groups in each."""
    rng = np.random.default_rng(12)
    n = 5_000
    codes = {"grade": [1, 2, 3, 9], "her2": [0, 1, 9], "ki67": [0, 1, 9], "pr": [0, 1, 9],
             "screen": [0, 1, 2], "generation": [0, 2, 3], "er": [0, 1], "horm": [0, 1],
             "traz": [0, 1], "bis": [0, 1], "radio": [0, 1], "smoker": [0, 1]}
    x = {name: rng.choice(values, n) for name, values in codes.items()}
    x.update(age=rng.integers(25, 86, n), size=rng.integers(1, 501, n),
             nodes=rng.integers(0, 51, n), heart_gy=np.round(rng.uniform(0, 10, n), 1))
    assert_table_equals_engine(x, version, tolerance=1e-12)


def test_cells_near_a_tie_are_rounded_by_rs_rule(monkeypatch):
    """Widen the window in which a cell counts as near a tie so that most patients take the
    exact path: the table must not change, and still equal the source's rounded benefits."""
    ref = load_reference("3.2")
    v = load_version("3.2")
    before = benefit_table(ref.inputs, "3.2", years=ALL_YEARS)
    monkeypatch.setattr(tables, "NEAR_TIE", 0.05)
    after = benefit_table(ref.inputs, "3.2", years=ALL_YEARS, chunk_size=50)
    for ladder in v.ladders:
        for name, _, _ in ladder_steps(v, ladder):
            expected = np.stack([ref.outputs[f"ben_{name}_y{t}"] for t in ALL_YEARS], axis=1)
            np.testing.assert_array_equal(after[name], expected, err_msg=name)
            np.testing.assert_array_equal(after[name], before[name], err_msg=name)


@pytest.mark.parametrize("use_compiled", [False, True])
def test_cells_on_a_tie_are_rounded_as_r_rounds_them(monkeypatch, use_compiled):
    """R >= 4.0.0 rounds to the nearer of the two tenths as doubles, the even one on an exact
    tie. The kernel's differences are replaced by 0.0015 and -0.0075: 0.15 pp (a double just
    below 0.15, which R rounds to 0.1, where rounding 1.5 tenths would give 0.2) and -0.75 pp
    (exactly halfway: to the even -0.8). The compiled loops compute the real values, so there
    every patient is sent to the exact path (a window below zero) to meet the replaced ones."""
    from axilla.models.predict import kernel

    real = kernel.table_chunk

    def ties(tp, cov, ws, out, times):
        real(tp, cov, ws, out, times)
        out[...] = np.where(np.arange(out.shape[-1]) % 2 == 0, 0.0015, -0.0075) * times
        return out

    monkeypatch.setattr(kernel, "table_chunk", ties)
    if use_compiled:
        monkeypatch.setattr(tables, "NEAR_TIE", -1.0)
    ref = load_reference("3.2")
    table = benefit_table({k: c[:4] for k, c in ref.inputs.items()}, "3.2",
                          use_compiled=use_compiled)
    for values in table.values():
        assert values[:, 0].tolist() == [0.1, -0.8, 0.1, -0.8]


def test_a_variant_version_has_its_own_table_and_matches_the_engine():
    """A version object with another coefficient (as the 2.x uncertainty ranges make) gets its
    own folded tables: its table equals the general engine run with the same object, and the
    official version's table is unchanged after it."""
    ref = load_reference("2.1")
    x = {k: c[:40] for k, c in ref.inputs.items()}
    v = load_version("2.1")
    before = benefit_table(x, v, rounded=False)
    stronger = dataclasses.replace(v, tables={**v.tables, "treatment": {
        **v.tables["treatment"], "chemotherapy_second_generation": -0.36}})
    changed = benefit_table(x, stronger, rounded=False)
    assert not np.array_equal(changed["hc_increment"], before["hc_increment"])
    out = compute(x, stronger)
    for ladder in stronger.ladders:
        for name, values in incremental_benefits(out, ladder).items():
            np.testing.assert_allclose(changed[name], values[:, [4, 9, 14]],
                                       rtol=0, atol=1e-12, err_msg=name)
    again = benefit_table(x, "2.1", rounded=False)
    for name in before:
        np.testing.assert_array_equal(again[name], before[name])
