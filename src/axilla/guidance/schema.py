"""The guidance field schema: owned by the case vocabulary (``axilla.case.facts``), re-exported
here so that ``axilla.guidance.schema`` keeps working."""

from axilla.case.facts import (
    FIELD_TYPES,
    FieldSpec,
    FieldType,
    load_fields,
    parse_fields,
    validate_facts,
)

__all__ = ["FIELD_TYPES", "FieldSpec", "FieldType", "load_fields", "parse_fields",
           "validate_facts"]
