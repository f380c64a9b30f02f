"""Malformed but parseable FHIR never crashes the reader: it answers, or refuses with InputError
naming the field (DESIGN.md: never a crash, never a 500)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.case.assessment import parse_case
from axilla.errors import InputError
from axilla.interop.fhir.case_bundle import case_bundle
from axilla.interop.fhir.read import read_bundle
from support.fhir_bundles import base, cc, medication, obs, procedure

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "b_two_macrometastases_sentinel.json"
BUNDLE = case_bundle(parse_case(json.loads(EXAMPLE.read_text("utf-8"))))

junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False),
              st.text(max_size=8), st.sampled_from(["Patient/patient", "cm", "mm", "final"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["coding", "code", "system", "value", "reference", "text",
                                 "start", "valueQuantity", "extension", "url"]), inner,
                                max_size=3)),
    max_leaves=6)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


DATED = base(procedure("64368001", performedDateTime="2020-04-01"),
             medication("doxorubicin", authoredOn="2020-05-01"),
             obs("21908-9", valueCodeableConcept=cc("http://cancerstaging.org", "2B"),
                 hasMember=[{"reference": "Observation/x"}]),
             obs("92832-5", component=[{"code": cc("http://loinc.org", "92833-3"),
                                        "valueQuantity": {"value": 2}}]))
SAMPLES = [(BUNDLE, p) for p in paths(BUNDLE) if "resource" in p and p[-1] != "resourceType"]
SAMPLES += [(DATED, p) for p in paths(DATED) if "resource" in p and p[-1] != "resourceType"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([BUNDLE, DATED]), st.lists(st.tuples(st.sampled_from(SAMPLES), junk),
                                                   min_size=1, max_size=4))
def test_junk_anywhere_is_answered_or_refused(original, changes):
    data = copy.deepcopy(original)
    for (source, path), value in changes:
        if source is not original:
            continue
        target = data
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        result = read_bundle(data)
    except InputError as exc:
        assert exc.problems
        return
    assert result.report is not None
    assert (result.case is None) == bool(result.report.not_assessable)
