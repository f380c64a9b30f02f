"""`axilla cohort`: registry-scale runs, column mappings, validation reports, synthetic cohorts.

    axilla cohort run IN OUT        staging + PREDICT + indices per row, CSV or Parquet
    axilla cohort check IN          unmapped columns and codes before a long run
    axilla cohort validate IN       predictions against follow-up: JSON metrics + HTML report
    axilla cohort synth N OUT       a synthetic cohort (outcomes optionally from PREDICT)

Guide: docs/cohort.md. Heavy libraries (pyarrow, Dask, Altair) load only when a command runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

from axilla.cli import EXIT_OK, EXIT_ROWS_FAILED, fail, one_line_errors
from axilla.models.predict import CURRENT_VERSION, available_versions, load_version


def _needs_extra(handler: Callable[[argparse.Namespace], int]
                 ) -> Callable[[argparse.Namespace], int]:
    """A missing optional package (pyarrow, Dask, Altair) is a one-line error naming the extra."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.split(".")[0] == "axilla":
                raise
            return fail(f"cohort {args.cohort_command} needs the Python package {exc.name!r}; "
                        "install it with pip install 'axilla[cohort,validation]'")

    return run


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 1")
    return value


def _horizons(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(x) for x in text.split(","))
    except ValueError:
        values = ()
    if not values or any(not 0 < v <= 15 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give years from 0 to 15, e.g. 5,10")
    return values


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", type=Path, help="YAML column mapping (docs/cohort.md)")
    p.add_argument("--version", dest="model_version", default=CURRENT_VERSION,
                   help="PREDICT version: " + ", ".join(available_versions()))
    p.add_argument("--chunk-rows", type=_positive_int, default=100_000,
                   help="rows read at a time (bounds memory; default 100000)")


def register(sub: argparse._SubParsersAction) -> None:
    cohort = sub.add_parser(
        "cohort", help="registry-scale runs, mappings, validation, synthetic cohorts",
        description="Cohorts at registry scale. Rows numbered from 1 (first data row); "
        "refused rows go to <OUT stem>.errors.csv (row, field, value, reason); exit 1 if any "
        "row was refused, 2 for unusable arguments or files.")
    commands = cohort.add_subparsers(dest="cohort_command", metavar="COMMAND", required=True)

    p = one_line_errors(commands.add_parser(
        "run", help="staging, PREDICT and indices for every row",
        description="Stream IN (CSV or Parquet) in chunks through staging, PREDICT (the "
        "treatments given and surgery only, at 5, 10, 15 years) and NPI/CTS5, writing OUT "
        "(.parquet, else CSV) as it goes. Input columns: those of 'axilla predict --input' "
        "plus optional micromet_nodes and m (cM0, cM0(i+), cM1, pM1)."))
    p.add_argument("input", type=Path, metavar="IN")
    p.add_argument("output", type=Path, metavar="OUT")
    _common(p)
    p.add_argument("--keep", default="", help="input columns copied to OUT, e.g. id")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local (default) or dask (Parquet in; OUT a Parquet directory)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 "
                   "(default: a local cluster)")
    p.add_argument("--workers", type=_positive_int, default=2,
                   help="workers of the local Dask cluster (default 2)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: only on a terminal)")
    p.set_defaults(handler=run)

    p = one_line_errors(commands.add_parser(
        "check", help="unmapped columns and codes, before a long run",
        description="Read IN with the mapping and report columns no input uses, required "
        "inputs that are missing, codes the mapping does not know and non-numbers. Exit 1 "
        "if anything would refuse rows."))
    p.add_argument("input", type=Path, metavar="IN")
    _common(p)
    p.set_defaults(handler=check)

    p = one_line_errors(commands.add_parser(
        "validate", help="calibration, discrimination, Brier, net benefit",
        description="Compare predictions with follow-up: PREDICT (all-cause mortality with "
        "the treatments given) or --predicted columns. Writes JSON metrics and an HTML report "
        "with SVG charts."))
    p.add_argument("input", type=Path, metavar="IN")
    _common(p)
    p.add_argument("--time", help="follow-up column (default: from the mapping's outcome)")
    p.add_argument("--event", help="event column, 1 = event, 0 = censored")
    p.add_argument("--time-unit", choices=("years", "months", "days"),
                   help="unit of the time column (default years, or the mapping's)")
    p.add_argument("--horizon", type=_horizons, default=(5.0, 10.0),
                   help="years, comma-separated (default 5,10)")
    p.add_argument("--predicted", default="",
                   help="risk columns (0-1), one per horizon, instead of PREDICT")
    p.add_argument("--json", type=Path, dest="json_out", help="metrics file (default "
                   "<IN stem>.validation.json)")
    p.add_argument("--html", type=Path, dest="html_out", help="report file (default "
                   "<IN stem>.validation.html)")
    p.set_defaults(handler=validate)

    p = one_line_errors(commands.add_parser(
        "synth", help="a synthetic cohort",
        description="N synthetic women with realistic marginal distributions (docs/cohort.md);"
        " with --outcomes, follow-up simulated from PREDICT's own hazards."))
    p.add_argument("n", type=_positive_int, metavar="N")
    p.add_argument("output", type=Path, metavar="OUT")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--outcomes", action="store_true", help="add time_years and death")
    p.add_argument("--hazard-ratio", type=float, default=1.0,
                   help="multiply PREDICT's hazard when simulating (1 = the model's own)")
    p.add_argument("--chunk-rows", type=_positive_int, default=100_000)
    p.set_defaults(handler=synth)


def _options(args: argparse.Namespace, keep: tuple[str, ...] = ()):
    from axilla.cohort.chunk import ChunkOptions
    from axilla.cohort.mapping import load_mapping

    v = load_version(args.model_version)
    if v.logic["output"] not in ("benefit_matrix", "survival"):
        raise_usage = f"PREDICT {v.id} gives no survival by treatment; choose another --version"
        raise SystemExit(fail(raise_usage))
    mapping = load_mapping(args.mapping) if args.mapping else None
    if mapping:
        keep = tuple(dict.fromkeys((*keep, *mapping.keep)))
    return ChunkOptions(predict_version=v.id, keep=keep, mapping=mapping)


def _report_summary(summary) -> int:
    for line in summary.lines():
        print(f"axilla cohort: {line}", file=sys.stderr)
    return EXIT_ROWS_FAILED if summary.refused else EXIT_OK


@_needs_extra
def run(args: argparse.Namespace) -> int:
    keep = tuple(k for k in args.keep.split(",") if k)
    options = _options(args, keep)
    if args.engine == "dask":
        from axilla.cohort.distributed import run_dask

        summary = run_dask(args.input, args.output, options, scheduler=args.scheduler,
                           workers=args.workers)
    else:
        if args.scheduler:
            return fail("--scheduler needs --engine dask")
        from axilla.cohort.run import run_local

        summary = run_local(args.input, args.output, options, chunk_rows=args.chunk_rows,
                            progress=args.progress)
    return _report_summary(summary)


@_needs_extra
def check(args: argparse.Namespace) -> int:
    from axilla.cohort.chunk import STAGING_INPUTS
    from axilla.cohort.mapping import Mapping, check_columns, scan_codes
    from axilla.cohort.run import OPTIONAL_INPUTS
    from axilla.cohort.tables import TableReader

    options = _options(args)
    mapping = options.mapping or Mapping()
    reader = TableReader(args.input, chunk_rows=args.chunk_rows)
    names = options.input_names()
    required = [n for n in names if n not in OPTIONAL_INPUTS]
    optional = [n for n in (*names, *STAGING_INPUTS) if n in OPTIONAL_INPUTS]
    report = check_columns(mapping, reader.header, required, optional)
    for raw in reader.chunks():
        scan_codes(mapping, raw, (*names, *STAGING_INPUTS), report)
    out = sys.stdout
    print(f"{args.input}: {report.rows} rows, {len(reader.header)} columns", file=out)
    print("unused columns: " + (", ".join(report.unused_columns) or "none"), file=out)
    print("missing required inputs: " + (", ".join(report.missing_inputs) or "none"), file=out)
    for title, found in (("unmapped codes", report.unmapped_codes),
                         ("values that are not numbers", report.not_numbers)):
        if not found:
            print(f"{title}: none", file=out)
        for column, counts in sorted(found.items()):
            shown = ", ".join(f"{v!r} x {n}" for v, n in sorted(counts.items())[:20])
            print(f"{title} in {column}: {shown}", file=out)
    return EXIT_OK if report.clean else EXIT_ROWS_FAILED


@_needs_extra
def validate(args: argparse.Namespace) -> int:
    from axilla.cohort.chunk import OutcomeSpec
    from axilla.cohort.mapping import UNIT_FACTORS
    from axilla.cohort.report import validate_cohort
    from axilla.cohort.report_html import render_html

    options = _options(args)
    outcome = options.mapping.outcome if options.mapping else {}
    time_col = args.time or (outcome.get("time") or {}).get("column")
    event_col = args.event or (outcome.get("event") or {}).get("column")
    if not time_col or not event_col:
        return fail("give --time and --event (or an outcome section in the mapping)")
    unit = args.time_unit or (outcome.get("time") or {}).get("unit", "years")
    if unit not in UNIT_FACTORS or unit in ("mm", "cm"):
        return fail(f"time unit {unit!r}: must be years, months or days")
    codes = (outcome.get("event") or {}).get("codes")
    predicted = tuple(c for c in args.predicted.split(",") if c)
    if predicted and len(predicted) != len(args.horizon):
        return fail(f"--predicted: {len(predicted)} column(s) for {len(args.horizon)} "
                    "horizon(s); give one risk column per horizon")
    if not predicted and any(h != int(h) for h in args.horizon):
        return fail("--horizon: PREDICT gives whole years (1 to 15)")
    spec = OutcomeSpec(time=time_col, event=event_col, time_factor=UNIT_FACTORS[unit],
                       event_codes={str(k): float(v) for k, v in codes.items()} if codes
                       else None, horizons=args.horizon, predicted=predicted)
    stem = args.input.with_suffix("")
    json_out = args.json_out or Path(f"{stem}.validation.json")
    html_out = args.html_out or Path(f"{stem}.validation.html")
    errors_file = json_out.with_name(json_out.stem + ".errors.csv")
    report = validate_cohort(args.input, options, spec, errors_file)
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    html_out.parent.mkdir(parents=True, exist_ok=True)
    html_out.write_text(render_html(report), encoding="utf-8")
    for m in report["horizons"]:
        c = m["calibration"]
        print(f"axilla cohort: {m['years']:g} y: O/E {c['oe_ratio']:.3f}, slope "
              f"{c['slope']:.3f}, Harrell C {m['harrell_c']:.3f}, Brier {m['brier']:.4f}",
              file=sys.stderr)
    print(f"axilla cohort: metrics {json_out}, report {html_out}; {report['rows_used']} of "
          f"{report['rows_in']} rows used", file=sys.stderr)
    return EXIT_ROWS_FAILED if report["rows_refused"] else EXIT_OK


@_needs_extra
def synth(args: argparse.Namespace) -> int:
    from axilla.cohort.synth import synth_chunks
    from axilla.cohort.tables import TableWriter

    if not 0 < args.hazard_ratio <= 10:
        return fail(f"--hazard-ratio {args.hazard_ratio:g}: must be above 0 and at most 10")
    writer = TableWriter(args.output, dictionary_for_numbers=True)
    try:
        for chunk in synth_chunks(args.n, args.seed, args.chunk_rows, outcomes=args.outcomes,
                                  hazard_ratio=args.hazard_ratio):
            writer.write(chunk)
    finally:
        writer.close()
    print(f"axilla cohort: {args.n} synthetic rows written to {args.output}", file=sys.stderr)
    return EXIT_OK
