"""`axilla indices --input`: a batch of worked cases (the indices case format) through
``axilla.io``: each row's inputs (a JSON object) validated by the index rules of the case
vocabulary, computed per index in one columnar call, written in order with value, provenance
and warnings; refused rows to OUT.errors.csv. Source of each index: docs/models/*.md.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from axilla.case.indices import INDEX_INPUTS, IndexName, validate_index_columns
from axilla.cli import fail
from axilla.errors import FieldProblem
from axilla.models import cts5, npi, vnpi
from axilla.models.data import Provenance, index_parameters

if TYPE_CHECKING:
    from axilla.io import Chunk, ErrorSink

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
