"""`axilla stage`: AJCC 8th edition (revised 2018) breast staging of one case or a CSV batch.

One case: flags named after the columns of the staging case format, or ``--case case.json``
(a whole case or its staging fields, as JSON). Batch: ``--input FILE.csv --output FILE.csv``
(or Parquet, through ``axilla.io``) reads the input columns
of the staging case format (tests/data/staging/README.md) and writes case_id plus
node_classes, positive_nodes, pT, pN, pN_suffix, anatomic_stage, path_prognostic_stage
(``NA`` = no group). Rules and sources: docs/staging.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from axilla.case.assessment import parse_case
from axilla.case.codes import (
    ALIASES,
    GRADES,
    M_STATUSES,
    PRIMARY_KINDS,
    RECEPTOR_STATUSES,
    T4_EXTENSIONS,
)
from axilla.case.ranges import RANGES
from axilla.case.staging import (
    ROW_COLUMNS,
    ROW_REQUIRED,
    StagingCase,
    parse_staging_case,
    staging_case_from_row,
)
from axilla.cli import fail, one_line_errors
from axilla.errors import InputError
from axilla.staging import StagingOptions, StagingResult, predict_nodes, stage

if TYPE_CHECKING:
    from axilla.io import Chunk, ErrorSink

EXIT_OK, EXIT_ROWS_FAILED, EXIT_USAGE = 0, 1, 2
OUTPUT_COLUMNS = ("case_id", "node_classes", "positive_nodes", "pT", "pN", "pN_suffix",
                  "anatomic_stage", "path_prognostic_stage")
NOT_ASSIGNED = "NA"



def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``axilla stage``."""
    p = one_line_errors(subparsers.add_parser(
        "stage",
        help="AJCC 8th edition breast staging (one case, or a CSV batch)",
        description="AJCC 8th edition (revised 2018) breast staging: node categories, pT, pN, "
        "M, anatomic and prognostic stage groups, each with its reasons. Batch: --input "
        "cases.csv --output staged.csv (rows failing validation go to <output stem>.errors.csv "
        "with row = data row number, 1 for the first row after the header; exit 1 if any row "
        "failed). One case: --case case.json, or the flags below (staging CSV column names).",
    ))
    p.add_argument("--input", type=Path, help="CSV or Parquet in the staging case format")
    p.add_argument("--output", type=Path, help="CSV or Parquet to write")
    p.add_argument("--case", type=Path, help="one case as JSON: a whole case file (as "
                   "`axilla assess` reads it, e.g. examples/*.json) or its staging fields only")
    one = p.add_argument_group("one case by flags (values as in the staging CSV format)")
    one.add_argument("--case-id", default="")
    one.add_argument("--neoadjuvant", choices=("0", "1"), default="0")
    one.add_argument("--primary", choices=[k for k in PRIMARY_KINDS if k != "not_assessed"],
                     default="invasive")
    one.add_argument("--tumour-sizes-mm", "--tumor-sizes-mm", dest="tumour_sizes_mm", default="",
                     help="e.g. 14;9, one per invasive tumour, each "
                     f"{RANGES['tumour.invasive_sizes_mm'].describe()} (--tumor-sizes-mm is a "
                     "deprecated spelling)")
    one.add_argument("--t4", choices=("", *T4_EXTENSIONS), default="")
    _coded(one, "--procedure", ("sentinel", "dissection"), None)
    one.add_argument("--axillary-nodes-mm", help="largest deposit per node, e.g. 1.4;0;0, each "
                     f"{RANGES['nodes.deposit_mm'].describe()}")
    one.add_argument("--axillary-node-cells", default="",
                     help="largest cell count in one cross-section per node, aligned, each "
                     f"{RANGES['nodes.cells_per_section'].describe()}")
    _coded(one, "--im-nodes", ("none", "sentinel", "clinical"), "none")
    one.add_argument("--infraclavicular", choices=("0", "1"), default="0")
    one.add_argument("--supraclavicular", choices=("0", "1"), default="0")
    _coded(one, "--node-rtpcr", ("", *RECEPTOR_STATUSES), "")
    one.add_argument("--m", choices=M_STATUSES, default="cM0")
    one.add_argument("--grade", choices=("", *map(str, GRADES)), default="")
    for name in ("er", "pr", "her2"):
        _coded(one, f"--{name}", ("", *RECEPTOR_STATUSES), "")
    one.add_argument("--oncotype-rs", default="")
    one.add_argument("--json", action="store_true", help="print the result as JSON")
    opt = p.add_argument_group("choices on uncertain points (defaults: docs/staging.md)")
    opt.add_argument("--ene-excluded", action="store_true",
                     help="measure only the intranodal part of a deposit with extranodal "
                     "extension (default: whole deposit)")
    opt.add_argument("--micro-only-nodes", choices=("pN1mi", "by_count"), default="pN1mi",
                     help=">= 4 micrometastasis-only nodes (default pN1mi)")
    opt.add_argument("--t-half-mm", choices=("up", "down"), default="up",
                     help="tumour size at exactly x.5 mm (default up)")
    opt.add_argument("--itc-after-neoadjuvant", choices=("residual", "complete"),
                     default="residual", help="ypT0 ypN0(i+) response status (default residual)")
    opt.add_argument("--oncotype-scope", choices=("ajcc", "seer"), default="ajcc",
                     help="recurrence-score rule scope (default ajcc: T1-T2 N0 only)")
    p.set_defaults(handler=run)


def _coded(group: argparse._ArgumentGroup, flag: str, codes: tuple[str, ...],
           default: str | None) -> None:
    """A coded flag: the vocabulary's codes, with older spellings (sln, alnd, pos, neg) still
    accepted but not advertised."""
    aliases = [a for a, c in ALIASES.items() if c in codes]
    shown = "{" + ",".join(c for c in codes if c) + "}"
    extra = f" ({', '.join(aliases)}: deprecated spellings)" if aliases else ""
    group.add_argument(flag, choices=(*codes, *aliases), default=default, metavar=shown,
                       help=f"one of {shown}{extra}")


def _options(args: argparse.Namespace) -> StagingOptions:
    return StagingOptions(
        ene_in_deposit_size=not args.ene_excluded,
        micro_only_four_or_more=args.micro_only_nodes,
        t_half_mm=args.t_half_mm,
        itc_after_neoadjuvant_is_residual=args.itc_after_neoadjuvant == "residual",
        oncotype_scope=args.oncotype_scope,
    )


def run(args: argparse.Namespace) -> int:
    """Dispatch to the batch or the one-case form."""
    options = _options(args)
    if args.input or args.output:
        if not (args.input and args.output):
            return fail("stage: --input and --output go together")
        if args.case:
            return fail("stage: give either --case or --input/--output, not both")
        return run_batch(args.input, args.output, options)
    if args.case:
        try:
            data = json.loads(args.case.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            return fail(f"stage: {args.case}: not valid JSON ({exc.msg}, line {exc.lineno})")
        if not isinstance(data, dict):
            return fail(f"stage: {args.case}: expected a JSON object")
        case_id = str(data.get("case_id") or args.case.stem)
        case = _staging_case(data)
    else:
        if args.procedure is None or args.axillary_nodes_mm is None:
            return fail("stage: give --case FILE.json, --input/--output, or at least "
                        "--procedure and --axillary-nodes-mm")
        row = {name: getattr(args, name, "") or "" for name in ROW_COLUMNS}
        case = staging_case_from_row(row)
        case_id = args.case_id
    result = stage(case, options)
    return _show(case_id, result, args.json)


def _staging_case(data: dict[str, Any]) -> StagingCase:
    """The staging part of a case file: a whole case (as ``axilla assess`` reads it) or the
    staging fields only."""
    if set(data) - set(StagingCase.model_fields) - {"case_id"}:
        return parse_case(data).staging_case()
    return parse_staging_case({k: v for k, v in data.items() if k != "case_id"})


def _show(case_id: str, r: StagingResult, as_json: bool) -> int:
    if as_json:
        data = r.model_dump(mode="json")
        data["predict_nodes"] = predict_nodes(r)
        print(json.dumps(data, indent=2))
        return EXIT_OK
    console = Console(width=max(Console().width, 120))
    title = f"AJCC staging{' of ' + case_id if case_id else ''}"
    table = Table(title=title, caption=r.edition, caption_justify="left")
    for name in ("Item", "Category", "Why"):
        table.add_column(name, overflow="fold")
    for n in r.nodes:
        table.add_row(f"Node {n.index + 1} ({n.site.replace('_', ' ')})", n.category, n.reason)
    table.add_row("Positive nodes", str(r.positive_nodes),
                  f"micro + macro; {r.itc_nodes} ITC-only node(s) not counted")
    table.add_row("pT", r.pT.display, _why(r, ("T", "Tis", "(m)", "Paget")))
    table.add_row("pN", r.pN.display, _why(r, (r.pN.prefix + "N", "(sn)", "no (sn)", "(f)")))
    table.add_row("M", r.M, _why(r, (r.M,)))
    table.add_row("Anatomic stage", r.anatomic_stage or NOT_ASSIGNED,
                  _why(r, ("anatomic", "no anatomic")))
    table.add_row("Pathological prognostic stage", r.pathological_prognostic_stage or
                  NOT_ASSIGNED, _why(r, ("pathological prognostic", "Oncotype")))
    if r.clinical_prognostic_stage:
        table.add_row("Clinical prognostic stage", r.clinical_prognostic_stage,
                      _why(r, ("clinical prognostic",)))
    table.add_row("PREDICT nodes", f"{predict_nodes(r):g}",
                  "1 micrometastatic node only = 0.5 (PREDICT web tool convention)")
    console.print(table)
    if r.missing_inputs:
        console.print(f"missing: {', '.join(r.missing_inputs)}", markup=False, highlight=False)
    return EXIT_OK


def _why(r: StagingResult, starts: tuple[str, ...]) -> str:
    return "; ".join(x for x in r.reasons if x.startswith(starts)) or "-"


def _output_row(case_id: str, r: StagingResult) -> dict[str, str]:
    return {
        "case_id": case_id,
        "node_classes": ";".join(r.axillary_node_categories),
        "positive_nodes": str(r.positive_nodes),
        "pT": r.pT.display,
        "pN": r.pN.without_suffix,
        "pN_suffix": r.pN.suffix,
        "anatomic_stage": r.anatomic_stage or NOT_ASSIGNED,
        "path_prognostic_stage": r.pathological_prognostic_stage or NOT_ASSIGNED,
    }


def run_batch(source: Path, target: Path, options: StagingOptions) -> int:
    """Stage every row of a staging table; refused rows go to OUT.errors.csv (axilla.io)."""
    from axilla.io import run_batch as run_table  # pyarrow: only when a file is read

    def work(chunk: Chunk, sink: ErrorSink) -> dict[str, list[str]]:
        out: list[dict[str, str]] = []
        for number, record in enumerate(chunk.records(), start=chunk.first_row):
            try:
                case = staging_case_from_row(record)
            except InputError as exc:
                sink.extend(number, exc.problems)
                continue
            out.append(_output_row(record.get("case_id") or "", stage(case, options)))
        return {c: [r[c] for r in out] for c in OUTPUT_COLUMNS}

    return run_table("stage", source, target, work, lambda _: list(OUTPUT_COLUMNS), ROW_REQUIRED)
