"""`axilla guidance FACTS.json`: which guidance rules fire for a flat mapping of facts, and why.

The facts are the fields of the guidance specification section 0.2 (``--fields`` lists them);
derived fields given in the mapping are used as given. Output: the rules that fire, grouped by
topic, each with its strength, source kind (NICE, practice, inference), citation and the facts
that made it fire. ``--json`` prints a list of objects (id, topic, strength, source_kind, text,
cite, citation, facts, ...). Source of the rules: NICE NG101, CG81, DG34/DG58 (rules/*.yaml).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from axilla.cli import one_line_errors
from axilla.errors import FieldProblem, InputError
from axilla.guidance import FIELDS, evaluate, load_rules
from axilla.guidance.models import GuidanceResult

EXIT_OK, EXIT_USAGE = 0, 2



def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``axilla guidance``."""
    parser = one_line_errors(
        subparsers.add_parser(
            "guidance",
            help="which NICE guidance rules fire for a set of facts (JSON), and why",
            description="Evaluate the guidance rule set (NICE NG101, CG81, DG34; practice and "
            "inference rules labelled) on a JSON object of facts. Decision support, not a "
            "medical device: always read the cited recommendation.",
        )
    )
    parser.add_argument("facts", nargs="?", help="JSON file with one object of facts ('-' = stdin)")
    parser.add_argument("--json", action="store_true", help="print the fired rules as JSON")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a rule-set parameter, e.g. predict_chemo_benefit_lower_pct=2.5",
    )
    parser.add_argument(
        "--undecided", action="store_true", help="also list rules that missing facts left open"
    )
    parser.add_argument("--fields", action="store_true", help="list the fields facts may use")
    parser.add_argument("--rules", action="store_true", help="list every rule with its citation")
    parser.set_defaults(handler=run)


def _read_facts(name: str) -> dict[str, Any]:
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([FieldProblem(name, text[:40], f"not valid JSON ({exc.msg})")]) from None
    if not isinstance(data, dict):
        raise InputError([FieldProblem(name, type(data).__name__, "must be one JSON object")])
    return data


def _params(items: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        try:
            value = json.loads(raw) if sep else None
        except json.JSONDecodeError:
            value = raw
        if not sep or value is None:
            raise InputError([FieldProblem("--param", item, "must be NAME=VALUE")])
        params[name.strip()] = value
    return params


def run(args: argparse.Namespace) -> int:
    """Evaluate the rules on the facts file, or list fields or rules."""
    console = Console(width=max(Console().width, 140))
    if args.fields:
        return _list_fields(console)
    if args.rules:
        return _list_rules(console)
    if not args.facts:
        raise InputError([FieldProblem("FACTS", None, "give a JSON file of facts (or --fields)")])
    result = evaluate(_read_facts(args.facts), params=_params(args.param))
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in result.recommendations], indent=2))
        return EXIT_OK
    _show(result, console, args.undecided)
    return EXIT_OK


def _facts_text(facts: dict[str, Any]) -> str:
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in facts.items())


def _show(result: GuidanceResult, console: Console, undecided: bool) -> None:
    rules = load_rules()
    kinds = rules.source_kinds
    for topic, recs in result.by_topic.items():
        table = Table(title=rules.topics[topic], title_justify="left", show_lines=True)
        for name in ("Rule", "Strength", "Recommendation", "Citation", "Because"):
            table.add_column(name, overflow="fold")
        for r in recs:
            label = r.strength
            if r.source_kind != "nice":
                label += f"\n{kinds[r.source_kind]}"
            text = r.text
            if r.note:
                text += f"\nNote: {r.note}"
            if r.uncertain:
                text += f"\nUncertain: {r.uncertain}"
            cite = r.cite + ("" if r.citation.tag_verified else "\n(tag not verified)")
            table.add_row(r.id, label, text, cite, _facts_text(r.facts))
        console.print(table)
    if not result.recommendations:
        console.print("No rule fires for these facts.", highlight=False)
    derived = _facts_text(result.derived)
    console.print(
        f"Rule set {result.ruleset_version}; {len(result.recommendations)} rules fired, "
        f"{len(result.undecided)} undecided for missing facts"
        + (f"; derived: {derived}" if derived else ""),
        highlight=False,
        markup=False,
    )
    if undecided:
        for u in result.undecided:
            console.print(f"  {u.id}: needs {', '.join(u.missing)}", highlight=False, markup=False)


def _list_fields(console: Console) -> int:
    table = Table(title="Guidance fields", title_justify="left")
    for name in ("Field", "Allowed", "Derived", "Meaning"):
        table.add_column(name, overflow="fold")
    for spec in FIELDS.values():
        table.add_row(spec.name, spec.allowed(), spec.derived or "", spec.description)
    console.print(table)
    return EXIT_OK


def _list_rules(console: Console) -> int:
    rules = load_rules()
    table = Table(title=f"Guidance rules ({rules.version})", title_justify="left")
    for name in ("Rule", "Topic", "Strength", "Source", "Citation"):
        table.add_column(name, overflow="fold")
    for rule_id in rules.declared:
        r = rules.rule(rule_id)
        table.add_row(r.id, r.topic, r.strength, r.source_kind, str(r.citation))
    console.print(table)
    return EXIT_OK
