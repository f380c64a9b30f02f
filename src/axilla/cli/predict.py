"""`axilla predict`: PREDICT Breast for one patient (flags) or a CSV file of patients."""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.cli import EXIT_OK, EXIT_ROWS_FAILED, fail
from axilla.errors import AxillaError
from axilla.models.predict import (
    CURRENT_VERSION,
    available_versions,
    compute,
    flat_columns,
    load_version,
)
from axilla.models.predict.results import PredictResult, predict_one

POS_NEG = {"pos": 1.0, "positive": 1.0, "neg": 0.0, "negative": 0.0, "unknown": 9.0}
SCREEN = {"symptomatic": 0.0, "screen": 1.0, "screen-detected": 1.0, "unknown": 2.0}
GENERATION = {"none": 0.0, "0": 0.0, "2": 2.0, "second": 2.0, "3": 3.0, "third": 3.0}


def _choice(mapping: dict[str, float], name: str):
    def parse(text: str) -> float:
        key = text.strip().lower()
        if key not in mapping:
            raise argparse.ArgumentTypeError(
                f"{name}: {text!r} is not one of {', '.join(sorted(set(mapping)))}")
        return mapping[key]
    parse.__name__ = name
    return parse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "predict",
        help="PREDICT Breast survival and treatment benefit",
        description="PREDICT Breast survival and treatment benefit for one patient (flags) or a "
        f"CSV file. Default version: {CURRENT_VERSION}, the current official version.",
    )
    p.add_argument("--version", dest="model_version", default=CURRENT_VERSION,
                   help="model version: " + ", ".join(available_versions()))
    one = p.add_argument_group("one patient")
    one.add_argument("--age", type=float, help="age at diagnosis, years (25-85)")
    one.add_argument("--size-mm", type=float, help="invasive tumour size, mm (1-500)")
    one.add_argument("--nodes", type=float,
                     help="positive nodes (0-50); 0.5 = one node with micrometastases only")
    one.add_argument("--grade", type=_choice({"1": 1, "2": 2, "3": 3, "unknown": 9}, "grade"),
                     default=9.0, help="1, 2, 3 or unknown (default unknown)")
    one.add_argument("--er", type=_choice({"pos": 1, "positive": 1, "neg": 0, "negative": 0},
                                          "er"), help="pos or neg")
    for marker in ("her2", "ki67", "pr"):
        one.add_argument(f"--{marker}", type=_choice(POS_NEG, marker), default=9.0,
                         help="pos, neg or unknown (default unknown)")
    one.add_argument("--screen", type=_choice(SCREEN, "screen"), default=2.0,
                     help="symptomatic, screen-detected or unknown (default unknown)")
    one.add_argument("--generation", type=_choice(GENERATION, "generation"), default=0.0,
                     help="chemotherapy: none, 2 (second) or 3 (third generation)")
    one.add_argument("--horm", action="store_true", help="endocrine therapy")
    one.add_argument("--traz", action="store_true", help="trastuzumab")
    one.add_argument("--bis", action="store_true", help="bisphosphonates")
    one.add_argument("--radio", action="store_true", help="radiotherapy")
    one.add_argument("--heart-gy", type=float, default=0.0, help="mean heart dose, Gy")
    one.add_argument("--smoker", action="store_true", help="current smoker")
    one.add_argument("--json", action="store_true", help="machine-readable output")
    many = p.add_argument_group("many patients")
    many.add_argument("--input", type=Path, help="CSV of inputs (reference column names)")
    many.add_argument("--output", type=Path, help="CSV to write")
    many.add_argument("--full", action="store_true",
                      help="every quantity the version defines, under the source's names")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    load_version(args.model_version)  # unknown version: one-line error, exit 2
    if args.input or args.output:
        if not (args.input and args.output):
            return fail("--input and --output go together")
        return run_file(args.input, args.output, args.model_version, args.full)
    missing = [f"--{n}" for n, val in (("age", args.age), ("size-mm", args.size_mm),
                                       ("nodes", args.nodes), ("er", args.er)) if val is None]
    if missing:
        return fail(f"missing {', '.join(missing)} (or give --input FILE.csv --output FILE.csv)")
    inputs = {
        "age": args.age, "size": args.size_mm, "nodes": args.nodes, "grade": args.grade,
        "er": args.er, "her2": args.her2, "ki67": args.ki67, "pr": args.pr,
        "screen": args.screen, "generation": args.generation, "horm": float(args.horm),
        "traz": float(args.traz), "bis": float(args.bis), "radio": float(args.radio),
        "heart_gy": args.heart_gy, "smoker": float(args.smoker),
    }
    checked = validate_predict_columns({k: [v] for k, v in inputs.items()})
    if checked.problems:
        p = checked.problems[0][1]
        flag = {"size": "size-mm", "heart_gy": "heart-gy"}.get(p.field, p.field)
        return fail(f"--{flag} {p.value:g}: {p.reason}" if isinstance(p.value, float)
                    else f"--{flag}: {p.reason}")
    result = predict_one(inputs, args.model_version)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print_result(result)
    return EXIT_OK


def print_result(r: PredictResult) -> None:
    """A clinician's table: overall survival by treatment, and each treatment's benefit."""
    console = Console()
    m = r.model
    label = " (current official version)" if m.current else ""
    title = f"{m.name} {m.version}{label}: overall survival, % alive"
    table = Table(title=title, title_justify="left")
    table.add_column("Treatment")
    for t in r.years:
        table.add_column(f"{t} years", justify="right")
    table.add_row("Surgery only", *[f"{r.surgery_only.overall_survival_pct[t]:.1f}"
                                    for t in r.years])
    for step, benefit in zip(r.steps, r.benefits, strict=True):
        if not benefit.chosen:
            continue
        table.add_row("+ " + (step.treatments[-1] if step.treatments else "?"),
                      *[f"{step.overall_survival_pct[t]:.1f}" for t in r.years])
    console.print(table)
    ben = Table(title="Additional % alive from each treatment (percentage points)",
                title_justify="left")
    ben.add_column("Treatment")
    ben.add_column("Given", justify="center")
    for t in r.years:
        ben.add_column(f"{t} years", justify="right")
    for b in r.benefits:
        ben.add_row(b.treatment, "yes" if b.chosen else "no",
                    *[f"{b.displayed_pp[t]:.1f}" for t in r.years])
    ben.add_row("All chosen treatments", "", *[f"{r.total_benefit.displayed_pp[t]:.1f}"
                                               for t in r.years])
    if r.extended_total_benefit is not None:
        ben.add_row("All chosen, 10 years endocrine", "",
                    *[f"{r.extended_total_benefit.displayed_pp[t]:.1f}" for t in r.years])
    console.print(ben)
    for w in r.warnings:
        console.print(f"[yellow]Note:[/yellow] {w}")
    console.print(f"Source: {m.source}. Estimates for groups of similar women, not a "
                  "prediction for one person; decision support, not a medical device.")


def _fmt(x: object) -> str:
    """Shortest text that reads back as the identical double (or the text itself)."""
    if isinstance(x, str):
        return x
    return repr(float(x)) if np.isfinite(x) else ""


def run_file(src: Path, dst: Path, version: str, full: bool) -> int:
    """Validate every row, compute the valid ones in one batch, report the rest row by row."""
    v = load_version(version)
    with src.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    names = predict_input_names(v.uses_v3_inputs)
    needed = [n for n in names if n not in header and n not in ("screen", "grade", "her2",
                                                                "ki67", "pr")]
    if needed:
        return fail(f"{src}: missing input column(s) {', '.join(needed)}; expected "
                    f"{', '.join(names)}")
    columns = {n: [r.get(n) for r in rows] for n in names if n in header}
    checked = validate_predict_columns(columns, uses_v3_inputs=v.uses_v3_inputs)
    good = np.flatnonzero(checked.valid)
    batch = {k: col[good] for k, col in checked.columns.items()}
    out_cols: dict[str, np.ndarray] = {}
    if good.size:
        if full:
            out_cols = flat_columns(compute(batch, v.id, validate=False))
        else:
            out_cols = _summary_columns(batch, v.id)
    passthrough = [h for h in header if h not in out_cols]
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row", *passthrough, *out_cols])
        arrays = list(out_cols.values())
        for k, i in enumerate(good):
            w.writerow([i + 1, *[rows[i][h] for h in passthrough], *[_fmt(a[k]) for a in arrays]])
    errors_path = dst.with_name(dst.stem + ".errors.csv")
    if checked.problems:
        with errors_path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["row", "field", "value", "reason"])
            for i, p in checked.problems:
                w.writerow([i + 1, p.field, "" if p.value is None else p.value, p.reason])
        n_bad = len({i for i, _ in checked.problems})
        print(f"axilla: {n_bad} of {len(rows)} rows refused; see {errors_path}", file=sys.stderr)
        return EXIT_ROWS_FAILED
    if errors_path.exists():
        errors_path.unlink()
    print(f"axilla: {len(rows)} rows written to {dst} (PREDICT {v.id})", file=sys.stderr)
    return EXIT_OK


def _summary_columns(batch: dict[str, np.ndarray], version: str) -> dict[str, np.ndarray]:
    """Overall survival along each ladder and the incremental benefits at 5, 10, 15 years."""
    v = load_version(version)
    if v.logic["output"] not in ("benefit_matrix", "survival"):
        raise AxillaError(f"PREDICT {version} has no survival summary; use --full")
    ladder_cols = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    out = compute(batch, version, columns=ladder_cols, years=(5, 10, 15), validate=False)
    cols: dict[str, np.ndarray] = {"predict_version": np.full(out.n, v.id, dtype=object)}
    for c in ladder_cols:
        for k, t in enumerate(out.years):
            cols[f"os_{c}_y{t}"] = out.overall_survival(c)[:, k]
    for ladder, steps in v.ladders.items():
        for a, b in itertools.pairwise(steps):
            for k, t in enumerate(out.years):
                cols[f"benefit_{b}_vs_{a}_y{t}"] = out.benefit_vs(b, a)[:, k]
        for k, t in enumerate(out.years):
            cols[f"benefit_{ladder}_total_y{t}"] = out.benefit_vs(steps[-1], steps[0])[:, k]
    return cols
