"""Throughput of the PREDICT engine: 10^6 synthetic patients through the current version.

Computes, for every patient, overall survival along the treatment ladders and the full benefit
table (each treatment's incremental benefit and the totals, rounded as the source rounds) at 5,
10 and 15 years. Prints patients per second and peak resident memory.

    .venv/bin/python benchmarks/predict_throughput.py [--n 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from axilla.models.predict import CURRENT_VERSION, compute, load_version
from axilla.models.predict.tables import incremental_benefits, r_round


def synthetic(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Random valid inputs drawn like the reference vectors (tests/data/predict/README.md)."""
    rng = np.random.default_rng(seed)
    return {
        "age": rng.integers(25, 86, n).astype(float),
        "size": rng.integers(1, 101, n).astype(float),
        "nodes": rng.integers(0, 11, n).astype(float),
        "grade": rng.choice([1, 2, 3, 9], n).astype(float),
        "er": rng.choice([0, 1], n, p=[0.3, 0.7]).astype(float),
        "her2": rng.choice([0, 1, 9], n).astype(float),
        "ki67": rng.choice([0, 1, 9], n).astype(float),
        "pr": rng.choice([0, 1, 9], n).astype(float),
        "screen": rng.choice([0, 1, 2], n).astype(float),
        "generation": rng.choice([0, 2, 3], n).astype(float),
        "horm": rng.choice([0, 1], n).astype(float),
        "traz": rng.choice([0, 1], n).astype(float),
        "bis": rng.choice([0, 1], n).astype(float),
        "radio": rng.choice([0, 1], n).astype(float),
        "heart_gy": np.round(rng.uniform(0, 10, n), 1),
        "smoker": rng.choice([0, 1], n, p=[0.8, 0.2]).astype(float),
    }


def benefit_table(
    x: dict[str, np.ndarray], version: str, validate: bool, split: bool
) -> dict[str, np.ndarray]:
    v = load_version(version)
    columns = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    out = compute(x, version, columns=columns, years=(5, 10, 15), validate=validate,
                  split=split)
    table = {}
    for ladder in v.ladders:
        for name, values in incremental_benefits(out, ladder).items():
            table[name] = r_round(values, 1)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--version", default=CURRENT_VERSION)
    args = ap.parse_args()
    x = synthetic(args.n)
    benefit_table({k: v[:1000] for k, v in x.items()}, args.version, True, True)  # warm up
    cases = [
        (False, False, "benefit table, inputs pre-validated"),
        (True, False, "benefit table, with input validation"),
        (True, True, "benefit table + breast/other-cause split, with validation"),
    ]
    for validate, split, label in cases:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            table = benefit_table(x, args.version, validate, split)
            times.append(time.perf_counter() - t0)
        best = min(times)
        print(f"PREDICT {args.version}, {args.n:,} patients, {len(table)} benefits x 3 years, "
              f"{label}: best {best:.3f} s of {args.repeat} ({args.n / best:,.0f} patients/s)")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
