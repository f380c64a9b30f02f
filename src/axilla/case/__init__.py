"""The domain vocabulary of axilla, and the only place where input is validated.

One module a part of the vocabulary; every refusal names the field, the value and the valid
range. Engines downstream trust what passes here.

    predict      PREDICT Breast inputs (per patient, and the same rules over columns)
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
