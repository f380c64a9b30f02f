"""Cost of the FHIR shells beside the assessment they wrap, in the same process.

Baseline: parse_case + assess of the five example cases. Then: reading each case from its
FHIR bundle (import report included), and writing the assessment as a validated FHIR Bundle.
Prints the median milliseconds a case over 20 rounds.
Run: .venv/bin/python benchmarks/fhir_interop.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from axilla.assess import assess
from axilla.case.assessment import parse_case
from axilla.interop.fhir.case_bundle import case_bundle
from axilla.interop.fhir.read import read_bundle
from axilla.interop.fhir.write import assessment_bundle

ROUNDS = 20
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def median_ms(work: Callable[[], object], n_cases: int) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000 / n_cases)
    return statistics.median(times)


def main() -> None:
    raw = [json.loads(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
    cases = [parse_case(r) for r in raw]
    bundles = [case_bundle(c) for c in cases]
    assessments = [assess(c) for c in cases]
    rows = [
        ("parse_case + assess (baseline)", lambda: [assess(parse_case(r)) for r in raw]),
        ("read_bundle (FHIR -> case + report)", lambda: [read_bundle(b) for b in bundles]),
        ("assessment_bundle (validated R4 export)",
         lambda: [assessment_bundle(a) for a in assessments]),
        ("case_bundle (case -> FHIR inputs)", lambda: [case_bundle(c) for c in cases]),
    ]
    base = None
    print(f"{'step (per case, ' + str(len(raw)) + ' example cases)':45} {'median ms':>10} "
          f"{'vs baseline':>12}")
    for label, work in rows:
        t = median_ms(work, len(raw))
        base = base or t
        print(f"{label:45} {t:10.2f} {t / base:11.2f}x")


if __name__ == "__main__":
    main()
