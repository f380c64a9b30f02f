"""The assessment of a case: ``compute`` (figures, columnar over a batch) and ``present``
(words and charts), joined by ``assess`` (one case) and ``assess_many`` (a batch).

Source: the project design, "figures apart from words" and "columnar core".

``axilla.assess`` is both this package and, through ``from axilla import assess``, the
function: the package can be called like ``assess`` itself.
"""

import sys
import types
from typing import Any

from axilla.assess.model import (
    ASSESSMENT_SCHEMA_VERSION,
    Assessment,
    Charts,
    CTS5Section,
    Explanation,
    Figures,
    IndexSection,
    NPISection,
    PredictSection,
    Provenance,
    RecurrenceSection,
)
from axilla.assess.pipeline import assess, assess_many, compute
from axilla.assess.present import present
from axilla.case.assessment import Case, parse_case

__all__ = [
    "ASSESSMENT_SCHEMA_VERSION",
    "Assessment",
    "CTS5Section",
    "Case",
    "Charts",
    "Explanation",
    "Figures",
    "IndexSection",
    "NPISection",
    "PredictSection",
    "Provenance",
    "RecurrenceSection",
    "assess",
    "assess_many",
    "compute",
    "parse_case",
    "present",
]


class _CallablePackage(types.ModuleType):
    """The package ``axilla.assess``, callable as the function ``assess``."""

    def __call__(self, case: Any, **options: Any) -> Assessment:
        return assess(case, **options)


sys.modules[__name__].__class__ = _CallablePackage
