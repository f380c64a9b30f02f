"""The condition language of guidance rules: parsing with load-time checks, three-valued evaluation.

A condition is a YAML mapping with exactly one key:

* ``all: [c, ...]``, ``any: [c, ...]``, ``not: c`` combine conditions;
* ``fired: [RULE-ID, ...]`` is true when any of those rules fired;
* ``param: NAME`` is true when the boolean rule-set parameter NAME is true;
* ``FIELD: value`` tests equality; ``FIELD: {OP: operand, ...}`` applies each operator (all
  must hold). Operands may be ``{param: NAME}`` to use a rule-set parameter.

Facts that are absent make a test unknown (Kleene logic); a rule fires only when its condition
is true, so a missing fact never makes a rule fire. No Python evaluation of text is involved.
Source of the operators needed: axilla guidance specification (conditions of sections A-Q).
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from axilla.errors import DataFileError
from axilla.guidance.schema import FieldSpec

COMBINATORS = ("all", "any", "not")
SPECIAL_KEYS = ("fired", "param")


@dataclass(frozen=True)
class Outcome:
    """Result of a condition: value (True/False/None = unknown), deciding facts, missing fields."""

    value: bool | None
    facts: Mapping[str, object] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Context:
    """What a condition is evaluated against."""

    facts: Mapping[str, object]
    params: Mapping[str, object]
    fired: Mapping[str, Mapping[str, object]]  # rule id -> facts that made it fire
    undecided: Mapping[str, frozenset[str]]  # rule id -> missing fields


@dataclass(frozen=True)
class ParamRef:
    """An operand taken from the rule-set parameters."""

    name: str

    def resolve(self, ctx: Context) -> object:
        return ctx.params[self.name]


def _resolve(operand: object, ctx: Context) -> object:
    if isinstance(operand, ParamRef):
        return operand.resolve(ctx)
    if isinstance(operand, tuple):
        return tuple(_resolve(o, ctx) for o in operand)
    return operand


def _between(value: Any, bounds: tuple[Any, Any]) -> bool:
    return bounds[0] <= value <= bounds[1]


#: Operator name -> (test, field types it applies to, operand shape).
#: Operand shapes: "value" (one value of the field's type), "values" (list of them),
#: "range" ([low, high], inclusive), "member" (one allowed member of a list field), "bool".
OPERATORS: dict[str, tuple[Callable[[Any, Any], bool], frozenset[str], str]] = {
    "eq": (operator.eq, frozenset({"bool", "int", "float", "enum"}), "value"),
    "ne": (operator.ne, frozenset({"bool", "int", "float", "enum"}), "value"),
    "in": (lambda v, o: v in o, frozenset({"int", "enum"}), "values"),
    "not_in": (lambda v, o: v not in o, frozenset({"int", "enum"}), "values"),
    "lt": (operator.lt, frozenset({"int", "float"}), "value"),
    "le": (operator.le, frozenset({"int", "float"}), "value"),
    "gt": (operator.gt, frozenset({"int", "float"}), "value"),
    "ge": (operator.ge, frozenset({"int", "float"}), "value"),
    "between": (_between, frozenset({"int", "float"}), "range"),
    "contains": (lambda v, o: o in v, frozenset({"list"}), "member"),
    "empty": (lambda v, o: (len(v) == 0) == o, frozenset({"list"}), "bool"),
}


class Condition:
    """Base of the condition nodes."""

    def evaluate(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields(self) -> frozenset[str]:
        return frozenset()

    def rule_refs(self) -> frozenset[str]:
        return frozenset()


def _union(outcomes: list[Outcome]) -> dict[str, object]:
    merged: dict[str, object] = {}
    for o in outcomes:
        merged.update(o.facts)
    return merged


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        outs = [p.evaluate(ctx) for p in self.parts]
        false = [o for o in outs if o.value is False]
        if false:
            return Outcome(False, _union(false))
        unknown = [o for o in outs if o.value is None]
        if unknown:
            return Outcome(None, {}, frozenset().union(*(o.missing for o in unknown)))
        return Outcome(True, _union(outs))

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(p.fields() for p in self.parts))

    def rule_refs(self) -> frozenset[str]:
        return frozenset().union(*(p.rule_refs() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        outs = [p.evaluate(ctx) for p in self.parts]
        true = [o for o in outs if o.value is True]
        if true:
            return Outcome(True, _union(true))
        unknown = [o for o in outs if o.value is None]
        if unknown:
            return Outcome(None, {}, frozenset().union(*(o.missing for o in unknown)))
        return Outcome(False, _union(outs))

    fields = All.fields
    rule_refs = All.rule_refs


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def evaluate(self, ctx: Context) -> Outcome:
        out = self.part.evaluate(ctx)
        value = None if out.value is None else not out.value
        return Outcome(value, out.facts, out.missing)

    def fields(self) -> frozenset[str]:
        return self.part.fields()

    def rule_refs(self) -> frozenset[str]:
        return self.part.rule_refs()


@dataclass(frozen=True)
class Fired(Condition):
    rules: tuple[str, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        fired = [ctx.fired[r] for r in self.rules if r in ctx.fired]
        if fired:
            merged: dict[str, object] = {}
            for facts in fired:
                merged.update(facts)
            return Outcome(True, merged)
        missing = [ctx.undecided[r] for r in self.rules if r in ctx.undecided]
        if missing:
            return Outcome(None, {}, frozenset().union(*missing))
        return Outcome(False)

    def rule_refs(self) -> frozenset[str]:
        return frozenset(self.rules)


@dataclass(frozen=True)
class Param(Condition):
    name: str

    def evaluate(self, ctx: Context) -> Outcome:
        return Outcome(bool(ctx.params[self.name]))


@dataclass(frozen=True)
class Test(Condition):
    field: str
    tests: tuple[tuple[str, object], ...]  # (operator name, operand)

    def evaluate(self, ctx: Context) -> Outcome:
        if self.field not in ctx.facts:
            return Outcome(None, {}, frozenset({self.field}))
        value = ctx.facts[self.field]
        ok = all(OPERATORS[op][0](value, _resolve(arg, ctx)) for op, arg in self.tests)
        return Outcome(ok, {self.field: value})

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})


@dataclass(frozen=True)
class ParamSpec:
    """A rule-set parameter: a unit-configurable default (e.g. a threshold) with its source."""

    name: str
    type: str  # bool | float | int
    default: object
    description: str


class ConditionParser:
    """Turns YAML conditions into Condition trees, refusing anything it cannot check."""

    def __init__(self, fields: Mapping[str, FieldSpec], params: Mapping[str, ParamSpec]):
        self.fields = fields
        self.params = params

    def parse(self, node: object, where: str) -> Condition:
        if not isinstance(node, Mapping) or len(node) != 1:
            raise DataFileError(
                f"{where}: a condition is a mapping with exactly one key, got {node!r}"
            )
        ((key, arg),) = node.items()
        if key in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                raise DataFileError(f"{where}: '{key}' needs a non-empty list of conditions")
            parts = tuple(self.parse(a, f"{where}/{key}[{i}]") for i, a in enumerate(arg))
            return All(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            return Not(self.parse(arg, f"{where}/not"))
        if key == "fired":
            ids = arg if isinstance(arg, list) else [arg]
            if not ids or not all(isinstance(i, str) for i in ids):
                raise DataFileError(f"{where}: 'fired' needs a rule id or a list of rule ids")
            return Fired(tuple(ids))
        if key == "param":
            spec = self._param(arg, where)
            if spec.type != "bool":
                raise DataFileError(f"{where}: parameter {arg!r} is not a bool; compare it instead")
            return Param(spec.name)
        return self._test(key, arg, where)

    def _param(self, name: object, where: str) -> ParamSpec:
        if name not in self.params:
            near = difflib.get_close_matches(str(name), list(self.params), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise DataFileError(f"{where}: unknown parameter {name!r}{hint}")
        return self.params[name]  # type: ignore[index]

    def _test(self, name: object, arg: object, where: str) -> Test:
        spec = self.fields.get(name) if isinstance(name, str) else None
        if spec is None:
            near = difflib.get_close_matches(str(name), list(self.fields), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise DataFileError(
                f"{where}: unknown field {name!r}{hint}; conditions may use only the fields "
                "of fields.yaml and the keys all, any, not, fired, param"
            )
        if spec.type == "text":
            raise DataFileError(f"{where}: field {name!r} is text and cannot be tested")
        where = f"{where}/{name}"
        if isinstance(arg, Mapping) and "param" not in arg:
            if not arg:
                raise DataFileError(f"{where}: empty operator mapping")
            tests = tuple(self._operand(spec, str(op), val, where) for op, val in arg.items())
        else:
            tests = (self._operand(spec, "eq", arg, where),)
        return Test(spec.name, tests)

    def _operand(self, spec: FieldSpec, op: str, val: object, where: str) -> tuple[str, object]:
        if op not in OPERATORS:
            near = difflib.get_close_matches(op, list(OPERATORS), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise DataFileError(
                f"{where}: unknown operator {op!r}{hint}; operators are {', '.join(OPERATORS)}"
            )
        _, types, shape = OPERATORS[op]
        if spec.type not in types:
            raise DataFileError(f"{where}: operator {op!r} does not apply to a {spec.type} field")
        where = f"{where}/{op}"
        if shape == "value":
            return op, self._value(spec, val, where)
        if shape == "values":
            if not isinstance(val, list) or not val:
                raise DataFileError(f"{where}: needs a non-empty list of values")
            return op, tuple(self._value(spec, v, where) for v in val)
        if shape == "range":
            if not isinstance(val, list) or len(val) != 2:
                raise DataFileError(f"{where}: needs [low, high]")
            low, high = (self._value(spec, v, where) for v in val)
            if (not isinstance(low, ParamRef) and not isinstance(high, ParamRef)
                    and low > high):  # type: ignore[operator]  # numbers, checked by _value
                raise DataFileError(f"{where}: low {low!r} is above high {high!r}")
            return op, (low, high)
        if shape == "member":
            if val not in spec.values:
                raise DataFileError(
                    f"{where}: {val!r} is not a value of {spec.name} ({', '.join(spec.values)})"
                )
            return op, val
        if not isinstance(val, bool):
            raise DataFileError(f"{where}: needs true or false")
        return op, val

    def _value(self, spec: FieldSpec, val: object, where: str) -> object:
        if isinstance(val, Mapping):
            if set(val) != {"param"}:
                raise DataFileError(f"{where}: an operand mapping must be {{param: NAME}}")
            param = self._param(val["param"], where)
            wanted = ("int", "float") if spec.numeric else (spec.type,)
            if param.type not in wanted:
                raise DataFileError(
                    f"{where}: parameter {param.name!r} ({param.type}) cannot be compared with "
                    f"{spec.type} field {spec.name!r}"
                )
            return ParamRef(param.name)
        if spec.numeric:
            if isinstance(val, bool) or not isinstance(val, int | float):
                raise DataFileError(f"{where}: {val!r} is not a number")
            return val
        normalised, reason = spec.check(val)
        if reason:
            raise DataFileError(f"{where}: {val!r} is not a valid value of {spec.name}: {reason}")
        return normalised
