"""The leaner paths of one patient's PREDICT give what the general constructions give.

Oracles: the frozen dataclass's own constructor (outputs set at once); pydantic's validation
and :func:`axilla.typed.built` (typed records); the full 15-year results read at fewer years
(the year and column positions read from small caches); the columnar formula 100 (a - b) of
the added run's two columns (each if-added gain, now read two columns at a time); the
general two-run path (the ladder half of the one run, bit for bit). Reference inputs from
tests/data/predict and random valid patients.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.models.predict import compute, load_version
from axilla.models.predict.engine import PredictOutput, output
from axilla.models.predict.results import _addable, _layout, ladder_and_added, results
from axilla.models.predict.typed import (
    PredictResult,
    SurvivalByTreatment,
    TreatmentBenefit,
    kept_years,
    positions,
    record,
)
from axilla.typed import built
from support.predict_patients import valid_patients
from support.predict_reference import load_reference

TYPED_VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
PLAN = ("radio", "horm", "generation", "traz", "bis")


def reference_inputs(version: str, n: int = 25) -> dict[str, np.ndarray]:
    return {k: c[:n] for k, c in load_reference(version).inputs.items()}


# ---------------------------------------------------------------------------------------------
# Outputs set at once


def test_an_output_set_at_once_is_the_dataclass_constructed():
    v = load_version("3.2")
    run = compute(reference_inputs("3.2", 4), v, conditional=False)
    fields = {f.name: getattr(run, f.name) for f in dataclasses.fields(PredictOutput)}
    for drop in ([], ["breast", "other"], ["warnings", "inputs"], ["conditional_columns"]):
        given_fields = {k: val for k, val in fields.items() if k not in drop}
        fast, general = output(**given_fields), PredictOutput(**given_fields)
        assert type(fast) is PredictOutput
        assert list(vars(fast)) == list(vars(general))  # the fields, in field order
        for name in vars(general):
            a, b = getattr(fast, name), getattr(general, name)
            if name in given_fields:
                assert a is b, name
            else:  # a default: None, () or a fresh {}
                assert type(a) is type(b) and a == b, name
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.years = ()  # type: ignore[misc]


def test_outputs_set_at_once_each_have_their_own_default_dicts():
    a = output(version=None, columns=(), years=(), pi=None, mi=None, all_cause=None)
    b = output(version=None, columns=(), years=(), pi=None, mi=None, all_cause=None)
    assert a.warnings == {} and a.inputs == {}
    assert a.warnings is not b.warnings and a.inputs is not b.inputs


# ---------------------------------------------------------------------------------------------
# Typed records


@pytest.mark.parametrize("version", TYPED_VERSIONS)
def test_every_record_is_what_validation_and_built_give(version):
    v = load_version(version)
    out, added = ladder_and_added(v, reference_inputs(version, 10), validate=False)
    seen: set[int] = set()
    for r in results(out, range(1, 16), added):
        again = PredictResult.model_validate(r.model_dump())
        assert again == r and again.model_dump_json() == r.model_dump_json()
        records = [r, r.surgery_only, *r.steps, *r.benefits, r.total_benefit,
                   *(r.extended_steps or []), *(r.extended_benefits or []),
                   *([r.extended_total_benefit] if r.extended_total_benefit else [])]
        for rec in records:
            cls = type(rec)
            assert rec.model_fields_set == set(cls.model_fields)
            assert type(rec.model_fields_set) is set
            seen.add(id(rec.model_fields_set))
            reference = built(cls, dict(vars(rec)))
            assert vars(reference) == vars(rec)
            assert reference.model_fields_set == rec.model_fields_set
            assert cls.model_validate(rec.model_dump()) == rec
    sets = sum(1 + len(r.steps) + len(r.benefits) for r in results(out, range(1, 16), added))
    assert len(seen) >= sets  # no record shares its set of fields with another


@pytest.mark.parametrize("cls", [SurvivalByTreatment, TreatmentBenefit, PredictResult])
def test_a_record_holds_the_values_given_and_every_field_set(cls):
    values = {name: object() for name in cls.model_fields}
    made = record(cls, values)
    assert vars(made) is values
    assert made.model_fields_set == set(cls.model_fields)
    assert made.__pydantic_extra__ is None and made.__pydantic_private__ is None


# ---------------------------------------------------------------------------------------------
# Years and columns read from small caches


@given(have=st.lists(st.integers(1, 15), min_size=1, max_size=15, unique=True).map(sorted),
       want=st.lists(st.integers(0, 16), max_size=20, unique=True))
def test_years_kept_and_their_positions_are_those_a_list_search_gives(have, want):
    kept = kept_years(tuple(have), tuple(want))
    assert kept == tuple(t for t in want if t in have)
    assert all(type(t) is int for t in kept)
    at = positions(tuple(have), kept)
    expected = [have.index(t) for t in kept]
    assert np.arange(len(have))[at].tolist() == expected
    if isinstance(at, np.ndarray):
        assert not at.flags.writeable


def restricted(a: object, years: list[int]) -> object:
    """``a`` (a result's JSON) with each per-year dict cut to ``years``, in that order."""
    if isinstance(a, dict):
        if a and all(k.isdigit() for k in a):
            return {str(t): a[str(t)] for t in years if str(t) in a}
        return {k: restricted(val, years) for k, val in a.items()}
    if isinstance(a, list):
        if a and all(isinstance(t, int) for t in a) and len(a) == 15:
            return years
        return [restricted(val, years) for val in a]
    return a


@settings(max_examples=40, deadline=None)
@given(x=valid_patients(), version=st.sampled_from(TYPED_VERSIONS),
       years=st.lists(st.integers(1, 15), min_size=1, max_size=14, unique=True))
def test_results_at_fewer_years_are_those_of_every_year_cut_bit_for_bit(x, version, years):
    v = load_version(version)
    out, added = ladder_and_added(v, x, validate=False)
    every = [json.loads(r.model_dump_json()) for r in results(out, range(1, 16), added)]
    fewer = [json.loads(r.model_dump_json()) for r in results(out, years, added)]
    assert fewer == [restricted(r, years) for r in every]  # JSON keeps each double exactly


# ---------------------------------------------------------------------------------------------
# If-added gains and the ladder half of the one run


@pytest.mark.parametrize("version", TYPED_VERSIONS)
def test_each_if_added_gain_is_the_difference_of_its_two_columns_bit_for_bit(version):
    v = load_version(version)
    x = reference_inputs(version, 40)
    out, added = ladder_and_added(v, x, validate=False)
    checked = 0
    for i, r in enumerate(results(out, range(1, 16), added)):
        pairs = dict(_addable(v, tuple(r.inputs[k] for k in PLAN), r.inputs["er"],
                              r.inputs["her2"]))
        for b in [*r.benefits, *(r.extended_benefits or [])]:
            pair = pairs.get(b.letter)
            if pair is None:
                assert b.if_added_pp is None
                continue
            assert added is not None
            dead = added.all_cause[i]
            expected = (100.0 * (dead[added.col(pair[0])] - dead[added.col(pair[1])])).tolist()
            assert b.if_added_pp is not None
            assert list(b.if_added_pp.values()) == expected
            checked += 1
    assert checked


@settings(max_examples=40, deadline=None)
@given(x=valid_patients(), version=st.sampled_from(TYPED_VERSIONS))
def test_the_ladder_half_of_the_one_run_is_the_ladder_run_bit_for_bit(x, version):
    v = load_version(version)
    out, _ = ladder_and_added(v, x, validate=False, one_run=True)
    general = compute(x, v, columns=list(_layout(v).columns), conditional=False)
    for c in general.columns:
        for name in ("all_cause", "breast", "other"):
            np.testing.assert_array_equal(getattr(out, name)[:, out.col(c)],
                                          getattr(general, name)[:, general.col(c)],
                                          err_msg=f"{name} {c}")
    for k in general.inputs:
        np.testing.assert_array_equal(out.inputs[k], general.inputs[k], err_msg=k)
