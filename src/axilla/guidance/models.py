"""Result models of the guidance engine: recommendations with rule id, strength and citation.

Source: axilla guidance specification section 0 (rule record, strength vocabulary); DESIGN.md
(provenance: every recommendation carries its rule id and citation).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Citation(BaseModel):
    """Where a recommendation comes from: guideline, recommendation number, year tag, version."""

    model_config = ConfigDict(frozen=True)

    guideline: str
    number: str | None = None
    year_tag: str | None = None
    note: str | None = None
    version: str | None = None
    url: str | None = None
    tag_verified: bool = True

    def __str__(self) -> str:
        text = " ".join(p for p in (self.guideline, self.number, self.year_tag) if p)
        return f"{text} ({self.note})" if self.note else text


class Recommendation(BaseModel):
    """One rule that fired, with the facts that made it fire."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    strength: str
    source_kind: str
    text: str
    cite: str
    citation: Citation
    facts: dict[str, Any]
    variant: str | None = None
    note: str | None = None
    uncertain: str | None = None
    also_fires: tuple[str, ...] = ()


class Undecided(BaseModel):
    """A rule that could not be decided because facts it needs are missing."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    missing: tuple[str, ...]


class GuidanceResult(BaseModel):
    """All recommendations that fired for one set of facts, in topic order, with provenance."""

    model_config = ConfigDict(frozen=True)

    ruleset_version: str
    recommendations: tuple[Recommendation, ...]
    undecided: tuple[Undecided, ...] = ()
    derived: dict[str, Any] = {}
    parameters: dict[str, Any] = {}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.recommendations)

    @property
    def by_topic(self) -> dict[str, tuple[Recommendation, ...]]:
        """Recommendations grouped by topic, topics in rule-set order (empty topics left out)."""
        grouped: dict[str, list[Recommendation]] = {}
        for rec in self.recommendations:
            grouped.setdefault(rec.topic, []).append(rec)
        return {topic: tuple(recs) for topic, recs in grouped.items()}

    def get(self, rule_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == rule_id), None)
