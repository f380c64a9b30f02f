"""Throughput of `axilla predict --input` through the batch layer (axilla.io), beside a
baseline in the same process: the previous path (stdlib csv, every row held in memory, one
batch, stdlib csv writer) over the same file; and the same run writing Parquet. Writing the
~80 output figures of a row as decimal text dominates both CSV paths.

Both validate every row with the case vocabulary and compute PREDICT's survival summary at 5,
10 and 15 years; only reading, chunking and writing differ. Prints rows per second.

    .venv/bin/python benchmarks/batch_io.py [--n 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import tempfile
import time
from pathlib import Path

import numpy as np

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.cli.predict import _summary_columns, run_file
from axilla.models.predict import CURRENT_VERSION, load_version


def write_input(path: Path, n: int, seed: int = 1) -> None:
    """n valid rows of PREDICT inputs as the reference files write them."""
    rng = np.random.default_rng(seed)
    cols = {
        "age": rng.integers(25, 86, n), "screen": rng.choice([0, 1, 2], n),
        "size": rng.integers(1, 101, n), "grade": rng.choice([1, 2, 3, 9], n),
        "nodes": rng.integers(0, 11, n), "er": rng.choice([0, 1], n),
        "her2": rng.choice([0, 1, 9], n), "ki67": rng.choice([0, 1, 9], n),
        "pr": rng.choice([0, 1, 9], n), "generation": rng.choice([0, 2, 3], n),
        "horm": rng.choice([0, 1], n), "traz": rng.choice([0, 1], n),
        "bis": rng.choice([0, 1], n), "radio": rng.choice([0, 1], n),
        "heart_gy": np.round(rng.uniform(0, 10, n), 1), "smoker": rng.choice([0, 1], n),
    }
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", *cols])
        w.writerows(zip([f"p{i}" for i in range(n)], *cols.values(), strict=True))


def baseline(src: Path, dst: Path, version: str) -> None:
    """The previous path: every row read with csv.DictReader, one batch, csv.writer out."""
    v = load_version(version)
    with src.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    names = predict_input_names(v.uses_v3_inputs)
    checked = validate_predict_columns({n: [r.get(n) for r in rows] for n in names if n in header})
    good = np.flatnonzero(checked.valid)
    out = _summary_columns({k: c[good] for k, c in checked.columns.items()}, v.id)
    with dst.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row", *header, *out])
        arrays = list(out.values())
        for k, i in enumerate(good):
            w.writerow([i + 1, *[rows[i][h] for h in header],
                        *[a[k] if isinstance(a[k], str) else repr(float(a[k])) for a in arrays]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cohort.csv"
        write_input(src, args.n)
        timings: dict[str, list[float]] = {"baseline (stdlib csv, one batch)": [],
                                           "axilla.io (pyarrow, chunked)": [],
                                           "axilla.io, Parquet output": []}
        for _ in range(args.repeat):
            start = time.perf_counter()
            baseline(src, Path(tmp) / "base.csv", CURRENT_VERSION)
            timings["baseline (stdlib csv, one batch)"].append(time.perf_counter() - start)
            start = time.perf_counter()
            with contextlib.redirect_stderr(io.StringIO()):
                code = run_file(src, Path(tmp) / "new.csv", CURRENT_VERSION, full=False)
            timings["axilla.io (pyarrow, chunked)"].append(time.perf_counter() - start)
            assert code == 0
            start = time.perf_counter()
            with contextlib.redirect_stderr(io.StringIO()):
                code = run_file(src, Path(tmp) / "new.parquet", CURRENT_VERSION, full=False)
            timings["axilla.io, Parquet output"].append(time.perf_counter() - start)
            assert code == 0
        base_rows = (Path(tmp) / "base.csv").read_text().splitlines()
        new_rows = (Path(tmp) / "new.csv").read_text().splitlines()
        assert base_rows == new_rows, "the two paths must write the same table"
    print(f"predict --input, {args.n:,} rows, PREDICT {CURRENT_VERSION}, best of {args.repeat}")
    for name, seconds in timings.items():
        best = min(seconds)
        print(f"  {name:36s} {best:7.2f} s  {args.n / best:12,.0f} rows/s")


if __name__ == "__main__":
    main()
