"""The import report: facts found (with their FHIR source), facts missing, conflicts, unit
conversions. A conflict marks the case as needing review (spec fhir.md section 1, rule 4)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FoundFact(BaseModel):
    """One case fact and the FHIR element it came from."""

    field: str
    value: Any
    source: str = Field(description="ResourceType/id of the resource it came from")
    path: str = Field(description="FHIR element path inside that resource")
    note: str | None = None


class MissingFact(BaseModel):
    """A case fact not in the bundle (it stays missing; engines apply their defaults)."""

    field: str
    reason: str = "not in bundle"


class Conflict(BaseModel):
    """Two sources disagree, or a resource had to be set aside; the case needs review."""

    kind: str
    message: str
    sources: list[str] = Field(default_factory=list)


class Conversion(BaseModel):
    """A unit conversion made on import (e.g. cm -> mm)."""

    field: str
    source: str
    original: str
    converted: str


class ImportReport(BaseModel):
    """What the importer read, what it could not find, and what a person must check."""

    patient: str | None = None
    found: list[FoundFact] = Field(default_factory=list)
    missing: list[MissingFact] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    conversions: list[Conversion] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    node_level: str = Field("none", description="per-node, counts, n-category or none")
    not_assessable: list[str] = Field(
        default_factory=list, description="Why no case could be built from the bundle")

    @property
    def needs_review(self) -> bool:
        return bool(self.conflicts)

    def fact(self, field: str) -> FoundFact | None:
        """The found fact of this name, if any."""
        return next((f for f in self.found if f.field == field), None)

    def value(self, field: str) -> Any:
        f = self.fact(field)
        return None if f is None else f.value

    def conflict_kinds(self) -> set[str]:
        return {c.kind for c in self.conflicts}

    def as_dict(self) -> dict[str, Any]:
        return {**self.model_dump(mode="json"), "needs_review": self.needs_review}

    def lines(self) -> list[str]:
        """The report as plain lines for a terminal."""
        out = [f"patient: {self.patient or 'not found'}; node findings from: {self.node_level}"]
        out += [f"found {f.field} = {f.value} ({f.source} {f.path})"
                + (f" [{f.note}]" if f.note else "") for f in self.found]
        out += [f"missing {m.field}: {m.reason}" for m in self.missing]
        out += [f"converted {c.field}: {c.original} -> {c.converted} ({c.source})"
                for c in self.conversions]
        out += [f"warning: {w}" for w in self.warnings]
        out += [f"CONFLICT [{c.kind}] {c.message} ({', '.join(c.sources)})"
                for c in self.conflicts]
        out += [f"not assessable: {r}" for r in self.not_assessable]
        out.append("needs review: " + ("yes" if self.needs_review else "no"))
        return out
