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
from axilla.explain.catalogue import DEFAULT_LANGUAGE, available_languages
from axilla.explain.report import render_html, render_pdf
from axilla.explain.view import Table as ViewTable
from axilla.explain.view import build_view
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
    out.add_argument("--pdf", type=Path, metavar="OUT.pdf",
                     help="write the same report as an A4 PDF (needs the 'pdf' extra)")
    p.add_argument("--lang", default=DEFAULT_LANGUAGE, choices=available_languages(),
                   help="language of the patient texts and report: "
                   + ", ".join(available_languages()))
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
    except UnicodeDecodeError as exc:
        return fail(f"{args.case}: not UTF-8 text (byte {exc.start})")
    except RecursionError:
        return fail(f"{args.case}: JSON nested too deeply")
    if not isinstance(data, dict):
        return fail(f"{args.case}: a case is a JSON object")
    case = parse_case(data)
    a = assess(case, predict_version=args.predict_version, lang=args.lang)
    if args.json:
        print(a.model_dump_json(indent=2))
    elif args.html:
        args.html.write_text(render_html(a, args.lang, case), encoding="utf-8")
        print(f"axilla: report written to {args.html}", file=sys.stderr)
    elif args.pdf:
        args.pdf.write_bytes(render_pdf(a, args.lang, case))
        print(f"axilla: report written to {args.pdf}", file=sys.stderr)
    else:
        print_summary(a, args.lang)
    return EXIT_OK


def _table(t: ViewTable) -> Table:
    out = Table(title=t.caption, title_justify="left")
    for i, h in enumerate(t.header):
        out.add_column(h, justify="left" if i == 0 else "right")
    for row in t.rows:
        out.add_row(*row)
    return out


def print_summary(a: Assessment, lang: str = DEFAULT_LANGUAGE) -> None:
    """A terse terminal summary for the clinical team, then the patient sentences; it renders
    the same view model as the HTML report and the web pages (``axilla.explain.view``)."""
    v = build_view(a, lang=lang)
    c = Console()
    c.rule(v.title)
    c.print(f"[bold]Staging[/bold] {v.staging.summary}")
    for reason in v.staging.reasons:
        c.print(f"  - {reason}")
    p = v.predict
    if p.survival is None or p.benefits is None:
        c.print("[bold]PREDICT[/bold] not run: " + "; ".join(p.reasons))
    else:
        c.print(_table(p.survival))
        c.print(_table(p.benefits))
        if p.if_added is not None:
            c.print(_table(p.if_added))
    for ix in v.indices:
        c.print(f"[bold]{ix.name}[/bold] " + (ix.line if ix.applicable else
                                              "not applicable: " + "; ".join(ix.reasons)))
    c.print(f"[bold]Guideline options[/bold] (rule set {v.ruleset_version})")
    for topic in v.topics:
        c.print(f"  [underline]{topic.title}[/underline]")
        for r in topic.recommendations:
            kind = "" if r.source_kind == "nice" else f" [{r.source_kind}]"
            c.print(f"   {r.id} {r.strength}{kind}: {r.text} ({r.cite})")
            if r.conditional_on:
                c.print(f"     holds only if: {r.conditional_on}")
            for caveat in r.caveats:
                c.print(f"     caveat: {caveat}")
    if v.recurrence_class:
        c.print(f"[bold]Recurrence[/bold] {v.recurrence_class}")
    for w in v.warnings:
        c.print(f"[yellow]Note:[/yellow] {w}")
    c.rule("For the patient")
    if v.review_status:
        c.print(f"[italic]{v.review_status}[/italic]")
    for q in v.questions:
        c.print(f"[bold]{q.question}[/bold]")
        c.print(q.answer, highlight=False)
