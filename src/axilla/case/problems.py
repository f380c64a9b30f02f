"""The one translator from pydantic's errors to field problems with the full dotted path.

A path names the field from the top of the document, list positions as numbers:
``nodes.3.deposit_mm``, ``guidance_facts.axillary_us``. The API (422 bodies), the web pages
and the CLI all use this translator, so a refusal reads the same everywhere. The reason ends
with the valid range when the field has one (``case/ranges.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from axilla.case.ranges import range_of
from axilla.errors import FieldProblem, InputError

#: pydantic error types whose message is a range or type check worth completing with the range.
_RANGE_TYPES = ("greater_than", "greater_than_equal", "less_than", "less_than_equal",
                "finite_number", "float_type", "int_type", "int_from_float", "float_parsing",
                "int_parsing", "value_error")


def dotted(loc: Iterable[Any], prefix: str = "") -> str:
    """A pydantic location as a dotted path; FastAPI's leading ``body`` is dropped."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    if prefix:
        parts.insert(0, prefix)
    return ".".join(parts)


def _join(base: str, field: str) -> str:
    if not base:
        return field
    if not field:
        return base
    # A field already named from the top (a nested refusal's own path) keeps its name.
    return field if field.startswith(base + ".") else f"{base}.{field}"


def _normal(field: str) -> str:
    """``nodes[3].x`` (older nested refusals) as ``nodes.3.x``."""
    return field.replace("[", ".").replace("]", "")


def _with_range(field: str, reason: str) -> str:
    found = range_of(field)
    if found is None or "valid:" in reason:
        return reason
    return f"{reason}; valid: {found.describe()}"


def problems_from_errors(
    errors: Iterable[Mapping[str, Any]], prefix: str = ""
) -> list[FieldProblem]:
    """pydantic / FastAPI error details -> one FieldProblem each (nested refusals expanded)."""
    out: list[FieldProblem] = []
    for err in errors:
        base = dotted(err.get("loc", ()), prefix)
        ctx = err.get("ctx") or {}
        inner = ctx.get("error")
        if isinstance(inner, InputError):
            for p in inner.problems:
                field = _join(base, _normal(p.field))
                out.append(FieldProblem(field, p.value, _with_range(field, p.reason)))
        elif err.get("type") == "axilla_field":
            field = _join(base, _normal(str(ctx["field"])))
            out.append(FieldProblem(field, ctx.get("value"), str(ctx.get("reason"))))
        elif err.get("type") == "missing":
            out.append(FieldProblem(base or "body", None, "required"))
        else:
            reason = str(err.get("msg", "invalid"))
            if err.get("type") in _RANGE_TYPES:
                reason = _with_range(base, reason)
            out.append(FieldProblem(base or "body", err.get("input"), reason))
    return out


def input_error(
    exc: ValidationError, prefix: str = "", rename: Callable[[str], str] | None = None
) -> InputError:
    """A pydantic ValidationError as InputError (``rename`` maps each path, e.g. to a column)."""
    problems = problems_from_errors(exc.errors(), prefix)
    if rename is not None:
        problems = [FieldProblem(rename(p.field), p.value, p.reason) for p in problems]
    return InputError(problems)


def prefixed(problems: Sequence[FieldProblem], prefix: str) -> list[FieldProblem]:
    """The same problems with their fields under ``prefix`` (``guidance_facts.size_mm``)."""
    return [FieldProblem(_join(prefix, p.field), p.value, p.reason) for p in problems]
