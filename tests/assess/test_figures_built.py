"""The records ``compute`` builds without validating again (each case's figures, provenance,
PREDICT and recurrence sections) equal the validated constructions from the same values, over
random valid cases and the examples: same values, same JSON, same fields set, each value of its
field's type."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from axilla import __version__
from axilla.assess.inputs import predict_inputs
from axilla.assess.model import Figures, PredictSection, Provenance, RecurrenceSection
from axilla.assess.pipeline import compute
from axilla.case.assessment import parse_case
from axilla.columns import tables
from axilla.guidance import RULESET_VERSION
from axilla.staging import counts_columns, stage_many
from test_columns import any_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _validated(cls, record, names):
    return cls(**{name: getattr(record, name) for name in names})


def _check(figures: Figures) -> None:
    p = figures.provenance
    given_p = ("axilla_version", "staging_edition", "predict_version", "predict_source",
               "ruleset_version", "input_sha256")
    for built_record, validated in (
            (p, _validated(Provenance, p, given_p)),
            (figures.recurrence, _validated(RecurrenceSection, figures.recurrence,
                                            ("risk_factors", "event"))),
            (figures.predict, _validated(PredictSection, figures.predict, (
                "applicable", "not_applicable_reasons", "inputs", "result"))),
            (figures, _validated(Figures, figures, (
                "case_id", "provenance", "staging", "predict", "indices", "guidance",
                "recurrence", "warnings")))):
        assert built_record == validated
        assert built_record.model_fields_set == validated.model_fields_set
        assert built_record.model_dump_json() == validated.model_dump_json()
        assert list(vars(built_record)) == list(vars(validated))
    assert all(type(getattr(p, name)) is str for name in (
        "axilla_version", "assessment_schema_version", "case_schema_version",
        "staging_edition", "ruleset_version", "input_sha256"))
    assert (p.predict_version is None) == (p.predict_source is None) == (
        figures.predict.result is None)
    assert (p.axilla_version, p.ruleset_version) == (__version__, RULESET_VERSION)
    assert type(figures.warnings) is list and all(type(w) is str for w in figures.warnings)
    assert type(figures.indices) is list
    section = figures.predict
    assert type(section.applicable) is bool and type(section.not_applicable_reasons) is list
    assert section.inputs is None or all(
        type(k) is str and type(v) is float for k, v in section.inputs.items())


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_figures_of_random_cases_equal_the_validated_records(cases):
    for figures in compute(cases):
        _check(figures)


def test_figures_of_the_examples_equal_the_validated_records():
    cases = [parse_case(json.loads(path.read_text())) for path in sorted(EXAMPLES.glob("*.json"))
             if "case_id" in json.loads(path.read_text())]
    assert cases
    for figures, case in zip(compute(cases), cases, strict=True):
        _check(figures)
        assert figures.provenance.input_sha256 == case.input_hash()


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(any_case(), min_size=1, max_size=4))
def test_predict_inputs_of_each_case_are_its_row_of_the_columns(cases):
    """The inputs recorded with PREDICT's result, read from the plain values, are the values
    of the columns PREDICT ran on, float for float."""
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    cols, _, _ = predict_inputs(case_t, counts_columns([s.counts for s in staged]))
    for i, figures in enumerate(compute(cases)):
        section = figures.predict
        if section.inputs is None:
            assert not section.applicable
            continue
        assert list(section.inputs) == list(cols)
        for name, value in section.inputs.items():
            assert type(value) is float and value == cols[name][i], name
