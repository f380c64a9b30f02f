"""The writer of the rule function: each condition as Python statements over plain locals.

A condition becomes a (value, mask) pair of locals (or literals): value True, False or None
(unknown), mask the deciding facts when known, the missing fields when not, as
``Condition.evaluate``'s ``Outcome``. Fact-only conditions are written once and shared. Used by
``program.build_program``; the interpreted conditions stay the reference.
Source: axilla guidance specification, section 0 (condition language, three-valued logic).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Mapping

from axilla.guidance.conditions import (
    OPERATORS,
    All,
    AnyOf,
    Condition,
    Fired,
    Not,
    Param,
    ParamRef,
    Test,
)

#: Operator name -> Python expression over the fact ``{x}`` and the operand ``{o}``, each the
#: same test as ``conditions.OPERATORS`` on validated facts.
_EXPRESSIONS = {
    "eq": "{x} == {o}", "ne": "{x} != {o}", "in": "{x} in {o}", "not_in": "{x} not in {o}",
    "lt": "{x} < {o}", "le": "{x} <= {o}", "gt": "{x} > {o}", "ge": "{x} >= {o}",
    "between": "{o}[0] <= {x} <= {o}[1]", "contains": "{o} in {x}",
    "empty": "(len({x}) == 0) == {o}",
}


def _plain(value: object) -> bool:
    """A value whose ``repr`` is a Python literal of the same type and value."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, bool | int | str)


class Writer:
    """Emits the statements of the rule function; each condition becomes (value, mask) locals."""

    def __init__(self, bits: Mapping[str, int], rule_index: Mapping[str, int],
                 list_fields: frozenset[str] = frozenset()):
        self.bits = bits
        self.list_fields = list_fields  # fields whose value is a tuple (shown as a list)
        self.rule_index = rule_index
        self.lines: list[str] = []
        self.names = 0
        self.consts: dict[str, object] = {}
        self.fields: dict[str, str] = {}  # field name -> local holding its value (or NA)
        #: Tests and Params, each written once at the top of the function (they read facts and
        #: parameters only), and any other fact-only condition written at the top level: equal
        #: conditions (gates repeated in every rule file, the same test in many rules) share it
        self.top: list[str] = []
        self.seen: dict[Condition, tuple[str, str]] = {}

    def new(self) -> tuple[str, str]:
        self.names += 1
        return f"v{self.names}", f"m{self.names}"

    def shown(self, mask: str) -> str:
        """The deciding facts of a fired rule: for a literal mask whose fields all have
        locals, a dict display of them (as ``fast.recommendations`` shows a mask's facts);
        else the mask, decoded after the run."""
        if not mask.isdigit():
            return mask
        names = sorted(n for n, bit in self.bits.items() if int(mask) >> bit & 1)
        if not all(n in self.fields for n in names):
            return mask
        return "{" + ", ".join(f"{n!r}: {self.value(n)}" for n in names) + "}"

    def value(self, name: str) -> str:
        """A field's value as a recommendation shows it (a list field's tuple as a list)."""
        x = self.fields[name]
        return f"(list({x}) if {x}.__class__ is tuple else {x})" if name in self.list_fields else x

    def shown_any(self, parts: list[tuple[str, str]], ind: int) -> str | None:
        """The facts of a fired ``any`` whose parts each test one field (a literal one-bit
        mask) or none (a parameter): a dict of the fields of its true parts, in sorted order,
        built in place; None where a part's mask is another (then decoded after the run)."""
        by_name: dict[str, list[str]] = {}
        for pv, pm in parts:
            if pm == "0":
                continue
            bit = int(pm) if pm.isdigit() else 0
            name = next((n for n, b in self.bits.items() if 1 << b == bit), None)
            if name is None or name not in self.fields:
                return None
            by_name.setdefault(name, []).append(pv)
        facts, _ = self.new()
        facts = "f" + facts[1:]
        self.put(ind, f"{facts} = {{}}")
        for name in sorted(by_name):
            true = " or ".join(f"{pv} is True" for pv in by_name[name])
            self.put(ind, f"if {true}: {facts}[{name!r}] = {self.value(name)}")
        return facts

    def put(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def operand(self, operand: object) -> str:
        if isinstance(operand, ParamRef):
            return f"P[{operand.name!r}]"
        if isinstance(operand, tuple) and not _plain(operand):
            inner = ", ".join(self.operand(o) for o in operand)
            return f"({inner},)"
        if _plain(operand):
            return repr(operand)
        name = f"K{len(self.consts)}"
        self.consts[name] = operand
        return name

    def test(self, cond: Test) -> str:
        x = self.fields.setdefault(cond.field, f"x{len(self.fields)}")
        parts = []
        for op, arg in cond.tests:
            o = self.operand(arg)
            if op in _EXPRESSIONS:
                parts.append("(" + _EXPRESSIONS[op].format(x=x, o=o) + ")")
            else:  # an operator without a written form: call its function
                fn = f"K{len(self.consts)}"
                self.consts[fn] = OPERATORS[op][0]
                parts.append(f"bool({fn}({x}, {o}))")
        return f"None if {x} is NA else ({' and '.join(parts)})"

    def cond(self, c: Condition, ind: int) -> tuple[str, str]:
        """Write ``c`` (or reuse an equal fact-only condition written where it always runs);
        return the names (or literals) of its value and its mask."""
        try:
            held = self.seen.get(c)
        except TypeError:  # an unhashable operand: written each time
            held, c_hashable = None, False
        else:
            c_hashable = True
        if held is not None:
            return held
        if isinstance(c, Test | Param):
            v, _ = self.new()
            if isinstance(c, Test):
                self.top.append(f"    {v} = {self.test(c)}")
                out = v, str(1 << self.bits[c.field])
            else:
                self.top.append(f"    {v} = bool(P[{c.name!r}])")
                out = v, "0"
            if c_hashable:
                self.seen[c] = out
            return out
        out = self._compound(c, ind)
        if c_hashable and ind == 1 and not c.rule_refs():
            self.seen[c] = out
        return out

    def _compound(self, c: Condition, ind: int) -> tuple[str, str]:
        if isinstance(c, Not):
            pv, pm = self.cond(c.part, ind)
            v, _ = self.new()
            self.put(ind, f"{v} = None if {pv} is None else not {pv}")
            return v, pm
        if isinstance(c, Fired):
            return self.fired(c, ind)
        if isinstance(c, All | AnyOf):
            return self.combine([self.cond(p, ind) for p in c.parts], isinstance(c, AnyOf), ind)
        raise TypeError(f"cannot compile condition {type(c).__name__}")

    def fired(self, c: Fired, ind: int) -> tuple[str, str]:
        v, m = self.new()
        ks = [self.rule_index[r] for r in c.rules]
        self.put(ind, "if " + " or ".join(f"a{k} is not None" for k in ks) + ":")
        self.put(ind + 1, f"{v} = True; {m} = "
                 + " | ".join(f"(a{k} if a{k} is not None else 0)" for k in ks))
        self.put(ind, "elif " + " or ".join(f"u{k} is not None" for k in ks) + ":")
        self.put(ind + 1, f"{v} = None; {m} = "
                 + " | ".join(f"(u{k} if u{k} is not None else 0)" for k in ks))
        self.put(ind, f"else:\n{'    ' * (ind + 1)}{v} = False; {m} = 0")
        return v, m

    def combine(self, parts: list[tuple[str, str]], decisive: bool, ind: int) -> tuple[str, str]:
        """``all`` (decisive False) or ``any`` (decisive True), as ``All`` and ``AnyOf``."""
        v, m = self.new()
        d = repr(decisive)
        self.put(ind, "if " + " or ".join(f"{pv} is {d}" for pv, _ in parts) + ":")
        self.put(ind + 1, f"{v} = {d}; {m} = {union(parts, d)}")
        self.put(ind, "elif " + " or ".join(f"{pv} is None" for pv, _ in parts) + ":")
        self.put(ind + 1, f"{v} = None; {m} = {union(parts, 'None')}")
        self.put(ind, "else:")
        self.put(ind + 1, f"{v} = {not decisive!r}; {m} = {union(parts, None)}")
        return v, m


def union(parts: list[tuple[str, str]], when: str | None) -> str:
    """The mask of an ``all``/``any`` outcome: the masks of the parts whose value is ``when``
    (every part's mask when ``when`` is None: the literal ones folded into one)."""
    if when is None:
        literal = [int(pm) for _, pm in parts if pm.isdigit()]
        terms = [pm for _, pm in parts if not pm.isdigit()]
        folded = functools.reduce(operator.or_, literal, 0)
        return " | ".join([*terms, *([str(folded)] if folded else [])]) or "0"
    terms = [f"({pm} if {pv} is {when} else 0)" for pv, pm in parts if pm != "0"]
    return " | ".join(terms) or "0"
