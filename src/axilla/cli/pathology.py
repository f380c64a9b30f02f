"""`axilla pathology measure|stage|kappa`: annotations or heatmaps -> node category and pN.

``measure FILE...``: largest deposit of each node (one file a node) with its category, the
deposits and the provenance; ``--stage`` adds the patient's AJCC pN from those nodes.
``stage LABELS.csv --output OUT.csv``: CAMELYON17 slide labels -> patient stages by the
challenge's simplified rule, written in the same layout. ``kappa REFERENCE.csv SUBMISSION.csv``:
the CAMELYON17 quadratic weighted kappa over patients. Methods and sources: docs/pathology.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from axilla.case.codes import NODE_SITES
from axilla.cli import fail, one_line_errors

#: Level-0 spacing assumed when none is given: the value hard-coded in the CAMELYON16
#: evaluation (Radboud UMC scanner; shared/spec/pathology.md section 4.3). Always noted.
NOMINAL_SPACING_UM = 0.243


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text!r}")
    return value


def _non_negative(text: str) -> float:
    return 0.0 if text.strip() in ("0", "0.0") else _positive(text)


def _probability(text: str) -> float:
    value = _positive(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text!r}")
    return value


def _origin(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be X,Y in level-0 pixels, got {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
    return x, y


def _sites(text: str) -> list[str]:
    sites = [s.strip() for s in text.split(",")]
    bad = [s for s in sites if s not in NODE_SITES]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown site {bad[0]!r}; allowed: "
                                         f"{', '.join(NODE_SITES)}")
    return sites


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``axilla pathology`` and its three commands."""
    p = subparsers.add_parser(
        "pathology", help="tumour annotations or heatmaps -> node category and patient pN",
        description="Measure the largest tumour deposit of each node from annotations "
        "(ASAP XML, QuPath GeoJSON, polygon JSON) or heatmaps (.npy, TIFF); stage CAMELYON17 "
        "patients from slide labels; score stages with the CAMELYON17 kappa.")
    sub = p.add_subparsers(dest="pathology_command", metavar="COMMAND", required=True)

    m = one_line_errors(sub.add_parser(
        "measure", help="largest deposit, category and deposits of each node (one file a node)",
        description="One file a node. Outlines: union of tumour minus exclusions, maximum "
        "Feret diameter of each connected deposit. Heatmaps: cells at or above --threshold, "
        "8-connected, Feret over cell corners; needs --stride-px."))
    m.add_argument("files", nargs="+", type=Path, metavar="FILE")
    m.add_argument("--spacing-um", type=_positive, default=None,
                   help=f"level-0 pixel spacing, um a pixel (default {NOMINAL_SPACING_UM}, "
                   "the CAMELYON16 nominal value; the fallback is noted in the output)")
    m.add_argument("--method", choices=("feret", "camelyon16_ellipse"), default="feret",
                   help="feret (greatest dimension, for staging; default) or "
                   "camelyon16_ellipse (the CAMELYON16 evaluation's ITC filter)")
    m.add_argument("--merge-distance-um", type=_non_negative, default=0.0,
                   help="deposits closer than this are one deposit (default 0)")
    m.add_argument("--threshold", type=_probability, default=0.5,
                   help="heatmap probability at or above which a cell is tumour (default 0.5)")
    m.add_argument("--stride-px", type=_positive, help="heatmap: level-0 pixels a cell")
    m.add_argument("--origin-px", type=_origin, default=(0.0, 0.0),
                   help="heatmap: level-0 X,Y of the first cell's corner (default 0,0)")
    m.add_argument("--compare", action="store_true",
                   help="outlines: measure by both methods and mark the nodes where the "
                   "Feret and CAMELYON16 ellipse methods disagree on ITC")
    m.add_argument("--stage", action="store_true",
                   help="also give the AJCC pN of these nodes as one patient's axillary nodes")
    m.add_argument("--procedure", choices=("sentinel", "dissection"), default="sentinel",
                   help="how the nodes were removed, for --stage (default sentinel)")
    m.add_argument("--sites", type=_sites, default=None,
                   help="for --stage: each file's node site, comma-separated in file order "
                   f"({', '.join(NODE_SITES)}; default all axillary)")
    m.add_argument("--json", action="store_true", help="print the result as JSON")
    m.set_defaults(handler=run_measure)

    s = one_line_errors(sub.add_parser(
        "stage", help="CAMELYON17 slide labels -> patient stages (same CSV layout)",
        description="Reads patient_XXX_node_Y.tif,<label> rows; writes patient_XXX.zip,<stage> "
        "rows (pN0, pN0(i+), pN1mi, pN1, pN2 by the CAMELYON17 rule), each followed by its "
        "slide rows."))
    s.add_argument("labels", type=Path, metavar="LABELS.csv")
    s.add_argument("--output", type=Path, required=True, metavar="OUT.csv")
    s.set_defaults(handler=run_stage)

    k = one_line_errors(sub.add_parser(
        "kappa", help="CAMELYON17 quadratic weighted kappa of patient stages",
        description="Compares the patient rows (patient_XXX.zip) of the two files; slide rows "
        "are ignored; every patient must be in both files."))
    k.add_argument("reference", type=Path, metavar="REFERENCE.csv")
    k.add_argument("submission", type=Path, metavar="SUBMISSION.csv")
    k.add_argument("--json", action="store_true", help="print the result as JSON")
    k.set_defaults(handler=run_kappa)


def _needs_extra(exc: ModuleNotFoundError) -> int:
    return fail(f"pathology: needs the Python package {exc.name!r}; install the extra with "
                "pip install 'axilla[pathology]'")


def run_measure(args: argparse.Namespace) -> int:
    try:
        from axilla.interop.pathology_files import (
            is_heatmap,
            measure_file,
            node_reports,
            stage_nodes,
        )
    except ModuleNotFoundError as exc:
        return _needs_extra(exc)

    spacing = args.spacing_um or NOMINAL_SPACING_UM
    notes = [] if args.spacing_um else [
        f"spacing not given: {NOMINAL_SPACING_UM} um/px assumed (CAMELYON16 nominal value)"]
    if args.stride_px is None and any(is_heatmap(f) for f in args.files):
        return fail("pathology measure: --stride-px is required for heatmap files "
                    "(level-0 pixels a heatmap cell)")
    if args.sites is not None and (not args.stage or len(args.sites) != len(args.files)):
        return fail(f"pathology measure: --sites goes with --stage and needs one site a file "
                    f"({len(args.files)} files, {len(args.sites)} sites)")
    if args.stage and args.method != "feret":
        return fail("pathology measure: --stage needs --method feret (the CAMELYON16 ellipse "
                    "is not a staging measure)")
    if args.compare:
        if args.stage or any(is_heatmap(f) for f in args.files):
            return fail("pathology measure: --compare takes outline files only, without "
                        "--stage")
        return _compare(args, spacing, notes)
    measurements = [measure_file(f, (spacing, spacing), method=args.method,
                                 merge_distance_um=args.merge_distance_um,
                                 threshold=args.threshold, stride_px=args.stride_px,
                                 origin_px=args.origin_px) for f in args.files]
    reports = node_reports(measurements)
    result = (stage_nodes(reports, procedure=args.procedure, sites=args.sites)
              if args.stage else None)
    if args.json:
        out: dict[str, object] = {"nodes": [r.as_dict() for r in reports], "notes": notes}
        if result is not None:
            out["pN"] = result.pN.display
            out["reasons"] = [r for r in result.reasons if "node" in r or "pN" in r]
        print(json.dumps(out, indent=2))
        return 0
    print(f"{'file':<40} {'largest_um':>10}  {'category':<8} {'deposits':>8}  flags")
    for r in reports:
        flag = ("undecidable at this resolution (within "
                f"{r.measurement.quantisation_um:g} um of "
                f"{', '.join(f'{b:g}' for b in r.undecidable_near_um)} um)"
                if r.undecidable else "")
        print(f"{Path(r.measurement.source).name:<40} {r.measurement.largest_extent_um:>10.1f}  "
              f"{r.category:<8} {r.measurement.component_count:>8}  {flag}")
    first = measurements[0]
    print(f"method {first.method}; spacing {spacing:g} um/px"
          + (f"; threshold {args.threshold:g}" if first.threshold is not None else "")
          + (f"; merge distance {args.merge_distance_um:g} um" if args.merge_distance_um else ""))
    for note in notes + [f"{Path(m.source).name}: {n}" for m in measurements for n in m.notes]:
        print(f"note: {note}")
    if result is not None:
        print(f"pN {result.pN.display}")
        for reason in result.reasons:
            if reason.startswith(("pN", "(sn)")):
                print(f"  {reason}")
    return 0


def _compare(args: argparse.Namespace, spacing: float, notes: list[str]) -> int:
    """Both methods side by side; a node disagrees when one calls it ITC and the other not."""
    from axilla.interop.pathology_files import measure_file, node_reports

    rows = []
    for f in args.files:
        feret, ellipse = node_reports([
            measure_file(f, (spacing, spacing), merge_distance_um=args.merge_distance_um),
            measure_file(f, (spacing, spacing), method="camelyon16_ellipse")])
        rows.append({
            "source": str(f),
            "feret_largest_um": feret.measurement.largest_extent_um,
            "feret_category": feret.category,
            "deposits": feret.measurement.component_count,
            "camelyon16_largest_axis_um": ellipse.measurement.largest_extent_um,
            "camelyon16_category": ellipse.category,
            "lesions": ellipse.measurement.component_count,
            "disagree": (feret.category == "itc") != (ellipse.category == "itc"),
        })
    if args.json:
        print(json.dumps({"nodes": rows, "notes": notes}, indent=2))
        return 0
    print(f"{'file':<28} {'feret_um':>9} {'category':<8} {'deposits':>8}  "
          f"{'c16_axis_um':>11} {'c16':<8} {'lesions':>7}")
    for r in rows:
        print(f"{Path(str(r['source'])).name:<28} {r['feret_largest_um']:>9.1f} "
              f"{r['feret_category']:<8} {r['deposits']:>8}  "
              f"{r['camelyon16_largest_axis_um']:>11.1f} {r['camelyon16_category']:<8} "
              f"{r['lesions']:>7}" + ("  DISAGREE on ITC" if r["disagree"] else ""))
    print(f"{sum(bool(r['disagree']) for r in rows)} of {len(rows)} nodes disagree on ITC; "
          f"spacing {spacing:g} um/px")
    for note in notes:
        print(f"note: {note}")
    return 0


def run_stage(args: argparse.Namespace) -> int:
    try:
        from axilla.interop.pathology_files import read_labels, stages_from_slides, write_labels
    except ModuleNotFoundError as exc:
        return _needs_extra(exc)

    labels = read_labels(args.labels)
    unstaged = [p for p in labels.stages if p not in labels.slides]
    if unstaged:
        return fail(f"pathology stage: {args.labels}: {', '.join(unstaged)}: patient row(s) "
                    "without slide rows; give patient_XXX_node_Y.tif rows to stage them")
    if not labels.slides:
        return fail(f"pathology stage: {args.labels}: no slide rows (patient_XXX_node_Y.tif)")
    stages = stages_from_slides(labels)
    write_labels(args.output, stages, labels.slides)
    print(f"{len(stages)} patients staged -> {args.output}", file=sys.stderr)
    differ = [f"{p} (given {given}, rule {stages[p]})" for p, given in labels.stages.items()
              if stages[p] != given]
    if differ:
        print(f"note: {len(differ)} patient row(s) of the input differ from the rule: "
              + "; ".join(differ), file=sys.stderr)
    return 0


def run_kappa(args: argparse.Namespace) -> int:
    try:
        from axilla.interop.pathology_files import kappa_from_files
        from axilla.pathology.camelyon17 import STAGES
    except ModuleNotFoundError as exc:
        return _needs_extra(exc)

    result = kappa_from_files(args.reference, args.submission)
    if args.json:
        print(json.dumps({"kappa": result.kappa, "patients": len(result.patients),
                          "classes": list(STAGES),
                          "confusion": result.confusion.tolist()}, indent=2))
        return 0
    print(f"quadratic weighted kappa {result.kappa:.6f} over {len(result.patients)} patients")
    print("reference (rows) x submission (columns): " + " ".join(STAGES))
    for name, row in zip(STAGES, result.confusion, strict=True):
        print(f"  {name:<8} " + " ".join(f"{int(v):>4}" for v in row))
    return 0
