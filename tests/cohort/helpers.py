"""Shared helpers of the cohort tests: the CLI as a subprocess, small files, output reading."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

INPUTS = ("age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr", "generation",
          "horm", "traz", "bis", "radio", "heart_gy", "smoker")


def axilla(*args: str, cwd: Path | None = None, timeout: int = 180
           ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return path


def read_table(path: Path) -> dict[str, np.ndarray]:
    """A CSV or Parquet output as columns (Parquet nulls as NaN / None)."""
    if path.suffix == ".parquet" or path.is_dir():
        table = pq.read_table(path)
        return {n: np.asarray(table.column(n).to_pylist(), dtype=object)
                for n in table.schema.names}
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.asarray([r[k] for r in rows], dtype=object) for k in (rows[0] if rows else {})}


def read_errors(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def patient(**changes: object) -> dict[str, object]:
    """A valid row of PREDICT inputs (spec defaults of the reference README), with changes."""
    row: dict[str, object] = {"id": "p", "age": 55, "screen": 0, "size": 25, "grade": 2,
                              "nodes": 2, "er": 1, "her2": 0, "ki67": 1, "pr": 1,
                              "generation": 3, "horm": 1, "traz": 0, "bis": 1, "radio": 1,
                              "heart_gy": 2, "smoker": 0}
    row.update(changes)
    return row
