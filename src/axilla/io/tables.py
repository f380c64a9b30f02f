"""Batch tables: CSV and Parquet read in chunks, written with one line style.

Every cell is read as text (``None`` when empty or null), whatever the file's own types, so a
command parses a CSV row and a Parquet row by the same strict rules of the case vocabulary:
a Parquet ``true`` arrives as ``"true"`` and is refused where a number is needed, never read
as 1. CSV is read BOM-safe (a UTF-8 byte-order mark is not part of the first column's name) and
written as UTF-8 without BOM, ``\\n`` line endings. Rows are numbered 1 for the first data row.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from axilla.errors import AxillaError

#: Rows a chunk holds at most (a chunk is validated, computed and written as one batch).
CHUNK_ROWS = 65_536
#: Cells (rows x columns) a Parquet row group gathers before it is written. The writer keeps
#: each row group's metadata (about 850 bytes a column in memory) until the file is closed, so
#: a wide table written a small block at a time (``axilla predict --full``: ~2,000 columns,
#: blocks of 2,048 rows) grew by ~1.7 MB a block; gathered to this many cells (about 134 MB of
#: float64 held at most), the same run keeps a quarter of that, and narrow tables write row
#: groups of up to ``ROW_GROUP_ROWS`` rows.
ROW_GROUP_CELLS = 1 << 24
ROW_GROUP_ROWS = 1 << 20
#: File suffixes and the format they name.
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


class UnusableInputError(AxillaError):
    """The input (or output) file cannot be used at all: nothing is computed (exit code 2)."""


def table_format(path: Path) -> str:
    """``csv`` or ``parquet`` from the file name; anything else is unusable."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise UnusableInputError(f"{path}: unknown table format {path.suffix or '(no suffix)'!r}; "
                            f"use one of {', '.join(FORMATS)}")
    return found


@dataclass(frozen=True)
class Chunk:
    """Consecutive rows of a table: ``first_row`` is the 1-based number of the first of them."""

    first_row: int
    columns: dict[str, list[str | None]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def records(self) -> list[dict[str, str | None]]:
        """The rows as mappings column -> text."""
        names = list(self.columns)
        return [dict(zip(names, values, strict=True))
                for values in zip(*self.columns.values(), strict=True)]

    def column(self, name: str) -> list[str | None]:
        """A column's cells; ``None`` everywhere when the table lacks the column."""
        return self.columns.get(name) or [None] * len(self)


def _texts(array: pa.ChunkedArray | pa.Array) -> list[str | None]:
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    return [None if v is None or v == "" else v for v in array.to_pylist()]


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            raise UnusableInputError(f"{path}: empty file, no header row") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise UnusableInputError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None


class TableReader:
    """A CSV or Parquet table read chunk by chunk; the header is checked before any row."""

    def __init__(self, path: Path, required: Sequence[str] = (), chunk_rows: int = CHUNK_ROWS):
        self.path, self.chunk_rows = path, chunk_rows
        self.format = table_format(path)
        if not path.is_file():
            raise UnusableInputError(f"{path}: no such file")
        if self.format == "csv":
            self.columns = _csv_header(path)
        else:
            try:
                self._parquet = pq.ParquetFile(path)
            except (pa.ArrowException, OSError) as exc:
                raise UnusableInputError(f"{path}: not a readable Parquet file ({exc})") from None
            self.columns = list(self._parquet.schema_arrow.names)
        repeated = sorted({c for c in self.columns if self.columns.count(c) > 1})
        if repeated:
            raise UnusableInputError(
                f"{path}: column(s) named more than once: {', '.join(repeated)}")
        absent = [c for c in required if c not in self.columns]
        if absent:
            raise UnusableInputError(f"{path}: missing column(s) {', '.join(absent)}")

    def __iter__(self) -> Iterator[Chunk]:
        first = 1
        try:
            for batch in self._batches():
                chunk = Chunk(first, {name: _texts(batch.column(i))
                                      for i, name in enumerate(self.columns)})
                first += len(chunk)
                yield chunk
        except pa.ArrowInvalid as exc:
            raise UnusableInputError(
                f"{self.path}: unreadable near data row {first} ({exc})") from None

    def _batches(self) -> Iterator[pa.RecordBatch]:
        if self.format == "parquet":
            yield from self._parquet.iter_batches(batch_size=self.chunk_rows)
            return
        types = {name: pa.string() for name in self.columns}
        reader = pa_csv.open_csv(
            self.path,
            read_options=pa_csv.ReadOptions(block_size=1 << 22),
            convert_options=pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                  quoted_strings_can_be_null=False),
        )
        pending: list[pa.RecordBatch] = []
        size = 0
        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            if size >= self.chunk_rows:
                yield from pa.Table.from_batches(pending).to_batches(max_chunksize=self.chunk_rows)
                pending, size = [], 0
        if pending:
            yield from pa.Table.from_batches(pending).to_batches(max_chunksize=self.chunk_rows)


def _csv_cell(value: Any) -> Any:
    """Text for one CSV cell: empty for missing, the shortest exact text for a float."""
    if value is None:
        return ""
    if hasattr(value, "item"):  # a NumPy scalar
        value = value.item()
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return value


def _csv_column(values: Sequence[Any]) -> list[Any]:
    """CSV cells of one column; a float column at once (``str`` of a float is its shortest
    exact text; NaN and infinities are written empty)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        cells: list[Any] = values.tolist()
        if not np.isfinite(values).all():
            for i in np.flatnonzero(~np.isfinite(values)):
                cells[i] = ""
        return cells
    return [_csv_cell(v) for v in values]


class TableWriter:
    """A CSV or Parquet table written chunk by chunk, columns fixed at creation."""

    def __init__(self, path: Path, columns: Sequence[str]):
        self.path, self.columns = path, list(columns)
        self.format = table_format(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._schema: pa.Schema | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._handle = None
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        if self.format == "csv":
            self._handle = path.open("w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._handle, lineterminator="\n")
            self._csv.writerow(self.columns)
        self.rows = 0

    def write(self, columns: Mapping[str, Sequence[Any]]) -> None:
        """Append rows given as columns (every column of the table, equal lengths)."""
        if not columns:
            return  # a chunk without a computed row
        if self._handle is not None:
            cells = [_csv_column(columns[c]) for c in self.columns]
            self.rows += len(cells[0]) if cells else 0
            self._csv.writerows(zip(*cells, strict=True))
            return
        arrays = [_arrow_column(columns[c]) for c in self.columns]
        self.rows += len(arrays[0]) if arrays else 0
        if self._schema is None:
            self._schema = pa.schema([pa.field(name, a.type if not pa.types.is_null(a.type)
                                               else pa.string()) for name, a in
                                      zip(self.columns, arrays, strict=True)])
            self._parquet = pq.ParquetWriter(self.path, self._schema)
        table = pa.Table.from_arrays([a.cast(f.type) for a, f in
                                      zip(arrays, self._schema, strict=True)], schema=self._schema)
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if (self._pending_rows >= ROW_GROUP_ROWS
                or self._pending_rows * len(self.columns) >= ROW_GROUP_CELLS):
            self._flush()

    def _flush(self) -> None:
        """Write the gathered blocks as one row group (as many as ROW_GROUP_ROWS needs)."""
        if not self._pending:
            return
        assert self._parquet is not None
        table = pa.concat_tables(self._pending)  # no copy: the blocks become its chunks
        self._pending, self._pending_rows = [], 0
        self._parquet.write_table(table, row_group_size=ROW_GROUP_ROWS)

    def write_records(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append rows given as mappings (absent columns empty)."""
        self.write({c: [r.get(c) for r in records] for c in self.columns})

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        elif self._parquet is None and self.format == "parquet":
            pq.write_table(pa.table({c: pa.array([], pa.string()) for c in self.columns}),
                           self.path)
        elif self._parquet is not None:
            self._flush()
            self._parquet.close()
            self._parquet = None

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _arrow_column(values: Sequence[Any]) -> pa.Array:
    """One column for Parquet; a NumPy column at once (NaN written as null)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        return pa.array(values, from_pandas=True)
    return pa.array([_plain(v) for v in values])


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
