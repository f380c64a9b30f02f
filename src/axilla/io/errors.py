"""The error sink of a batch run, its summary line and its exit code.

Refused rows go to ``OUT.errors.csv`` beside the output (``row,field,value,reason``; row 1 is
the first data row), one line per problem, never dropped silently. A stale errors file from an
earlier run is removed when the run starts, so the file on disk always belongs to the output
beside it. Exit codes: 0 every row computed, 1 some rows refused, 2 unusable input (raised as
``UnusableInputError`` before anything is written).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from axilla.errors import FieldProblem

ERROR_COLUMNS = ("row", "field", "value", "reason")
EXIT_OK, EXIT_ROWS_REFUSED, EXIT_UNUSABLE = 0, 1, 2


def errors_path(output: Path) -> Path:
    """Where the refused rows of ``output`` go: ``OUT.errors.csv`` beside it."""
    return output.with_name(f"{output.stem}.errors.csv")


def _text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


class ErrorSink:
    """Collects the problems of refused rows and writes them when the run ends."""

    def __init__(self, output: Path):
        self.path = errors_path(output)
        self.path.unlink(missing_ok=True)
        self._problems: list[tuple[int, FieldProblem]] = []
        self.refused_rows: set[int] = set()

    def add(self, row: int, problem: FieldProblem) -> None:
        """One problem of data row ``row`` (1-based)."""
        self._problems.append((row, problem))
        self.refused_rows.add(row)

    def extend(self, row: int, problems: list[FieldProblem]) -> None:
        for p in problems:
            self.add(row, p)

    def close(self) -> None:
        """Write the errors file (only when a row was refused)."""
        if not self._problems:
            return
        self._problems.sort(key=lambda item: item[0])
        with self.path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(ERROR_COLUMNS)
            writer.writerows((row, p.field, _text(p.value), p.reason)
                             for row, p in self._problems)


def finish(command: str, rows: int, output: Path, sink: ErrorSink, note: str = "") -> int:
    """Close the sink, print the one summary line on stderr and return the exit code."""
    sink.close()
    refused = len(sink.refused_rows)
    done = rows - refused
    line = f"axilla {command}: {done} of {rows} row(s) computed -> {output}"
    if note:
        line += f" ({note})"
    if refused:
        line += f"; {refused} refused -> {sink.path}"
    print(line, file=sys.stderr)
    return EXIT_ROWS_REFUSED if refused else EXIT_OK
