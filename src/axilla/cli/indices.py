"""`axilla indices`: NPI, CTS5 and VNPI for one case, or a batch of worked cases from CSV.

Batch form reads the ``case_id,index,inputs,output`` columns of the indices case format
(``inputs`` a JSON object; see tests/data/indices/README.md) and writes the same rows, in
order, with a ``value`` column. Source of each index: docs/models/npi.md, cts5.md, vnpi.md.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from axilla.case.indices import (
    INDEX_INPUTS,
    CTS5Inputs,
    IndexName,
    NPIInputs,
    VNPIInputs,
)
from axilla.cli import one_line_errors
from axilla.cli.indices_batch import run_batch
from axilla.models import cts5, npi, vnpi

EXIT_OK, EXIT_ROWS_FAILED, EXIT_USAGE = 0, 1, 2
# --------------------------------------------------------------------------------------------
# Argument parsing
# --------------------------------------------------------------------------------------------



def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``axilla indices`` (batch with --input/--output, or one case: npi, cts5, vnpi)."""
    parser = one_line_errors(subparsers.add_parser(
        "indices",
        help="prognostic indices: NPI, CTS5, VNPI (one case, or a CSV batch)",
        description="Nottingham Prognostic Index, CTS5 and Van Nuys Prognostic Index. "
        "Batch: --input cases.csv --output values.csv (rows failing validation go to "
        "<output stem>.errors.csv with row = data row number, 1 for the first row after the "
        "header; exit 1 if any row failed). One case: axilla indices npi|cts5|vnpi ...",
    ))
    parser.add_argument("--input", type=Path, help="CSV with case_id,index,inputs,output")
    parser.add_argument("--output", type=Path, help="CSV to write (adds value column)")
    _policy_arguments(parser)
    parser.set_defaults(handler=run_batch)
    one = parser.add_subparsers(dest="index_name", metavar="INDEX")

    p = one_line_errors(one.add_parser("npi", help="Nottingham Prognostic Index of one case"))
    for name in ("size_mm", "positive_nodes", "grade"):
        _input(p, "NPI", name)
    _nodal_arguments(p, "NPI")
    p.set_defaults(handler=run_npi)

    p = one_line_errors(one.add_parser("cts5", help="CTS5 of one case (ER-positive, 5 y ET)"))
    for name in ("age_years", "size_mm", "grade", "positive_nodes"):
        _input(p, "CTS5", name)
    _nodal_arguments(p, "CTS5")
    p.add_argument("--er-negative", action="store_true",
                   help="ER-negative disease (refused: CTS5 is for ER-positive only)")
    p.add_argument("--menopausal-status", "--menopause", dest="menopause",
                   choices=("pre", "post"), help="menopausal status, if known (the case's "
                   "patient.menopausal_status; --menopause is a deprecated spelling)")
    _input(p, "CTS5", "endocrine_therapy_years", "--endocrine-therapy-years",
           "--endocrine-years")
    p.add_argument("--distant-recurrence-free", choices=("yes", "no"),
                   help="free of distant recurrence at 5 years, if known")
    p.set_defaults(handler=run_cts5)

    p = one_line_errors(one.add_parser("vnpi", help="Van Nuys Prognostic Index of one DCIS"))
    for name in ("size_mm", "margin_mm", "nuclear_grade"):
        _input(p, "VNPI", name)
    p.add_argument("--comedo-necrosis", required=True, choices=("yes", "no"),
                   help="comedo-type necrosis present")
    _input(p, "VNPI", "age_years")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=run_vnpi)


def _input(parser: argparse.ArgumentParser, index: IndexName, name: str, *flags: str) -> None:
    """A numeric input flag whose help (meaning and range) comes from case/indices.py."""
    spec = INDEX_INPUTS[index][name]
    text = f"{spec.description[:1].lower()}{spec.description[1:]}: {spec.rule.describe()}"
    if len(flags) > 1:
        text += f" ({', '.join(flags[1:])}: deprecated spelling)"
    parser.add_argument(*(flags or ("--" + name.replace("_", "-"),)), dest=name,
                        required=spec.required, help=text)


def _policy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--micromets-not-counted", action="store_true",
        help="do not count nodes with micrometastases only (default: counted, as TNM pN1mi)",
    )
    parser.add_argument(
        "--no-cts5-size-cap", action="store_true",
        help="CTS5 without the 30 mm size cap (sensitivity analysis; default: capped)",
    )


def _nodal_arguments(parser: argparse.ArgumentParser, index: IndexName) -> None:
    _input(parser, index, "micrometastatic_nodes")
    parser.add_argument("--neoadjuvant", action="store_true",
                        help="systemic therapy was given before surgery (flagged)")
    _policy_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


# --------------------------------------------------------------------------------------------
# One case
# --------------------------------------------------------------------------------------------


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _show(title: str, result: Any, rows: Sequence[tuple[str, str, str]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(result.as_dict(), indent=2, default=str))
        return EXIT_OK
    table = Table(title=title, caption=result.provenance.label(), caption_justify="left")
    for name in ("Output", "Value", "Source"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(width=max(Console().width, 120))
    console.print(table)
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)
    return EXIT_OK


def run_npi(args: argparse.Namespace) -> int:
    """One case of the Nottingham Prognostic Index."""
    inputs = NPIInputs(**_given(
        size_mm=args.size_mm, positive_nodes=args.positive_nodes, grade=args.grade,
        micrometastatic_nodes=args.micrometastatic_nodes,
        neoadjuvant_therapy=True if args.neoadjuvant else None,
    ))
    r = npi.npi_for_case(inputs, count_micromets_as_positive=not args.micromets_not_counted)
    src = r.provenance.source
    surv = f"{r.surv10_pct:.2f} %" if r.surv10_pct is not None else "not given"
    rows = [
        ("NPI score", f"{r.score:.3f}", src),
        ("Node stage", f"{r.node_stage} ({r.counted_positive_nodes} positive nodes counted)", src),
        ("Group (6)", f"{r.group6} ({r.group6_label})", r.group_sources["groups6"]),
        ("Group (3)", r.group3, r.group_sources["groups3"]),
        ("Group (4)", r.group4, r.group_sources["groups4"]),
        ("10-year survival", f"{surv}: {r.surv10_note}", r.survival_provenance.source),
    ]
    return _show("Nottingham Prognostic Index", r, rows, args.json)


def run_cts5(args: argparse.Namespace) -> int:
    """One case of CTS5."""
    menopause = {"pre": False, "post": True}.get(args.menopause or "")
    dr_free = {"yes": True, "no": False}.get(args.distant_recurrence_free or "")
    inputs = CTS5Inputs(**_given(
        age_years=args.age_years, size_mm=args.size_mm, grade=args.grade,
        positive_nodes=args.positive_nodes, micrometastatic_nodes=args.micrometastatic_nodes,
        neoadjuvant_therapy=True if args.neoadjuvant else None,
        er_positive=False if args.er_negative else None, postmenopausal=menopause,
        endocrine_therapy_years=args.endocrine_therapy_years, distant_recurrence_free=dr_free,
    ))
    cap = None if args.no_cts5_size_cap else cts5.CTS5_SIZE_CAP_MM
    r = cts5.cts5_for_case(
        inputs, count_micromets_as_positive=not args.micromets_not_counted, size_cap_mm=cap
    )
    src = r.provenance.source
    rows = [
        ("CTS5 score", f"{r.score:.4f}", src),
        ("Node category", f"{r.node_category} ({r.counted_positive_nodes} positive nodes "
         "counted)", src),
        ("Risk group", f"{r.group} (published 5-10 y distant recurrence {r.group_published_risk})",
         src),
        ("5-10 y distant recurrence", f"{r.risk_5_10y_pct:.2f} %, {r.risk_5_10y_label}",
         f"{r.risk_provenance.status}: {r.risk_provenance.source}"),
    ]
    return _show("CTS5 (late distant recurrence after 5 years of endocrine therapy)", r, rows,
                 args.json)


def run_vnpi(args: argparse.Namespace) -> int:
    """One case of the Van Nuys Prognostic Index."""
    inputs = VNPIInputs(
        size_mm=args.size_mm, margin_mm=args.margin_mm, nuclear_grade=args.nuclear_grade,
        comedo_necrosis=args.comedo_necrosis == "yes", age_years=args.age_years,
    )
    r = vnpi.vnpi_for_case(inputs)
    src = r.provenance.source
    rows = [
        ("Sub-scores (size|margin|pathology|age)", "|".join(map(str, r.subscores)), src),
        ("VNPI score", str(r.score), src),
        ("Group", f"{r.group} (2003 suggestion: {r.group_management})", src),
        ("2015 management band", r.management_2015_label, r.management_provenance.source),
    ]
    return _show("Van Nuys Prognostic Index (DCIS)", r, rows, args.json)
