"""Guidance conditions compiled once into closures: the same Kleene logic as ``conditions``.

Each condition tree is turned into a Python closure at load time, so evaluating a case walks no
tree and looks up no operator by name; a field test (field, operators, operands) reads only the
case's facts and the rule-set parameters, so its outcome is computed once a case and reused by
every rule that repeats it. The interpreted ``Condition.evaluate`` stays the reference; tests
check that both give identical outcomes on every rule and on random facts. ``evaluate`` runs
the whole rule set as one generated function instead (``program``); a closure here evaluates
one condition against any context (facts, fired and undecided rules given by the caller).
Source: axilla guidance specification, section 0 (condition language, three-valued logic).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axilla.guidance.conditions import (
    OPERATORS,
    All,
    AnyOf,
    Condition,
    Context,
    Fired,
    Not,
    Outcome,
    Param,
    ParamRef,
    Test,
)

#: A compiled condition: (context, per-case memo of field tests) -> outcome.
Compiled = Callable[[Context, dict[int, Outcome]], Outcome]

_FALSE = Outcome(False)
_EMPTY: frozenset[str] = frozenset()
_TEST_KEYS: dict[tuple[str, tuple[tuple[str, object], ...]], int] = {}


def _has_param(operand: object) -> bool:
    if isinstance(operand, ParamRef):
        return True
    return isinstance(operand, tuple) and any(_has_param(o) for o in operand)


def _resolved(operand: object, params: Any) -> object:
    if isinstance(operand, ParamRef):
        return params[operand.name]
    if isinstance(operand, tuple):
        return tuple(_resolved(o, params) for o in operand)
    return operand


def _test(cond: Test) -> Compiled:
    name = cond.field
    key = _TEST_KEYS.setdefault((name, cond.tests), len(_TEST_KEYS))
    ops = tuple((OPERATORS[op][0], arg) for op, arg in cond.tests)
    with_params = any(_has_param(arg) for _, arg in cond.tests)
    absent = Outcome(None, {}, frozenset({name}))

    def run(ctx: Context, memo: dict[int, Outcome]) -> Outcome:
        out = memo.get(key)
        if out is not None:
            return out
        facts = ctx.facts
        if name not in facts:
            out = absent
        else:
            value = facts[name]
            ok = True
            for fn, arg in ops:
                if not fn(value, _resolved(arg, ctx.params) if with_params else arg):
                    ok = False
                    break
            out = Outcome(ok, {name: value})
        memo[key] = out
        return out

    return run


def _combine(parts: tuple[Compiled, ...], decisive: bool) -> Compiled:
    """``all`` (decisive False) or ``any`` (decisive True): as ``All`` and ``AnyOf``."""
    def run(ctx: Context, memo: dict[int, Outcome]) -> Outcome:
        outs = [p(ctx, memo) for p in parts]
        decided: dict[str, object] | None = None
        missing: frozenset[str] | None = None
        for o in outs:
            if o.value is decisive:
                decided = {**decided, **o.facts} if decided is not None else dict(o.facts)
            elif o.value is None:
                missing = o.missing if missing is None else missing | o.missing
        if decided is not None:
            return Outcome(decisive, decided)
        if missing is not None:
            return Outcome(None, {}, missing)
        merged: dict[str, object] = {}
        for o in outs:
            merged.update(o.facts)
        return Outcome(not decisive, merged)

    return run


def _not(part: Compiled) -> Compiled:
    def run(ctx: Context, memo: dict[int, Outcome]) -> Outcome:
        out = part(ctx, memo)
        return Outcome(None if out.value is None else not out.value, out.facts, out.missing)

    return run


def _fired(rules: tuple[str, ...]) -> Compiled:
    def run(ctx: Context, memo: dict[int, Outcome]) -> Outcome:
        fired = ctx.fired
        merged: dict[str, object] | None = None
        for r in rules:
            facts = fired.get(r)
            if facts is not None:
                if merged is None:
                    merged = {}
                merged.update(facts)
        if merged is not None:
            return Outcome(True, merged)
        undecided = ctx.undecided
        missing = [undecided[r] for r in rules if r in undecided]
        if missing:
            return Outcome(None, {}, _EMPTY.union(*missing))
        return _FALSE

    return run


def _param(name: str) -> Compiled:
    def run(ctx: Context, memo: dict[int, Outcome]) -> Outcome:
        return Outcome(bool(ctx.params[name]))

    return run


def compile_condition(cond: Condition) -> Compiled:
    """The closure computing ``cond.evaluate`` (same value, deciding facts and missing fields)."""
    if isinstance(cond, Test):
        return _test(cond)
    if isinstance(cond, All):
        return _combine(tuple(compile_condition(p) for p in cond.parts), False)
    if isinstance(cond, AnyOf):
        return _combine(tuple(compile_condition(p) for p in cond.parts), True)
    if isinstance(cond, Not):
        return _not(compile_condition(cond.part))
    if isinstance(cond, Fired):
        return _fired(cond.rules)
    if isinstance(cond, Param):
        return _param(cond.name)
    raise TypeError(f"cannot compile condition {type(cond).__name__}")
