"""`axilla assess`: one case from a JSON file -> a terminal summary, JSON, or an HTML report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from axilla.assess import Assessment, assess
from axilla.case.assessment import parse_case
from axilla.cli import EXIT_OK, fail
from axilla.explain.report import render_html
from axilla.models.predict import CURRENT_VERSION, available_versions


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess", help="staging, PREDICT, indices, guidance and explanations for one case",
        description="Assess one case (a JSON file, see examples/ and docs/assessment-schema.md).")
    p.add_argument("case", type=Path, nargs="?",
                   help="the case as JSON ('-' reads standard input)")
    p.add_argument("--schema", action="store_true",
                   help="print the JSON Schema of the assessment and exit")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the assessment as JSON")
    out.add_argument("--html", type=Path, metavar="REPORT.html",
                     help="write a standalone HTML report (clinician and patient sections)")
    p.add_argument("--fhir", type=Path, metavar="BUNDLE.json",
                   help="read the case from a FHIR R4 / mCODE bundle instead (docs/fhir.md)")
    p.add_argument("--fhir-out", type=Path, metavar="OUT.json",
                   help="with --fhir: write the assessment as a FHIR R4 Bundle")
    p.add_argument("--predict-version", default=CURRENT_VERSION,
                   help="PREDICT version: " + ", ".join(available_versions()))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sys

    if args.schema:
        print(json.dumps(Assessment.model_json_schema(), indent=2, sort_keys=True))
        return EXIT_OK
    if args.fhir is not None:
        from axilla.cli.fhir import assess_fhir

        return assess_fhir(args.fhir, args.fhir_out, json_output=args.json,
                           predict_version=args.predict_version)
    if args.case is None:
        return fail("give the case JSON file (or --schema)")
    try:
        text = sys.stdin.read() if str(args.case) == "-" else args.case.read_text("utf-8")
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return fail(f"{args.case}: not valid JSON ({exc.msg} at line {exc.lineno})")
    if not isinstance(data, dict):
        return fail(f"{args.case}: a case is a JSON object")
    a = assess(parse_case(data), predict_version=args.predict_version)
    if args.json:
        print(a.model_dump_json(indent=2))
    elif args.html:
        args.html.write_text(render_html(a), encoding="utf-8")
        print(f"axilla: report written to {args.html}", file=sys.stderr)
    else:
        print_summary(a)
    return EXIT_OK


def print_summary(a: Assessment) -> None:
    """A terse terminal summary for the clinical team, then the patient sentences."""
    c = Console()
    c.rule(f"axilla assessment {a.case_id or ''}".strip())
    s = a.staging
    c.print(f"[bold]Staging[/bold] {s.summary()}")
    for reason in s.reasons:
        c.print(f"  - {reason}")
    if a.predict.result is None:
        c.print("[bold]PREDICT[/bold] not run: " + "; ".join(a.predict.not_applicable_reasons))
    else:
        r = a.predict.result
        t = Table(title=f"{r.model.name} {r.model.version}: overall survival %",
                  title_justify="left")
        t.add_column("Treatment")
        for y in (5, 10, 15):
            t.add_column(f"{y} y", justify="right")
        t.add_row("Surgery only", *[f"{r.surgery_only.overall_survival_pct[y]:.1f}"
                                    for y in (5, 10, 15)])
        for step, b in zip(r.steps, r.benefits, strict=True):
            if b.chosen:
                t.add_row(f"+ {b.treatment} (+{b.displayed_pp[10]:.1f} at 10 y)",
                          *[f"{step.overall_survival_pct[y]:.1f}" for y in (5, 10, 15)])
        c.print(t)
    for index in a.indices:
        if index.result is not None:
            res = index.result
            c.print(f"[bold]{index.name}[/bold] {res['score']} "
                    f"({res.get('group6') or res.get('group')})")
    c.print(f"[bold]Guideline options[/bold] (rule set {a.guidance.ruleset_version})")
    for topic, recs in a.guidance.by_topic.items():
        c.print(f"  [underline]{topic}[/underline]")
        for rec in recs:
            kind = "" if rec.source_kind == "nice" else f" [{rec.source_kind}]"
            c.print(f"   {rec.id} {rec.strength}{kind}: {rec.text} ({rec.cite})")
    if a.recurrence.event:
        c.print(f"[bold]Recurrence[/bold] {a.recurrence.event['event_class']}")
    for w in a.warnings:
        c.print(f"[yellow]Note:[/yellow] {w}")
    c.rule("For the patient")
    seen = set()
    for e in a.explanations:
        if not e.topic.startswith("guidance:") and e.patient not in seen:
            seen.add(e.patient)
            c.print(e.patient)
