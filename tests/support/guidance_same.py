"""The compiled guidance path checked against the interpreted reference, for any facts.

Exactly: equal models, equal ``repr`` (so equal types: True is not 1, a tuple is not a list),
equal JSON and the same ``model_fields_set`` on every model.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from pydantic import BaseModel

from axilla.guidance import evaluate

#: The packaged rule set's header file, for small test rule files loaded beside it.
RULESET = resources.files("axilla.guidance").joinpath("ruleset.yaml").read_text("utf-8")


def _fields_sets(value: Any) -> list[tuple[str, frozenset[str]]]:
    """Every model inside ``value`` with the fields it records as set, in order."""
    if isinstance(value, BaseModel):
        out = [(type(value).__name__, frozenset(value.model_fields_set))]
        for name in type(value).model_fields:
            out += _fields_sets(getattr(value, name))
        return out
    if isinstance(value, tuple | list):
        return [s for v in value for s in _fields_sets(v)]
    return []


def assert_same(facts: dict[str, Any], **options: Any) -> Any:
    """The result of ``evaluate(facts)``, after checking it equals the reference's."""
    fast = evaluate(facts, **options)
    reference = evaluate(facts, compiled=False, **options)
    assert fast == reference
    assert repr(fast) == repr(reference)
    assert fast.model_dump_json() == reference.model_dump_json()
    assert _fields_sets(fast) == _fields_sets(reference)
    return fast
