"""The rule catalogue as Markdown: per rule its strength, citation, the guideline's own verb and
the date of the text it was checked against (the "Rules by topic" section of docs/guidance.md).

Source: the packaged rule files; issue 9 item 1 (each rule's check recorded). Pure: returns text.
"""

from __future__ import annotations

from axilla.guidance.rules import Rule, RuleSet

_HEADER = ("| Rule | Strength | Source | Citation | Guideline wording | Text checked | Flags |\n"
           "|---|---|---|---|---|---|---|")


def _flags(rule: Rule) -> str:
    flags = []
    if not rule.citation.tag_verified:
        flags.append("not verified")
    if rule.uncertain:
        flags.append("uncertain")
    if rule.conditional:
        flags.append("conditional")
    if rule.caveat:
        flags.append(f"{rule.caveat.kind} caveat")
    if rule.variants:
        flags.append("variants: " + ", ".join(v.name for v in rule.variants))
    return "; ".join(flags)


def rules_markdown(rules: RuleSet) -> str:
    """One table a topic, rules in file order within each topic."""
    out: list[str] = []
    for topic, heading in rules.topics.items():
        rows = [rules.rule(i) for i in rules.declared if rules.rule(i).topic == topic]
        if not rows:
            continue
        out += [f"### {heading} (`{topic}`)", "", _HEADER]
        for r in rows:
            source = "NICE" if r.source_kind == "nice" else f"{r.source_kind} (not NICE)"
            out.append(f"| {r.id} | {r.strength} | {source} | {r.citation} | "
                       f"{r.citation.wording or ''} | {r.citation.text_date or ''} | "
                       f"{_flags(r)} |")
        out.append("")
    return "\n".join(out)
