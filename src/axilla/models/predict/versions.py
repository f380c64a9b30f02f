"""PREDICT Breast versions: one data file a version, read at import, looked up by name.

Each file in ``versions/`` holds a version's coefficients, baselines, treatment columns and the
logic switches that differ between versions; ``extends`` names the file it builds on, whose
tables are merged underneath. Source of every number: the header of each file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from axilla.errors import DataFileError, UnknownModelVersionError

CURRENT_VERSION = "3.2"

#: Allowed values of each logic switch (a file with another value is refused at load).
LOGIC_CHOICES: dict[str, tuple[Any, ...]] = {
    "prognostic_index": ("v2", "v3"),
    "er_negative_grade": ("exactly_2_or_3", "at_least_2", "linear"),
    "radiotherapy_in_model": (True, False),
    "other_cause_index": ("v2", "v3.0", "v3.1"),
    "treatment_harms": ("none", "shared_index", "shared_index_twice", "by_column"),
    "heart_harm_requires_radiotherapy": (True, False),
    "other_cause_survival": ("closed_form", "running_sum"),
    "extended_endocrine": ("none", "unguarded", "collapsed", "guarded"),
    "output": ("benefit_matrix", "survival", "dfs_benefit", "extended_endocrine_benefit"),
    "conditional": ("none", "unconditional_other_cause", "conditional"),
}

TREATMENT_LETTERS = ("r", "h", "h10", "c", "t", "b")

#: The order of each ``[ranges]`` triplet (log hazard ratios, most benefit first).
RANGE_BOUNDS = ("high", "central", "low")


@dataclass(frozen=True, eq=False)
class PredictVersion:
    """One PREDICT version (or variant) as its data file defines it.

    Compared and hashed by identity: each id is loaded once (cached), and a variant made with
    ``dataclasses.replace`` is a different object, so caches keyed by it never mix the two."""

    id: str
    name: str
    function: str
    source: str
    dated: str
    description: str
    current: bool
    superseded: bool
    logic: Mapping[str, Any]
    columns: tuple[str, ...]
    column_terms: tuple[tuple[str, ...], ...]
    ladders: Mapping[str, tuple[str, ...]]
    reference_prefix: str
    tables: Mapping[str, Any]
    #: letter -> treatment coefficient -> (high-benefit, central, low-benefit) log hazard ratio
    ranges: Mapping[str, Mapping[str, tuple[float, float, float]]] = field(default_factory=dict)
    _looked_up: dict[tuple[str, str], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def coef(self, section: str, name: str) -> Any:
        """A coefficient by section (dotted, e.g. 'prognostic_index.er_positive') and name."""
        found = self._looked_up.get((section, name), self._looked_up)
        if found is not self._looked_up:
            return found
        table: Any = self.tables
        for part in section.split("."):
            table = table.get(part, {}) if isinstance(table, Mapping) else {}
        if name not in table:
            raise DataFileError(f"PREDICT {self.id}: coefficient {section}.{name} is missing")
        self._looked_up[(section, name)] = table[name]
        return table[name]

    @property
    def uses_v3_inputs(self) -> bool:
        """Whether the version reads PR, heart dose and smoking (the 3.x family)."""
        return self.logic["other_cause_index"] != "v2"

    @property
    def conditional_columns(self) -> tuple[str, ...]:
        chosen = self.logic.get("conditional_columns", "all")
        if self.logic["conditional"] == "none":
            return ()
        return self.columns if chosen == "all" else tuple(chosen)

    def citation(self) -> str:
        return f"{self.name} {self.id} ({self.function}); {self.source}"


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _ranges(version_id: str, data: Mapping[str, Any]
            ) -> dict[str, dict[str, tuple[float, float, float]]]:
    """The ``[ranges]`` table, checked, if it applies to this version (``applies_to``): each
    triplet's central value must equal the version's own coefficient of that name."""
    table = data.get("ranges", {})
    if version_id not in table.get("applies_to", ()):
        return {}
    coefficients = data.get("treatment", {})
    found: dict[str, dict[str, tuple[float, float, float]]] = {}
    seen: dict[str, tuple[float, float, float]] = {}
    for letter, named in table.items():
        if letter == "applies_to":
            continue
        if letter not in TREATMENT_LETTERS or not isinstance(named, Mapping) or not named:
            raise DataFileError(f"PREDICT {version_id}: ranges.{letter} must be a table of "
                                f"coefficients, under one of {TREATMENT_LETTERS}")
        for name, triplet in named.items():
            where = f"PREDICT {version_id}: ranges.{letter}.{name}"
            if name not in coefficients:
                raise DataFileError(f"{where}: no coefficient treatment.{name} to vary")
            if (not isinstance(triplet, list) or len(triplet) != 3 or any(
                    isinstance(b, bool) or not isinstance(b, int | float) for b in triplet)):
                raise DataFileError(f"{where} = {triplet!r}, expected three numbers "
                                    f"[{', '.join(RANGE_BOUNDS)}]")
            if triplet[1] != coefficients[name]:
                raise DataFileError(f"{where}: central value {triplet[1]} differs from the "
                                    f"version's coefficient treatment.{name} = "
                                    f"{coefficients[name]}")
            bounds = (float(triplet[0]), float(triplet[1]), float(triplet[2]))
            if seen.setdefault(name, bounds) != bounds:
                raise DataFileError(f"{where}: differs from the range of {name} given for "
                                    "another treatment (one coefficient, one range)")
            found.setdefault(letter, {})[name] = bounds
    return found


def _read(version_id: str) -> dict[str, Any]:
    path = resources.files("axilla.models.predict") / "versions" / f"v{version_id}.toml"
    if not path.is_file():
        raise UnknownModelVersionError("PREDICT", version_id, available_versions())
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    parent = data.pop("extends", None)
    if parent is not None:
        data = _merge(_read(parent), data)
    return data


def available_versions() -> list[str]:
    """Every version id with a data file, oldest first."""
    folder = resources.files("axilla.models.predict") / "versions"
    ids = [p.name[1:-5] for p in folder.iterdir() if p.name.endswith(".toml")]
    return sorted(ids, key=lambda s: (tuple(int(x) for x in s.split("_")[0].split(".")), s))


def load_version(version_id: str) -> PredictVersion:
    """Load and check one version's data file (cached); a leading 'v' is accepted."""
    return _load(str(version_id).removeprefix("v"))


@cache
def _load(version_id: str) -> PredictVersion:
    return version_from_data(version_id, _read(version_id))


def version_from_data(version_id: str, data: dict[str, Any]) -> PredictVersion:
    """Check a version's tables (its file merged over the files it extends) and build it;
    a file that breaks a rule is refused with a :class:`DataFileError` naming the key."""
    try:
        model, logic = data["model"], dict(data["logic"])
        names, terms = data["columns"]["names"], data["columns"]["terms"]
    except KeyError as exc:
        raise DataFileError(f"PREDICT {version_id}: section or key {exc} missing") from None
    for key, allowed in LOGIC_CHOICES.items():
        if logic.get(key) not in allowed:
            raise DataFileError(
                f"PREDICT {version_id}: logic.{key} = {logic.get(key)!r}, expected one of {allowed}"
            )
    if len(names) != len(terms) or len(set(names)) != len(names):
        raise DataFileError(f"PREDICT {version_id}: columns.names and columns.terms disagree")
    column_terms = tuple(tuple(t.split()) for t in terms)
    for name, parts in zip(names, column_terms, strict=True):
        unknown = [p for p in parts if p not in TREATMENT_LETTERS]
        if unknown:
            raise DataFileError(f"PREDICT {version_id}: column {name} has unknown terms {unknown}")
    ladders = {k: tuple(v) for k, v in data.get("ladders", {}).items()}
    for ladder in ladders.values():
        missing = [c for c in ladder if c not in names]
        if missing:
            raise DataFileError(f"PREDICT {version_id}: ladder names unknown columns {missing}")
    if model.get("version") != version_id:
        raise DataFileError(f"PREDICT {version_id}: model.version is {model.get('version')!r}")
    return PredictVersion(
        id=version_id,
        name=model["name"],
        function=model["function"],
        source=model["source"],
        dated=model["dated"],
        description=model["description"],
        current=bool(model.get("current", False)),
        superseded=bool(model.get("superseded", False)),
        logic=logic,
        columns=tuple(names),
        column_terms=column_terms,
        ladders=ladders,
        reference_prefix=data.get("reference", {}).get("prefix", ""),
        tables=data,
        ranges=_ranges(version_id, data),
    )
