"""The local cohort engine: stream chunks -> compute_chunk -> write, with a progress bar.

Memory is bounded by the chunk size (one chunk in, its figures out); rows are numbered from 1
for the first data row, as in every axilla batch command.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from axilla.cohort.chunk import STAGING_INPUTS, ChunkOptions, compute_chunk
from axilla.cohort.tables import (
    DEFAULT_CHUNK_ROWS,
    ErrorSink,
    TableReader,
    TableWriter,
    errors_path,
)
from axilla.errors import FieldProblem, InputError

#: Inputs a file may leave out: the model's missing codes fill them.
OPTIONAL_INPUTS = ("screen", "grade", "her2", "ki67", "pr", *STAGING_INPUTS)


@dataclass
class RunSummary:
    """Rows in, computed and refused (by field and reason), and where everything went."""

    rows_in: int = 0
    computed: int = 0
    refused: int = 0
    refused_by_reason: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    output: Path | None = None
    errors: Path | None = None

    def lines(self) -> list[str]:
        rate = self.rows_in / self.seconds if self.seconds > 0 else 0.0
        out = [f"rows in: {self.rows_in}", f"computed: {self.computed}",
               f"refused: {self.refused}" + (f" (see {self.errors})" if self.refused else ""),
               f"time: {self.seconds:.1f} s ({rate:,.0f} rows/s)"]
        out += [f"  {n} x {reason}" for reason, n in self.refused_by_reason.most_common()]
        return out


def required_columns(reader_header: list[str], options: ChunkOptions) -> None:
    """Refuse a file that lacks a required input column (before any row is read)."""
    mapping = options.mapping
    missing = []
    for name in options.input_names():
        if name in OPTIONAL_INPUTS:
            continue
        src = mapping.source(name) if mapping else name
        if src not in reader_header and not (mapping and name in mapping.defaults):
            missing.append(src)
    if missing:
        raise InputError([FieldProblem("IN", ", ".join(missing),
                                       "required input column(s) missing from the file")])
    absent_keep = [k for k in options.keep if k not in reader_header]
    if absent_keep:
        raise InputError([FieldProblem("--keep", ", ".join(absent_keep), "not in the file")])


def progress_bar(enabled: bool) -> Progress:
    """Rows done of total, rows/s and time remaining; disabled (silent) when not a terminal."""
    return Progress(
        TextColumn("[bold]cohort[/bold]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>10} rows/s"), TimeElapsedColumn(), TextColumn("ETA"),
        TimeRemainingColumn(), disable=not enabled, console=Console(stderr=True),
    )


def run_local(src: Path, dst: Path, options: ChunkOptions, *,
              chunk_rows: int = DEFAULT_CHUNK_ROWS, progress: bool | None = None) -> RunSummary:
    """Stream ``src`` through :func:`compute_chunk` into ``dst`` and ``dst``'s error file."""
    reader = TableReader(Path(src), chunk_rows=chunk_rows)
    required_columns(reader.header, options)
    show = sys.stderr.isatty() if progress is None else progress
    errors_file = errors_path(Path(dst))
    summary = RunSummary(output=Path(dst), errors=errors_file)
    writer, sink = TableWriter(Path(dst)), ErrorSink(errors_file)
    start = time.perf_counter()
    first = 1
    try:
        with progress_bar(show) as bar:
            task = bar.add_task("rows", total=reader.total_rows, rate="")
            for raw in reader.chunks():
                result = compute_chunk(raw, first, options)
                if result.rows_computed or first == 1:
                    writer.write(result.columns)
                sink.add(result.errors)
                first += result.rows_in
                summary.rows_in += result.rows_in
                summary.computed += result.rows_computed
                elapsed = time.perf_counter() - start
                bar.update(task, advance=result.rows_in,
                           rate=f"{summary.rows_in / elapsed:,.0f}" if elapsed > 0 else "")
    finally:
        writer.close()
        sink.close()
    summary.refused = len(sink.rows)
    summary.refused_by_reason = sink.by_reason
    summary.seconds = time.perf_counter() - start
    if summary.rows_in == 0:
        raise InputError([FieldProblem("IN", str(src), "has no data rows")])
    return summary
