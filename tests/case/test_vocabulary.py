"""Codes and ranges, each once: the Literal types, the tuples, the pydantic bounds, the OpenAPI
schema, the form hints and the messages all come from case/codes.py and case/ranges.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest

from axilla.case import codes
from axilla.case.assessment import Case, parse_case
from axilla.case.ranges import RANGES, Range, range_of
from axilla.errors import InputError
from axilla.service.pages.forms import ALL_FIELDS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_A = json.loads((ROOT / "examples" / "a_micrometastasis_sentinel.json").read_text())


def test_code_tuples_are_read_from_their_literal_types() -> None:
    assert get_args(codes.NodeSite) == codes.NODE_SITES
    assert codes.FOUND_BY == ("sentinel", "dissection", "needle_biopsy", "imaging")
    assert codes.GRADES == (1, 2, 3)
    assert codes.RECEPTOR_STATUSES == ("positive", "negative")
    assert set(codes.EXCISED) <= set(codes.FOUND_BY)
    assert "de_novo_metastatic" in codes.EVENT_CLASSES


def test_deprecated_aliases_translate_into_the_vocabulary() -> None:
    every_code = {*codes.PROCEDURES, *codes.RECEPTOR_STATUSES}
    assert {codes.canonical(a) for a in codes.ALIASES} <= every_code
    assert codes.canonical("sln") == "sentinel"
    assert codes.canonical("alnd") == "dissection"
    assert codes.canonical("sentinel") == "sentinel"


def test_node_thresholds_are_the_ajcc_ones_and_staging_agrees() -> None:
    from axilla.staging import nodes

    assert (codes.ITC_MAX_MM, codes.MICROMET_MAX_MM, codes.ITC_MAX_CELLS) == (0.2, 2.0, 200)
    assert (nodes.ITC_MAX_MM, nodes.MICRO_MAX_MM, nodes.ITC_MAX_CELLS) == (0.2, 2.0, 200)


@pytest.mark.parametrize(("r", "text"), [
    (Range(0, 200, "mm", note="0 = no tumour in the node"),
     "0 to 200 mm (0 = no tumour in the node)"),
    (Range(0, 100, whole=True), "a whole number from 0 to 100"),
    (Range(0, 500, "mm", lo_open=True), "greater than 0 to 500 mm"),
])
def test_range_in_words(r: Range, text: str) -> None:
    assert r.describe() == text


def test_range_membership_by_hand() -> None:
    r = Range(0, 500, "mm", lo_open=True)
    assert not r.contains(0) and r.contains(0.1) and r.contains(500) and not r.contains(500.1)
    w = Range(0, 100, whole=True)
    assert w.contains(3) and not w.contains(3.5) and not w.contains(float("nan"))


def _schema_of(schema: dict[str, Any], defs: dict[str, Any], path: str) -> dict[str, Any]:
    node = schema
    for part in path.split("."):
        while "$ref" in node or "anyOf" in node or "allOf" in node:
            if "$ref" in node:
                node = defs[node["$ref"].rsplit("/", 1)[1]]
            else:
                node = next(n for n in node.get("anyOf", node.get("allOf", []))
                            if n.get("type") != "null")
        if node.get("type") == "array":
            node = node["items"]
            while "$ref" in node:
                node = defs[node["$ref"].rsplit("/", 1)[1]]
        node = node["properties"][part]
    while "anyOf" in node:
        node = next(n for n in node["anyOf"] if n.get("type") != "null")
    return node["items"] if node.get("type") == "array" else node


@pytest.mark.parametrize("path", sorted(RANGES))
def test_every_range_reaches_the_json_schema(path: str) -> None:
    schema = Case.model_json_schema()
    node = _schema_of(schema, schema["$defs"], path)
    r = RANGES[path]
    assert node["maximum"] == r.hi
    assert node.get("exclusiveMinimum" if r.lo_open else "minimum") == r.lo
    assert node["type"] == ("integer" if r.whole else "number")


def test_codes_reach_the_json_schema_as_enums() -> None:
    schema = Case.model_json_schema()
    site = _schema_of(schema, schema["$defs"], "nodes.site")
    assert tuple(site["enum"]) == codes.NODE_SITES
    grade = _schema_of(schema, schema["$defs"], "tumour.grade")
    assert tuple(grade["enum"]) == codes.GRADES


@pytest.mark.parametrize(("form_name", "path"), [
    ("patient.age_years", "patient.age_years"),
    ("tumour.ki67_percent", "tumour.ki67_percent"),
    ("procedure.nodes_removed", "procedure.nodes_removed"),
    ("treatment.mean_heart_dose_gy", "treatment.mean_heart_dose_gy"),
    ("nodes[3].deposit_mm", "nodes.deposit_mm"),
    ("nodes[0].cells_per_section", "nodes.cells_per_section"),
])
def test_form_hints_come_from_the_ranges(form_name: str, path: str) -> None:
    f, r = ALL_FIELDS[form_name], RANGES[path]
    assert (f.lo, f.hi) == (r.lo, r.hi)
    assert f.step == ("1" if r.whole else "any")
    assert r.describe()[1:] in f.help


def test_range_of_ignores_list_positions() -> None:
    assert range_of("nodes.7.deposit_mm") is RANGES["nodes.deposit_mm"]
    assert range_of("tumour.invasive_sizes_mm.2") is RANGES["tumour.invasive_sizes_mm"]
    assert range_of("guidance_facts.size_mm") is None


def test_out_of_range_refusal_quotes_the_range() -> None:
    case = json.loads(json.dumps(EXAMPLE_A))
    case["nodes"][1]["deposit_mm"] = 250
    with pytest.raises(InputError) as info:
        parse_case(case)
    (p,) = info.value.problems
    assert (p.field, p.value) == ("nodes.1.deposit_mm", 250)
    assert p.reason.endswith("valid: 0 to 200 mm (0 = no tumour in the node)")
