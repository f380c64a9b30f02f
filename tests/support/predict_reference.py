"""Reference vectors of the official PREDICT R implementation (tests/data/predict/README.md)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "data" / "predict"
INPUTS = (
    "age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
    "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker",
)
FILES = ("2.1", "2.2", "2.2_dfs", "2.2_h10", "3.0", "3.0_only", "3.1", "3.2")


class ReferenceFile:
    """One reference CSV: input columns as arrays, output columns as arrays, row labels."""

    def __init__(self, version: str):
        self.version = version
        self.path = DATA / f"v{version}.csv"
        with self.path.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        header = list(rows[0])
        self.ids = [int(r["id"]) for r in rows]
        self.labels = [r["case"] for r in rows]
        self.inputs = {k: np.array([float(r[k]) for r in rows]) for k in header if k in INPUTS}
        self.outputs = {
            k: np.array([float(r[k]) for r in rows])
            for k in header
            if k not in INPUTS and k not in ("id", "case")
        }
        self.header = header


@functools.cache
def load_reference(version: str) -> ReferenceFile:
    return ReferenceFile(version)
