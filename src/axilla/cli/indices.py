"""`axilla indices`: NPI, CTS5 and VNPI for one case, or a batch of worked cases from CSV.

Batch form reads the ``case_id,index,inputs,output`` columns of the indices case format
(``inputs`` a JSON object; see tests/data/indices/README.md) and writes the same rows, in
order, with a ``value`` column. Source of each index: docs/models/npi.md, cts5.md, vnpi.md.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Console
from rich.table import Table

from axilla.case.indices import (
    INDEX_INPUTS,
    CTS5Inputs,
    IndexName,
    NPIInputs,
    VNPIInputs,
    validate_index_columns,
)
from axilla.cli import fail, one_line_errors
from axilla.errors import FieldProblem
from axilla.models import cts5, npi, vnpi
from axilla.models.data import Provenance, index_parameters

if TYPE_CHECKING:
    from axilla.io import Chunk, ErrorSink

EXIT_OK, EXIT_ROWS_FAILED, EXIT_USAGE = 0, 1, 2
REQUIRED_COLUMNS = ("case_id", "index", "inputs", "output")
ADDED_COLUMNS = ("value", "provenance", "warnings")

#: Index name in the case file -> the input rules it uses.
INDEX_RULES = {"NPI": "NPI", "NPI_SURV10": "NPI", "CTS5": "CTS5", "VNPI": "VNPI"}
#: Outputs each index can give, as named in the case file format.
INDEX_OUTPUTS = {
    "NPI": ("node_stage", "score", "group6", "group3", "group4", "surv10_pct"),
    "NPI_SURV10": ("npi", "surv10_pct"),
    "CTS5": ("node_category", "score", "score_uncapped", "group", "risk_5_10y_pct"),
    "VNPI": ("subscores", "score", "group", "management_2015"),
}


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


# --------------------------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    record: dict[str, str | None]
    index: str = ""
    output: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    failed: bool = False
    value: str = ""
    provenance: str = ""
    warnings: list[str] = field(default_factory=list)


def _fmt(x: float, decimals: int) -> str:
    return "" if math.isnan(x) else f"{x:.{decimals}f}"


Formatter = Callable[[int], tuple[str, Provenance, list[str]]]


def _npi_formatters(cols: dict[str, np.ndarray], micromets: bool) -> dict[str, Formatter]:
    out = npi.compute_npi(
        cols["size_mm"], cols["positive_nodes"], cols["grade"],
        micrometastatic_nodes=cols["micrometastatic_nodes"], count_micromets_as_positive=micromets,
    )
    prov = npi.npi_provenance(micromets)
    surv_prov = npi.npi_survival10_provenance()

    def group_prov(scheme: str) -> Provenance:
        source = str(index_parameters("npi", scheme)["source"])
        return Provenance(prov.model, f"{prov.version}, {scheme}", source, prov.variant)

    def notes(i: int) -> list[str]:
        if out.size_outside_derivation[i]:
            return [f"size_mm above {npi.DERIVATION_MAX_SIZE_MM:g} mm: outside the derivation "
                    "cohorts; computed anyway"]
        return []

    def surv(i: int) -> tuple[str, Provenance, list[str]]:
        value = _fmt(float(out.surv10_pct[i]), 2)
        extra = [] if value else ["surv10_pct: not given outside NPI 2.0-6.9 (curve range)"]
        return value, surv_prov, notes(i) + extra

    return {
        "node_stage": lambda i: (str(out.node_stage[i]), prov, notes(i)),
        "score": lambda i: (f"{out.score[i]:.3f}", prov, notes(i)),
        "npi": lambda i: (f"{out.score[i]:.3f}", prov, notes(i)),
        "group6": lambda i: (str(out.group6[i]), group_prov("groups6"), notes(i)),
        "group3": lambda i: (str(out.group3[i]), group_prov("groups3"), notes(i)),
        "group4": lambda i: (str(out.group4[i]), group_prov("groups4"), notes(i)),
        "surv10_pct": surv,
    }


def _cts5_formatters(
    cols: dict[str, np.ndarray], micromets: bool, cap: float | None
) -> dict[str, Formatter]:
    out = cts5.compute_cts5(
        cols["age_years"], cols["size_mm"], cols["grade"], cols["positive_nodes"],
        micrometastatic_nodes=cols["micrometastatic_nodes"], count_micromets_as_positive=micromets,
        size_cap_mm=cap,
    )
    prov, risk_prov = cts5.cts5_provenance(micromets, cap), cts5.cts5_risk_provenance()

    def notes(i: int) -> list[str]:
        found = []
        if out.size_capped[i]:
            found.append(f"size_mm used as {cap:g} mm (CTS5 size cap; uncapped score "
                         f"{out.score_uncapped[i]:.4f})")
        if out.size_outside_derivation[i]:
            found.append(f"size_mm above {cts5.DERIVATION_MAX_SIZE_MM:g} mm: outside the "
                         "derivation population")
        return found

    return {
        "node_category": lambda i: (str(out.node_category[i]), prov, notes(i)),
        "score": lambda i: (f"{out.score[i]:.4f}", prov, notes(i)),
        "score_uncapped": lambda i: (f"{out.score_uncapped[i]:.4f}", prov, notes(i)),
        "group": lambda i: (str(out.group[i]), prov, notes(i)),
        "risk_5_10y_pct": lambda i: (
            f"{out.risk_5_10y_pct[i]:.2f}", risk_prov, [*notes(i), f"risk {cts5.RISK_LABEL}"]
        ),
    }


def _vnpi_formatters(cols: dict[str, np.ndarray]) -> dict[str, Formatter]:
    out = vnpi.compute_vnpi(
        cols["size_mm"], cols["margin_mm"], cols["nuclear_grade"], cols["comedo_necrosis"],
        cols["age_years"],
    )
    prov, mgmt_prov = vnpi.vnpi_provenance(), vnpi.vnpi_management_provenance()

    def subscores(i: int) -> str:
        parts = (out.size_score[i], out.margin_score[i], out.pathology_score[i], out.age_score[i])
        return "|".join(str(int(p)) for p in parts)

    return {
        "subscores": lambda i: (subscores(i), prov, []),
        "score": lambda i: (str(int(out.score[i])), prov, []),
        "group": lambda i: (str(out.group[i]), prov, []),
        "management_2015": lambda i: (str(out.management_2015[i]), mgmt_prov, []),
    }


def _parse_rows(
    records: list[dict[str, str | None]], first_row: int = 1
) -> tuple[list[_Row], list[tuple[int, FieldProblem]]]:
    rows, errors = [], []
    for number, record in enumerate(records, start=first_row):
        row = _Row(number, record)
        rows.append(row)

        def refuse(problem: FieldProblem, row: _Row = row) -> None:
            row.failed = True
            errors.append((row.number, problem))

        row.index = (record.get("index") or "").strip().upper()
        row.output = (record.get("output") or "").strip()
        if row.index not in INDEX_OUTPUTS:
            refuse(FieldProblem("index", record.get("index"),
                                f"must be one of {', '.join(INDEX_OUTPUTS)}"))
            continue
        if row.output not in INDEX_OUTPUTS[row.index]:
            refuse(FieldProblem("output", record.get("output"), f"must be one of "
                                f"{', '.join(INDEX_OUTPUTS[row.index])} for {row.index}"))
        try:
            inputs = json.loads(record.get("inputs") or "")
        except json.JSONDecodeError as exc:
            refuse(FieldProblem("inputs", record.get("inputs"), f"must be a JSON object ({exc})"))
            continue
        if not isinstance(inputs, dict):
            refuse(FieldProblem("inputs", record.get("inputs"), "must be a JSON object"))
            continue
        known = INDEX_INPUTS[INDEX_RULES[row.index]]
        for key, value in inputs.items():
            if key not in known:
                refuse(FieldProblem(key, value, f"is not an input of {row.index}; expected one "
                                    f"of {', '.join(known)}"))
        row.inputs = inputs
    return rows, errors


def _compute(rows: list[_Row], errors: list[tuple[int, FieldProblem]],
             micromets: bool, cap: float | None) -> None:
    all_rules: tuple[IndexName, ...] = ("NPI", "CTS5", "VNPI")
    for rules in all_rules:
        group = [r for r in rows if not r.failed and INDEX_RULES[r.index] == rules]
        if not group:
            continue
        columns = {name: [r.inputs.get(name) for r in group] for name in INDEX_INPUTS[rules]}
        checked = validate_index_columns(rules, columns)
        for i, problem in checked.problems:
            group[i].failed = True
            errors.append((group[i].number, problem))
        for i, message in checked.warnings:
            group[i].warnings.append(message)
        keep = np.flatnonzero(checked.valid)
        if keep.size == 0:
            continue
        cols = {name: values[keep] for name, values in checked.columns.items()}
        if rules == "NPI":
            formatters = _npi_formatters(cols, micromets)
        elif rules == "CTS5":
            formatters = _cts5_formatters(cols, micromets, cap)
        else:
            formatters = _vnpi_formatters(cols)
        for j, k in enumerate(keep):
            row = group[k]
            value, prov, notes = formatters[row.output](j)
            row.value, row.provenance = value, prov.label()
            row.warnings.extend(notes)


def run_batch(args: argparse.Namespace) -> int:
    """Every row of an indices case file, in order; bad rows to OUT.errors.csv (axilla.io)."""
    if args.input is None or args.output is None:
        missing = " and ".join(f"--{n}" for n in ("input", "output") if getattr(args, n) is None)
        return fail(f"indices: {missing} needed for a batch, or name one index: "
                    "axilla indices npi|cts5|vnpi ...")
    from axilla.io import run_batch as run_table  # pyarrow: only when a file is read

    cap = None if args.no_cts5_size_cap else cts5.CTS5_SIZE_CAP_MM
    micromets = not args.micromets_not_counted

    def work(chunk: Chunk, sink: ErrorSink) -> dict[str, list[Any]]:
        rows, errors = _parse_rows(chunk.records(), chunk.first_row)
        _compute(rows, errors, micromets, cap)
        for number, problem in errors:
            sink.add(number, problem)
        out = [{**r.record, "value": r.value if not r.failed else "",
                "provenance": r.provenance, "warnings": "; ".join(dict.fromkeys(r.warnings))}
               for r in rows]
        return {c: [r.get(c) for r in out] for c in out[0]} if out else {}

    def columns(header: list[str]) -> list[str]:
        return header + [c for c in ADDED_COLUMNS if c not in header]

    return run_table("indices", args.input, args.output, work, columns, REQUIRED_COLUMNS)
