"""`axilla predict`: PREDICT Breast for one patient (flags) or a CSV file of patients."""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Console
from rich.table import Table

from axilla.case.predict import (
    PREDICT_INPUT_RULES,
    PREDICT_MISSING_CODES,
    code_words,
    predict_input_names,
    validate_predict_columns,
    value_from_text,
)
from axilla.cli import EXIT_OK, fail
from axilla.errors import AxillaError
from axilla.models.predict import (
    CURRENT_VERSION,
    available_versions,
    compute,
    flat_columns,
    load_version,
)
from axilla.models.predict.results import PredictResult, predict_one
from axilla.models.predict.tables import FULL_EXPORT_BLOCK

if TYPE_CHECKING:
    from axilla.io import Chunk, ErrorSink


def _code(name: str) -> Callable[[str], float]:
    """An argparse type for a coded PREDICT input: its words (case/predict.py) or its number."""
    def parse(text: str) -> float:
        try:
            value = value_from_text(name, text)
        except ValueError:
            value = math.nan
        if not PREDICT_INPUT_RULES[name].ok(np.array([value]))[0]:
            raise argparse.ArgumentTypeError(
                f"{name}: {text!r} is not one of {', '.join(sorted(code_words(name)))} "
                f"({PREDICT_INPUT_RULES[name].describe()})")
        return value
    parse.__name__ = name
    return parse


def _range(name: str, what: str) -> str:
    return f"{what}: {PREDICT_INPUT_RULES[name].describe()}"


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
    one.add_argument("--age", type=float, help=_range("age", "age at diagnosis"))
    one.add_argument("--size-mm", type=float, help=_range("size", "invasive tumour size"))
    one.add_argument("--nodes", type=float, help=_range("nodes", "positive nodes"))
    one.add_argument("--grade", type=_code("grade"), default=9.0,
                     help="1, 2, 3 or unknown (default unknown)")
    one.add_argument("--er", type=_code("er"), help="positive or negative (pos/neg accepted)")
    for marker in ("her2", "ki67", "pr"):
        one.add_argument(f"--{marker}", type=_code(marker), default=9.0,
                         help="positive, negative or unknown (default unknown)")
    one.add_argument("--screen", type=_code("screen"), default=2.0,
                     help="symptomatic, screen-detected or unknown (default unknown)")
    one.add_argument("--generation", type=_code("generation"), default=0.0,
                     help="chemotherapy: none, second or third generation (or 0, 2, 3)")
    one.add_argument("--horm", action="store_true", help="endocrine therapy")
    one.add_argument("--traz", action="store_true", help="trastuzumab")
    one.add_argument("--bis", action="store_true", help="bisphosphonates")
    one.add_argument("--radio", action="store_true", help="radiotherapy")
    one.add_argument("--heart-gy", type=float, default=0.0,
                     help=_range("heart_gy", "mean heart dose"))
    one.add_argument("--smoker", action="store_true", help="current smoker")
    one.add_argument("--json", action="store_true", help="machine-readable output")
    many = p.add_argument_group("many patients")
    many.add_argument("--input", type=Path,
                      help="CSV or Parquet of inputs (reference column names; codes as numbers "
                      "or words, e.g. her2 positive); refused rows go to OUT.errors.csv")
    many.add_argument("--output", type=Path, help="CSV or Parquet to write")
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


def run_file(src: Path, dst: Path, version: str, full: bool) -> int:
    """Validate every row, compute the valid ones chunk by chunk, report the rest row by row."""
    from axilla.io import CHUNK_ROWS, run_batch  # pyarrow: only when a file is read

    v = load_version(version)
    names = predict_input_names(v.uses_v3_inputs)
    required = [n for n in names if n not in PREDICT_MISSING_CODES]
    outputs = list(_outputs(_REFERENCE_ROW, v.id, full))

    def columns(header: list[str]) -> list[str]:
        return ["row", *[h for h in header if h not in outputs], *outputs]

    def work(chunk: Chunk, sink: ErrorSink) -> dict[str, Any]:
        given = {n: chunk.columns[n] for n in names if n in chunk.columns}
        checked = validate_predict_columns(given, uses_v3_inputs=v.uses_v3_inputs)
        for i, problem in checked.problems:
            sink.add(chunk.first_row + i, problem)
        good = np.flatnonzero(checked.valid)
        out: dict[str, Any] = {
            "row": [chunk.first_row + int(i) for i in good],
            **{h: [cells[i] for i in good] for h, cells in chunk.columns.items()},
        }
        if good.size:
            out.update(_outputs({k: col[good] for k, col in checked.columns.items()}, v.id, full))
        else:
            out.update({name: [] for name in outputs})
        return out

    # --full: about 2,000 columns a row, so rows are read, computed and written a block at a
    # time to keep memory bounded by the block (the summary reads the default chunks)
    return run_batch("predict", src, dst, work, columns, required, note=f"PREDICT {v.id}",
                     chunk_rows=FULL_EXPORT_BLOCK if full else CHUNK_ROWS)


#: A valid row of inputs, computed once to learn the names of the output columns.
_REFERENCE_ROW = {name: np.array([value]) for name, value in {
    "age": 50.0, "screen": 0.0, "size": 20.0, "grade": 2.0, "nodes": 1.0, "er": 1.0,
    "her2": 0.0, "ki67": 0.0, "pr": 1.0, "generation": 0.0, "horm": 0.0, "traz": 0.0,
    "bis": 0.0, "radio": 0.0, "heart_gy": 0.0, "smoker": 0.0}.items()}


def _outputs(batch: dict[str, np.ndarray], version: str, full: bool) -> dict[str, np.ndarray]:
    if full:
        return flat_columns(compute(batch, version, validate=False))
    return _summary_columns(batch, version)


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
