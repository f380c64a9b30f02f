"""Evaluate the guidance rule set on one case's facts: which recommendations fire, and why.

Source: axilla guidance specification (NICE NG101, CG81, DG34/DG58 rules with labelled practice
and inference rules); applicability gates of section 0.3 are the rule files' ``applies_when``.
Pure: the rule set is read once from the packaged YAML; evaluation does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from axilla.errors import FieldProblem, InputError
from axilla.guidance import derive
from axilla.guidance.annotations import CaveatSpec, add_caveats, conditional_on
from axilla.guidance.compiled import Compiled, compile_condition
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
    params = {name: spec.default for name, spec in rules.params.items()}
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


@dataclass(frozen=True)
class _CompiledRule:
    """A rule's conditions compiled once: gate, condition and variant conditions."""

    rule: Rule
    gate: Compiled | None
    gate_static: bool  # the gate reads facts only (no rule references)
    when: Compiled
    variants: tuple[tuple[Variant, Compiled | None], ...]


_COMPILED: dict[int, tuple[RuleSet, tuple[_CompiledRule, ...]]] = {}


def compiled_rules(rules: RuleSet) -> tuple[_CompiledRule, ...]:
    """The rule set's conditions as closures, compiled on first use and kept."""
    held = _COMPILED.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
    gates: dict[int, Compiled] = {}
    out = []
    for rule in rules.rules:
        gate = None
        if rule.gate is not None:
            gate = gates.setdefault(id(rule.gate), compile_condition(rule.gate))
        out.append(_CompiledRule(
            rule=rule, gate=gate,
            gate_static=rule.gate is not None and not rule.gate.rule_refs(),
            when=compile_condition(rule.when),
            variants=tuple((v, None if v.when is None else compile_condition(v.when))
                           for v in rule.variants)))
    _COMPILED[id(rules)] = (rules, tuple(out))
    return _COMPILED[id(rules)][1]


def _fire_compiled(rules: RuleSet, ctx: Context, chosen: dict[str, Variant | None],
                   conditional: dict[str, str | None]) -> None:
    """Fire the rules in order with the compiled conditions (same outcomes as the tree walk)."""
    fired, undecided = ctx.fired, ctx.undecided
    assert isinstance(fired, dict) and isinstance(undecided, dict)
    memo: dict[int, Outcome] = {}
    gates: dict[int, Outcome] = {}
    for c in compiled_rules(rules):
        if c.gate is not None:
            gate = gates.get(id(c.gate))
            if gate is None:
                gate = c.gate(ctx, memo)
                if c.gate_static:
                    gates[id(c.gate)] = gate
            if gate.value is not True:
                if gate.value is None:
                    undecided[c.rule.id] = gate.missing
                continue
        out = c.when(ctx, memo)
        variant = None
        if out.value is True and c.variants:
            variant, vout = _first_variant(c.variants, ctx, memo)
            out = Outcome(vout.value, {**out.facts, **vout.facts}, vout.missing)
        if out.value is True:
            fired[c.rule.id] = dict(out.facts)
            chosen[c.rule.id] = variant
            conditional[c.rule.id] = (conditional_on(c.rule.conditional, ctx)
                                      if c.rule.conditional else None)
        elif out.value is None:
            undecided[c.rule.id] = out.missing


def _first_variant(variants: tuple[tuple[Variant, Compiled | None], ...], ctx: Context,
                   memo: dict[int, Outcome]) -> tuple[Variant | None, Outcome]:
    """First variant whose compiled condition is true (as ``_choose_variant``)."""
    missing: set[str] = set()
    for variant, when in variants:
        if when is None:
            return variant, Outcome(True)
        out = when(ctx, memo)
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
    computed only when not given; absent facts never make a rule fire. ``compiled=False`` walks
    the condition trees instead of the compiled closures: the reference the fast path is
    checked against (same result).
    """
    rules = load_rules() if rules is None else rules
    clean = validate_facts(facts, rules.fields)
    values = resolve_params(rules, params)
    for spec in rules.fields.values():
        if spec.default is not None and spec.name not in clean:
            clean[spec.name] = spec.default
    derived_fields = {f.name: f.derived for f in rules.fields.values() if f.derived}
    contradicted = contradictions(clean)
    unknown = {f for c in contradicted for f in c.fields}
    full, derived, disagreements = derive.complete(
        {k: v for k, v in clean.items() if k not in unknown}, derived_fields)
    defaulted = {
        name: value
        for name, value in clean.items()
        if facts.get(name) is None and name not in derived
    }

    fired: dict[str, dict[str, object]] = {}
    undecided: dict[str, frozenset[str]] = {}
    chosen: dict[str, Variant | None] = {}
    conditional: dict[str, str | None] = {}
    gates: dict[int, Outcome] = {}  # a file's gate reads facts only: evaluated once
    if compiled:
        _fire_compiled(rules, Context(full, values, fired, undecided), chosen, conditional)
    for rule in () if compiled else rules.rules:
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
        conflicts=(*(_contradiction(c) for c in contradicted),
                   *(_conflict(d) for d in disagreements)),
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


def _undecided(rule: Rule, missing: frozenset[str]) -> Undecided:
    return Undecided(id=rule.id, topic=rule.topic, missing=tuple(sorted(missing)),
                     strength=rule.strength, text=rule.text, cite=str(rule.citation))


def _assumption(name: str, value: object) -> Assumption:
    shown = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
    return Assumption(field=name, value=value, text=f"{name} not given: taken as {shown}")


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
