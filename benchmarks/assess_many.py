"""Throughput of the assessment pipeline, and whether it stays linear from 1 to 10^5 cases.

For each batch size (1, 10, ... 10^5) prints the CPU cost a case of ``assess_iter`` (blocks of
1,024: memory bounded by the block) with texts and charts and figures only, beside the
baseline ``assess_many`` (the whole batch held at once) up to ``--baseline-max`` cases, with the
peak resident memory after each row (the streamed rows run first, so their peak is their own).
Synthetic cases are made once (``--distinct`` of them) and reused in turn for larger runs.

    .venv/bin/python benchmarks/assess_many.py [--max 100000] [--baseline-max 10000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Iterator
from itertools import cycle, islice
from typing import Any

from axilla.assess import assess_iter, assess_many
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_case(n: int, seconds: tuple[float, float]) -> str:
    return f"{1000 * seconds[1] / n:8.3f} ms CPU/case ({n / seconds[0]:7.0f} cases/s wall)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=100_000)
    parser.add_argument("--baseline-max", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=10_000)
    parser.add_argument("--full-max", type=int, default=10_000,
                        help="largest run with texts and charts (figures only beyond)")
    args = parser.parse_args()
    cases = synthetic_cases(min(args.distinct, args.max))
    assess_many(cases[:20])  # load data files and rule sets once, outside the timings
    sizes = [n for n in (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000) if n <= args.max]

    def stream(n: int) -> Iterator[Case]:
        return islice(cycle(cases), n)

    def drain(n: int, figures_only: bool) -> int:
        return sum(1 for _ in assess_iter(stream(n), figures_only=figures_only))

    print(f"{'cases':>8}  {'assess_iter, figures only':>40}  {'assess_iter, texts+charts':>40}"
          "  peak RSS")
    for n in sizes:
        reps = max(1, 200 // n)  # small batches repeated for a stable figure
        _, fig = timed(lambda n=n, reps=reps: [drain(n, True) for _ in range(reps)])
        fig = (fig[0] / reps, fig[1] / reps)
        full = "(skipped: --full-max)".rjust(40)
        if n <= args.full_max:
            _, f = timed(lambda n=n, reps=reps: [drain(n, False) for _ in range(reps)])
            full = per_case(n, (f[0] / reps, f[1] / reps))
        print(f"{n:>8}  {per_case(n, fig):>40}  {full:>40}  {peak_mb():6.0f} MB")
    print("baseline: assess_many, the whole batch held at once")
    for n in [n for n in sizes if n <= args.baseline_max]:
        reps = max(1, 200 // n)
        batch = list(stream(n))
        _, b = timed(lambda batch=batch, reps=reps: [assess_many(batch) for _ in range(reps)])
        print(f"{n:>8}  {per_case(n, (b[0] / reps, b[1] / reps)):>40}  {peak_mb():6.0f} MB")


if __name__ == "__main__":
    main()
