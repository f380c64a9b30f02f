"""Cost of ``if_added_pp`` in the pipeline: ``compute`` over synthetic cases with the extra
PREDICT run (every applicable treatment switched on), beside the same cases without it (the
baseline: that run replaced by nothing), in the same process.

    .venv/bin/python benchmarks/if_added_cost.py [--n 5000]
"""

from __future__ import annotations

import argparse
import time

from assess_many import synthetic_cases

import axilla.models.predict.results as predict_results
from axilla.assess import compute


def seconds(cases: list, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        compute(cases)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args()
    cases = synthetic_cases(args.n)
    with_added = seconds(cases)
    real = predict_results._added_columns
    predict_results._added_columns = lambda v, x: []  # baseline: no extra run
    try:
        without = seconds(cases)
    finally:
        predict_results._added_columns = real
    print(f"compute, {args.n} cases: with if_added_pp {args.n / with_added:,.0f} cases/s "
          f"({with_added:.2f} s); baseline without {args.n / without:,.0f} cases/s "
          f"({without:.2f} s); cost x{with_added / without:.2f}")


if __name__ == "__main__":
    main()
