"""Derived guidance fields, computed from base facts only when the facts do not give them.

Source: axilla guidance specification section 0.2 (derived fields) and K.0 (default recurrence
risk, an inference). Each function returns None when the facts do not decide the value
(three-valued logic: a known result is returned as soon as the known facts settle it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

Facts = Mapping[str, object]

NODE_NEGATIVE_PN = frozenset({"pN0", "pN0(i+)", "pN0(mol+)"})


def _all(*terms: bool | None) -> bool | None:
    """Kleene conjunction (a plain loop: no generator made a call)."""
    unknown = False
    for t in terms:
        if t is False:
            return False
        if t is None:
            unknown = True
    return None if unknown else True


def _number(facts: Facts, name: str) -> float | None:
    """A numeric fact (validated upstream), or None when absent."""
    value = facts.get(name)
    return None if value is None else float(value)  # type: ignore[arg-type]


def _is(facts: Facts, name: str, value: object) -> bool | None:
    return None if name not in facts else facts[name] == value


def triple_negative(facts: Facts) -> bool | None:
    """ER-negative, PR-negative and HER2-negative (spec 0.2)."""
    return _all(_is(facts, "er_status", "negative"), _is(facts, "pr_status", "negative"),
                _is(facts, "her2_status", "negative"))


def node_positive_macro(facts: Facts) -> bool | None:
    """At least one node with macrometastasis: macromet_nodes_total >= 1 (spec 0.2)."""
    total = _number(facts, "macromet_nodes_total")
    return None if total is None else total >= 1


def margins_clear(facts: Facts) -> bool | None:
    """No tumour on ink after BCS: radial_margin_min_mm > 0 (spec 0.2; MDT may override)."""
    margin = _number(facts, "radial_margin_min_mm")
    return None if margin is None else margin > 0


def primary_surgery(facts: Facts) -> bool | None:
    """Surgery first: no neoadjuvant chemotherapy or endocrine therapy (spec 0.2)."""
    return _all(
        _is(facts, "neoadjuvant_chemo_given", False), _is(facts, "neoadjuvant_et_given", False)
    )


def node_negative(facts: Facts) -> bool | None:
    """pN (or ypN) in pN0, pN0(i+), pN0(mol+); pNX decides nothing (spec 0.2, NG101 1.4.15)."""
    pn = facts.get("pn_category")
    return None if pn is None or pn == "pNX" else pn in NODE_NEGATIVE_PN


def endocrine_years_completed(facts: Facts) -> float | None:
    """Total years of adjuvant endocrine therapy: tamoxifen plus aromatase inhibitor (ET-12)."""
    tamoxifen = _number(facts, "tamoxifen_years_completed")
    ai = _number(facts, "ai_years_completed")
    return None if tamoxifen is None or ai is None else tamoxifen + ai


RECURRENCE_CLASSES = frozenset(
    {"local", "regional", "locoregional", "distant", "contralateral_new_primary"})


def recurrence_class(facts: Facts) -> str | None:
    """The class of the event once confirmed (recurrence_event); a suspected one must be given."""
    event = facts.get("recurrence_event")
    return event if isinstance(event, str) and event in RECURRENCE_CLASSES else None


def recurrence_risk(facts: Facts) -> str | None:
    """Default risk level (spec K.0, inference from NG101 1.11.15-1.11.16 table 6).

    low if node-negative, size <= 20 mm and grade 1-2; otherwise medium. Never high: high is
    always set by the clinician.
    """
    size, grade = _number(facts, "size_mm"), _number(facts, "grade")
    negative = facts.get("node_negative")
    low = _all(
        negative if isinstance(negative, bool) else None,
        None if size is None else size <= 20,
        None if grade is None else grade <= 2,
    )
    return None if low is None else ("low" if low else "medium")


def testes_present(facts: Facts) -> bool | None:
    """A default from the recorded sex for NICE NG101 1.11.9-1.11.12 (2025 wording: people with
    testes / with ovaries): male -> True, female -> False. It is only a default: a value given
    (e.g. for a trans or intersex person) is kept."""
    sex = facts.get("sex")
    return {"male": True, "female": False}.get(sex) if isinstance(sex, str) else None


Derivation = Callable[[Facts], object]

#: Derivations by name, in the order they are computed (inputs before the fields using them).
DERIVATIONS: dict[str, Derivation] = {
    "triple_negative": triple_negative,
    "node_positive_macro": node_positive_macro,
    "margins_clear": margins_clear,
    "primary_surgery": primary_surgery,
    "node_negative": node_negative,
    "endocrine_years_completed": endocrine_years_completed,
    "recurrence_risk": recurrence_risk,
    "recurrence_class": recurrence_class,
    "testes_present": testes_present,
}


#: The base facts each derivation reads (named in conflict reports).
SOURCES: dict[str, tuple[str, ...]] = {
    "triple_negative": ("er_status", "pr_status", "her2_status"),
    "node_positive_macro": ("macromet_nodes_total",),
    "margins_clear": ("radial_margin_min_mm",),
    "primary_surgery": ("neoadjuvant_chemo_given", "neoadjuvant_et_given"),
    "node_negative": ("pn_category",),
    "endocrine_years_completed": ("tamoxifen_years_completed", "ai_years_completed"),
    "recurrence_risk": ("node_negative", "size_mm", "grade"),
    "recurrence_class": ("recurrence_event",),
    "testes_present": ("sex",),
}

#: Derivations that only give a default: a clinician's value is kept when it differs
#: (margins: the MDT may override; recurrence risk: high is always clinician-set; anatomy:
#: the recorded sex is only a default for it).
OVERRIDABLE = frozenset({"margins_clear", "recurrence_risk", "testes_present"})


@dataclass(frozen=True)
class Disagreement:
    """A derived fact given directly that its sources contradict."""

    field: str
    given: object
    derived: object
    sources: tuple[str, ...]
    kept: bool  # True: the given value is used (overridable); False: treated as unknown


def complete(
    facts: Facts, derived_fields: Mapping[str, str]
) -> tuple[dict, dict, list[Disagreement]]:
    """Add the derived fields the facts do not give; check those they give against sources.

    ``derived_fields`` maps field name to derivation name (from fields.yaml). Returns (all
    facts, derived values only, disagreements). A given value its sources contradict is
    removed (unknown), unless the derivation is only a default (OVERRIDABLE).
    """
    full = dict(facts)
    derived: dict[str, object] = {}
    found: list[Disagreement] = []
    for name, field, function in _in_order(derived_fields):
        value = function(full)  # reads its SOURCES only, never its own field
        if field in full:
            if value is not None and value != full[field]:
                kept = name in OVERRIDABLE
                found.append(Disagreement(field, full[field], value, SOURCES[name], kept))
                if not kept:
                    del full[field]
            continue
        if value is not None:
            full[field] = derived[field] = value
    return full, derived, found


_ORDER: dict[int, tuple[Mapping[str, str], tuple[tuple[str, str, Derivation], ...]]] = {}


def _in_order(derived_fields: Mapping[str, str]) -> tuple[tuple[str, str, Derivation], ...]:
    """(derivation, field, function) of the derived fields in DERIVATIONS order, made once a
    field table (``derived_fields`` of a rule set, kept with it)."""
    held = _ORDER.get(id(derived_fields))
    if held is None or held[0] is not derived_fields:
        by_derivation = {d: f for f, d in derived_fields.items()}
        order = tuple((name, by_derivation[name], function)
                      for name, function in DERIVATIONS.items() if name in by_derivation)
        if len(_ORDER) >= 64:  # rule sets loaded for tests: keep the table small
            _ORDER.clear()
        held = _ORDER[id(derived_fields)] = (derived_fields, order)
    return held[1]
