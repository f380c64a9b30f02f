"""What a rule adds to other recommendations: caveats (pregnancy, an event during primary
treatment, a new primary) and conditions where the guideline does not decide a case.

A rule with ``caveat: {kind, text, topics, rules}`` puts, whenever it fires, a caveat naming it
on every fired recommendation of those topics or rule ids, so a treatment that a state such as
pregnancy changes is shown with that change and never dropped. A rule with
``conditional: [{when, text}, ...]`` carries the first text whose condition holds (or cannot be
decided) as ``conditional_on``: the ambiguity in words.
Source: issue 9 of the project (items 2-4); guidance spec section 0 (rule record).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from axilla.errors import DataFileError
from axilla.guidance.conditions import Condition, ConditionParser, Context
from axilla.guidance.models import Caveat, Recommendation

CAVEAT_KINDS = ("pregnancy", "primary_treatment", "new_primary")
_CAVEAT_KEYS = {"kind", "text", "topics", "rules"}
_CONDITIONAL_KEYS = {"when", "text"}


@dataclass(frozen=True)
class CaveatSpec:
    """The caveat a rule puts on other recommendations when it fires."""

    kind: str
    text: str
    topics: tuple[str, ...]
    rules: tuple[str, ...]

    def covers(self, rec: Recommendation) -> bool:
        return self.covers_rule(rec.topic, rec.id)

    def covers_rule(self, topic: str, rule_id: str) -> bool:
        """Whether the caveat goes on a recommendation of ``topic`` made by ``rule_id``."""
        return topic in self.topics or rule_id in self.rules


@dataclass(frozen=True)
class ConditionalSpec:
    """A case the guideline does not decide: when it holds, the recommendation is conditional."""

    when: Condition
    text: str


def _words(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: needs non-empty text")
    return " ".join(value.split())


def _names(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: expected a list of names")
    return tuple(value)


def parse_caveat(raw: object, topics: Iterable[str], where: str) -> CaveatSpec:
    """Check a rule's ``caveat`` mapping (kind, text, topics and/or rules it qualifies)."""
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: 'caveat' must be a mapping (kind, text, topics, rules)")
    unknown = set(map(str, raw)) - _CAVEAT_KEYS
    if unknown:
        raise DataFileError(f"{where}: unknown caveat key(s) {sorted(unknown)}")
    if raw.get("kind") not in CAVEAT_KINDS:
        raise DataFileError(f"{where}: caveat kind {raw.get('kind')!r} is not one of "
                            f"{list(CAVEAT_KINDS)}")
    spec = CaveatSpec(str(raw["kind"]), _words(raw.get("text"), f"{where}/caveat"),
                      _names(raw.get("topics"), f"{where}/caveat/topics"),
                      _names(raw.get("rules"), f"{where}/caveat/rules"))
    bad = set(spec.topics) - set(topics)
    if bad:
        raise DataFileError(f"{where}: caveat names unknown topic(s) {sorted(bad)}")
    if not spec.topics and not spec.rules:
        raise DataFileError(f"{where}: a caveat needs the topics or rules it qualifies")
    return spec


def parse_conditionals(raw: object, parser: ConditionParser,
                       where: str) -> tuple[ConditionalSpec, ...]:
    """Check a rule's ``conditional`` list of {when, text}."""
    if not isinstance(raw, list) or not raw:
        raise DataFileError(f"{where}: 'conditional' must be a non-empty list of {{when, text}}")
    out = []
    for i, item in enumerate(raw):
        here = f"{where}/conditional[{i}]"
        if not isinstance(item, Mapping) or set(map(str, item)) != _CONDITIONAL_KEYS:
            raise DataFileError(f"{here}: needs exactly 'when' and 'text'")
        out.append(ConditionalSpec(parser.parse(item["when"], f"{here}/when"),
                                   _words(item["text"], here)))
    return tuple(out)


def conditional_on(specs: Iterable[ConditionalSpec], ctx: Context) -> str | None:
    """The first ambiguity whose condition holds or cannot be decided; None if none applies."""
    for spec in specs:
        if spec.when.evaluate(ctx).value is not False:
            return spec.text
    return None


def add_caveats(recs: Iterable[Recommendation],
                caveats: Mapping[str, tuple[CaveatSpec, str]]) -> tuple[Recommendation, ...]:
    """Put each fired rule's caveat (id -> (spec, citation)) on the recommendations it covers."""
    out = []
    for rec in recs:
        found = tuple(
            Caveat(kind=spec.kind, rule_id=rule_id, text=spec.text, cite=cite)
            for rule_id, (spec, cite) in caveats.items()
            if rule_id != rec.id and spec.covers(rec)
        )
        out.append(rec.model_copy(update={"caveats": found}) if found else rec)
    return tuple(out)
