"""One batch run: read a table chunk by chunk, let the command compute each chunk, write the
accepted rows, sink the refused ones, print the summary line and return the exit code.

``axilla predict``, ``axilla stage`` and ``axilla indices`` all run their ``--input`` files
through ``run_batch``, so they share BOM handling, line style, the errors file, the summary and
the exit codes (0 all computed, 1 some rows refused, 2 unusable input).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from axilla.io.errors import ErrorSink, finish
from axilla.io.tables import CHUNK_ROWS, Chunk, TableReader, TableWriter, UnusableInputError

#: A command's work on one chunk: output columns of the rows it computed (refusals to the sink).
ChunkWork = Callable[[Chunk, ErrorSink], Mapping[str, Sequence[Any]]]


def run_batch(
    command: str,
    source: Path,
    target: Path,
    work: ChunkWork,
    output_columns: Callable[[list[str]], list[str]],
    required: Sequence[str] = (),
    note: str = "",
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Run ``work`` over every chunk of ``source`` into ``target``; see the module docstring.

    ``output_columns`` gets the input's column names and returns the output's. An unusable
    input raises ``UnusableInputError`` (exit 2) and leaves no output or errors file behind.
    """
    if source.resolve() == target.resolve():
        raise UnusableInputError(f"{target}: the output would overwrite the input")
    reader = TableReader(source, required, chunk_rows)
    sink = ErrorSink(target)
    rows = 0
    try:
        with TableWriter(target, output_columns(reader.columns)) as writer:
            for chunk in reader:
                rows += len(chunk)
                writer.write(work(chunk, sink))
    except UnusableInputError:
        target.unlink(missing_ok=True)
        raise
    return finish(command, rows, target, sink, note)
