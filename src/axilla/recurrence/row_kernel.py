"""The risk-factor equations of one case as one straight-line Python function, written once.

``risk_factors._factors`` states each factor once over a set of three-valued operations (1.0
present, 0.0 absent, NaN unknown). Run once over ``Tracer``, whose operations write Python
source instead of computing, it gives a function of one case's plain values: each operation
becomes one assignment to a local, with the values read once by name. For a batch of a few
cases this replaces a method call an operation (the arrays of ``_Columns`` stay the kernel of
larger batches; tests check both give the same factors).
Source: spec recurrence.md §5 (factor table, three-valued); the equations are ``_factors``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

NAN = float("nan")

RowFunction = Callable[[Mapping[str, Any]], dict[str, float]]


class Symbol:
    """A value of the traced case: the Python expression that computes it."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def _op(self, op: str, other: object) -> Symbol:
        return Symbol(f"({self.code} {op} {_code(other)})")

    def __eq__(self, other: object) -> Symbol:  # type: ignore[override]
        return self._op("==", other)

    def __lt__(self, other: object) -> Symbol:
        return self._op("<", other)

    def __le__(self, other: object) -> Symbol:
        return self._op("<=", other)

    def __gt__(self, other: object) -> Symbol:
        return self._op(">", other)

    def __ge__(self, other: object) -> Symbol:
        return self._op(">=", other)

    def __and__(self, other: object) -> Symbol:
        return self._op("&", other)

    __hash__ = None  # type: ignore[assignment]


def _code(value: object) -> str:
    """The expression of a symbol, or the literal of a constant (NaN named)."""
    if isinstance(value, Symbol):
        return value.code
    if value.__class__ is float and value != value:
        return "NAN"
    if value.__class__ not in (int, float):
        raise TypeError(f"cannot write the constant {value!r}")
    return repr(value)


class Tracer:
    """The operations of ``_Columns`` for one case, written out as Python statements.

    Each operation computes what its columnar form computes for one element: ``num`` a float
    or NaN, ``is_`` 1.0/0.0 (NaN when the value is None or NaN), ``and_``/``or_`` Kleene
    logic folded left, ``cmp`` the comparison where the value is known, ``where`` a choice.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, object] = {}

    def _local(self, code: str) -> Symbol:
        name = f"t{len(self.lines)}"
        self.lines.append(f"    {name} = {code}")
        return Symbol(name)

    def num(self, name: str) -> Symbol:
        v = self._local(f"get({name!r})").code
        return self._local(f"NAN if {v} is None else float({v})")

    def is_(self, name: str, *values: object) -> Symbol:
        held = f"K{len(self.consts)}"
        self.consts[held] = values
        v = self._local(f"get({name!r})").code
        return self._local(f"NAN if {v} is None or (isinstance({v}, float) and {v} != {v}) "
                           f"else (1.0 if {v} in {held} else 0.0)")

    def and_(self, *xs: Symbol) -> Symbol:
        return self._fold(xs, 0)

    def or_(self, *xs: Symbol) -> Symbol:
        return self._fold(xs, 1)

    def _fold(self, xs: tuple[Symbol, ...], decisive: int) -> Symbol:
        """Kleene ``and`` (decisive 0) or ``or`` (decisive 1), pair by pair from the left."""
        d, other = decisive, 1 - decisive
        out = xs[0]
        for x in xs[1:]:
            a, b = _code(out), _code(x)
            out = self._local(f"{d}.0 if {a} == {d} or {b} == {d} else {other}.0 if "
                              f"{a} == {other} and {b} == {other} else NAN")
        return out

    def not_(self, x: Symbol) -> Symbol:
        return self._local(f"1.0 - {_code(x)}")

    def cmp(self, x: Symbol, ok: Symbol) -> Symbol:
        """NaN where ``x`` is unknown, else 1.0/0.0 as ``ok`` (a comparison of known values,
        evaluated only then: comparisons of floats have no other effect)."""
        v = _code(x)
        return self._local(f"NAN if {v} != {v} else (1.0 if {_code(ok)} else 0.0)")

    def where(self, condition: Symbol, yes: object, no: object) -> Symbol:
        return self._local(f"{_code(yes)} if {_code(condition)} else {_code(no)}")

    @staticmethod
    def isnan(x: Symbol) -> Symbol:
        v = _code(x)
        return Symbol(f"({v} != {v})")


def compiled(equations: Callable[[Any], dict[str, Any]]) -> tuple[RowFunction, str]:
    """``equations`` (written over the three-valued operations) as a function of one case's
    values by field name (absent = unknown), and its source."""
    tracer = Tracer()
    out = equations(tracer)
    result = ", ".join(f"{name!r}: {_code(value)}" for name, value in out.items())
    source = "\n".join(["def row(values):", "    get = values.get", *tracer.lines,
                        f"    return {{{result}}}", ""])
    namespace: dict[str, Any] = {"NAN": NAN, **tracer.consts}
    exec(compile(source, "<recurrence risk factors of one case>", "exec"), namespace)
    return namespace["row"], source
