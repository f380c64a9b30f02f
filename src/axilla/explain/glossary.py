"""Glossary: plain and clinical definitions of the terms patients meet in axilla's texts.

Source: definitions in our own words from the AJCC Cancer Staging Manual 8th edition (node
categories, pN, stage), NICE NG101 / CG81, and the project specs; stored in the message
catalogue (``messages/<lang>.yaml``, key ``glossary.<term>``) so they can be translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from axilla.explain.catalogue import DEFAULT_LANGUAGE, message

#: Terms every language must define, in display order.
GLOSSARY_TERMS: tuple[str, ...] = (
    "lymph_node",
    "axilla",
    "sentinel_node",
    "itc",
    "micrometastasis",
    "macrometastasis",
    "axillary_clearance",
    "adjuvant",
    "neoadjuvant",
    "pn_category",
    "stage",
    "grade",
    "hormone_receptor",
    "her2",
    "radiotherapy",
    "endocrine_therapy",
    "chemotherapy",
    "recurrence",
    "local_recurrence",
    "regional_recurrence",
    "distant_recurrence",
    "new_primary",
    "breast_conserving_surgery",
    "mastectomy",
    "margin",
    "overall_survival",
    "predict",
    "npi",
    "cts5",
    "lymphoedema",
    "biopsy",
    "bisphosphonate",
    "trastuzumab",
    "spread",
    "sentinel_node_biopsy",
    "supraclavicular",
    "obstetrician",
    "scan",
)


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: its display name, a plain definition for patients, a clinical one."""

    id: str
    term: str
    plain: str
    clinical: str


def glossary_entry(term_id: str, lang: str = DEFAULT_LANGUAGE) -> GlossaryEntry:
    """The entry for one term (fails loudly if the catalogue lacks it)."""
    base = f"glossary.{term_id}"
    return GlossaryEntry(
        id=term_id,
        term=message(f"{base}.term", lang),
        plain=message(f"{base}.plain", lang),
        clinical=message(f"{base}.clinical", lang),
    )


def glossary(lang: str = DEFAULT_LANGUAGE) -> tuple[GlossaryEntry, ...]:
    """Every glossary entry, in display order."""
    return tuple(glossary_entry(t, lang) for t in GLOSSARY_TERMS)
