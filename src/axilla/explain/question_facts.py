"""The facts the patients' questions are answered from: figures and codes, no words.

Source: the pipeline's typed results (AJCC 8th node categories and stage, PREDICT Breast
benefits, the guidance rules fired and left open); the answers themselves are in
``axilla.explain.questions``.
"""

from __future__ import annotations

from typing import NamedTuple


class NodeSeen(NamedTuple):
    """One node as staged: how it was found, where, and its category (neg/itc/micro/macro/pos).

    Named tuples here and below, not frozen dataclasses: as immutable, and made several times
    faster (a frozen dataclass sets each field through ``object.__setattr__``)."""

    found_by: str
    site: str
    category: str
    size_mm: float | None = None


class Benefit(NamedTuple):
    """One PREDICT treatment at the reported year: in the plan or not, and what it adds (pp).

    ``if_added_pp`` is None where the treatment does not apply (e.g. trastuzumab for a
    HER2-negative cancer)."""

    letter: str
    chosen: bool
    benefit_pp: float
    if_added_pp: float | None


class Advice(NamedTuple):
    """One fired guidance recommendation as the questions need it (id, topic, open point).

    A named tuple rather than a frozen dataclass: an assessment makes one for each fired rule
    an answer speaks of, and a tuple is made several times faster."""

    id: str
    topic: str
    uncertain: str | None = None


class QuestionFacts(NamedTuple):
    """Everything the answers draw on, already computed by the pipeline (figures, no words)."""

    nodes: tuple[NodeSeen, ...]
    pn_category: str  # e.g. "N1mi", "N0", "NX"
    pn_modifier: str  # e.g. "(i+)"
    m: str  # e.g. "cM0"
    anatomic_stage: str | None
    prognostic_stage: str | None
    recommendations: tuple[Advice, ...]  # fired, of those an answer may speak of
    undecided: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (rule id, missing facts)
    predict_version: str | None = None
    benefits: tuple[Benefit, ...] = ()
    year: int = 10
    plan: frozenset[str] = frozenset()  # letters of the chosen treatments: r h c t b
    pregnant: bool = False
    recurrence_class: str | None = None
    recurrence_patient_text: str | None = None  # the event's explanation, already in words
    during_primary_treatment: bool = False
