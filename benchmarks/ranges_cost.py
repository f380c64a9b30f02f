"""Cost of the PREDICT 2.x ranges (``benefit_low_pp`` / ``benefit_high_pp``): typed results of
one patient and of a batch for version 2.1 with the ranges, beside the same without them (the
baseline: the ranges call replaced by "none defined"), in the same process; and 3.2, which
defines none, for reference.

    .venv/bin/python benchmarks/ranges_cost.py [--n 2000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import axilla.models.predict.results as results_module
from axilla.models.predict import compute, load_version
from axilla.models.predict.results import predict_one, results

ONE = {"age": 54, "size": 18, "nodes": 0.5, "grade": 2, "er": 1, "her2": 1, "ki67": 9,
       "screen": 0, "generation": 3, "horm": 1, "traz": 1, "bis": 1}


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def batch(n: int, version: str) -> Callable[[], object]:
    rng = np.random.default_rng(1)
    x = {k: np.full(n, float(v)) for k, v in ONE.items()} | {
        "age": rng.uniform(25, 85, n), "size": rng.uniform(1, 100, n),
        "nodes": rng.integers(0, 10, n).astype(float), "er": rng.integers(0, 2, n) * 1.0,
        "generation": rng.choice([0.0, 2.0, 3.0], n), "pr": np.full(n, 9.0),
        "radio": np.zeros(n), "heart_gy": np.zeros(n), "smoker": np.zeros(n)}
    v = load_version(version)
    cols = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    out = compute(x, version, columns=cols)
    return lambda: results(out, (1, 5, 10, 15))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    real = results_module.benefit_ranges
    rows = []
    for label, make, repeat in (
            ("one patient, predict_one", lambda v: (lambda: predict_one(ONE, v)), 50),
            (f"batch of {args.n}, results()", lambda v: batch(args.n, v), 3)):
        run21 = make("2.1")
        run21()  # warm the caches of the version and its variants
        with_ranges = best(run21, repeat)
        results_module.benefit_ranges = lambda out, years=None: None  # baseline
        try:
            without = best(run21, repeat)
        finally:
            results_module.benefit_ranges = real
        run32 = make("3.2")
        run32()
        v32 = best(run32, repeat)
        rows.append(f"{label}: 2.1 with ranges {with_ranges * 1e3:.2f} ms; baseline without "
                    f"{without * 1e3:.2f} ms (cost x{with_ranges / without:.2f}); "
                    f"3.2 (none defined) {v32 * 1e3:.2f} ms")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
