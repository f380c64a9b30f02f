"""NPI and CTS5 of a few cases read from parsed cases (``accepted``: plain values throughout,
results built from checked values) equal the fully checked columnar path, field by field and
type by type, over random valid inputs: missing and unknown optional values, micrometastases
counted or not, neoadjuvant therapy, premenopausal and young patients, sizes on the NPI group
boundaries, at the CTS5 cap and at the derivation limits. The index sections of an assessment,
built without validating again, equal the validated construction."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.assess.model import CTS5Section, NPISection
from axilla.assess.pipeline import _indices
from axilla.columns import tables
from axilla.models import batch
from axilla.models.cts5 import CTS5Result, cts5_results
from axilla.models.npi import NPIResult, npi_results
from axilla.staging import counts_columns, stage_many
from test_columns import any_case

NAN = math.nan
#: Sizes on the 0.1 mm grid (NPI group boundaries fall on it), anywhere in (0, 500], and the
#: CTS5 cap, the derivation limits and the range's ends.
SIZE = st.one_of(st.integers(1, 5000).map(lambda k: k / 10), st.floats(0.01, 500),
                 st.sampled_from([0.1, 20.0, 30.0, 30.05, 50.0, 50.1, 70.0, 70.5, 500.0]))
AGE = st.one_of(st.integers(18, 100).map(float), st.floats(18, 100),
                st.sampled_from([49.9, 50.0, 18.0, 100.0]))


@contextmanager
def _columnar() -> Iterator[None]:
    """Every batch through the columnar kernels (no few-row path)."""
    saved = batch.SMALL_BATCH
    batch.SMALL_BATCH = 0
    try:
        yield
    finally:
        batch.SMALL_BATCH = saved


@st.composite
def rows(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """A few rows every input rule accepts, as the pipeline hands them (nodes as integers)."""
    n = draw(st.integers(1, batch.SMALL_BATCH))
    positive = draw(st.lists(st.one_of(st.integers(0, 12), st.integers(0, 100)),
                             min_size=n, max_size=n))
    flags = st.lists(st.sampled_from([0.0, 1.0, NAN]), min_size=n, max_size=n)
    return {
        "age_years": np.array(draw(st.lists(AGE, min_size=n, max_size=n))),
        "size_mm": np.array(draw(st.lists(SIZE, min_size=n, max_size=n))),
        "grade": np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=n,
                                        max_size=n))),
        "positive_nodes": np.array(positive, dtype=np.int64),
        "micrometastatic_nodes": np.array([draw(st.integers(0, p)) for p in positive],
                                          dtype=np.int64),
        "neoadjuvant_therapy": np.array(draw(flags)),
        "postmenopausal": np.array(draw(flags)),
    }


def _same_results(fast: list, full: list) -> None:
    assert fast == full
    for a, b in zip(fast, full, strict=True):
        assert repr(a) == repr(b)  # every float to the last bit, None where None
        for f in fields(a):
            assert type(getattr(a, f.name)) is type(getattr(b, f.name)), f.name


@settings(max_examples=300)
@given(x=rows(), count_micro=st.booleans())
def test_npi_few_accepted_rows_equal_the_columnar_path(x, count_micro):
    args = (x["size_mm"], x["positive_nodes"], x["grade"], x["micrometastatic_nodes"],
            x["neoadjuvant_therapy"])
    fast = npi_results(*args, count_micromets_as_positive=count_micro, accepted=True)
    with _columnar():
        full = npi_results(*args, count_micromets_as_positive=count_micro)
    _same_results(fast, full)


@settings(max_examples=300)
@given(x=rows(), count_micro=st.booleans(), cap=st.sampled_from([30.0, None, 20.0]))
def test_cts5_few_accepted_rows_equal_the_columnar_path(x, count_micro, cap):
    args = (x["age_years"], x["size_mm"], x["grade"], x["positive_nodes"],
            x["micrometastatic_nodes"], x["neoadjuvant_therapy"], x["postmenopausal"])
    kwargs = {"count_micromets_as_positive": count_micro, "size_cap_mm": cap}
    fast = cts5_results(*args, **kwargs, accepted=True)
    with _columnar():
        full = cts5_results(*args, **kwargs)
    _same_results(fast, full)


def test_a_worked_case_and_its_warnings():
    """35 mm, grade 3, 5 nodes of which 1 micrometastasis, after neoadjuvant therapy, age 45.

    NPI = 0.2 x 3.5 + 3 + 3 = 6.7 (Haybittle 1982). CTS5 with the 30 mm cap: 0.438 x 3 +
    0.988 x (0.093 x 30 - 0.001 x 900 + 0.375 x 3 + 0.017 x 45) = 5.04864 (Dowsett 2018)."""
    one = {k: np.array([v]) for k, v in (("age", 45.0), ("size", 35.0), ("grade", 3.0),
                                          ("positive", 5), ("micro", 1), ("neo", 1.0),
                                          ("post", 0.0))}
    (npi,) = npi_results(one["size"], one["positive"], one["grade"], one["micro"], one["neo"],
                         accepted=True)
    assert (npi.score, npi.node_stage, npi.group6) == (6.7, 3, "VPG")
    assert npi.warnings[0].startswith("neoadjuvant_therapy:")
    (cts5,) = cts5_results(one["age"], one["size"], one["grade"], one["positive"], one["micro"],
                           one["neo"], one["post"], accepted=True)
    assert math.isclose(cts5.score, 0.438 * 3 + 0.988 * (0.093 * 30 - 0.9 + 1.125 + 0.765),
                        abs_tol=1e-12)
    assert cts5.size_capped and cts5.group == "high"
    assert [w.split(":")[0] for w in cts5.warnings] == [
        "neoadjuvant_therapy", "age_years", "postmenopausal", "size_mm"]


def test_results_built_equal_the_constructor():
    one = np.array([1.0])
    for result, cls in (
            (npi_results(np.array([60.0]), one, one, one * 0, one * 0, accepted=True)[0],
             NPIResult),
            (cts5_results(one * 60, one * 20, one, one, one * 0, one * 0, one, accepted=True)[0],
             CTS5Result)):
        made = cls(**{f.name: getattr(result, f.name) for f in fields(cls)})
        assert made == result and repr(made) == repr(result)
        assert list(vars(made)) == list(vars(result))


@settings(max_examples=80, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=6))
def test_index_sections_built_equal_the_validated_ones(cases):
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    npi, cts5 = _indices(case_t, counts_columns([s.counts for s in staged]))
    assert len(npi) == len(cts5) == len(cases)
    for built, cls in [*((s, NPISection) for s in npi), *((s, CTS5Section) for s in cts5)]:
        validated = cls(applicable=built.applicable,
                        not_applicable_reasons=built.not_applicable_reasons,
                        result=built.result)
        assert built == validated
        assert built.model_fields_set == validated.model_fields_set
        assert built.model_dump_json() == validated.model_dump_json()
        assert type(built.applicable) is bool
        assert all(type(r) is str for r in built.not_applicable_reasons)
        assert built.applicable == (built.result is not None) == (
            not built.not_applicable_reasons)
