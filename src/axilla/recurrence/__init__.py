"""Recurrence engine: classification of a recurrence event and the risk-factor checklist.

Source: spec recurrence.md §1 (classes) and §5 (checklist, never a score). The guidance engine
owns every rule id, citation and NICE criterion; this package only states facts about the event
(``RecurrenceClassification.guidance_facts``) for it.
"""

from __future__ import annotations

from axilla.recurrence.classify import (
    EARLY_RECURRENCE_MAX_MONTHS,
    RecurrenceClassification,
    classify_recurrence,
    guidance_distant_sites,
)
from axilla.recurrence.risk_factors import (
    RISK_FACTORS,
    RiskFactor,
    RiskFactorDefinition,
    RiskFactorSummary,
    risk_factor_columns,
    risk_factor_summary,
)

__all__ = [
    "EARLY_RECURRENCE_MAX_MONTHS",
    "RISK_FACTORS",
    "RecurrenceClassification",
    "RiskFactor",
    "RiskFactorDefinition",
    "RiskFactorSummary",
    "classify_recurrence",
    "guidance_distant_sites",
    "risk_factor_columns",
    "risk_factor_summary",
]
