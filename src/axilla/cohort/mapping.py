"""Column mappings: a registry's own names, codes and units -> axilla's input vocabulary.

A mapping is a YAML file (examples in ``examples/mappings/``, format in docs/cohort.md):

    columns:    axilla input -> source column (default: the same name)
    codes:      axilla input -> {source value: axilla code, or null for unknown}
    thresholds: axilla input -> {positive_at_least: x} (e.g. ER >= 10 fmol/l -> positive)
    units:      axilla input -> source unit (cm or mm for sizes; days, months or years for time)
    defaults:   axilla input -> a constant for inputs the registry does not hold
    keep:       source columns copied to the output (e.g. a record id)
    outcome:    time: {column, unit}, event: {column, codes} for ``axilla cohort validate``

Unmapped codes refuse the row with the column, the value and the codes the mapping knows;
nothing is coerced silently. Unknown values map to the model's own missing codes downstream.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping as TypingMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from axilla.cohort.values import MISSING_TOKENS, parse_numbers
from axilla.errors import FieldProblem, InputError

#: Factor from a source unit to axilla's unit (sizes in mm, times in years).
UNIT_FACTORS: dict[str, float] = {
    "mm": 1.0, "cm": 10.0, "years": 1.0, "months": 1.0 / 12.0, "days": 1.0 / 365.25,
}
_SECTIONS = ("description", "columns", "codes", "thresholds", "units", "defaults", "keep",
             "outcome")


def _key(value: object) -> str:
    """A source value as the text a mapping's code table is keyed by (1.0 and 1 agree)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


@dataclass(frozen=True)
class Mapping:
    """A parsed column mapping (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, float | str | None]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, float | str] = field(default_factory=dict)
    keep: tuple[str, ...] = ()
    outcome: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def source(self, name: str) -> str:
        return self.columns.get(name, name)

    def _column(self, name: str, values: np.ndarray, problems: list) -> np.ndarray:
        src = self.source(name)
        items = np.asarray(values, dtype=object).tolist()
        if name in self.codes:
            table = self.codes[name]
            text_out = any(isinstance(v, str) for v in table.values())
            out = np.empty(len(items), dtype=object if text_out else float)
            known = ", ".join(repr(k) for k in table)
            for i, v in enumerate(items):
                k = "" if v is None else _key(v)
                if k not in table and _is_missing(v):
                    out[i] = "" if text_out else math.nan
                    continue
                if k not in table:
                    problems.append((i, src, v, f"code not in the mapping for {name}; "
                                                f"mapped codes: {known}"))
                    out[i] = "" if text_out else math.nan
                    continue
                code = table[k]
                out[i] = ("" if text_out else math.nan) if code is None else code
            return out
        numbers, bad = parse_numbers(np.asarray(values))
        problems.extend((int(i), src, items[i], f"must be a number for {name}")
                        for i in np.flatnonzero(bad))
        if name in self.thresholds:
            cut = self.thresholds[name]
            return np.where(np.isnan(numbers), np.nan, (numbers >= cut).astype(float))
        if name in self.units:
            return numbers * UNIT_FACTORS[self.units[name]]
        return numbers

    def apply(self, raw: TypingMapping[str, np.ndarray], names: Iterable[str] | None = None
              ) -> tuple[dict[str, np.ndarray], list[tuple[int, str, object, str]]]:
        """Columns under axilla names, and (row index, source column, value, reason) problems."""
        n = len(next(iter(raw.values()))) if raw else 0
        wanted = set(names) if names is not None else (
            set(self.columns) | set(self.codes) | set(self.thresholds) | set(self.units)
            | set(self.defaults))
        out: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in raw.items()
                                      if k not in wanted}
        problems: list[tuple[int, str, object, str]] = []
        for name in sorted(wanted):
            src = self.source(name)
            if src in raw:
                out[name] = self._column(name, raw[src], problems)
            elif name in self.defaults:
                value = self.defaults[name]
                out[name] = np.full(n, value, dtype=object if isinstance(value, str) else float)
        return out, problems

    def used_sources(self) -> set[str]:
        names = set(self.columns) | set(self.codes) | set(self.thresholds) | set(self.units)
        srcs = {self.source(n) for n in names} | set(self.keep)
        for part in ("time", "event"):
            if isinstance(self.outcome.get(part), dict) and "column" in self.outcome[part]:
                srcs.add(str(self.outcome[part]["column"]))
        return srcs


def _problem(where: str, value: object, reason: str) -> InputError:
    return InputError([FieldProblem(where, value, reason)])


def parse_mapping(data: object, where: str = "mapping") -> Mapping:
    """Check a mapping read from YAML; every mistake names the section, key and value."""
    if not isinstance(data, dict):
        raise _problem(where, type(data).__name__, "must be a YAML mapping of sections")
    unknown = [k for k in data if k not in _SECTIONS]
    if unknown:
        raise _problem(f"{where}: {unknown[0]}", unknown[0],
                       f"is not a section; allowed: {', '.join(_SECTIONS)}")

    def section(name: str) -> dict:
        value = data.get(name) or {}
        if not isinstance(value, dict):
            raise _problem(f"{where}: {name}", value, "must be a mapping")
        return value

    units = {str(k): str(v) for k, v in section("units").items()}
    for k, u in units.items():
        if u not in UNIT_FACTORS:
            raise _problem(f"{where}: units.{k}", u, f"must be one of {', '.join(UNIT_FACTORS)}")
    thresholds: dict[str, float] = {}
    for k, rule in section("thresholds").items():
        if not isinstance(rule, dict) or set(rule) != {"positive_at_least"}:
            raise _problem(f"{where}: thresholds.{k}", rule,
                           "must be {positive_at_least: number}")
        thresholds[str(k)] = float(rule["positive_at_least"])
    codes: dict[str, dict[str, float | str | None]] = {}
    for k, table in section("codes").items():
        if not isinstance(table, dict):
            raise _problem(f"{where}: codes.{k}", table, "must map source values to codes")
        for src, dst in table.items():
            if isinstance(src, bool) or isinstance(dst, bool):
                raise _problem(f"{where}: codes.{k}", src if isinstance(src, bool) else dst,
                               "YAML read a yes/no word as true/false; put it in quotes")
            if dst is not None and not isinstance(dst, str | int | float):
                raise _problem(f"{where}: codes.{k}.{src}", dst, "must be a code or null")
        codes[str(k)] = {_key(src): (None if dst is None else dst if isinstance(dst, str)
                                     else float(dst)) for src, dst in table.items()}
    keep = data.get("keep") or []
    if not isinstance(keep, list):
        raise _problem(f"{where}: keep", keep, "must be a list of source columns")
    return Mapping(
        columns={str(k): str(v) for k, v in section("columns").items()},
        codes=codes, thresholds=thresholds, units=units,
        defaults={str(k): v for k, v in section("defaults").items()},
        keep=tuple(str(k) for k in keep), outcome=section("outcome"),
        description=str(data.get("description", "")),
    )


def load_mapping(path: Path) -> Mapping:
    """Read and check a YAML mapping file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _problem(str(path), None, f"is not valid YAML ({exc})") from exc
    return parse_mapping(data, str(path))


@dataclass
class CheckReport:
    """What ``axilla cohort check`` found before a long run."""

    unused_columns: list[str] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)
    unmapped_codes: dict[str, dict[str, int]] = field(default_factory=dict)
    not_numbers: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing_inputs or self.unmapped_codes or self.not_numbers)


def check_columns(mapping: Mapping, header: Iterable[str], required: Iterable[str],
                  optional: Iterable[str]) -> CheckReport:
    """Columns of the file no input uses, and required inputs neither in the file nor given
    a default (the code scan is :func:`scan_codes`)."""
    header = list(header)
    used = mapping.used_sources() | {mapping.source(n) for n in (*required, *optional)}
    report = CheckReport(unused_columns=[h for h in header if h not in used])
    report.missing_inputs = [n for n in required if mapping.source(n) not in header
                             and n not in mapping.defaults]
    return report


def scan_codes(mapping: Mapping, raw: TypingMapping[str, np.ndarray], names: Iterable[str],
               report: CheckReport) -> None:
    """Count unmapped codes and non-numbers of one chunk into ``report``."""
    _, problems = mapping.apply(raw, names)
    for _row, src, value, reason in problems:
        bucket = report.unmapped_codes if "code not in" in reason else report.not_numbers
        counts = bucket.setdefault(src, {})
        counts[_key(value)] = counts.get(_key(value), 0) + 1
    report.rows += len(next(iter(raw.values()))) if raw else 0
