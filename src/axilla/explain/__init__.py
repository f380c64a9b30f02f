"""Presentation of results for two readers: clinician lines, patient sentences, glossary, charts.

Patient texts come from the message catalogue (``messages/<lang>.yaml``); see docs/explain.md.
"""

from axilla.explain.catalogue import available_languages, catalogue, message
from axilla.explain.charts import icon_array_svg, icon_counts, survival_curves_svg
from axilla.explain.glossary import GLOSSARY_TERMS, GlossaryEntry, glossary, glossary_entry
from axilla.explain.texts import (
    Explanation,
    explain_cts5,
    explain_node_category,
    explain_npi,
    explain_pn_category,
    explain_predict_survival,
    explain_recommendation_strength,
    explain_recurrence_class,
    explain_stage_group,
)

__all__ = [
    "GLOSSARY_TERMS",
    "Explanation",
    "GlossaryEntry",
    "available_languages",
    "catalogue",
    "explain_cts5",
    "explain_node_category",
    "explain_npi",
    "explain_pn_category",
    "explain_predict_survival",
    "explain_recommendation_strength",
    "explain_recurrence_class",
    "explain_stage_group",
    "glossary",
    "glossary_entry",
    "icon_array_svg",
    "icon_counts",
    "message",
    "survival_curves_svg",
]
