"""Staging results built without validating again equal the records validation gives: the
result, its T and N categories, every node result and the node counts hold the same values,
of the same types, with the same fields set, for random valid cases (ITC, micro- and
macrometastatic nodes, nodes positive on needle biopsy only, RT-PCR, neoadjuvant therapy,
values not recorded) under AJCC 8 and UICC 8 and every option."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from axilla.case.staging import parse_staging_case, staging_case_from_row
from axilla.errors import InputError
from axilla.staging import StagingOptions, stage_many

CASES_CSV = Path(__file__).resolve().parents[1] / "data" / "staging" / "cases.csv"
SITES = ["axillary", "intramammary", "infraclavicular", "internal_mammary", "supraclavicular"]


def _same_as_validated(record: BaseModel) -> None:
    """``record`` equals its class validated from the same fields, nested records too."""
    fields = {name: getattr(record, name) for name in record.model_fields_set}
    validated = type(record)(**fields)
    assert validated == record
    assert validated.model_fields_set == record.model_fields_set
    assert list(vars(record)) == list(type(record).model_fields)
    for name in type(record).model_fields:
        value = getattr(record, name)
        assert type(value) is type(getattr(validated, name)), name
        for part in value if isinstance(value, tuple) else (value,):
            if isinstance(part, BaseModel):
                _same_as_validated(part)
    assert record.model_dump_json() == validated.model_dump_json()


@st.composite
def nodes(draw: st.DrawFn) -> dict:
    out = {"site": draw(st.sampled_from(SITES)),
           "found_by": draw(st.sampled_from(["sentinel", "dissection", "needle_biopsy",
                                             "imaging"])),
           "clinically_detected": draw(st.booleans())}
    how = draw(st.sampled_from(["deposit", "deposit", "present", "absent", "cells", "rtpcr"]))
    if how == "deposit":
        out["deposit_mm"] = draw(st.sampled_from([0, 0.1, 0.2, 0.21, 1.2, 2.0, 2.01, 9.0]))
        if out["deposit_mm"] > 0 and draw(st.booleans()):
            out["extranodal_extension"] = True
            if draw(st.booleans()):
                out["intranodal_deposit_mm"] = out["deposit_mm"] / 2
    elif how == "cells":
        out["deposit_mm"] = draw(st.sampled_from([0.1, 0.2]))
        out["cells_per_section"] = draw(st.sampled_from([150, 200, 201, 250]))
    elif how == "present":
        out["tumour_present"] = True
    elif how == "absent":
        out["tumour_present"] = False
    else:
        out.update(method="rtpcr", tumour_present=True)
    return out


@st.composite
def staging_cases(draw: st.DrawFn):
    primary = draw(st.sampled_from(["invasive", "invasive", "dcis", "none", "paget",
                                    "not_assessed"]))
    tumour = {"primary": primary, "grade": draw(st.sampled_from([1, 2, 3, None])),
              "er": draw(st.sampled_from(["positive", "negative", None])),
              "pr": draw(st.sampled_from(["positive", "negative", None])),
              "her2": draw(st.sampled_from(["positive", "negative", None])),
              "oncotype_rs": draw(st.sampled_from([None, 8, 30]))}
    if primary == "invasive":
        tumour["invasive_sizes_mm"] = draw(st.lists(st.sampled_from(
            [0.5, 1.0, 1.2, 1.5, 2.5, 8, 21.5, 60]), min_size=1, max_size=3))
        tumour["t4_extension"] = draw(st.sampled_from([None, None, "b"]))
    data = {"tumour": tumour, "nodes": draw(st.lists(nodes(), max_size=8)),
            "procedure": {"kind": draw(st.sampled_from(["sentinel", "dissection", "none"])),
                          "nodes_removed": draw(st.sampled_from([None, 3, 12])),
                          "rtpcr_positive": draw(st.booleans())},
            "m": draw(st.sampled_from(["cM0", "cM0(i+)", "cM1", "pM1"])),
            "neoadjuvant": draw(st.booleans()),
            "clinical_t": draw(st.sampled_from([None, "T2"])),
            "clinical_n": draw(st.sampled_from([None, "N1", "N1mi"]))}
    try:
        return parse_staging_case(data)
    except InputError:
        assume(False)
        raise


OPTIONS = st.builds(
    StagingOptions, system=st.sampled_from(["AJCC8", "UICC8"]),
    ene_in_deposit_size=st.booleans(), micro_only_four_or_more=st.sampled_from(
        ["pN1mi", "by_count"]), t_half_mm=st.sampled_from(["up", "down"]),
    itc_after_neoadjuvant_is_residual=st.booleans(), oncotype_scope=st.sampled_from(
        ["ajcc", "seer"]))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases=st.lists(staging_cases(), min_size=1, max_size=4),
       options=st.one_of(st.none(), OPTIONS))
def test_random_cases(cases, options):
    for result in stage_many(cases, options):
        _same_as_validated(result)


def test_reference_cases():
    with CASES_CSV.open(newline="", encoding="utf-8") as fh:
        cases = [staging_case_from_row(row) for row in csv.DictReader(fh)]
    for result in stage_many(cases):
        _same_as_validated(result)
