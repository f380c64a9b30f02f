"""Batch I/O: tables (CSV and Parquet over pyarrow, chunked, BOM-safe, one line style), the
error sink of refused rows, the summary line and the exit code. A shell: it reads and writes
files and leaves every judgement about a value to the case vocabulary (``axilla.case``).
"""

from axilla.io.batch import ChunkWork, run_batch
from axilla.io.errors import (
    ERROR_COLUMNS,
    EXIT_OK,
    EXIT_ROWS_REFUSED,
    EXIT_UNUSABLE,
    ErrorSink,
    errors_path,
    finish,
)
from axilla.io.tables import CHUNK_ROWS, Chunk, TableReader, TableWriter, UnusableInputError

__all__ = [
    "CHUNK_ROWS",
    "ERROR_COLUMNS",
    "EXIT_OK",
    "EXIT_ROWS_REFUSED",
    "EXIT_UNUSABLE",
    "Chunk",
    "ChunkWork",
    "ErrorSink",
    "TableReader",
    "TableWriter",
    "UnusableInputError",
    "errors_path",
    "finish",
    "run_batch",
]
