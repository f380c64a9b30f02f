"""Loading and checking the guidance rule files (ruleset.yaml and rules/*.yaml).

Every rule names its id, topic, strength, source kind, paraphrased text, citation and condition;
anything the engine could not evaluate (unknown field, operator, parameter, rule reference,
strength or topic; a cycle of rule references) is refused at load with DataFileError.
Source: axilla guidance specification section 0 (rule record and strength vocabulary).
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from axilla.errors import DataFileError
from axilla.guidance.annotations import (
    CaveatSpec,
    ConditionalSpec,
    parse_caveat,
    parse_conditionals,
)
from axilla.guidance.conditions import Condition, ConditionParser, ParamSpec
from axilla.guidance.derive import DERIVATIONS
from axilla.guidance.models import Citation
from axilla.guidance.schema import FieldSpec, load_fields

_FILE_KEYS = {"source", "source_kind", "applies_when", "rules"}
_SOURCE_KEYS = {"guideline", "title", "version", "url", "note", "text_date"}
_RULE_KEYS = {
    "id", "topic", "strength", "source_kind", "text", "cite", "when", "variants", "note",
    "uncertain", "also_fires", "caveat", "conditional",
}
_CITE_KEYS = {
    "guideline", "number", "year_tag", "note", "tag_verified", "url", "version", "text_date",
    "wording",
}
_VARIANT_KEYS = {"name", "when", "text", "strength"}


@dataclass(frozen=True)
class Variant:
    """One wording of a rule, chosen when its condition holds (first true variant wins)."""

    name: str
    when: Condition | None
    text: str
    strength: str


@dataclass(frozen=True)
class Rule:
    """One encoded recommendation."""

    id: str
    topic: str
    strength: str
    source_kind: str
    text: str
    citation: Citation
    when: Condition
    gate: Condition | None
    variants: tuple[Variant, ...]
    note: str | None
    uncertain: str | None
    also_fires: tuple[str, ...]
    source_file: str
    caveat: CaveatSpec | None = None
    conditional: tuple[ConditionalSpec, ...] = ()

    def rule_refs(self) -> frozenset[str]:
        refs = set(self.when.rule_refs())
        for v in self.variants:
            if v.when is not None:
                refs |= v.when.rule_refs()
        for c in self.conditional:
            refs |= c.when.rule_refs()
        return frozenset(refs)


@dataclass(frozen=True)
class RuleSet:
    """The loaded rule set: rules in evaluation order plus vocabularies and parameters."""

    version: str
    rules: tuple[Rule, ...]
    topics: Mapping[str, str]
    strengths: Mapping[str, str]  # strength -> source kind
    source_kinds: Mapping[str, str]
    params: Mapping[str, ParamSpec]
    fields: Mapping[str, FieldSpec]
    declared: tuple[str, ...] = ()  # rule ids in file order (display order within a topic)

    def rule(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        """Rules by id (built once)."""
        return {r.id: r for r in self.rules}

    @cached_property
    def defaults(self) -> tuple[tuple[str, object], ...]:
        """(field, default) of the fields that have a default (fields.yaml order)."""
        return tuple((f.name, f.default) for f in self.fields.values() if f.default is not None)

    @cached_property
    def param_defaults(self) -> dict[str, object]:
        """Each parameter's packaged default (a unit's overrides are applied to a copy)."""
        return {name: spec.default for name, spec in self.params.items()}

    @cached_property
    def derived_fields(self) -> dict[str, str]:
        """Derived field name -> derivation name (fields.yaml)."""
        return {f.name: f.derived for f in self.fields.values() if f.derived}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: needs non-empty text")
    return " ".join(value.split())


def _keys(data: Mapping, allowed: set[str], where: str) -> None:
    unknown = set(map(str, data)) - allowed
    if unknown:
        raise DataFileError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}"
        )


def parse_ruleset_header(data: object, fields: Mapping[str, FieldSpec]) -> dict[str, Any]:
    """Check ruleset.yaml: version, topics, strengths, source kinds, parameters."""
    where = "ruleset.yaml"
    if not isinstance(data, Mapping):
        raise DataFileError(f"{where}: expected a mapping")
    _keys(data, {"version", "topics", "strengths", "source_kinds", "parameters"}, where)
    params: dict[str, ParamSpec] = {}
    for name, p in (data.get("parameters") or {}).items():
        if not isinstance(p, Mapping) or p.get("type") not in ("bool", "int", "float"):
            raise DataFileError(f"{where}: parameter {name!r} needs type bool, int or float")
        default = p.get("default")
        ok = isinstance(default, bool) if p["type"] == "bool" else (
            isinstance(default, int | float) and not isinstance(default, bool)
        )
        if not ok:
            raise DataFileError(
                f"{where}: parameter {name!r} default {default!r} is not {p['type']}"
            )
        if name in fields:
            raise DataFileError(f"{where}: parameter {name!r} has the name of a field")
        params[name] = ParamSpec(name, p["type"], default, _text(p.get("description"), where))
    strengths = {s: str(v["source_kind"]) for s, v in (data.get("strengths") or {}).items()}
    kinds = dict(data.get("source_kinds") or {})
    if not strengths or not kinds or not set(strengths.values()) <= set(kinds):
        raise DataFileError(f"{where}: strengths must each name one of the source_kinds")
    return {
        "version": _text(data.get("version"), where),
        "topics": dict(data.get("topics") or {}),
        "strengths": strengths,
        "source_kinds": kinds,
        "params": params,
    }


def _citation(raw: object, source: Mapping, where: str) -> Citation:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: 'cite' must be a mapping (guideline, number, year_tag ...)")
    _keys(raw, _CITE_KEYS, f"{where}/cite")
    guideline = raw.get("guideline", source.get("guideline"))
    if not guideline:
        raise DataFileError(f"{where}: the citation names no guideline")
    return Citation(
        guideline=str(guideline),
        number=None if raw.get("number") is None else str(raw["number"]),
        year_tag=raw.get("year_tag"),
        note=raw.get("note"),
        version=raw.get("version", source.get("version")),
        url=raw.get("url", source.get("url")),
        tag_verified=bool(raw.get("tag_verified", True)),
        text_date=_date(raw.get("text_date", source.get("text_date")), where),
        wording=raw.get("wording"),
    )


def _date(value: object, where: str) -> str | None:
    """An ISO date (YAML reads 2025-04-14 as a date) kept as text; None when absent."""
    if value is None:
        return None
    text = str(value)
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise DataFileError(f"{where}: text_date {value!r} is not an ISO date (YYYY-MM-DD)")
    return text


def parse_rule_file(
    data: object, header: Mapping[str, Any], fields: Mapping[str, FieldSpec], source_name: str
) -> list[Rule]:
    """Parse one rules/*.yaml document into rules (references between rules checked later)."""
    if not isinstance(data, Mapping):
        raise DataFileError(f"{source_name}: expected a mapping with 'source' and 'rules'")
    _keys(data, _FILE_KEYS, source_name)
    source = data.get("source")
    if not isinstance(source, Mapping) or not source.get("guideline"):
        raise DataFileError(f"{source_name}: needs a 'source' header naming the guideline")
    _keys(source, _SOURCE_KEYS, f"{source_name}/source")
    parser = ConditionParser(fields, header["params"])
    gate = None
    if "applies_when" in data:
        gate = parser.parse(data["applies_when"], f"{source_name}/applies_when")
    default_kind = data.get("source_kind", "nice")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise DataFileError(f"{source_name}: needs a non-empty 'rules' list")
    rules: list[Rule] = []
    for i, raw in enumerate(raw_rules):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise DataFileError(f"{source_name}: rule {i} needs an 'id'")
        where = f"{source_name}: rule {raw['id']}"
        _keys(raw, _RULE_KEYS, where)
        topic = raw.get("topic")
        if topic not in header["topics"]:
            raise DataFileError(f"{where}: topic {topic!r} is not one of {list(header['topics'])}")
        kind = raw.get("source_kind", default_kind)
        if kind not in header["source_kinds"]:
            kinds = list(header["source_kinds"])
            raise DataFileError(f"{where}: source_kind {kind!r} is not one of {kinds}")
        strength = _strength(raw.get("strength"), kind, header, where)
        if "when" not in raw:
            raise DataFileError(f"{where}: needs a 'when' condition")
        variants = tuple(
            _variant(v, parser, kind, header, f"{where}/variants[{j}]")
            for j, v in enumerate(raw.get("variants") or [])
        )
        if "text" not in raw and not variants:
            raise DataFileError(f"{where}: needs 'text' (or 'variants' each with text)")
        rules.append(
            Rule(
                id=raw["id"],
                topic=str(topic),
                strength=strength,
                source_kind=kind,
                text=_text(raw["text"], where) if "text" in raw else variants[0].text,
                citation=_citation(raw.get("cite"), source, where),
                when=parser.parse(raw["when"], f"{where}/when"),
                gate=gate,
                variants=variants,
                note=_text(raw["note"], where) if raw.get("note") else None,
                uncertain=_text(raw["uncertain"], where) if raw.get("uncertain") else None,
                also_fires=tuple(raw.get("also_fires") or ()),
                source_file=source_name,
                caveat=(parse_caveat(raw["caveat"], header["topics"], where)
                        if "caveat" in raw else None),
                conditional=(parse_conditionals(raw["conditional"], parser, where)
                             if "conditional" in raw else ()),
            )
        )
    return rules


def _strength(value: object, kind: str, header: Mapping[str, Any], where: str) -> str:
    if value not in header["strengths"]:
        allowed = list(header["strengths"])
        raise DataFileError(f"{where}: strength {value!r} is not one of {allowed}")
    if header["strengths"][value] != kind:
        raise DataFileError(
            f"{where}: strength {value!r} belongs to source kind "
            f"{header['strengths'][value]!r}, but the rule is {kind!r}"
        )
    return str(value)


def _variant(
    raw: object, parser: ConditionParser, kind: str, header: Mapping, where: str
) -> Variant:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
        raise DataFileError(f"{where}: a variant needs a 'name'")
    _keys(raw, _VARIANT_KEYS, where)
    strength = raw.get("strength")
    return Variant(
        name=raw["name"],
        when=parser.parse(raw["when"], f"{where}/when") if "when" in raw else None,
        text=_text(raw.get("text"), where),
        strength=_strength(strength, kind, header, where) if strength else "",
    )


def order_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Check ids are unique and references resolve; return rules with referenced rules first."""
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            raise DataFileError(
                f"rule id {rule.id} is defined twice "
                f"({by_id[rule.id].source_file}, {rule.source_file})"
            )
        by_id[rule.id] = rule
    graph: dict[str, set[str]] = {}
    for rule in by_id.values():
        caveat_refs = set(rule.caveat.rules) if rule.caveat else set()
        for ref in rule.rule_refs() | set(rule.also_fires) | caveat_refs:
            if ref not in by_id:
                raise DataFileError(f"{rule.source_file}: rule {rule.id}: unknown rule id {ref!r}")
        graph[rule.id] = set(rule.rule_refs())
    try:
        order = list(graph_order(graph))
    except graphlib.CycleError as exc:
        raise DataFileError(f"rules refer to each other in a cycle: {exc.args[1]}") from None
    return tuple(by_id[i] for i in order)


def graph_order(graph: Mapping[str, set[str]]) -> Iterable[str]:
    """Stable topological order: file order kept wherever references allow."""
    sorter = graphlib.TopologicalSorter(graph)
    sorter.prepare()
    position = {rule_id: i for i, rule_id in enumerate(graph)}
    out: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        out.extend(ready)
        sorter.done(*ready)
    return out


def check_fields(fields: Mapping[str, FieldSpec]) -> None:
    """Every derived field names a known derivation; reserved words are not field names."""
    for spec in fields.values():
        if spec.derived is not None and spec.derived not in DERIVATIONS:
            raise DataFileError(
                f"fields.yaml: field {spec.name!r}: unknown derivation {spec.derived!r}"
            )
        if spec.name in ("all", "any", "not", "fired", "param"):
            raise DataFileError(f"fields.yaml: {spec.name!r} is a reserved word of the conditions")


def load_rule_set(
    rule_files: Iterable[tuple[str, str]],
    ruleset_text: str,
    fields: Mapping[str, FieldSpec] | None = None,
) -> RuleSet:
    """Build a rule set from (name, YAML text) pairs and the ruleset.yaml text."""
    fields = load_fields() if fields is None else fields
    check_fields(fields)
    header = parse_ruleset_header(yaml.safe_load(ruleset_text), fields)
    rules: list[Rule] = []
    for name, text in rule_files:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DataFileError(f"{name}: not valid YAML: {exc}") from None
        rules.extend(parse_rule_file(data, header, fields, name))
    return RuleSet(
        version=header["version"],
        rules=order_rules(rules),
        topics=header["topics"],
        strengths=header["strengths"],
        source_kinds=header["source_kinds"],
        params=header["params"],
        fields=fields,
        declared=tuple(r.id for r in rules),
    )


def packaged_rule_set() -> RuleSet:
    """The rule set shipped in axilla/guidance (ruleset.yaml, fields.yaml, rules/*.yaml)."""
    root = resources.files("axilla.guidance")
    files = sorted(
        (p for p in root.joinpath("rules").iterdir() if p.name.endswith(".yaml")),
        key=lambda p: p.name,
    )
    return load_rule_set(
        [(f"rules/{p.name}", p.read_text("utf-8")) for p in files],
        root.joinpath("ruleset.yaml").read_text("utf-8"),
    )


def load_rule_paths(paths: Iterable[Path], ruleset_path: Path | None = None) -> RuleSet:
    """A rule set from rule files on disk (for reviewing or testing rule files)."""
    root = resources.files("axilla.guidance")
    ruleset_text = (
        ruleset_path.read_text("utf-8")
        if ruleset_path
        else root.joinpath("ruleset.yaml").read_text("utf-8")
    )
    return load_rule_set([(str(p), Path(p).read_text("utf-8")) for p in paths], ruleset_text)
