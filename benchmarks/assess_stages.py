"""CPU cost of each stage of one assessment (example (a)), and of the whole, beside baselines.

Stages, in pipeline order: input checks (parse_case), columns (case and node tables; a table
makes a column when an engine first reads it, so this stage makes every column, more than an
assessment reads, and the later stages read the columns made), staging,
PREDICT (inputs, model run and typed results), indices (NPI, CTS5), risk factors (inputs and
summary), guidance (facts and rules), texts, patient questions, charts, typed results (the
Assessment). Each is timed alone on the same case, the minimum over ``--rounds`` rounds of
``--n`` calls (the machine is shared: the minimum is the least disturbed). Baseline in the same
run: the guidance rules walked as condition trees (``compiled=False``). Target: <= 1.5 ms CPU
for the whole, with texts and charts; of it, ``present`` (texts, questions, charts and the
Assessment, timed as the pipeline runs it: the cyclic collector held off) <= 0.40 ms.

CPU time on a shared machine drifts with the other core's load by more than a revision's gain;
``--instructions`` also prints the instructions an assessment executes, today and at the
baseline, counted by valgrind (cachegrind, no cache simulation), which the same code and input
repeat exactly whatever the machine is doing: 300 assessments less 100, divided by 200, so
start-up and imports do not count.

    .venv/bin/python benchmarks/assess_stages.py [--n 300] [--rounds 5] [--instructions]
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from axilla.assess import assess, compute, pipeline
from axilla.assess.inputs import guidance_facts, risk_inputs
from axilla.assess.model import Assessment
from axilla.assess.pipeline import _indices, _predict
from axilla.assess.present import charts, explanations, present, questions
from axilla.case.assessment import parse_case
from axilla.columns import tables
from axilla.guidance import evaluate
from axilla.models.predict import CURRENT_VERSION
from axilla.recurrence import risk_factor_summary
from axilla.staging import counts_columns, stage_many
from axilla.typed import CollectorHeld

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "a_micrometastasis_sentinel.json"
BASELINE_REV = "be3a1ee"

#: Run by the child process on the baseline's source, after this script's own ``cpu_ms``: the
#: least CPU ms of assess() and of compute() for the example, and where axilla was imported from.
_CHILD = """
import json, sys, time
import axilla
from axilla.assess import assess, compute
from axilla.case.assessment import parse_case
case = parse_case(json.loads(open(sys.argv[1], encoding="utf-8").read()))
n, rounds = int(sys.argv[2]), int(sys.argv[3])
assess(case)
print(cpu_ms(lambda: assess(case), n, rounds), cpu_ms(lambda: compute([case]), n, rounds),
      axilla.__file__)
"""


@contextlib.contextmanager
def exported(rev: str) -> Iterator[Path | None]:
    """The ``src`` of git revision ``rev`` in a temporary directory (None when git cannot read
    it)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"],
                             capture_output=True, check=False)
    if archive.returncode:
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp) / "src"


def baseline_whole(rev: str, n: int, rounds: int) -> tuple[float, float] | None:
    """CPU ms of assess() and compute() of the example at git revision ``rev`` (None when git
    cannot read it): its ``src`` exported to a temporary directory, run in a child process."""
    with exported(rev) as src:
        if src is None:
            return None
        env = {**os.environ, "PYTHONPATH": str(src)}
        code = ("from __future__ import annotations\nimport time\n"
                + inspect.getsource(cpu_ms) + _CHILD)
        out = subprocess.run([sys.executable, "-c", code, str(EXAMPLE), str(n), str(rounds)],
                             env=env, capture_output=True, text=True, check=True).stdout.split()
        if not out[2].startswith(str(src)):
            raise RuntimeError(f"the baseline imported axilla from {out[2]}, not from {src}")
        return float(out[0]), float(out[1])


#: Run under valgrind: 20 assessments to load data files and warm caches, then argv[2] more.
_COUNTED = """
import json, sys
from axilla.assess import assess
from axilla.case.assessment import parse_case
case = parse_case(json.loads(open(sys.argv[1], encoding="utf-8").read()))
for _ in range(20 + int(sys.argv[2])):
    assess(case)
"""


def instructions(src: Path) -> float | None:
    """Instructions executed by one assess() of the example with ``src`` on the path: runs of
    300 and of 100 assessments under cachegrind, at once, their difference over 200 (None
    when valgrind is not installed)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0",
           "OPENBLAS_NUM_THREADS": "1"}
    runs = {n: subprocess.Popen(
        [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", _COUNTED, str(EXAMPLE), str(n)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for n in (100, 300)}
    counts = {}
    for n, run in runs.items():
        _, err = run.communicate()
        found = re.search(r"I\s+refs:\s+([\d,]+)", err)
        if run.returncode or found is None:
            raise RuntimeError(f"valgrind failed on {n} assessments: {err[-500:]}")
        counts[n] = int(found.group(1).replace(",", ""))
    return (counts[300] - counts[100]) / 200


def print_instructions(rev: str) -> None:
    """Instructions an assessment, today's ``src`` beside revision ``rev``'s."""
    today = instructions(ROOT / "src")
    if today is None:
        print("instructions: valgrind is not installed (Debian package valgrind)")
        return
    line = f"{'instructions: assess, today':<34} {today / 1e6:7.3f} M"
    if rev != "none":
        with exported(rev) as src:
            base = instructions(src) if src is not None else None
        if base is not None:
            line += f"   baseline {rev}: {base / 1e6:.3f} M, {base / today:4.2f}x"
    print(line)


def cpu_ms(fn: Callable[[], Any], n: int, rounds: int) -> float:
    """Least CPU milliseconds a call over ``rounds`` rounds of ``n`` calls."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - start) / n)
    return 1000 * best


def pipeline_facts(case: Any) -> dict[str, Any]:
    """The facts the pipeline hands to the guidance rules for ``case`` (recorded in passing)."""
    seen: dict[str, Any] = {}

    def record(facts: Any, **options: Any) -> Any:
        seen.update(facts)
        return evaluate(facts, **options)

    pipeline.evaluate = record
    try:
        compute([case])
    finally:
        pipeline.evaluate = evaluate
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE_REV,
                        help="git revision timed as the baseline of the whole (none: skip)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of one assessment with valgrind, "
                        "today and at the baseline (about a minute each)")
    args = parser.parse_args()
    raw = json.loads(EXAMPLE.read_text("utf-8"))
    case = parse_case(raw)
    cases = [case]
    assess(case)  # load data files, rule sets and compiled conditions outside the timings
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    counts = counts_columns([s.counts for s in staged])
    figures = compute(cases)[0]
    facts = pipeline_facts(case)
    risk = risk_inputs(case_t, counts, staged)[0]
    validated = {"npi": None, "predict_version": CURRENT_VERSION}
    texts = explanations(case, figures)
    drawn = charts(figures)

    def stage(name: str, fn: Callable[[], Any], baseline: tuple[str, Callable[[], Any]] | None
              = None) -> float:
        ms = cpu_ms(fn, args.n, args.rounds)
        line = f"{name:<34} {ms:7.3f} ms"
        if baseline is not None:
            base = cpu_ms(baseline[1], args.n, args.rounds)
            line += f"   baseline ({baseline[0]}): {base:7.3f} ms, {base / ms:4.1f}x"
        print(line)
        return ms

    print(f"example (a), {EXAMPLE.name}; CPU ms a call, least of {args.rounds} x {args.n}")
    total = sum([
        stage("input checks (parse_case)", lambda: parse_case(raw)),
        stage("columns (case and node tables)", lambda: [t.columns for t in tables(cases)]),
        stage("staging", lambda: counts_columns(
            [s.counts for s in stage_many([c.staging_case() for c in cases], nodes=node_t)])),
        stage("PREDICT (inputs, run, typed)", lambda: _predict(case_t, counts, CURRENT_VERSION)),
        stage("indices (NPI, CTS5)", lambda: _indices(case_t, counts)),
        stage("risk factors", lambda: (risk_inputs(case_t, counts, staged),
                                       risk_factor_summary(risk, validated_models=validated))),
        stage("guidance (facts, rules)",
              lambda: (guidance_facts(case_t, counts, staged),
                       evaluate(facts)),
              ("condition trees walked", lambda: (guidance_facts(case_t, counts, staged),
                                                  evaluate(facts, compiled=False)))),
        stage("texts", lambda: explanations(case, figures)),
        stage("patient questions", lambda: questions(case, figures)),
        stage("charts", lambda: charts(figures)),
        stage("typed results (Assessment)",
              lambda: Assessment(**dict(figures), explanations=texts, charts=drawn)),
    ])
    print(f"{'sum of the stages':<34} {total:7.3f} ms")
    with CollectorHeld():
        words = stage("present (texts, questions, charts)", lambda: present(case, figures))
    print(f"target <= 0.40 ms for present: {'met' if words <= 0.40 else 'not met'} "
          f"({words:.3f} ms)")
    whole = stage("whole: assess(parsed case)", lambda: assess(case))
    figures_only = stage("whole: compute (figures only)", lambda: compute(cases))
    if args.baseline != "none":
        base = [baseline_whole(args.baseline, args.n, args.rounds) for _ in range(2)]
        whole = min(whole, cpu_ms(lambda: assess(case), args.n, args.rounds))
        figures_only = min(figures_only, cpu_ms(lambda: compute(cases), args.n, args.rounds))
        if base[0] is None or base[1] is None:
            print(f"baseline: git cannot read revision {args.baseline}")
        else:
            b_whole, b_compute = min(b[0] for b in base), min(b[1] for b in base)
            print(f"{'whole: assess, baseline ' + args.baseline:<34} {b_whole:7.3f} ms"
                  f"   today {whole:.3f} ms, {b_whole / whole:4.1f}x")
            print(f"{'whole: compute, baseline ' + args.baseline:<34} {b_compute:7.3f} ms"
                  f"   today {figures_only:.3f} ms, {b_compute / figures_only:4.1f}x")
    print(f"target <= 1.5 ms for the whole with texts and charts: "
          f"{'met' if whole <= 1.5 else 'not met'} ({whole:.3f} ms)")
    if args.instructions:
        print_instructions(args.baseline)


if __name__ == "__main__":
    main()
