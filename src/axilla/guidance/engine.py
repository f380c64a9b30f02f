"""Evaluate the guidance rule set on one case's facts: which recommendations fire, and why.

Source: axilla guidance specification (NICE NG101, CG81, DG34/DG58 rules with labelled practice
and inference rules); applicability gates of section 0.3 are the rule files' ``applies_when``.
Pure: the rule set is read once from the packaged YAML; evaluation does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from axilla.errors import FieldProblem, InputError
from axilla.guidance import derive, fast
from axilla.guidance.annotations import CaveatSpec, add_caveats, conditional_on
from axilla.guidance.conditions import Context, Outcome
from axilla.guidance.consistency import Contradiction, contradictions
from axilla.guidance.models import (
    Assumption,
    Conflict,
    GuidanceResult,
    Recommendation,
    Undecided,
)
from axilla.guidance.rules import Rule, RuleSet, Variant, packaged_rule_set
from axilla.guidance.schema import validate_facts


@cache
def load_rules() -> RuleSet:
    """The packaged rule set, loaded and checked once."""
    return packaged_rule_set()


def resolve_params(rules: RuleSet, overrides: Mapping[str, Any] | None) -> dict[str, object]:
    """Rule-set parameters: packaged defaults with a unit's overrides (checked)."""
    params = rules.param_defaults.copy()
    if not overrides:
        return params
    problems = []
    for name, value in (overrides or {}).items():
        spec = rules.params.get(name)
        if spec is None:
            reason = f"unknown parameter; one of {', '.join(params)}"
            problems.append(FieldProblem(name, value, reason))
        elif spec.type == "bool" and not isinstance(value, bool):
            problems.append(FieldProblem(name, value, "must be true or false"))
        elif spec.type != "bool" and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            problems.append(FieldProblem(name, value, "must be a number"))
        else:
            params[name] = value
    if problems:
        raise InputError(problems)
    return params


def _choose_variant(rule: Rule, ctx: Context) -> tuple[Variant | None, Outcome]:
    """First variant whose condition is true; unknown variants are skipped."""
    missing: set[str] = set()
    for variant in rule.variants:
        if variant.when is None:
            return variant, Outcome(True)
        out = variant.when.evaluate(ctx)
        if out.value is True:
            return variant, out
        if out.value is None:
            missing |= out.missing
    return None, Outcome(None if missing else False, {}, frozenset(missing))


def evaluate(
    facts: Mapping[str, Any],
    *,
    params: Mapping[str, Any] | None = None,
    rules: RuleSet | None = None,
    compiled: bool = True,
) -> GuidanceResult:
    """Recommendations that fire for a flat facts mapping (field names of fields.yaml).

    Facts are validated (InputError names field, value and what is allowed); derived fields are
    computed only when not given; absent facts never make a rule fire. The rules run as one
    compiled function (``program``) with results built from per-rule templates (``fast``);
    ``compiled=False`` walks the condition trees and validates every model instead: the
    reference the fast path is checked against (same result).
    """
    rules = load_rules() if rules is None else rules
    clean = validate_facts(facts, rules.fields)
    values = resolve_params(rules, params)
    taken = []  # the facts not given (absent or null) that take their default
    for name, default in rules.defaults:
        if name not in clean:
            clean[name] = default
            taken.append(name)
    derived_fields = rules.derived_fields
    contradicted = contradictions(clean)
    unknown = {f for c in contradicted for f in c.fields} if contradicted else None
    full, derived, disagreements = derive.complete(
        {k: v for k, v in clean.items() if k not in unknown} if unknown else clean,
        derived_fields)
    defaulted = {}
    for name in taken:  # a loop, not a comprehension (no function made a case)
        if name not in derived:
            defaulted[name] = clean[name]
    conflicts = (*map(_contradiction, contradicted), *map(_conflict, disagreements)
                 ) if contradicted or disagreements else ()
    if compiled:
        t = fast.tables(rules)
        fired_at, undecided_at = t.program.run(full, values)
        return fast.result(
            rules.version, fast.recommendations(t, fired_at, full),
            fast.pending(t, undecided_at, full, _Asker(derived_fields, full)),
            {**defaulted, **derived}, values,
            fast.assumptions(t, defaulted), conflicts)

    fired: dict[str, dict[str, object]] = {}
    undecided: dict[str, frozenset[str]] = {}
    chosen: dict[str, Variant | None] = {}
    conditional: dict[str, str | None] = {}
    gates: dict[int, Outcome] = {}  # a file's gate reads facts only: evaluated once
    for rule in rules.rules:
        ctx = Context(full, values, fired, undecided)
        if rule.gate is not None:
            gate = gates.get(id(rule.gate))
            if gate is None:
                gate = rule.gate.evaluate(ctx)
                if not rule.gate.rule_refs():
                    gates[id(rule.gate)] = gate
            if gate.value is not True:
                if gate.value is None:
                    undecided[rule.id] = gate.missing
                continue
        out = rule.when.evaluate(ctx)
        variant = None
        if out.value is True and rule.variants:
            variant, vout = _choose_variant(rule, ctx)
            out = Outcome(vout.value, {**out.facts, **vout.facts}, vout.missing)
        if out.value is True:
            fired[rule.id] = dict(out.facts)
            chosen[rule.id] = variant
            conditional[rule.id] = conditional_on(rule.conditional, ctx)
        elif out.value is None:
            undecided[rule.id] = out.missing

    topic_rank = {t: i for i, t in enumerate(rules.topics)}
    declared = {r: i for i, r in enumerate(rules.declared)}
    order = sorted(fired, key=lambda r: (topic_rank[rules.rule(r).topic], declared.get(r, 0)))
    recs = [_recommendation(rules.rule(r), fired[r], chosen[r], conditional[r]) for r in order]
    caveats: dict[str, tuple[CaveatSpec, str]] = {}
    for r in order:
        caveat = rules.rule(r).caveat
        if caveat is not None:
            caveats[r] = (caveat, str(rules.rule(r).citation))
    pending = tuple(
        _undecided(rules.rule(r), _base_facts(m, derived_fields, full))
        for r, m in sorted(undecided.items(), key=lambda kv: declared.get(kv[0], 0))
    )
    return GuidanceResult(
        ruleset_version=rules.version,
        recommendations=add_caveats(recs, caveats),
        undecided=pending,
        derived={**defaulted, **derived},
        parameters=values,
        assumptions=tuple(_assumption(n, v) for n, v in defaulted.items()),
        conflicts=conflicts,
    )


def _base_facts(missing: frozenset[str], derived_fields: Mapping[str, str],
                facts: Mapping[str, object]) -> frozenset[str]:
    """Missing derived fields named by the missing facts they derive from (what to ask for)."""
    out: set[str] = set()
    for name in missing:
        sources = derive.SOURCES.get(derived_fields.get(name, ""), ())
        absent = frozenset(s for s in sources if s not in facts)
        out |= _base_facts(absent, derived_fields, facts) if absent else {name}
    return frozenset(out)


class _Asker:
    """``_base_facts`` of one case's facts, name by name, each name's answer kept for this
    case's undecided rules (several wait on the same derived field)."""

    def __init__(self, derived_fields: Mapping[str, str], facts: Mapping[str, object]):
        self.derived_fields, self.facts = derived_fields, facts
        self.kept: dict[str, frozenset[str]] = {}

    def __call__(self, missing: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for name in missing:
            held = self.kept.get(name)
            if held is None:
                held = self.kept[name] = _base_facts(
                    frozenset((name,)), self.derived_fields, self.facts)
            out |= held
        return out


def _undecided(rule: Rule, missing: frozenset[str]) -> Undecided:
    return Undecided(id=rule.id, topic=rule.topic, missing=tuple(sorted(missing)),
                     strength=rule.strength, text=rule.text, cite=str(rule.citation))


def _assumption(name: str, value: object) -> Assumption:
    return Assumption(field=name, value=value, text=fast.assumption_text(name, value))


def _contradiction(c: Contradiction) -> Conflict:
    return Conflict(field=c.fields[0], given=c.values[0], derived=None, sources=c.fields[1:],
                    text=f"{', '.join(c.fields)}: {c.text}; treated as unknown until resolved")


def _conflict(d: derive.Disagreement) -> Conflict:
    sources = ", ".join(d.sources)
    outcome = ("the given value is kept (clinician-set)" if d.kept
               else "treated as unknown until resolved")
    return Conflict(field=d.field, given=d.given, derived=d.derived, sources=d.sources,
                    text=f"{d.field} given as {d.given} but {sources} imply {d.derived}: "
                         f"{outcome}")


def _recommendation(
    rule: Rule, facts: dict[str, object], variant: Variant | None, conditional: str | None
) -> Recommendation:
    return Recommendation(
        id=rule.id,
        topic=rule.topic,
        strength=(variant.strength or rule.strength) if variant else rule.strength,
        source_kind=rule.source_kind,
        text=variant.text if variant else rule.text,
        cite=str(rule.citation),
        citation=rule.citation,
        facts={k: list(v) if isinstance(v, tuple) else v for k, v in sorted(facts.items())},
        variant=variant.name if variant else None,
        note=rule.note,
        uncertain=rule.uncertain,
        also_fires=rule.also_fires,
        conditional_on=conditional,
    )
