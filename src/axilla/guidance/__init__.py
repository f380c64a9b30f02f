"""Guidance engine: NICE NG101 / CG81 / DG34 rules (plus labelled practice and inference rules).

Public API: ``evaluate(facts) -> GuidanceResult``, ``load_rules()``, ``validate_facts(facts)``,
``FIELDS`` (the field schema, case/fields.yaml, owned by ``axilla.case.facts``) and
``RULESET_VERSION``. Rules live in ``guidance/rules/*.yaml``; the condition language is
described in docs/guidance.md.
Source: axilla guidance specification (guidance.md) and the NICE guidance it cites.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from axilla.case.facts import FieldSpec, load_fields
from axilla.case.facts import validate_facts as _validate_against
from axilla.guidance.engine import evaluate, load_rules
from axilla.guidance.models import (
    Assumption,
    Caveat,
    Citation,
    Conflict,
    GuidanceResult,
    Recommendation,
    Undecided,
)

#: The field schema: every fact a condition may use, with type, allowed values and unit.
FIELDS: Mapping[str, FieldSpec] = load_fields()

#: Version of the rule set (ruleset.yaml); recorded with every assessment.
RULESET_VERSION: str = str(
    yaml.safe_load(
        resources.files("axilla.guidance").joinpath("ruleset.yaml").read_text("utf-8")
    )["version"]
)


def validate_facts(facts: Mapping[str, Any]) -> dict[str, object]:
    """Check a facts mapping against FIELDS; return it normalised or raise InputError."""
    return _validate_against(facts, FIELDS)


__all__ = [
    "FIELDS",
    "RULESET_VERSION",
    "Assumption",
    "Caveat",
    "Citation",
    "Conflict",
    "FieldSpec",
    "GuidanceResult",
    "Recommendation",
    "Undecided",
    "evaluate",
    "load_rules",
    "validate_facts",
]
