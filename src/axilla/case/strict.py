"""Strict types at the edge: a boolean or text is never read as a number, a number never as a
boolean.

pydantic's lax mode reads ``true`` as 1, ``"3_0"`` as 30 and ``0`` as false; on a case that
turns a wrong type into a clinical value (issue 8: ``"deposit_mm": true`` became a 1 mm
micrometastasis). Every model of the case vocabulary derives from ``StrictModel``, whose check
runs before pydantic's own and refuses such values, naming field, value and what is allowed.
Dates stay readable from ISO text and lists from JSON arrays (JSON has no tuples or dates).
"""

from __future__ import annotations

import math
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from axilla.errors import FieldProblem, InputError

Kind = Literal["number", "whole", "flag", "code", "numbers"]


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _strip_optional(args[0]) if len(args) == 1 else annotation
    return annotation


def kind_of(annotation: Any) -> Kind | None:
    """How strictly a field is read: a number, a whole number, a flag, an int code, a list of
    numbers; None for everything else (text codes, dates, nested models)."""
    ann = _strip_optional(annotation)
    if ann is bool:
        return "flag"
    if ann is float:
        return "number"
    if ann is int:
        return "whole"
    origin = typing.get_origin(ann)
    if origin is Literal and any(isinstance(a, int) for a in typing.get_args(ann)):
        return "code"
    if origin is tuple:
        items = [a for a in typing.get_args(ann) if a is not Ellipsis]
        if items and kind_of(items[0]) in ("number", "whole"):
            return "numbers"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def refusal(kind: Kind, value: object, annotation: Any) -> str | None:
    """Why ``value`` cannot be read as ``kind`` (None when it can)."""
    if value is None:
        return None
    if kind == "flag":
        return None if isinstance(value, bool) else "must be true or false, not a number or text"
    if kind == "numbers":
        if not isinstance(value, list | tuple):
            return None  # pydantic names the wrong container itself
        return "each must be a number, not true/false or text" if not all(
            _is_number(v) for v in value) else None
    if kind == "code":  # a wrong type is refused here; a wrong number by pydantic's check
        if _is_number(value) and float(value).is_integer():  # type: ignore[arg-type]
            return None
        allowed = typing.get_args(_strip_optional(annotation))
        return "must be one of " + ", ".join(map(str, allowed)) + " (a number, not text or " \
            "true/false)"
    if not _is_number(value):
        what = "a whole number" if kind == "whole" else "a number"
        return f"must be {what}, not true/false or text"
    return None


class StrictModel(BaseModel):
    """A frozen vocabulary record that refuses wrong types before pydantic could coerce them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    _kinds: ClassVar[dict[str, tuple[Kind, Any]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        kinds: dict[str, tuple[Kind, Any]] = {}
        for name, info in cls.model_fields.items():
            kind = kind_of(info.annotation)
            if kind is not None:
                kinds[info.alias or name] = (kind, info.annotation)
        cls._kinds = kinds

    @model_validator(mode="before")
    @classmethod
    def _strict_types(cls, data: Any) -> Any:
        if not isinstance(data, dict) and not isinstance(data, Mapping):
            return data
        problems = []
        codes = False
        for name, (kind, annotation) in cls._kinds.items():
            if name not in data:
                continue
            value = data[name]
            if value is None or type(value) in _PLAIN_OK[kind]:
                continue
            reason = refusal(kind, value, annotation)
            if reason:
                problems.append(FieldProblem(name, value, reason))
            codes = codes or kind == "code"
        if problems:
            raise InputError(problems)
        if codes:
            data = {k: _as_code(v) if cls._kinds.get(k, ("", None))[0] == "code" else v
                    for k, v in data.items()}
        return data


#: Exact Python types that need no further look (the common case, checked without a call).
_PLAIN_OK: dict[str, tuple[type, ...]] = {
    "number": (int, float), "whole": (int, float), "flag": (bool,), "code": (int,),
    "numbers": (),
}


def _as_code(value: object) -> object:
    """A whole float code (2.0) as the int code (2), as JSON writers sometimes give it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def problem(field: str, value: object, reason: str) -> PydanticCustomError:
    """A refusal from inside a model validator, naming the field relative to the model."""
    return PydanticCustomError(
        "axilla_field", "{field}: {reason}", {"field": field, "value": value, "reason": reason}
    )


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def number_from_text(text: str, whole: bool = False) -> float:
    """A number written as plain decimal text; ValueError for anything else.

    Python's ``float`` also reads ``3_0`` (as 30), ``nan``, ``inf`` and ``1e999``; none of those
    is a measurement a clinician wrote, so none is read here.
    """
    text = text.strip()
    if not _NUMBER_TEXT.match(text):
        raise ValueError(text)
    value = float(text)
    if not math.isfinite(value) or (whole and not value.is_integer()):
        raise ValueError(text)
    return value
