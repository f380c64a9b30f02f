"""CPU cost of PREDICT inside one assessment (example (a)), with the few-patient paths and,
as the baseline in the same process, with them switched off (the array paths a cohort takes).

PREDICT is timed in situ: ``pipeline._predict`` wrapped inside the real ``assess`` loop, so it
pays the cold caches of a whole assessment (alone in a tight loop it costs about a third
less). The few-patient paths: the breast/other-cause split as one array, warnings row by
row. Both variants alternate over ``--rounds`` rounds
of ``--n`` assessments; the least CPU per call of each is printed, with the whole ``assess``
beside it. Target: PREDICT <= 0.40 ms in situ.

    .venv/bin/python benchmarks/predict_one.py [--n 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

from axilla.assess import assess, pipeline
from axilla.case import predict as case_predict
from axilla.case.assessment import parse_case
from axilla.models.predict import kernel

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "a_micrometastasis_sentinel.json"


@contextlib.contextmanager
def array_paths() -> Iterator[None]:
    """The few-patient thresholds lowered so that one assessment takes the array paths."""
    saved = (case_predict.FEW_ROWS, kernel._SLAB_LOOP_FROM)
    case_predict.FEW_ROWS, kernel._SLAB_LOOP_FROM = 0, 0
    try:
        yield
    finally:
        case_predict.FEW_ROWS, kernel._SLAB_LOOP_FROM = saved


def timed(case: object, n: int) -> tuple[float, float]:
    """(CPU ms a call of ``_predict`` inside ``assess``, CPU ms a whole ``assess``)."""
    spent = [0]
    inner = pipeline._predict

    def wrapped(*args: object, **kwargs: object) -> object:
        start = time.process_time_ns()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.process_time_ns() - start

    pipeline._predict = wrapped
    try:
        start = time.process_time_ns()
        for _ in range(n):
            assess(case)
        whole = time.process_time_ns() - start
    finally:
        pipeline._predict = inner
    return spent[0] / n / 1e6, whole / n / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    case = parse_case(json.loads(EXAMPLE.read_text("utf-8")))
    fast = json.loads(assess(case).model_dump_json())
    with array_paths():
        assert json.loads(assess(case).model_dump_json()) == fast, "the two paths disagree"
    best = {"few-patient paths": (float("inf"),) * 2, "array paths (baseline)":
            (float("inf"),) * 2}
    for _ in range(args.rounds):
        for name in best:
            with array_paths() if name.startswith("array") else contextlib.nullcontext():
                timed(case, max(1, args.n // 10))  # warm
                now = timed(case, args.n)
            best[name] = (min(best[name][0], now[0]), min(best[name][1], now[1]))
    print(f"example (a); CPU ms a call, least of {args.rounds} x {args.n}, in situ")
    for name, (predict_ms, whole_ms) in best.items():
        print(f"{name:<24} PREDICT {predict_ms:6.3f} ms   whole assess {whole_ms:6.3f} ms")
    (p_fast, w_fast), (p_base, w_base) = best.values()
    print(f"ratio (baseline / few-patient): PREDICT {p_base / p_fast:4.2f}x, "
          f"whole {w_base / w_fast:4.2f}x")
    print(f"target <= 0.40 ms for PREDICT in situ: {'met' if p_fast <= 0.40 else 'not met'} "
          f"({p_fast:.3f} ms)")


if __name__ == "__main__":
    main()
