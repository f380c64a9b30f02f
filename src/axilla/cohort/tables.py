"""Cohort files: CSV or Parquet read in chunks, written as they come; refusals to an error file.

CSV is read through pyarrow's streaming reader with every column as text (BOM-safe, one type
inference can never fail half-way through a file); Parquet by record batches. Memory is bounded
by the chunk size whatever the file size. Output: Parquet (``.parquet``) or CSV (any other
suffix), missing figures as empty cells (nulls).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from axilla.errors import FieldProblem, InputError

DEFAULT_CHUNK_ROWS = 100_000
ERROR_COLUMNS = ("row", "field", "value", "reason")


def is_parquet(path: Path) -> bool:
    return Path(path).suffix.lower() in (".parquet", ".pq") or Path(path).is_dir()


def errors_path(dst: Path) -> Path:
    """Where a run's refused rows go: OUT's stem + ``.errors.csv`` beside OUT."""
    dst = Path(dst)
    return dst.with_name(dst.stem + ".errors.csv")


def _to_numpy(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return np.asarray(col.to_pylist(), dtype=object)
    return col.to_numpy(zero_copy_only=False)


@dataclass
class TableReader:
    """Chunks of a CSV or Parquet file as {column: NumPy array}."""

    path: Path
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    header: list[str] = field(default_factory=list)
    total_rows: int | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.exists():
            raise InputError([FieldProblem("IN", str(self.path), "no such file")])
        if is_parquet(self.path):
            meta = pq.ParquetDataset(self.path).schema
            self.header = list(meta.names)
            self.total_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in self._files())
        else:
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                first = next(csv.reader(fh), None)
            if not first:
                raise InputError([FieldProblem("IN", str(self.path), "has no header row")])
            self.header = first
            with self.path.open("rb") as fh:
                lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b""))
            self.total_rows = max(lines - 1, 0)

    def _files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.rglob("*.parquet"))
        return [self.path]

    def chunks(self, columns: list[str] | None = None) -> Iterator[dict[str, np.ndarray]]:
        wanted = [c for c in (columns or self.header) if c in self.header]
        if is_parquet(self.path):
            for f in self._files():
                for batch in pq.ParquetFile(f).iter_batches(batch_size=self.chunk_rows,
                                                            columns=wanted):
                    yield {name: _to_numpy(batch.column(name)) for name in wanted}
            return
        read = pacsv.ReadOptions(block_size=max(1 << 20, self.chunk_rows * 64),
                                 encoding="utf-8")
        convert = pacsv.ConvertOptions(
            column_types={h: pa.string() for h in self.header}, include_columns=wanted,
            strings_can_be_null=False, quoted_strings_can_be_null=False)
        with pacsv.open_csv(self.path, read_options=read, convert_options=convert) as reader:
            for batch in reader:
                if batch.num_rows:
                    yield {name: _to_numpy(batch.column(name)) for name in wanted}


def _arrow(values: np.ndarray) -> pa.Array:
    if values.dtype == object:
        return pa.array(values, type=pa.string(), from_pandas=True)
    if values.dtype.kind == "f":
        return pa.array(values, from_pandas=True)  # NaN -> null
    return pa.array(values)


class TableWriter:
    """Writes chunks of {column: array} to Parquet or CSV as they come."""

    def __init__(self, path: Path, *, dictionary_for_numbers: bool = False):
        self.path = Path(path)
        self.dictionary_for_numbers = dictionary_for_numbers
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._schema: pa.Schema | None = None

    def write(self, columns: Mapping[str, np.ndarray]) -> None:
        table = pa.table({k: _arrow(np.asarray(v)) for k, v in columns.items()})
        if self._schema is None:
            self._schema = pa.schema([pa.field(f.name, pa.string() if pa.types.is_null(f.type)
                                               else f.type) for f in table.schema])
            if is_parquet(self.path):
                # dictionary pages for text only: figures rarely repeat, and trying costs
                # time; coded inputs (synthetic cohorts) repeat and shrink with them
                text = [f.name for f in self._schema if pa.types.is_string(f.type)]
                self._parquet = pq.ParquetWriter(
                    self.path, self._schema,
                    use_dictionary=True if self.dictionary_for_numbers else text)
            else:
                self._csv = pacsv.CSVWriter(self.path, self._schema)
        table = table.cast(self._schema)
        if self._parquet is not None:
            self._parquet.write_table(table)
        elif self._csv is not None:
            self._csv.write_table(table)

    def close(self) -> None:
        for w in (self._parquet, self._csv):
            if w is not None:
                w.close()


class ErrorSink:
    """Refused rows, one line per problem (row, field, value, reason), counted by reason."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fh: TextIO | None = None
        self._writer: Any = None
        self.by_reason: Counter[str] = Counter()
        self.rows: set[int] = set()

    def add(self, problems: list[tuple[int, str, object, str]]) -> None:
        if not problems:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = self.path.open("w", newline="", encoding="utf-8")
            self._fh = fh
            self._writer = csv.writer(fh, lineterminator="\n")
            self._writer.writerow(ERROR_COLUMNS)
        for row, name, value, reason in problems:
            self._writer.writerow([row, name, "" if value is None else value, reason])
            self.by_reason[f"{name}: {reason}"] += 1
            self.rows.add(row)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        elif self.path.exists():
            self.path.unlink()  # a stale file from an earlier run would mislead
