"""``compute`` takes a version object as well as an id, and a variant made from a version with
``dataclasses.replace`` never shares the engine's cached tables with it."""

from __future__ import annotations

import dataclasses

import numpy as np

from axilla.models.predict import compute, load_version

X = {k: [v] for k, v in {"age": 60, "size": 25, "nodes": 1, "grade": 3, "er": 1, "her2": 0,
                         "ki67": 9, "screen": 0, "generation": 2, "horm": 1, "traz": 0,
                         "bis": 0, "radio": 0}.items()}


def test_a_version_object_gives_what_its_id_gives():
    by_id = compute(X, "2.1", columns=["h", "hc"])
    by_object = compute(X, load_version("2.1"), columns=["h", "hc"])
    assert np.array_equal(by_id.all_cause, by_object.all_cause)


def test_a_variant_has_its_own_tables():
    v = load_version("2.1")
    before = compute(X, v, columns=["h", "hc"])
    stronger = dataclasses.replace(v, tables={**v.tables, "treatment": {
        **v.tables["treatment"], "chemotherapy_second_generation": -0.36}})
    changed = compute(X, stronger, columns=["h", "hc"])
    after = compute(X, v, columns=["h", "hc"])
    assert np.array_equal(changed.all_cause[:, 0], before.all_cause[:, 0])  # no chemotherapy
    assert np.all(changed.all_cause[:, 1] < before.all_cause[:, 1])  # more benefit
    assert np.array_equal(after.all_cause, before.all_cause)
    assert v.coef("treatment", "chemotherapy_second_generation") == -0.248
