"""The guidance fact schema (case/fields.yaml) and the validation of a facts mapping against it.

Source: axilla guidance specification section 0.2 (fields used by the NICE NG101, CG81 and DG34
rules). Every refusal names the field, the value and what is allowed. The schema is part of the
case vocabulary: ``Case.guidance_facts`` is checked against it when a case is parsed, and the
guidance engine reads the same schema (``axilla.guidance`` re-exports it).
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from axilla.errors import DataFileError, FieldProblem, InputError

FieldType = Literal["bool", "int", "float", "enum", "list", "text"]
FIELD_TYPES: tuple[str, ...] = ("bool", "int", "float", "enum", "list", "text")
_FIELD_KEYS = {"type", "values", "unit", "min", "max", "derived", "default", "description"}


@dataclass(frozen=True)
class FieldSpec:
    """One fact a condition may use: its type, allowed values or range, unit and meaning."""

    name: str
    type: FieldType
    description: str
    values: tuple[str, ...] = ()
    unit: str = ""
    min: float | None = None
    max: float | None = None
    derived: str | None = None
    default: object = None

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "float")

    @functools.cached_property
    def codes(self) -> frozenset[str]:
        """The allowed values of an enum or list field, as a set (empty for other types)."""
        return frozenset(self.values)

    @functools.cached_property
    def bounds(self) -> tuple[float, float]:
        """(min, max) of a numeric field, infinite where the schema sets no bound."""
        return (-math.inf if self.min is None else self.min,
                math.inf if self.max is None else self.max)

    def allowed(self) -> str:
        """What this field accepts, in words (used in error messages and the field list)."""
        if self.type == "bool":
            return "true or false"
        if self.type == "enum":
            return "one of " + ", ".join(self.values)
        if self.type == "list":
            return "a list of distinct values from " + ", ".join(self.values)
        if self.type == "text":
            return "text"
        kind = "a whole number" if self.type == "int" else "a number"
        unit = f" {self.unit}" if self.unit else ""
        if self.min is not None and self.max is not None:
            return f"{kind} from {self.min:g} to {self.max:g}{unit}"
        if self.min is not None:
            return f"{kind} >= {self.min:g}{unit}"
        return kind + unit

    def check(self, value: object) -> tuple[object, str | None]:
        """Return (normalised value, None) or (value, reason) when the value is not allowed."""
        normalised = self.normalised(value)
        if normalised is INVALID:
            return value, self.refusal()
        return normalised, None

    def refusal(self) -> str:
        """Why a value is refused, in words."""
        return f"must be {self.allowed()}"

    def normalised(self, value: object) -> object:
        """The value as the rules read it, or INVALID when this field does not allow it."""
        kind = self.type
        if kind == "bool":
            return value if isinstance(value, bool) else INVALID
        if kind == "enum":
            if not isinstance(value, str):
                return INVALID
            if value in self.values:  # already a code: normalising a code leaves it as it is
                return value
            value = _normalise_pn(value) if self.name == "pn_category" else value
            return value if value in self.values else INVALID
        if kind == "text":
            return value if isinstance(value, str) and value.strip() else INVALID
        if kind == "list":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                return INVALID
            if len(set(value)) != len(value) or not set(value) <= set(self.values):
                return INVALID
            return tuple(value)
        if value.__class__ is int:  # a plain int is whole and finite
            if kind == "float":
                value = float(value)
        elif (isinstance(value, bool) or not isinstance(value, int | float)
              or not math.isfinite(value)):
            return INVALID
        elif kind == "int":
            if value != int(value):
                return INVALID
            value = int(value)
        else:
            value = float(value)
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            return INVALID
        return value


#: What ``FieldSpec.normalised`` returns for a value the field does not allow.
INVALID = object()

_PN_SUFFIX = re.compile(r"(\((sn|f)\))+$")


def _normalise_pn(value: str) -> str:
    """Drop a yp prefix and (sn)/(f) suffixes from an AJCC pN category (staging spec 2.3, 2.5)."""
    value = _PN_SUFFIX.sub("", value.strip())
    return value[1:] if value.startswith("ypN") else value


def parse_fields(data: object, source: str = "fields.yaml") -> dict[str, FieldSpec]:
    """Build the field schema from parsed YAML; a malformed entry raises DataFileError."""
    if not isinstance(data, Mapping) or not isinstance(data.get("fields"), Mapping):
        raise DataFileError(f"{source}: expected a mapping with a 'fields' mapping")
    fields: dict[str, FieldSpec] = {}
    for name, entry in data["fields"].items():
        where = f"{source}: field {name!r}"
        if not isinstance(entry, Mapping):
            raise DataFileError(f"{where}: expected a mapping")
        unknown = set(entry) - _FIELD_KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown key(s) {sorted(map(str, unknown))}")
        ftype = entry.get("type")
        if ftype not in FIELD_TYPES:
            raise DataFileError(f"{where}: type {ftype!r} is not one of {', '.join(FIELD_TYPES)}")
        values = tuple(entry.get("values") or ())
        if ftype in ("enum", "list") and not values:
            raise DataFileError(f"{where}: an {ftype} field needs 'values'")
        if not isinstance(entry.get("description"), str):
            raise DataFileError(f"{where}: needs a text 'description'")
        spec = FieldSpec(
            name=str(name),
            type=ftype,
            description=" ".join(entry["description"].split()),
            values=tuple(str(v) for v in values),
            unit=str(entry.get("unit", "")),
            min=entry.get("min"),
            max=entry.get("max"),
            derived=entry.get("derived"),
            default=entry.get("default"),
        )
        if spec.default is not None and spec.check(spec.default)[1] is not None:
            raise DataFileError(f"{where}: default {spec.default!r} is not {spec.allowed()}")
        fields[spec.name] = spec
    return fields


def load_fields() -> dict[str, FieldSpec]:
    """The packaged field schema (case/fields.yaml)."""
    return _packaged_fields().copy()


@functools.cache
def _packaged_fields() -> dict[str, FieldSpec]:
    text = resources.files("axilla.case").joinpath("fields.yaml").read_text("utf-8")
    return parse_fields(yaml.safe_load(text))


_SHORTCUT_CLASSES = {"bool": bool, "enum": str, "int": int, "float": float}
_SHORTCUTS: dict[int, tuple[Mapping[str, FieldSpec], tuple[dict, dict, dict]]] = {}


def _shortcuts(fields: Mapping[str, FieldSpec]
               ) -> tuple[dict[str, type], dict[str, frozenset[str]], dict[str, tuple]]:
    """Of a field table, made once: the exact class a field's value is kept as given with (bool
    fields: bool, enum: str, int: int, float: float), the enum codes and the numeric bounds."""
    held = _SHORTCUTS.get(id(fields))
    if held is None or held[0] is not fields:
        if len(_SHORTCUTS) >= 64:  # field tables made for tests: keep the table small
            _SHORTCUTS.clear()
        held = _SHORTCUTS[id(fields)] = (fields, (
            {n: _SHORTCUT_CLASSES[f.type] for n, f in fields.items()
             if f.type in _SHORTCUT_CLASSES},
            {n: f.codes for n, f in fields.items() if f.type == "enum"},
            {n: f.bounds for n, f in fields.items() if f.numeric}))
    return held[1]


def validate_facts(
    facts: Mapping[str, Any], fields: Mapping[str, FieldSpec] | None = None
) -> dict[str, object]:
    """Check a flat facts mapping against the schema; return it normalised, None values dropped.

    Raises InputError listing every unknown field, wrongly typed or out-of-range value.
    ``fields`` defaults to the packaged schema.
    """
    if fields is None:
        fields = _packaged_fields()
    if not isinstance(facts, Mapping):
        raise InputError([FieldProblem("facts", type(facts).__name__, "must be a mapping")])
    problems: list[FieldProblem] = []
    clean: dict[str, object] = {}
    exact, codes, bounds = _shortcuts(fields)
    for name, value in facts.items():
        cls = value.__class__
        # the value as the rules read it (``normalised``), settled without the general path:
        # a bool, an enum code, an in-range int or finite float kept as it is
        if name.__class__ is str and exact.get(name) is cls and (
                cls is bool or (value in codes[name] if cls is str else (
                    bounds[name][0] <= value <= bounds[name][1]
                    and (cls is int or math.isfinite(value))))):
            clean[name] = value
            continue
        spec = fields.get(name) if isinstance(name, str) else None
        if spec is None:
            near = difflib.get_close_matches(str(name), list(fields), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            reason = f"unknown field{hint}; see `axilla guidance --fields`"
            problems.append(FieldProblem(str(name), value, reason))
            continue
        if value is None:  # null = not known
            continue
        normalised = spec.normalised(value)
        if normalised is INVALID:
            problems.append(FieldProblem(name, value, spec.refusal()))
        else:
            clean[name] = normalised
    if clean.get("invasive") is True and clean.get("dcis_only") is True:
        problems.append(
            FieldProblem("dcis_only", True, "cannot be true when invasive is true (pure DCIS only)")
        )
    if problems:
        raise InputError(problems)
    return clean
