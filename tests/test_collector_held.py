"""The cyclic collector held off while batches of records are built (``axilla.typed``).

Typed PREDICT results of a large batch, and the assessments of a block of cases, allocate
many small acyclic objects; with the collector running, it rescanned them as the batch grew
and the cost a patient rose with the batch. These tests check that no collection starts
while such a batch is built, that the collector's state is given back as it was, and that the
results are the same either way.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from axilla.assess import pipeline
from axilla.case.assessment import parse_case
from axilla.models.predict import compute, load_version
from axilla.models.predict import results as results_module
from axilla.models.predict.results import ladder_and_added, results
from axilla.typed import CollectorHeld
from support.predict_reference import load_reference

EXAMPLE = Path(__file__).parents[1] / "examples" / "a_micrometastasis_sentinel.json"


def collections_inside(monkeypatch: pytest.MonkeyPatch, module: object, names: tuple[str, ...]
                       ) -> list[int]:
    """The generation of every collection that starts while one of ``module``'s functions
    ``names`` runs (each wrapped for the test)."""
    inside = [0]
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and inside[0]:
            started.append(info["generation"])

    for name in names:
        fn = getattr(module, name)

        def wrapped(*args: object, _fn: object = fn, **kwargs: object) -> object:
            inside[0] += 1
            try:
                return _fn(*args, **kwargs)  # type: ignore[operator]
            finally:
                inside[0] -= 1

        monkeypatch.setattr(module, name, wrapped)
    gc.callbacks.append(note)
    return started


@pytest.fixture
def no_callbacks_left() -> Iterator[None]:
    before = list(gc.callbacks)
    yield
    gc.callbacks[:] = before


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


def test_the_collector_runs_again_after_and_stays_off_if_it_was(collector_on):
    with CollectorHeld():
        assert not gc.isenabled()
        with CollectorHeld():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner use leaves it to the outer one
    assert gc.isenabled()
    gc.disable()
    with CollectorHeld():
        assert not gc.isenabled()
    assert not gc.isenabled()  # off before: left off
    gc.enable()


def test_the_collector_runs_again_after_an_error(collector_on):
    with pytest.raises(ZeroDivisionError), CollectorHeld():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_no_collection_starts_while_typed_results_of_a_large_batch_are_built(
        collector_on, no_callbacks_left, monkeypatch):
    """2,000 patients' typed results allocate far more than the collector's first threshold
    (700 objects), so without the hold collections would start many times."""
    x = {k: np.tile(c, 80)[:2000] for k, c in load_reference("3.2").inputs.items()}
    out = compute(x, "3.2")
    started = collections_inside(monkeypatch, results_module, ("_results",))
    found = results_module.results(out)
    assert started == []
    assert len(found) == 2000
    assert gc.isenabled()


def test_typed_results_are_the_same_with_the_collector_on_or_held(collector_on):
    x = {k: c[:40] for k, c in load_reference("3.2").inputs.items()}
    out, added = ladder_and_added(load_version("3.2"), x)
    held = results(out, added=added)
    gc.disable()
    try:
        off = results(out, added=added)
    finally:
        gc.enable()
    assert [r.model_dump() for r in held] == [r.model_dump() for r in off]


def test_no_collection_starts_while_a_block_of_assessments_is_built(
        collector_on, no_callbacks_left, monkeypatch):
    raw = json.loads(EXAMPLE.read_text())
    cases = [parse_case({**raw, "case_id": f"case-{i}"}) for i in range(60)]
    started = collections_inside(monkeypatch, pipeline, ("_compute", "present"))
    found = pipeline.assess_many(cases)
    assert started == []
    assert [a.case_id for a in found] == [f"case-{i}" for i in range(60)]
    assert gc.isenabled()
