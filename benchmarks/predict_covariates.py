"""PREDICT covariates: CPU per patient for a benefit table, and microseconds for one patient,
each beside the baseline's functions in the same process.

The covariates are what the kernel needs of each patient beyond the constant tables: the
breast-cancer index without HER2 and its exp, the other-cause index, treatment harms and their
exp by harm key, the treatment state and HER2 group (``kernel.table_covariates``; for the
general engine ``kernel.patients``). Baseline: ``equations.py`` and ``kernel.py`` as they were
at git revision --baseline, read with ``git show`` and run here on the same inputs.

1. ``table_covariates`` for --n synthetic patients (default 10^6, drawn as the reference
   vectors are) in chunks of 16,384 as ``benefit_table`` calls it, for each version: CPU ns a
   patient (least of --repeat rounds, baseline and today interleaved), minor page faults a
   chunk, and the largest relative difference between the two.
2. One patient (the spec's worked example, sec. 7): ``table_covariates`` and ``patients``
   (the ladder columns and all columns), CPU microseconds a call.
3. The whole ``benefit_table`` (one thread, rounded, inputs pre-validated) for the same
   patients and the current version, with today's covariates and with the baseline's
   ``table_covariates`` put in its place: CPU seconds.

Target: the table's covariates <= 60 ns a patient (baseline about 150 ns).

    .venv/bin/python benchmarks/predict_covariates.py [--n 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from axilla.models.predict import CURRENT_VERSION, benefit_table, kernel, load_version
from axilla.models.predict.engine import DEFAULT_CHUNK, prepare_inputs
from axilla.models.predict.tables import ladder_steps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from predict_throughput import synthetic  # a sibling script: the same synthetic patients

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "ca811e3"  # main before the covariates were rewritten
VERSIONS = ("2.1", "2.2", "3.0", "3.1", "3.2")
#: The spec's worked example (sec. 7): benefits32's default patient.
EXAMPLE = dict(age=50.0, screen=0.0, size=20.0, grade=2.0, nodes=2.0, er=1.0, her2=0.0,
               ki67=1.0, pr=1.0, generation=3.0, horm=1.0, traz=1.0, bis=1.0, radio=1.0,
               heart_gy=4.0, smoker=1.0)


def baseline_modules(rev: str) -> types.SimpleNamespace | None:
    """``equations`` and ``kernel`` at ``rev``, the kernel reading that revision's equations
    (None when git cannot read them)."""
    found: dict[str, types.ModuleType] = {}
    for short in ("equations", "kernel"):
        path = f"src/axilla/models/predict/{short}.py"
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
                               capture_output=True, text=True, check=False)
        if shown.returncode:
            return None
        module = types.ModuleType(f"baseline_{short}")
        sys.modules[module.__name__] = module  # dataclasses look their module up
        exec(compile(shown.stdout, f"{rev}:{path}", "exec"), module.__dict__)
        found[short] = module
    found["kernel"].eq = found["equations"]  # looked up when called
    return types.SimpleNamespace(**found)


def table_plan(version: str) -> kernel.TablePlan:
    """The plan ``benefit_table`` makes for the version's ladders at 5, 10 and 15 years."""
    v = load_version(version)
    steps = [s for ladder in v.ladders for s in ladder_steps(v, ladder)]
    columns = tuple(sorted({c for _, a, b in steps for c in (a, b)}, key=v.columns.index))
    pairs = tuple((columns.index(a), columns.index(b)) for _, a, b in steps)
    return kernel.table_plan(v, columns, (4, 9, 14), pairs)


def cpu_per_call(fn: Callable[[], Any], calls: int) -> float:
    """CPU seconds a call, over ``calls`` calls."""
    start = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - start) / calls


def each_chunk(fn: Callable[..., Any], tp: kernel.TablePlan, chunks: list) -> None:
    """As ``benefit_table`` does: one chunk's covariates at a time, dropped after use."""
    for chunk in chunks:
        fn(tp, chunk)


def faults(fn: Callable[[], Any]) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    fn()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def largest_difference(a: kernel.TableCovariates, b: kernel.TableCovariates) -> float:
    """Largest relative difference of scale and other-cause factors; inf if indices differ."""
    if not np.array_equal(a.index, b.index):
        return float("inf")
    return max(float(np.max(np.abs(u / w - 1.0))) for u, w in
               ((a.scale, b.scale), (a.other, b.other)))


def table(version: str, raw: dict[str, np.ndarray], base: types.SimpleNamespace,
          repeat: int) -> None:
    v = load_version(version)
    x, _, _ = prepare_inputs(v, raw, False)
    n = x["age"].shape[0]
    tp = table_plan(version)
    chunks = [{k: c[s:s + DEFAULT_CHUNK] for k, c in x.items()}
              for s in range(0, n, DEFAULT_CHUNK)]
    runs = {"baseline": base.kernel.table_covariates, "today": kernel.table_covariates}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, fn in runs.items():
            best[name] = min(best[name], cpu_per_call(
                lambda fn=fn: each_chunk(fn, tp, chunks), 1) / n)
    page = {name: faults(lambda fn=fn: each_chunk(fn, tp, chunks)) / len(chunks)
            for name, fn in runs.items()}
    diff = max(largest_difference(base.kernel.table_covariates(tp, c),
                                  kernel.table_covariates(tp, c)) for c in chunks[:4])
    ratio = best["baseline"] / best["today"]
    print(f"{version:<5} {best['today'] * 1e9:7.1f} ns  baseline {best['baseline'] * 1e9:7.1f} "
          f"ns  {ratio:4.1f}x   page faults a chunk {page['today']:5.0f} (baseline "
          f"{page['baseline']:.0f})   largest relative difference {diff:.1e}")


def one_patient(version: str, base: types.SimpleNamespace, calls: int, repeat: int) -> None:
    v = load_version(version)
    x, _, _ = prepare_inputs(v, EXAMPLE, False)
    tp = table_plan(version)
    plans = {"ladder": tp.plan, "all": kernel.plan_for(v, v.columns)}
    runs: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "table_covariates": (lambda: base.kernel.table_covariates(tp, x),
                             lambda: kernel.table_covariates(tp, x))}
    for name, plan in plans.items():
        runs[f"patients ({name} columns)"] = (
            lambda plan=plan: base.kernel.patients(plan, x),
            lambda plan=plan: kernel.patients(plan, x))
    for name, (baseline, today) in runs.items():
        b = min(cpu_per_call(baseline, calls) for _ in range(repeat))
        t = min(cpu_per_call(today, calls) for _ in range(repeat))
        print(f"{version:<5} {name:<30} {t * 1e6:6.1f} us  baseline {b * 1e6:6.1f} us  "
              f"{b / t:4.1f}x")


def whole_table(raw: dict[str, np.ndarray], base: types.SimpleNamespace, repeat: int) -> None:
    """benefit_table with today's covariates, and with the baseline's swapped in."""
    version = load_version(CURRENT_VERSION)
    runs = {"baseline": base.kernel.table_covariates, "today": kernel.table_covariates}
    best = dict.fromkeys(runs, float("inf"))
    today = kernel.table_covariates
    try:
        for _ in range(repeat):
            for name, fn in runs.items():
                kernel.table_covariates = fn
                best[name] = min(best[name], cpu_per_call(
                    lambda: benefit_table(raw, version, validate=False, threads=1), 1))
    finally:
        kernel.table_covariates = today
    print(f"{version.id:<5} benefit_table, 1 thread: {best['today']:.3f} s  with the baseline's "
          f"covariates {best['baseline']:.3f} s  ({best['baseline'] - best['today']:.3f} s less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2_000, help="calls a round, one patient")
    parser.add_argument("--baseline", default=BASELINE_REV)
    parser.add_argument("--versions", nargs="*", default=list(VERSIONS))
    args = parser.parse_args()
    base = baseline_modules(args.baseline)
    if base is None:
        sys.exit(f"git cannot read revision {args.baseline}")
    raw = synthetic(args.n)
    print(f"1. table_covariates, {args.n:,} patients in chunks of {DEFAULT_CHUNK:,}: CPU a "
          f"patient, least of {args.repeat}; baseline {args.baseline}")
    for version in args.versions:
        table(version, raw, base, args.repeat)
    print(f"2. one patient (spec sec. 7 example): CPU a call, least of {args.repeat} x "
          f"{args.calls}")
    for version in args.versions:
        one_patient(version, base, args.calls, args.repeat)
    print(f"3. the whole benefit table, {args.n:,} patients: CPU, least of {args.repeat}")
    whole_table(raw, base, args.repeat)


if __name__ == "__main__":
    main()
