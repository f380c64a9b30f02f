"""Result models of the guidance engine: recommendations with rule id, strength and citation.

Source: axilla guidance specification section 0 (rule record, strength vocabulary); DESIGN.md
(provenance: every recommendation carries its rule id and citation).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field


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
    #: Date of the guideline text this rule was checked against (ISO date), or None if unchecked.
    text_date: str | None = None
    #: The guideline's own verb, as checked (e.g. "offer", "consider", "do not offer").
    wording: str | None = None

    def __str__(self) -> str:
        text = " ".join(p for p in (self.guideline, self.number, self.year_tag) if p)
        return f"{text} ({self.note})" if self.note else text


CaveatKind = Literal["pregnancy", "primary_treatment", "new_primary"]


class Caveat(BaseModel):
    """A qualification another rule puts on a recommendation (e.g. pregnancy defers it).

    ``rule_id`` is the rule that states the caveat; its citation is ``cite``.
    """

    model_config = ConfigDict(frozen=True)

    kind: CaveatKind
    rule_id: str
    text: str
    cite: str


class Recommendation(BaseModel):
    """One rule that fired, with the facts that made it fire.

    ``caveats``: qualifications other rules put on it (pregnancy, an event during primary
    treatment, a new primary), each to be shown beside it. ``conditional_on``: where the
    guideline does not decide this case (e.g. NICE silent on micrometastases), the ambiguity in
    words; the recommendation then holds only on that condition.
    """

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
    caveats: tuple[Caveat, ...] = ()
    conditional_on: str | None = None


class Undecided(BaseModel):
    """A rule left open because facts it needs are missing: "to decide once X is known"."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    missing: tuple[str, ...]
    strength: str = ""
    text: str = ""
    cite: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def decide_once(self) -> str:
        """The pending decision in words, naming the facts still needed."""
        return "to decide once " + " and ".join(self.missing) + " " + (
            "is known" if len(self.missing) == 1 else "are known")


class Assumption(BaseModel):
    """A fact not given and taken at its default (an exception fact left unticked is false)."""

    model_config = ConfigDict(frozen=True)

    field: str
    value: Any
    text: str


class Conflict(BaseModel):
    """A fact given directly that disagrees with the facts it derives from; treated as unknown."""

    model_config = ConfigDict(frozen=True)

    field: str
    given: Any
    derived: Any
    sources: tuple[str, ...]
    text: str


class GuidanceResult(BaseModel):
    """All recommendations that fired for one set of facts, in topic order, with provenance."""

    model_config = ConfigDict(frozen=True)

    ruleset_version: str
    recommendations: tuple[Recommendation, ...]
    undecided: tuple[Undecided, ...] = ()
    derived: dict[str, Any] = {}
    parameters: dict[str, Any] = {}
    assumptions: tuple[Assumption, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

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
