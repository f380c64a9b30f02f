"""The batch is the one code path: a batch gives each case exactly its own assessment, and
every model's node count comes from the same staging counts (issue 8)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import assess, assess_iter, assess_many, compute
from axilla.explain import available_languages, message
from test_columns import any_case

CHECK_MESSAGE = re.compile(r"must be|\(got ")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_a_batch_gives_each_case_its_own_assessment(cases):
    batch = assess_many(cases)
    for case, a in zip(cases, batch, strict=True):
        assert a == assess(case)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_every_model_counts_the_staging_nodes(cases):
    for f in compute(cases):
        c = f.staging.counts
        assert f.staging.positive_nodes == c.axillary_positive
        for ix in f.indices:
            if ix.result is not None:
                assert ix.result.counted_positive_nodes == c.axillary_positive
            assert ix.applicable == (ix.result is not None) == (not ix.not_applicable_reasons)
            assert not [r for r in ix.not_applicable_reasons if CHECK_MESSAGE.search(r)]
        assert not [r for r in f.predict.not_applicable_reasons if CHECK_MESSAGE.search(r)]
        if f.predict.inputs is not None:
            micro = c.axillary_micro + c.infraclavicular_micro
            others = c.axillary_positive - c.axillary_micro + (
                c.infraclavicular_positive - c.infraclavicular_micro)
            expected = 0.5 if (micro, others) == (1, 0) else float(micro + others)
            assert f.predict.inputs["nodes"] == expected


def test_charts_speak_each_catalogue_language():
    case = {"patient": {"age_years": 54}, "tumour": {"invasive_sizes_mm": [18], "grade": 2,
                                                     "er": "positive"},
            "nodes": [{"found_by": "sentinel", "deposit_mm": 1.2}],
            "procedure": {"kind": "sentinel"}}
    for lang in available_languages():
        a = assess(case, lang=lang)
        assert message("chart.label_die_breast_cancer", lang) in a.charts.icon_array_counts
        assert sum(a.charts.icon_array_counts.values()) == 100


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(any_case(), min_size=0, max_size=7), block=st.integers(1, 4))
def test_assess_iter_in_blocks_equals_the_whole_batch(cases, block):
    """Blocks change only how many cases are held at once, never a result or its order."""
    streamed = list(assess_iter(iter(cases), block=block))
    assert streamed == assess_many(cases)
    figures = list(assess_iter(iter(cases), block=block, figures_only=True))
    assert figures == compute(cases)


def test_assess_iter_refuses_a_block_of_no_cases():
    with pytest.raises(ValueError, match="block must be a positive number of cases, got 0"):
        next(assess_iter([], block=0))
