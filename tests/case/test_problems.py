"""One translator from pydantic errors to field problems with the full dotted path."""

from __future__ import annotations

from axilla.case.problems import dotted, problems_from_errors
from axilla.errors import FieldProblem, InputError


def test_paths_are_dotted_with_list_positions_as_numbers() -> None:
    assert dotted(("nodes", 3, "deposit_mm")) == "nodes.3.deposit_mm"
    assert dotted(("body", "tumour", "grade")) == "tumour.grade"
    assert dotted(("size_mm",), prefix="guidance_facts") == "guidance_facts.size_mm"


def test_a_plain_range_error_gets_the_range() -> None:
    (p,) = problems_from_errors([{"type": "less_than_equal", "loc": ("body", "nodes", 3,
                                  "deposit_mm"), "msg": "Input should be <= 200", "input": 900}])
    assert p == FieldProblem("nodes.3.deposit_mm", 900, "Input should be <= 200; valid: 0 to "
                             "200 mm (0 = no tumour in the node)")


def test_nested_refusals_are_expanded_under_their_model() -> None:
    inner = InputError([FieldProblem("sites", ["x"], "unknown site"),
                        FieldProblem("months_since_primary_surgery", 9, "after diagnosis")])
    found = problems_from_errors([{"type": "value_error", "loc": ("recurrence",),
                                   "msg": "Value error", "ctx": {"error": inner}}])
    assert [p.field for p in found] == ["recurrence.sites",
                                        "recurrence.months_since_primary_surgery"]


def test_axilla_field_errors_and_missing_fields() -> None:
    found = problems_from_errors([
        {"type": "axilla_field", "loc": ("nodes", 0), "msg": "",
         "ctx": {"field": "deposit_mm", "value": 3, "reason": "negative node"}},
        {"type": "missing", "loc": ("body", "procedure"), "msg": "Field required"},
    ])
    assert found == [FieldProblem("nodes.0.deposit_mm", 3, "negative node"),
                     FieldProblem("procedure", None, "required")]
