"""Throughput of the assessment pipeline: synthetic cases through ``assess_many`` (the batch),
beside the baseline of the same cases one at a time through ``assess``, in the same run.

Also prints ``compute`` alone (figures without explanations and charts). The one-at-a-time
baseline runs on the first ``--baseline-n`` cases (a rate, so a sample is enough).

    .venv/bin/python benchmarks/assess_many.py [--n 10000] [--baseline-n 1000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from typing import Any

from axilla.assess import assess, assess_many, compute
from axilla.case.assessment import Case, parse_case
from axilla.errors import InputError


def synthetic_case(rng: random.Random, i: int) -> dict[str, Any]:
    """One random valid case: nodes at every site and found every way, markers often missing."""
    kind = rng.choice(["sentinel", "sentinel", "dissection"])
    nodes = []
    for _ in range(rng.randint(0, 8)):
        site = rng.choice(["axillary"] * 6 + ["intramammary", "infraclavicular",
                                              "internal_mammary"])
        found_by = rng.choice([kind] * 5 + ["needle_biopsy"])
        deposit = rng.choice([0, 0, 0, 0.1, 0.5, 1.4, 2.5, 6.0])
        nodes.append({"site": site, "found_by": found_by, "deposit_mm": deposit})
    return {
        "case_id": f"bench-{i}",
        "patient": {"age_years": rng.randint(25, 90),
                    "menopausal_status": rng.choice(["pre", "post", None]),
                    "current_smoker": rng.choice([True, False, None])},
        "tumour": {"invasive_sizes_mm": [rng.randint(1, 80)],
                   "grade": rng.choice([1, 2, 3, None]),
                   "er": rng.choice(["positive", "positive", "negative", None]),
                   "pr": rng.choice(["positive", "negative", None]),
                   "her2": rng.choice(["positive", "negative", None]),
                   "ki67_percent": rng.choice([None, 5, 30])},
        "nodes": nodes,
        "procedure": {"kind": kind},
        "screen_detected": rng.choice([True, False, None]),
        "histology": rng.choice(["nst", "lobular", None]),
        "treatment": {"breast_surgery": rng.choice(["bcs", "mastectomy"]),
                      "chemotherapy": rng.choice(["none", "third_generation"]),
                      "endocrine_therapy": rng.random() < 0.6,
                      "trastuzumab": rng.random() < 0.2, "radiotherapy": rng.random() < 0.7,
                      "mean_heart_dose_gy": rng.choice([None, 1.5])},
    }


def synthetic_cases(n: int, seed: int = 1) -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []
    i = 0
    while len(out) < n:
        i += 1
        try:
            out.append(parse_case(synthetic_case(rng, i)))
        except InputError:  # a random draw the case schema refuses: draw again
            continue
    return out


def rate(n: int, seconds: tuple[float, float]) -> str:
    wall, cpu = seconds
    return (f"{n / wall:8.1f} cases/s wall, {n / cpu:8.1f} cases/s of CPU "
            f"({1000 * cpu / n:5.2f} ms CPU a case, {n} cases)")


def timed(fn: Any) -> tuple[Any, tuple[float, float]]:
    """Run ``fn``; its result and (wall seconds, CPU seconds of this process). CPU time is
    printed beside wall time because the machine may be shared."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, (time.perf_counter() - wall, time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--baseline-n", type=int, default=1_000)
    args = parser.parse_args()
    cases = synthetic_cases(args.n)
    assess_many(cases[:20])  # load data files and rule sets once, outside the timings

    _, one_by_one = timed(lambda: [assess(c) for c in cases[:args.baseline_n]])
    batch, batch_s = timed(lambda: assess_many(cases))
    figures, compute_s = timed(lambda: compute(cases))
    assert len(batch) == len(figures) == args.n

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline, assess one case at a time: {rate(args.baseline_n, one_by_one)}")
    print(f"assess_many (batch):                 {rate(args.n, batch_s)}")
    print(f"compute only (figures, no text):     {rate(args.n, compute_s)}")
    speed_up = (one_by_one[1] / args.baseline_n) / (batch_s[1] / args.n)
    print(f"speed-up of the batch over one at a time (CPU): {speed_up:.2f}x")
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
