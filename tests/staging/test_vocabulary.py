"""Refusal of bad staging input: messages name field, value and valid range (axilla.case)."""

from __future__ import annotations

import pytest

from axilla.case.staging import NodeFinding, parse_staging_case, staging_case_from_row
from axilla.errors import InputError

BASE = {"tumour": {"invasive_sizes_mm": [14]}, "procedure": {"kind": "dissection"}}


def refused(data: dict) -> InputError:
    with pytest.raises(InputError) as info:
        parse_staging_case(data)
    return info.value


@pytest.mark.parametrize(("patch", "field", "value", "words"), [
    ({"tumour": {"invasive_sizes_mm": [0]}}, "tumour.invasive_sizes_mm.0", 0, "500 mm"),
    ({"tumour": {"invasive_sizes_mm": [600]}}, "tumour.invasive_sizes_mm.0", 600, "500 mm"),
    ({"tumour": {"invasive_sizes_mm": [14], "grade": 4}}, "tumour.grade", 4, "1, 2 or 3"),
    ({"tumour": {"invasive_sizes_mm": [14], "oncotype_rs": 101}}, "tumour.oncotype_rs", 101,
     "0 to 100"),
    ({"tumour": {"invasive_sizes_mm": [14], "er": "weak"}}, "tumour.er", "weak", "positive"),
    ({"nodes": [{"deposit_mm": -0.1}]}, "nodes.0.deposit_mm", -0.1, "0 to 200 mm"),
    ({"nodes": [{"deposit_mm": 0.1, "cells_per_section": -3}]}, "nodes.0.cells_per_section",
     -3, "whole number"),
    ({"nodes": [{"site": "cervical", "deposit_mm": 1}]}, "nodes.0.site", "cervical",
     "axillary"),
    ({"m": "MX"}, "m", "MX", "cM0"),
    ({"procedure": {"kind": "dissection", "nodes_removed": 101}},
     "procedure.nodes_removed", 101, "0 to 100"),
])
def test_field_out_of_range(patch: dict, field: str, value: object, words: str) -> None:
    err = refused({**BASE, **patch})
    (p,) = err.problems
    assert p.field == field
    assert p.value == value
    assert words in p.reason
    assert field in str(err)


@pytest.mark.parametrize(("node", "field", "words"), [
    ({"tumour_present": False, "deposit_mm": 1.2}, "deposit_mm", "marked negative"),
    ({"tumour_present": False, "cells_per_section": 30}, "cells_per_section", "marked negative"),
    ({"tumour_present": False, "deposit_mm": 0, "extranodal_extension": True},
     "extranodal_extension", "marked negative"),
    ({"deposit_mm": 0, "cells_per_section": 40}, "cells_per_section", "deposit_mm is 0"),
    ({"tumour_present": True, "deposit_mm": 0}, "deposit_mm", "above 0 mm"),
    ({}, "deposit_mm", "0 for a negative node"),
    ({"method": "rtpcr", "deposit_mm": 1.0}, "method", "RT-PCR"),
    ({"deposit_mm": 3.0, "intranodal_deposit_mm": 2.0}, "intranodal_deposit_mm",
     "extranodal_extension"),
    ({"deposit_mm": 3.0, "extranodal_extension": True, "intranodal_deposit_mm": 4.0},
     "intranodal_deposit_mm", "not larger than deposit_mm"),
    ({"found_by": "imaging", "tumour_present": True}, "clinically_detected", "clinically"),
])
def test_node_cross_field_checks(node: dict, field: str, words: str) -> None:
    err = refused({**BASE, "nodes": [node]})
    (p,) = err.problems
    assert p.field == f"nodes.0.{field}"
    assert words in p.reason


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"tumour": {"invasive_sizes_mm": []}}, "tumour.invasive_sizes_mm", "at least one"),
    ({"tumour": {"primary": "dcis", "invasive_sizes_mm": [3]}}, "tumour.invasive_sizes_mm",
     "no invasive size"),
    ({"tumour": {"primary": "none", "t4_extension": "d"}}, "tumour.t4_extension", "no T4"),
    ({"tumour": {"invasive_sizes_mm": [14], "er": "negative", "er_percent": 5}},
     "tumour.er_percent", "at least 1 %"),
    ({"procedure": {"kind": "none"}, "nodes": [{"deposit_mm": 0}]}, "procedure.kind",
     "excised"),
    ({"procedure": {"kind": "sentinel", "nodes_removed": 1},
      "nodes": [{"found_by": "sentinel", "deposit_mm": 0}] * 2}, "procedure.nodes_removed",
     "fewer than"),
])
def test_case_cross_field_checks(data: dict, field: str, words: str) -> None:
    err = refused({**BASE, **data})
    (p,) = err.problems
    assert p.field == field
    assert words in p.reason


def test_several_problems_are_reported_together() -> None:
    err = refused({"tumour": {"invasive_sizes_mm": [14], "grade": 5},
                   "nodes": [{"deposit_mm": 999}], "procedure": {"kind": "dissection"}})
    assert {p.field for p in err.problems} == {"tumour.grade", "nodes.0.deposit_mm"}


def test_models_are_frozen() -> None:
    node = NodeFinding(deposit_mm=1.0)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        node.deposit_mm = 2.0  # type: ignore[misc]


def test_er_from_percent() -> None:
    case = parse_staging_case({**BASE, "tumour": {"invasive_sizes_mm": [14], "er_percent": 1}})
    assert case.tumour.receptor("er") == "positive"
    case = parse_staging_case({**BASE, "tumour": {"invasive_sizes_mm": [14], "er_percent": 0.5}})
    assert case.tumour.receptor("er") == "negative"


ROW = {"case_id": "X", "neoadjuvant": "0", "primary": "invasive", "tumor_sizes_mm": "14",
       "procedure": "sln", "axillary_nodes_mm": "0;0", "im_nodes": "none", "m": "cM0"}


@pytest.mark.parametrize(("patch", "field"), [
    ({"tumor_sizes_mm": "abc"}, "tumor_sizes_mm"),
    ({"tumor_sizes_mm": "-3"}, "tumor_sizes_mm"),
    ({"axillary_nodes_mm": ""}, "axillary_nodes_mm"),
    ({"axillary_nodes_mm": "0;-1"}, "axillary_nodes_mm"),
    ({"axillary_node_cells": "10"}, "axillary_node_cells"),
    ({"procedure": "biopsy"}, "procedure"),
    ({"grade": "4"}, "grade"),
    ({"m": "M2"}, "m"),
    ({"her2": "equivocal"}, "her2"),
    ({"oncotype_rs": "11.5"}, "oncotype_rs"),
    ({"primary": "dcis"}, "tumor_sizes_mm"),
    ({"neoadjuvant": "yes"}, "neoadjuvant"),
])
def test_row_problems_name_the_column(patch: dict, field: str) -> None:
    with pytest.raises(InputError) as info:
        staging_case_from_row({**ROW, **patch})
    assert field in {p.field for p in info.value.problems}
