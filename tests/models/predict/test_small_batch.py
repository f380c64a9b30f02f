"""compute's small-batch path (the kernel calls of one chunk, without the batch arrays) gives
exactly the general path's output, and both match the official reference vectors.

Oracles: the general path (chunks into batch arrays), run in the same test on the same inputs
by lowering ``SMALL_UP_TO``; the reference vectors of every version (tests/data/predict).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import compute, engine, load_version
from support.predict_reference import FILES, load_reference

SURVIVAL = ("2.1", "2.2", "3.0", "3.0_only", "3.1", "3.2")
ARRAYS = ("pi", "mi", "all_cause", "breast", "other", "conditional_all", "relapse_or_death",
          "extended_benefit_from_diagnosis", "extended_benefit_from_year5")


def both_paths(monkeypatch, x, version, **options):
    small = compute(x, version, **options)
    with monkeypatch.context() as m:
        m.setattr(engine, "SMALL_UP_TO", -1)
        general = compute(x, version, **options)
    return small, general


def assert_identical(a, b) -> None:
    assert (a.columns, a.years, a.conditional_columns) == (b.columns, b.years,
                                                            b.conditional_columns)
    extended = a.version.logic["output"] == "extended_endocrine_benefit"
    for name in ARRAYS:
        if extended and name in ("all_cause", "breast", "other"):
            continue  # not defined by this output: the batch arrays are left unset
        u, w = getattr(a, name), getattr(b, name)
        assert (u is None) == (w is None), name
        if u is not None:
            np.testing.assert_array_equal(u, w, err_msg=name)
    assert {m: r.tolist() for m, r in a.warnings.items()} == {
        m: r.tolist() for m, r in b.warnings.items()}
    assert a.inputs.keys() == b.inputs.keys()


@pytest.mark.parametrize("version", FILES)
@pytest.mark.parametrize("options", [
    {}, {"conditional": False}, {"split": False, "conditional": False},
    {"years": (5, 10, 15), "conditional": False}])
def test_small_batches_of_the_reference_inputs_equal_the_general_path(
        monkeypatch, version, options):
    x = load_reference(version).inputs
    for rows in (slice(0, 1), slice(3, 5), slice(0, 256)):
        small, general = both_paths(monkeypatch, {k: c[rows] for k, c in x.items()},
                                    version, **options)
        assert_identical(small, general)


def test_the_small_path_reproduces_the_reference_overall_survival():
    ref = load_reference("3.2")
    out = compute({k: c[:40] for k, c in ref.inputs.items()}, "3.2", conditional=False)
    given = [c for c in load_version("3.2").columns if f"os_{c}_y1" in ref.outputs]
    assert len(given) >= 6
    for c in given:
        for t in (1, 5, 10, 15):
            np.testing.assert_allclose(out.overall_survival(c)[:, out.year(t)],
                                       ref.outputs[f"os_{c}_y{t}"][:40], atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(version=st.sampled_from(SURVIVAL), seed=st.integers(0, 2**32 - 1),
       n=st.integers(1, 12), split=st.booleans())
def test_small_path_equals_general_path_on_random_patients(version, seed, n, split):
    rng = np.random.default_rng(seed)

    def pick(codes):
        return np.asarray(codes, dtype=float)[rng.integers(0, len(codes), n)]

    x = {"age": rng.uniform(25, 85, n), "size": rng.uniform(1, 500, n),
         "nodes": pick([0, 0.5, 1, 2, 3, 5, 9, 20, 50]), "grade": pick([1, 2, 3, 9]),
         "er": pick([0, 1]), "her2": pick([0, 1, 9]), "ki67": pick([0, 1, 9]),
         "pr": pick([0, 1, 9]), "screen": pick([0, 1, 2]), "generation": pick([0, 1, 2, 3]),
         "horm": pick([0, 1]), "traz": pick([0, 1]), "bis": pick([0, 1]),
         "radio": pick([0, 1]), "heart_gy": rng.uniform(0, 50, n), "smoker": pick([0, 1])}
    with pytest.MonkeyPatch.context() as mp:
        small, general = both_paths(mp, x, version, split=split, conditional=False)
    assert_identical(small, general)
