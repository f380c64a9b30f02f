"""Facts that contradict each other (staging's pN category against the node counts): reported
as conflicts and treated as unknown, never one silently preferred to the other.

Source: AJCC 8th edition pN definitions (pN0: no regional node with a metastasis larger than
0.2 mm or more than 200 cells; pN1mi: micrometastases only; pN2a: 4-9 axillary nodes; pN3a: 10
or more axillary nodes, at least one larger than 2 mm); issue 9 item 6 (facts contract).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from axilla.guidance.derive import NODE_NEGATIVE_PN

Facts = Mapping[str, object]

#: Categories that need at least one involved axillary node (AJCC 8th).
AXILLARY_POSITIVE_PN = frozenset({"pN1mi", "pN1a", "pN2a", "pN3a"})
#: Categories that need at least one axillary metastasis larger than 2 mm (AJCC 8th).
MACRO_PN = frozenset({"pN1a", "pN2a", "pN3a"})


@dataclass(frozen=True)
class Contradiction:
    """Facts that cannot all be true; each is treated as unknown until resolved."""

    fields: tuple[str, ...]
    values: tuple[object, ...]
    text: str


def _count(facts: Facts, name: str) -> int | None:
    value = facts.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pn_against_positive(facts: Facts) -> str | None:
    pn, positive = facts.get("pn_category"), _count(facts, "positive_nodes_total")
    if pn in NODE_NEGATIVE_PN and positive:
        return f"{pn} means no node with a micro- or macrometastasis, but {positive} are counted"
    if pn in AXILLARY_POSITIVE_PN and positive == 0:
        return f"{pn} means at least one involved axillary node, but none is counted"
    if pn == "pN2a" and positive is not None and positive < 4:
        return f"pN2a means 4 to 9 involved axillary nodes, but {positive} are counted"
    if pn == "pN3a" and positive is not None and positive < 10:
        return f"pN3a means 10 or more involved axillary nodes, but {positive} are counted"
    return None


def _pn_against_macro(facts: Facts) -> str | None:
    pn, macro = facts.get("pn_category"), _count(facts, "macromet_nodes_total")
    if macro and (pn in NODE_NEGATIVE_PN or pn == "pN1mi"):
        return f"{pn} means no node with a macrometastasis, but {macro} are counted"
    if macro == 0 and pn in MACRO_PN:
        return f"{pn} means at least one axillary node larger than 2 mm, but none is counted"
    return None


def _macro_against_positive(facts: Facts) -> str | None:
    macro, positive = _count(facts, "macromet_nodes_total"), _count(facts, "positive_nodes_total")
    if macro is not None and positive is not None and macro > positive:
        return (f"{macro} nodes with a macrometastasis cannot exceed {positive} positive nodes "
                "(macro- and micrometastases)")
    return None


def _sentinel_against_total(facts: Facts) -> str | None:
    sln, macro = _count(facts, "sln_macromet_count"), _count(facts, "macromet_nodes_total")
    if sln is not None and macro is not None and sln > macro:
        return (f"{sln} axillary sentinel nodes with a macrometastasis cannot exceed "
                f"{macro} axillary nodes with a macrometastasis")
    return None


CHECKS: tuple[tuple[tuple[str, ...], Callable[[Facts], str | None]], ...] = (
    (("pn_category", "positive_nodes_total"), _pn_against_positive),
    (("pn_category", "macromet_nodes_total"), _pn_against_macro),
    (("macromet_nodes_total", "positive_nodes_total"), _macro_against_positive),
    (("sln_macromet_count", "macromet_nodes_total"), _sentinel_against_total),
)


def contradictions(facts: Facts) -> list[Contradiction]:
    """Every check that the facts fail, with the facts involved and why, in words."""
    found = []
    for fields, check in CHECKS:
        reason = check(facts)
        if reason is not None:
            found.append(Contradiction(fields, tuple(facts[f] for f in fields), reason))
    return found
