"""The domain vocabulary of axilla, and the only place where input is validated.

One module a part of the vocabulary; every refusal names the field, the value and the valid
range. Engines downstream trust what passes here.

    codes        every code set once (node sites, found_by, T/N/M, receptors, grade, event
                 classes, node categories) and the node thresholds (0.2 mm, 2 mm, 200 cells)
    ranges       every numeric range once, with its source (pydantic bounds, OpenAPI, form, CLI)
    strict       strict types at the edge (no boolean or text read as a number, and back)
    problems     the one translator from pydantic errors to dotted-path field problems
    facts        the guidance fact schema (fields.yaml), checked when a case is parsed
    nodes, tumour, procedure, staging, assessment, recurrence   the case's parts and the case
    predict, indices   PREDICT Breast and index inputs (per patient, and over columns)
"""

from axilla.case.predict import (
    PREDICT_INPUT_RULES,
    ColumnValidation,
    PredictInputs,
    validate_predict_columns,
)

__all__ = [
    "PREDICT_INPUT_RULES",
    "ColumnValidation",
    "PredictInputs",
    "validate_predict_columns",
]
