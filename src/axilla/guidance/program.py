"""The whole rule set turned once into one Python function: the same Kleene logic, no tree walk.

The YAML conditions (our own, load-checked data) are written out as Python source and compiled
with ``compile()`` when a rule set is first evaluated. The function reads each fact once and
walks the rules in evaluation order (referenced rules first) with plain locals; an outcome is a
value (True, False or None = unknown) and a bit mask of field names: the deciding facts when the
value is known, the missing fields when it is not (``Outcome.facts`` and ``Outcome.missing``;
the facts of a test are its field, whose value is read back from the case's facts). It returns
the rules that fired, each with its facts mask, variant index and ``conditional_on`` text, and
the rules left undecided with their missing mask, both in evaluation order.
The conditions are written by ``writer.Writer``. The interpreted ``Condition.evaluate`` stays
the reference; tests check identical results.
Source: axilla guidance specification, section 0 (condition language, three-valued logic).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from axilla.guidance import derive
from axilla.guidance.conditions import All, AnyOf, Condition
from axilla.guidance.rules import RuleSet
from axilla.guidance.writer import Writer, union

#: (facts, params) -> (fired: [(rank, rule index, facts mask or the facts themselves, variant
#: index or -1, conditional_on)], undecided: [(rank, rule index, missing mask)]), in evaluation
#: order. Ranks are unique: sorting fired rules puts them in display order (topic, then file
#: order), sorting undecided ones in file order. Where a fired rule's deciding facts are the
#: same fields whatever the case (a literal mask), the function gives them as the dict a
#: Recommendation shows (sorted names; a list field's tuple as a list), read from its locals.
RuleFunction = Callable[
    [Mapping[str, object], Mapping[str, object]],
    tuple[list[tuple[int, int, int | dict[str, object], int, str | None]],
          list[tuple[int, int, int]]],
]

@dataclass(frozen=True)
class Program:
    """A rule set's compiled function with the field-bit table its masks use."""

    run: RuleFunction
    names: tuple[str, ...]  # bit i of a mask is names[i] (sorted, so masks decode sorted)
    source: str


def _mask_names(rules: RuleSet) -> tuple[str, ...]:
    """Every name a mask may hold: the fields and the base facts of the derivations."""
    sources = {s for names in derive.SOURCES.values() for s in names}
    return tuple(sorted(set(rules.fields) | sources))


def build_program(rules: RuleSet) -> Program:
    """Write and compile the rule function of ``rules`` (evaluation order of ``rules.rules``).

    Ranks: fired rules sort by topic (ruleset order), then file order, then evaluation order;
    undecided rules by file order, then evaluation order (as ``engine.evaluate`` sorts them).
    """
    names = _mask_names(rules)
    index = {r.id: k for k, r in enumerate(rules.rules)}
    w = Writer({n: i for i, n in enumerate(names)}, index,
                frozenset(n for n, f in rules.fields.items() if f.type == "list"))
    referenced = {ref for r in rules.rules for ref in r.rule_refs()}
    referenced |= {ref for r in rules.rules if r.gate is not None for ref in r.gate.rule_refs()}
    for rule in rules.rules:  # gates reading facts only: evaluated once (``seen``), first
        if rule.gate is not None and not rule.gate.rule_refs():
            w.cond(rule.gate, 1)
    n = max(len(rules.rules), len(rules.declared)) + 1  # ranks: digits in base n
    topic_rank = {t: i for i, t in enumerate(rules.topics)}
    declared = {r: i for i, r in enumerate(rules.declared)}

    def at(k: int, rule: Any) -> tuple[int, int, int]:
        return (k, (topic_rank[rule.topic] * n + declared.get(rule.id, 0)) * n + k,
                declared.get(rule.id, 0) * n + k)

    def gate_key(kr: tuple[int, Any]) -> object:  # neighbours under one fact-only gate share it
        gate = kr[1].gate
        return gate if gate is None or not gate.rule_refs() else ("own gate", kr[0])

    for _, group in itertools.groupby(enumerate(rules.rules), key=gate_key):
        rows = list(group)
        gate = rows[0][1].gate  # None exactly when the group key is None
        if gate is None:
            for k, rule in rows:
                w.put(1, f"# {rule.id!r}")
                _rule_body(w, rule, at(k, rule), rule.id in referenced, 1)
            continue
        gv, gm = w.cond(gate, 1)
        w.put(1, f"if {gv} is None:")
        for k, rule in rows:
            w.put(2, f"und(({at(k, rule)[2]}, {k}, {gm}))"
                  + (f"; u{k} = {gm}" if rule.id in referenced else ""))
        w.put(1, f"elif {gv} is True:")
        for k, rule in rows:
            w.put(2, f"# {rule.id!r}")
            _rule_body(w, rule, at(k, rule), rule.id in referenced, 2)
    head = ["def run(F, P, NA=NA):", "    fired = []; undecided = []",
            "    fire = fired.append; und = undecided.append"]
    head += [f"    {x} = F.get({name!r}, NA)" for name, x in w.fields.items()]
    # a referenced rule not fired (a) nor left open (u) stays None: false for ``fired``
    head += [f"    a{k} = u{k} = None" for k, r in enumerate(rules.rules) if r.id in referenced]
    source = "\n".join([*head, *w.top, *w.lines, "    return fired, undecided", ""])
    namespace: dict[str, Any] = {"NA": object(), **w.consts}
    exec(compile(source, f"<guidance rules {rules.version}>", "exec"), namespace)
    return Program(run=namespace["run"], names=names, source=source)


def _rule_body(w: Writer, rule: Any, at: tuple[int, int, int], referenced: bool,
               ind: int) -> None:
    """One rule: condition, first true variant, then fired (with conditional_on) or undecided.

    ``at``: the rule's index, its display rank when fired and its rank when undecided. A rule
    whose condition is an ``all``/``any`` of its own (no variants) fires or waits straight from
    that condition's branches: no outcome locals, and no mask made for a false outcome.
    """
    k = at[0]
    if not rule.variants and isinstance(rule.when, All | AnyOf) and _unseen(w, rule.when):
        parts = [w.cond(p, ind) for p in rule.when.parts]
        _, m = w.new()
        decisive = isinstance(rule.when, AnyOf)
        d = repr(decisive)
        w.put(ind, "if " + " or ".join(f"{pv} is {d}" for pv, _ in parts) + ":")
        if decisive:
            if referenced or (facts := w.shown_any(parts, ind + 1)) is None:
                w.put(ind + 1, f"{m} = {union(parts, d)}")
                facts = None
            _fire(w, rule, at, referenced, m, ind + 1, facts=facts)
        else:
            w.put(ind + 1, "pass")
        w.put(ind, "elif " + " or ".join(f"{pv} is None" for pv, _ in parts) + ":")
        w.put(ind + 1, f"{m} = {union(parts, 'None')}")
        _wait(w, at, referenced, m, ind + 1)
        if not decisive:
            w.put(ind, "else:")
            every = union(parts, None)
            if not every.isdigit():  # a literal mask is written where it is used
                w.put(ind + 1, f"{m} = {every}")
            _fire(w, rule, at, referenced, m if not every.isdigit() else every, ind + 1)
        return
    v, m = w.cond(rule.when, ind)
    vi = "-1"
    if rule.variants:
        vv, vm = w.new()
        fv, fm = w.new()
        vi = f"i{k}"
        w.put(ind, f"if {v} is True:")
        _variants(w, rule.variants, 0, vv, vm, vi, ind + 1, "0")
        w.put(ind + 1, f"{fv} = {vv}; {fm} = ({m} | {vm}) if {vv} is True else {vm}")
        w.put(ind, f"else:\n{'    ' * (ind + 1)}{fv} = {v}; {fm} = {m}; {vi} = -1")
        v, m = fv, fm
    w.put(ind, f"if {v} is True:")
    _fire(w, rule, at, referenced, m, ind + 1, vi)
    w.put(ind, f"elif {v} is None:")
    _wait(w, at, referenced, m, ind + 1)


def _unseen(w: Writer, c: Condition) -> bool:
    """Whether ``c`` is not already written where it always runs (then it is written anew)."""
    try:
        return c not in w.seen
    except TypeError:  # an unhashable operand: never shared
        return True


def _fire(w: Writer, rule: Any, at: tuple[int, int, int], referenced: bool, m: str,
          ind: int, vi: str = "-1", facts: str | None = None) -> None:
    """The rule fired with facts mask ``m`` (and variant index ``vi``), or with the local
    ``facts`` holding its facts (``shown_any``; then ``m`` is never read)."""
    k, fired_rank, _ = at
    if referenced:
        w.put(ind, f"a{k} = {m}")
    text = "None"
    if rule.conditional:
        text = f"c{k}"
        _conditionals(w, rule.conditional, 0, text, ind)
    w.put(ind, f"fire(({fired_rank}, {k}, {facts or w.shown(m)}, {vi}, {text}))")


def _wait(w: Writer, at: tuple[int, int, int], referenced: bool, m: str, ind: int) -> None:
    """The rule left undecided with missing mask ``m``."""
    k, _, undecided_rank = at
    w.put(ind, f"und(({undecided_rank}, {k}, {m}))" + (f"; u{k} = {m}" if referenced else ""))


def _variants(w: Writer, variants: tuple, j: int, vv: str, vm: str, vi: str, ind: int,
              missing: str) -> None:
    """First variant whose condition is true (``engine._choose_variant``), nested in order."""
    if j == len(variants):
        w.put(ind, f"{vv} = None if {missing} else False; {vm} = {missing}; {vi} = -1")
        return
    when = variants[j].when
    if when is None:
        w.put(ind, f"{vv} = True; {vm} = 0; {vi} = {j}")
        return
    cv, cm = w.cond(when, ind)
    w.put(ind, f"if {cv} is True:")
    w.put(ind + 1, f"{vv} = True; {vm} = {cm}; {vi} = {j}")
    w.put(ind, "else:")
    acc = f"s{vi[1:]}_{j}"
    w.put(ind + 1, f"{acc} = {missing} | ({cm} if {cv} is None else 0)")
    _variants(w, variants, j + 1, vv, vm, vi, ind + 1, acc)


def _conditionals(w: Writer, specs: tuple, j: int, text: str, ind: int) -> None:
    """The first ambiguity whose condition is not false (``annotations.conditional_on``)."""
    if j == len(specs):
        w.put(ind, f"{text} = None")
        return
    cv, _ = w.cond(specs[j].when, ind)
    w.put(ind, f"if {cv} is not False:")
    w.put(ind + 1, f"{text} = {specs[j].text!r}")
    w.put(ind, "else:")
    _conditionals(w, specs, j + 1, text, ind + 1)


def decode(mask: int, names: tuple[str, ...]) -> list[str]:
    """The names of the set bits of ``mask``, in bit order (sorted names)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(names[low.bit_length() - 1])
        mask ^= low
    return out
