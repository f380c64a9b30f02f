"""Start-up time of the command line: `axilla --help` and `--version` beside a bare interpreter.

Sub-commands are imported lazily, so listing them should cost little more than starting
Python. Prints the median wall time of 15 runs of each, in the same process.
Run: .venv/bin/python benchmarks/cli_startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def median_seconds(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rows = [
        ("python -c pass (baseline)", [sys.executable, "-c", "pass"]),
        ("axilla --version", [sys.executable, "-m", "axilla", "--version"]),
        ("axilla --help", [sys.executable, "-m", "axilla", "--help"]),
        ("axilla stage --help (loads its module)",
         [sys.executable, "-m", "axilla", "stage", "--help"]),
    ]
    base = None
    print(f"{'command':45} {'median s':>9} {'vs baseline':>12}")
    for label, args in rows:
        t = median_seconds(args)
        base = base or t
        print(f"{label:45} {t:9.3f} {t / base:11.1f}x")


if __name__ == "__main__":
    main()
