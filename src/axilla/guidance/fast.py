"""Typed guidance results built straight from the compiled rule function's output.

Everything that depends only on the rule set is made once a rule set: the rule function
(``program``), and for every rule (and variant) the checked fields of its Recommendation and
Undecided, for every caveat rule its Caveat, for every defaulted field its Assumption. A case
then only adds its own values (deciding facts, missing fields, conditional_on, caveats) and
builds each model without re-validating values that were checked at load: the same field values,
types and ``model_fields_set`` as the validated constructors of ``engine.evaluate`` give
(tests check identical results against the interpreted reference).
Source: axilla guidance specification section 0 (rule record); DESIGN.md (provenance).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from axilla import typed
from axilla.guidance import derive
from axilla.guidance.models import (
    Assumption,
    Caveat,
    Conflict,
    GuidanceResult,
    Recommendation,
    Undecided,
)
from axilla.guidance.program import Program, build_program, decode
from axilla.guidance.rules import RuleSet
from axilla.typed import M, built


def _built(cls: type[M], values: dict[str, Any], fields_set: frozenset[str]) -> M:
    """A model from already-checked values in field order; ``fields_set`` as the validated
    constructor records."""
    return built(cls, values, fields_set)


def _template(model: BaseModel) -> tuple[dict[str, Any], frozenset[str]]:
    return dict(model.__dict__), frozenset(model.model_fields_set)


@dataclass(frozen=True)
class Tables:
    """What a rule set's results are built from, made once a rule set."""

    program: Program
    #: per rule: Recommendation fields for each variant, then for no variant (index -1), with
    #: the fields set without caveats and with them (each set shared by the records of the
    #: rule set, as their frozen field values are; nothing adds to a record's set once built)
    recommendations: tuple[tuple[tuple[dict[str, Any], set[str], set[str]], ...], ...]
    undecided: tuple[tuple[dict[str, Any], frozenset[str]], ...]
    #: per rule: its Caveat (a frozen record, the same for every recommendation it covers)
    caveats: tuple[Caveat | None, ...]
    derived_mask: int  # bits of the derived fields (missing ones are asked for by source)
    #: every base fact a derivation reads (derive.SOURCES): which of them a case lacks decides
    #: what a missing derived field is asked for by (``engine._base_facts``)
    sources: tuple[str, ...]
    #: per rule: the caveat rules (indices) whose caveat covers its recommendation
    covered_by: tuple[frozenset[int], ...]
    #: mask -> the names of its bits in sorted order, filled as masks are met
    named: dict[int, tuple[str, ...]]
    #: per field with a default: (the default, its Assumption: a frozen record of the rule set)
    assumptions: dict[str, tuple[object, Assumption]]
    #: per rule: missing mask (or mask and absent sources) -> its Undecided waiting on those
    #: fields: a frozen record of the rule set (the rule's fields and the names), filled as met
    waiting: tuple[dict[object, Undecided], ...]


def _recommendation_templates(rules: RuleSet, rule: Any) -> tuple:
    out = []
    for variant in (*rule.variants, None):
        out.append(_sets(_template(Recommendation(
            id=rule.id, topic=rule.topic,
            strength=(variant.strength or rule.strength) if variant else rule.strength,
            source_kind=rule.source_kind, text=variant.text if variant else rule.text,
            cite=str(rule.citation), citation=rule.citation, facts={},
            variant=variant.name if variant else None, note=rule.note,
            uncertain=rule.uncertain, also_fires=rule.also_fires, conditional_on=None))))
    return tuple(out)


def _sets(template: tuple[dict[str, Any], frozenset[str]]
          ) -> tuple[dict[str, Any], set[str], set[str]]:
    return template[0], set(template[1]), {*template[1], "caveats"}


def build_tables(rules: RuleSet) -> Tables:
    """The rule function and the per-rule model fields of ``rules``."""
    program = build_program(rules)
    caveats = tuple(None if (spec := rule.caveat) is None else Caveat(
        kind=spec.kind, rule_id=rule.id, text=spec.text, cite=str(rule.citation))
        for rule in rules.rules)
    derived = {f.name for f in rules.fields.values() if f.derived}
    covered_by = tuple(frozenset(
        c for c, held in enumerate(rules.rules) if held.caveat is not None and held.id != r.id
        and held.caveat.covers_rule(r.topic, r.id)) for r in rules.rules)
    return Tables(
        program=program,
        recommendations=tuple(_recommendation_templates(rules, r) for r in rules.rules),
        undecided=tuple(_template(Undecided(
            id=r.id, topic=r.topic, missing=(), strength=r.strength, text=r.text,
            cite=str(r.citation))) for r in rules.rules),
        caveats=caveats,
        derived_mask=sum(1 << i for i, n in enumerate(program.names) if n in derived),
        sources=tuple(sorted({s for names in derive.SOURCES.values() for s in names})),
        covered_by=covered_by,
        named={},
        assumptions={name: (value, Assumption(field=name, value=value,
                                              text=assumption_text(name, value)))
                     for name, value in rules.defaults},
        waiting=tuple({} for _ in rules.rules),
    )


_TABLES: dict[int, tuple[RuleSet, Tables]] = {}


def tables(rules: RuleSet) -> Tables:
    """The tables of ``rules``, built on first use and kept with the rule set."""
    held = _TABLES.get(id(rules))
    if held is None or held[0] is not rules:
        held = _TABLES[id(rules)] = (rules, build_tables(rules))
    return held[1]


def recommendations(t: Tables,
                    fired: list[tuple[int, int, int | dict[str, object], int, str | None]],
                    facts: Mapping[str, object]) -> tuple[Recommendation, ...]:
    """The fired rules' recommendations in display order, each with the caveats the fired
    caveat rules put on it (``annotations.add_caveats``)."""
    fired.sort(key=_RANK)  # ranks are unique: the order of sorting the tuples
    names, templates, caveats, covered_by = (
        t.program.names, t.recommendations, t.caveats, t.covered_by)
    covering = [(f[1], c) for f in fired if (c := caveats[f[1]]) is not None]
    named = t.named
    new, set_dict, set_fields, set_extra, set_private = (  # locals in the loop
        typed.new, typed.set_dict, typed.set_fields_set, typed.set_extra, typed.set_private)
    out = []
    for _, k, mask, variant, conditional in fired:
        values, fields_set, with_caveats = templates[k][variant]
        values = values.copy()
        if isinstance(mask, dict):  # the facts, given by the rule function (a literal mask)
            values["facts"] = mask
        else:
            held = named.get(mask)
            if held is None:  # the mask's names, in sorted order (a function of the rule set)
                held = _named(named, mask, names)
            values["facts"] = shown = {}  # a list for a tuple value (a list field's)
            for name in held:  # a loop, not a comprehension: no function made a rule
                v = facts[name]
                shown[name] = list(v) if v.__class__ is tuple else v  # checked: exact tuples
        values["conditional_on"] = conditional
        rec = new(Recommendation)  # ``_built``, inline (once a rule)
        set_dict(rec, values)
        set_fields(rec, fields_set)
        set_extra(rec, None)
        set_private(rec, None)
        if covering:  # the fired caveat rules covering this rule, in display order
            mine = covered_by[k]
            found = tuple(cav for c, cav in covering if c in mine)
            if found:  # as ``annotations.add_caveats`` (model_copy with an update)
                values["caveats"] = found
                set_fields(rec, with_caveats)
        out.append(rec)
    return tuple(out)


_RANK = operator.itemgetter(0)
_WAITING_LIMIT = 256  # records kept a rule (each for a subset of its fields)
_NAMED_LIMIT = 4096  # masks kept a rule set (each a subset of one rule's fields)


def _named(named: dict[int, tuple[str, ...]], mask: int, names: tuple[str, ...]
           ) -> tuple[str, ...]:
    """The names of ``mask``'s bits, kept in ``named`` (keyed by mask only: a function of the
    rule set's field table, never of a case)."""
    held = tuple(decode(mask, names))
    if len(named) < _NAMED_LIMIT:
        named[mask] = held
    return held


def pending(t: Tables, undecided: list[tuple[int, int, int]], facts: Mapping[str, object],
            asked: Any) -> tuple[Undecided, ...]:
    """The undecided rules in file order; ``asked(names)`` turns missing derived fields into
    the base facts to ask for (``engine._base_facts``).

    An Undecided is the rule's fields and the names it waits on, nothing else of the case:
    each (rule, names) pair's record is built once a rule set and shared (frozen, like the
    Assumption records), keyed by the missing mask; where a derived field is missing, by the
    mask and the base facts of the derivations the facts lack (which decide the names asked
    for), worked out once a case and only then.
    """
    undecided.sort(key=_RANK)
    derived_mask, waiting = t.derived_mask, t.waiting
    absent = -1  # bits of ``t.sources`` not in the facts, once needed
    out = []
    for _, k, mask in undecided:
        key: object = mask  # an int; (mask, absent sources) where a derived field is missing
        if mask & derived_mask:
            if absent < 0:
                absent = _absent(t.sources, facts)
            key = (mask, absent)
        held = waiting[k].get(key)
        if held is None:
            held = _waiting(t, k, tuple(sorted(asked(_names(t, mask)))) if mask & derived_mask
                            else _names(t, mask), key)
        out.append(held)
    return tuple(out)


def _absent(sources: tuple[str, ...], facts: Mapping[str, object]) -> int:
    """The bits of the derivations' base facts that ``facts`` lack (a mask over ``sources``)."""
    absent, bit = 0, 1
    for name in sources:
        if name not in facts:
            absent |= bit
        bit <<= 1
    return absent


def _names(t: Tables, mask: int) -> tuple[str, ...]:
    held = t.named.get(mask)
    return _named(t.named, mask, t.program.names) if held is None else held


def _waiting(t: Tables, k: int, missing: Any, key: object) -> Undecided:
    """Rule ``k``'s Undecided waiting on ``missing``, kept in ``t.waiting`` (bounded)."""
    values, fields_set = t.undecided[k]
    record = _built(Undecided, {**values, "missing": missing}, fields_set)
    if len(t.waiting[k]) < _WAITING_LIMIT:
        t.waiting[k][key] = record
    return record


_ASSUMPTION_SET = frozenset({"field", "value", "text"})
_RESULT_SET = frozenset(GuidanceResult.model_fields)


def assumption_text(name: str, value: object) -> str:
    """A fact not given, taken at its default, in words."""
    shown = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
    return f"{name} not given: taken as {shown}"


def assumptions(t: Tables, defaulted: Mapping[str, object]) -> tuple[Assumption, ...]:
    """The facts taken at their defaults (as the validated ``Assumption``): the rule set's
    record of each default, shared (frozen; the same for every case that leaves it unset)."""
    held_at = t.assumptions
    out = []
    for name, value in defaulted.items():
        held = held_at.get(name)
        out.append(held[1] if held is not None and held[0] is value else _built(
            Assumption, {"field": name, "value": value, "text": assumption_text(name, value)},
            _ASSUMPTION_SET))
    return tuple(out)


def result(version: str, recs: tuple[Recommendation, ...], undecided: tuple[Undecided, ...],
           derived: dict[str, Any], parameters: dict[str, Any],
           assumptions: tuple[Assumption, ...], conflicts: tuple[Conflict, ...]
           ) -> GuidanceResult:
    """The GuidanceResult of already-built parts."""
    return _built(GuidanceResult, {
        "ruleset_version": version, "recommendations": recs, "undecided": undecided,
        "derived": derived, "parameters": parameters, "assumptions": assumptions,
        "conflicts": conflicts}, _RESULT_SET)
