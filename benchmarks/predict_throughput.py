"""PREDICT throughput and memory, each figure beside its baseline run in the same process.

1. The benefit table of the current version (12 benefits at 5, 10 and 15 years, rounded as the
   source rounds) for --n synthetic patients (default 10^6), inputs pre-validated:
     baseline   the engine before the table kernel (git revision --baseline, read from git):
                compute(split=False) + incremental_benefits + r_round
     compute    today's compute(split=False) + incremental_benefits + r_round
     table0     benefit_table() as it was at git revision --table-baseline (the kernel before
                the folded tables)
     table-numpy  benefit_table(use_compiled=False): the table kernel's glue as NumPy calls
                (the reference, and the baseline of the compiled loops; -1t: on one thread)
     table      benefit_table(), the kernel for exactly this table with its glue loops compiled
                (src/axilla/models/predict/_tablekernel.c; and, as table-1t, on one thread)
   Time: best of --repeat runs, variants interleaved, wall clock and CPU (both threads); peak
   resident memory: each variant alone in a fresh process; cells that differ from the
   baseline's rounded table, and the largest unrounded difference. The load average is
   printed before and after: on a shared machine, compare ratios and CPU seconds.
2. One patient through the kernel alone (compute without input validation), and the
   per-patient cost of compute + typed results (as the assessment calls them: ladder columns,
   every year, inputs validated) for n = 1, 10, 100, 10^3, 10^4, 10^5 (above --batch, in
   batches kept one at a time), baseline beside today, in CPU time (on a shared machine the
   other load inflates wall time, not process time).

    .venv/bin/python benchmarks/predict_throughput.py [--n 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np

from axilla.models.predict import CURRENT_VERSION, benefit_table, compiled, compute, load_version
from axilla.models.predict import results as results_module
from axilla.models.predict.tables import incremental_benefits, r_round

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "43780cd"  # the engine before the table kernel (one loop over columns)
TABLE_BASELINE_REV = "be3a1ee"  # the table kernel before the folded hazard table
SIZES = (1, 10, 100, 1_000, 10_000, 100_000)


def synthetic(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Random valid inputs drawn like the reference vectors (tests/data/predict/README.md)."""
    rng = np.random.default_rng(seed)

    def pick(codes, p=None):
        return np.asarray(codes, dtype=float)[rng.choice(len(codes), n, p=p)]

    return {
        "age": rng.integers(25, 86, n).astype(float),
        "size": rng.integers(1, 101, n).astype(float),
        "nodes": rng.integers(0, 11, n).astype(float),
        "grade": pick([1, 2, 3, 9]),
        "er": pick([0, 1], [0.3, 0.7]),
        "her2": pick([0, 1, 9]),
        "ki67": pick([0, 1, 9]),
        "pr": pick([0, 1, 9]),
        "screen": pick([0, 1, 2]),
        "generation": pick([0, 2, 3]),
        "horm": pick([0, 1]),
        "traz": pick([0, 1]),
        "bis": pick([0, 1]),
        "radio": pick([0, 1]),
        "heart_gy": np.round(rng.uniform(0, 10, n), 1),
        "smoker": pick([0, 1], [0.8, 0.2]),
    }


PREDICT_MODULES = ("kernel", "engine", "tables", "results", "benefits")  # import order


def load_baseline(rev: str, prefix: str = "baseline") -> types.SimpleNamespace | None:
    """The PREDICT modules as they were at ``rev``, importing each other (those the revision
    has; None if it has no engine or git cannot read it)."""
    dotted = {short: f"axilla.models.predict.{short}" for short in PREDICT_MODULES}
    found = {}
    for short, name in dotted.items():
        path = f"src/{name.replace('.', '/')}.py"
        try:
            text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
                                  check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue  # not at that revision
        for other, other_dotted in dotted.items():
            text = text.replace(f"from {other_dotted} import", f"from {prefix}_{other} import")
            text = text.replace(f"from axilla.models.predict import {other} as",
                                f"import {prefix}_{other} as")
        module = types.ModuleType(f"{prefix}_{short}")
        sys.modules[module.__name__] = module
        found[short] = module
        try:
            exec(compile(text, f"{rev}:{path}", "exec"), module.__dict__)
        except ImportError:
            return None
    return types.SimpleNamespace(**found) if "engine" in found else None


def ladder_columns(version: str) -> list[str]:
    v = load_version(version)
    return sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)


def table_via_compute(x, version, engine, tables) -> dict[str, np.ndarray]:
    out = engine.compute(x, version, columns=ladder_columns(version), years=(5, 10, 15),
                         validate=False, split=False)
    v = load_version(version)
    return {name: tables.r_round(values, 1) for ladder in v.ladders
            for name, values in tables.incremental_benefits(out, ladder).items()}


def variants(version: str, baseline, table0) -> dict[str, object]:
    today = types.SimpleNamespace(
        compute=compute, incremental_benefits=incremental_benefits, r_round=r_round)
    found = {}
    if baseline is not None:
        found["baseline"] = lambda x: table_via_compute(x, version, baseline.engine,
                                                        baseline.tables)
    found["compute"] = lambda x: table_via_compute(x, version, today, today)
    if table0 is not None:
        found["table0"] = lambda x: table0.benefits.benefit_table(x, version, validate=False)
    found["table-numpy"] = lambda x: benefit_table(x, version, validate=False,
                                                   use_compiled=False)
    found["table-numpy-1t"] = lambda x: benefit_table(x, version, validate=False, threads=1,
                                                      use_compiled=False)
    found["table"] = lambda x: benefit_table(x, version, validate=False)
    found["table-1t"] = lambda x: benefit_table(x, version, validate=False, threads=1)
    return found


def peak_rss_mib() -> float:
    """Peak resident memory of this process image (VmHWM; ru_maxrss would also count the
    parent that started it, as Linux keeps it across exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_child(args: argparse.Namespace) -> None:
    """Run one variant once in this fresh process and print its peak resident memory."""
    baseline = load_baseline(args.baseline) if args.variant == "baseline" else None
    table0 = load_baseline(args.table_baseline, "table0") if args.variant == "table0" else None
    x = synthetic(args.n)
    if args.variant != "inputs":
        variants(args.version, baseline, table0)[args.variant](x)
    print(f"{peak_rss_mib():.0f}")


def rss_of(variant: str, args: argparse.Namespace) -> str:
    cmd = [sys.executable, __file__, "--rss-variant", variant, "--n", str(args.n),
           "--version", args.version, "--baseline", args.baseline,
           "--table-baseline", args.table_baseline]
    done = subprocess.run(cmd, capture_output=True, text=True)
    return f"{done.stdout.strip()} MiB" if done.returncode == 0 else "failed"


def import_cost(repeat: int = 5) -> str:
    """Milliseconds to import ``compiled`` (everything else imported first, bytecode cached)
    and to load its library on first use, least of ``repeat`` fresh processes."""
    code = (
        "import sys, time, types\n"
        "sys.modules['axilla.models.predict.compiled'] = types.ModuleType('stand-in')\n"
        "import axilla.models.predict\n"
        "del sys.modules['axilla.models.predict.compiled']\n"
        "t0 = time.perf_counter()\n"
        "import axilla.models.predict.compiled as c\n"
        "t1 = time.perf_counter()\n"
        "c.library()\n"
        "print(t1 - t0, time.perf_counter() - t1)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    found = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env)
        if done.returncode != 0:
            return "unmeasured (the child process failed)"
        found.append(tuple(float(v) for v in done.stdout.split()))
    return (f"{min(a for a, _ in found) * 1e3:.2f} ms + "
            f"{min(b for _, b in found) * 1e3:.2f} ms")


def best_cpu(fn, repeat: int, rounds: int = 3) -> float:
    """Least CPU seconds of one call (process time: what a shared machine's other load does
    not add), over ``rounds`` rounds of ``repeat`` calls."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(repeat):
            fn()
        best = min(best, (time.process_time() - t0) / repeat)
    return best


def table_benchmark(args: argparse.Namespace, baseline, table0) -> None:
    x = synthetic(args.n)
    runs = variants(args.version, baseline, table0)
    small = {k: c[:2000] for k, c in x.items()}
    for fn in runs.values():
        fn(small)  # warm up: tables built, modules loaded
    best = dict.fromkeys(runs, float("inf"))
    cpu = dict.fromkeys(runs, float("inf"))
    tables = {}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):  # interleaved, so that a busy moment hits every variant
        for name, fn in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            tables[name] = fn(x)
            best[name] = min(best[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], time.process_time() - c0)
    ref = tables.get("baseline")
    print(f"PREDICT {args.version} benefit table, {args.n:,} patients, "
          f"{len(tables['table'])} benefits x 3 years, best of {args.repeat}, "
          f"{args.threads_note} unless -1t; load average "
          f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after:")
    print(f"  {'variant':14s} {'seconds':>8s} {'x baseline':>10s} {'x table0':>9s} "
          f"{'x numpy':>8s} {'CPU s':>7s} {'peak RSS':>10s} {'cells != baseline':>18s}")
    print(f"  {'inputs':14s} {'':>8s} {'':>10s} {'':>9s} {'':>8s} {'':>7s} "
          f"{rss_of('inputs', args):>10s}")
    for name in runs:
        ratio = f"{best['baseline'] / best[name]:.1f}" if ref is not None else "-"
        ratio0 = f"{best['table0'] / best[name]:.2f}" if "table0" in best else "-"
        same = "table-numpy" + ("-1t" if name.endswith("-1t") else "")
        ratio_np = f"{best[same] / best[name]:.2f}" if name.startswith("table") else "-"
        if ref is None:
            differ = "-"
        else:
            differ = str(sum(int(np.sum(tables[name][k] != ref[k])) for k in ref))
        print(f"  {name:14s} {best[name]:8.3f} {ratio:>10s} {ratio0:>9s} {ratio_np:>8s} "
              f"{cpu[name]:7.3f} {rss_of(name, args):>10s} {differ:>18s}")
    same = sum(int(np.sum(tables["table"][k] != tables["table-numpy"][k]))
               for k in tables["table"])
    exact_c = benefit_table(x, args.version, validate=False, rounded=False)
    exact_np = benefit_table(x, args.version, validate=False, rounded=False, use_compiled=False)
    print(f"  compiled loops {'built' if compiled.library() is not None else 'NOT BUILT'}: "
          f"{same} rounded cells differ from table-numpy; largest unrounded difference "
          f"{max(float(np.max(np.abs(exact_c[k] - exact_np[k]))) for k in exact_c):.1e} pp; "
          f"import and first load of the library {import_cost()}")
    if ref is not None:
        exact = benefit_table(x, args.version, validate=False, rounded=False)
        out = baseline.engine.compute(x, args.version, columns=ladder_columns(args.version),
                                      years=(5, 10, 15), validate=False, split=False)
        v = load_version(args.version)
        worst = max(float(np.max(np.abs(exact[name] - values))) for ladder in v.ladders
                    for name, values in baseline.tables.incremental_benefits(out, ladder).items())
        print(f"  largest unrounded difference, table vs baseline: {worst:.1e} pp")


def per_patient_benchmark(args: argparse.Namespace, baseline) -> None:
    columns = ladder_columns(args.version)
    every_year = tuple(range(1, 16))
    x = synthetic(max(SIZES))

    def run(mod_compute, mod_results, n, with_results):
        """One batch of n, or above --batch, batches of --batch kept one at a time (typed
        results take about 100 kB a patient, so a run keeps memory bounded by its batch)."""
        for start in range(0, n, args.batch):
            batch = {k: c[start:min(n, start + args.batch)] for k, c in x.items()}
            out = mod_compute(batch, args.version, columns=columns)
            if with_results:
                mod_results(out, every_year)

    print(f"\nPREDICT {args.version} per patient, compute + typed results as the assessment "
          f"asks (ladder columns, 15 years, validated), CPU microseconds a patient:")
    print(f"  {'n':>7s} {'compute':>9s} {'baseline':>9s} {'+results':>9s} {'baseline':>9s} "
          f"{'x faster':>8s}")
    for n in SIZES:
        repeat = max(1, min(100, 2_000 // n))
        cells = []
        for with_results in (False, True):
            now = best_cpu(lambda n=n, w=with_results: run(
                compute, results_module.results, n, w), repeat) / n * 1e6
            if baseline is not None and n <= args.baseline_max_n:
                before = best_cpu(lambda n=n, w=with_results: run(
                    baseline.engine.compute, baseline.results.results, n, w),
                    1 if n >= 10_000 else repeat, 1 if n >= 10_000 else 3) / n * 1e6
                cells += [f"{now:9.1f}", f"{before:9.1f}"]
            else:
                before = None
                cells += [f"{now:9.1f}", f"{'skipped':>9s}"]
        ratio = f"{before / now:8.1f}" if before else f"{'-':>8s}"
        print(f"  {n:7,d} {' '.join(cells)} {ratio}")
    print(f"  (n above {args.batch:,}: batches of {args.batch:,}, one kept at a time)")
    if baseline is not None:
        print(f"  (baseline skipped above n = {args.baseline_max_n:,}: its results() is "
              "quadratic in n; raise --baseline-max-n to run it)")


def one_patient_benchmark(args: argparse.Namespace, baseline) -> None:
    """The kernel alone for one patient: compute(validate=False), ladder columns, 15 years."""
    x = synthetic(1)
    columns = ladder_columns(args.version)
    print(f"\nPREDICT {args.version}, one patient, compute(validate=False), ladder columns, "
          "15 years, CPU microseconds:")
    engines = [("today", compute)]
    if baseline is not None:
        engines.append(("baseline", baseline.engine.compute))
    for label, fn in engines:
        cost = best_cpu(lambda fn=fn: fn(x, args.version, columns=columns, validate=False),
                        300, 5) * 1e6
        print(f"  {label:9s} {cost:8.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--version", default=CURRENT_VERSION)
    ap.add_argument("--baseline", default=BASELINE_REV, help="git revision of the baseline")
    ap.add_argument("--table-baseline", default=TABLE_BASELINE_REV,
                    help="git revision of the earlier table kernel (table0)")
    ap.add_argument("--baseline-max-n", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=10_000,
                    help="per-patient figures: largest batch kept in memory at once")
    ap.add_argument("--skip-table", action="store_true")
    ap.add_argument("--skip-per-patient", action="store_true")
    ap.add_argument("--rss-variant", dest="variant", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        rss_child(args)
        return
    args.threads_note = f"{os.cpu_count()} threads"
    baseline = load_baseline(args.baseline)
    if baseline is None:
        print(f"baseline {args.baseline} unavailable (needs git and that revision); "
              "today's figures only")
    if not args.skip_table:
        table0 = load_baseline(args.table_baseline, "table0")
        if table0 is None:
            print(f"table baseline {args.table_baseline} unavailable; row table0 left out")
        table_benchmark(args, baseline, table0)
    one_patient_benchmark(args, baseline)
    if not args.skip_per_patient:
        per_patient_benchmark(args, baseline)


if __name__ == "__main__":
    main()
