"""Explanation records made inline with one shared fields set are the records pydantic's
validating constructor makes, and an update of one leaves every other record as it was; a
stage group's words told once a language are the words told afresh.

Oracle: ``Explanation.model_validate`` of each record's own values (values, types, fields
set), over the examples and any valid case, in every language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import compute
from axilla.assess.model import Explanation
from axilla.assess.present import explanations
from axilla.case.assessment import parse_case
from axilla.explain.catalogue import available_languages, message
from axilla.explain.texts import (
    _STAGE_GROUPS,
    CTS5_GROUPS,
    NPI_GROUPS,
    STAGE_KINDS,
    explain_cts5,
    explain_npi,
    explain_stage_group,
)
from test_columns import any_case

_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def _as_validated(case, lang: str) -> None:
    told = explanations(case, compute([case])[0], lang)
    assert told
    for e in told:
        again = Explanation.model_validate({"topic": e.topic, "clinician": e.clinician,
                                            "patient": e.patient,
                                            "glossary_terms": e.glossary_terms})
        assert type(e) is Explanation and e == again
        assert type(e.glossary_terms) is list
        assert e.model_fields_set == again.model_fields_set
        assert e.__pydantic_extra__ is None and e.__pydantic_private__ is None


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", available_languages())
def test_explanations_of_examples_are_the_validated_records(example, lang):
    _as_validated(parse_case(json.loads(example.read_text("utf-8"))), lang)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(any_case(), st.sampled_from(available_languages()))
def test_explanations_of_any_case_are_the_validated_records(case, lang):
    _as_validated(case, lang)


def test_an_updated_copy_leaves_the_shared_fields_set_alone():
    case = parse_case(json.loads(_EXAMPLES[0].read_text("utf-8")))
    f = compute([case])[0]
    first, second = explanations(case, f), explanations(case, f)
    changed = first[0].model_copy(update={"topic": "other"})
    assert changed.topic == "other" and first[0].topic != "other"
    assert all(e.model_fields_set == {"topic", "clinician", "patient", "glossary_terms"}
               for e in (*first, *second))
    assert all(a.glossary_terms is not b.glossary_terms
               for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("lang", available_languages())
def test_a_stage_group_told_once_is_the_stage_group_told_afresh(lang):
    for stage in [*_STAGE_GROUPS, "stage iia", " IIIC "]:
        for kind in STAGE_KINDS:
            kept = explain_stage_group(stage, kind, lang)
            assert explain_stage_group(stage, kind, lang) is kept
            assert explain_stage_group.__wrapped__(stage, kind, lang) == kept


@pytest.mark.parametrize("lang", available_languages())
def test_a_cts5_group_told_once_is_told_as_written_out(lang):
    for group in CTS5_GROUPS:
        expected = " ".join([
            message("cts5.what", lang), message("cts5.meaning", lang),
            message("cts5.group", lang, group=message(f"cts5_group.{group}", lang),
                    range=message(f"cts5_range.{group}", lang)),
            message("cts5.estimate", lang)])
        for score in (0.5, 3.4, 7.25):
            e = explain_cts5(score, group, lang)
            assert e.patient == expected
            assert e.clinician.startswith(f"CTS5 {score:.2f}: {group} risk")


@pytest.mark.parametrize("lang", available_languages())
def test_an_npi_group_told_once_is_told_as_written_out(lang):
    for group in NPI_GROUPS:
        for score in (2.08, 3.4, 4.36, 6.8):
            sentences = [message("npi.score", lang, score=f"{score:.1f}"),
                         message("npi.group", lang, group=message(f"npi_group.{group}", lang)),
                         message("npi.history", lang)]
            assert explain_npi(score, group, lang).patient == " ".join(
                [s for s in sentences if s])
