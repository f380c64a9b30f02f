"""PREDICT Breast: every published version, one engine, coefficients in data files.

    compute(inputs, version)     columns of inputs -> PredictOutput (arrays by patient,
                                 treatment column and year)
    predict_one(inputs, version) one patient's PredictResult (typed, with provenance)
    flat_columns(output)         every quantity under the source's own column names
    benefit_table(inputs, version)  the rounded benefit table for a cohort (fast kernel)
    flat_column_blocks(inputs, version)  flat_columns block by block (bounded memory)
    available_versions()         the versions shipped; CURRENT_VERSION is the official one

Source: WintonCentre/predict-v30-r (MIT), commit 42223bc; see docs/models/predict.md.
"""

from axilla.models.predict.benefits import benefit_table
from axilla.models.predict.engine import PredictOutput, compute
from axilla.models.predict.tables import flat_column_blocks, flat_columns, r_round
from axilla.models.predict.versions import (
    CURRENT_VERSION,
    PredictVersion,
    available_versions,
    load_version,
)

__all__ = [
    "CURRENT_VERSION",
    "PredictOutput",
    "PredictVersion",
    "available_versions",
    "benefit_table",
    "compute",
    "flat_column_blocks",
    "flat_columns",
    "load_version",
    "r_round",
]
