"""Throughput of `axilla cohort run`: synthetic rows from Parquet through staging + PREDICT +
indices to Parquet, with peak memory, and the Dask engine with 2 workers against 1.

Baseline, in the same process: the PREDICT engine alone (inputs pre-validated, in memory) on
the first chunk, the floor under any cohort runner. Each cohort run is a child process
(`python -m axilla cohort run ...`), so its peak resident memory is its own.

    .venv/bin/python benchmarks/cohort_throughput.py [--n 10000000] [--dask-n 1000000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from axilla.cohort.synth import synth_chunks
from axilla.cohort.tables import TableWriter
from axilla.models.predict import CURRENT_VERSION, compute, load_version


def write_cohort(path: Path, n: int, chunk_rows: int) -> float:
    start = time.perf_counter()
    writer = TableWriter(path, dictionary_for_numbers=True)
    for chunk in synth_chunks(n, 1, chunk_rows):
        writer.write(chunk)
    writer.close()
    return time.perf_counter() - start


def engine_baseline(path: Path, rows: int) -> float:
    """PREDICT alone (treatments given and surgery only, 5/10/15 years): rows per second."""
    import pyarrow.parquet as pq

    batch = next(pq.ParquetFile(path).iter_batches(batch_size=rows))
    x = {k: batch.column(k).to_numpy() for k in batch.schema.names
         if k not in ("id", "micromet_nodes")}
    v = load_version(CURRENT_VERSION)
    cols = (v.ladders["standard"][0], v.ladders["standard"][-1])
    compute({k: a[:100] for k, a in x.items()}, v.id, columns=cols, validate=False)
    start = time.perf_counter()
    compute(x, v.id, columns=cols, years=(5, 10, 15), validate=False)
    return rows / (time.perf_counter() - start)


def child_run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one `axilla cohort run` child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "axilla", "cohort", "run", *args],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--dask-n", type=int, default=1_000_000,
                    help="rows for the Dask 1-worker vs 2-worker comparison (0: skip)")
    ap.add_argument("--chunk-rows", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, help="where to put the files (default: a temp dir)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        d = Path(tmp)
        src = d / "cohort.parquet"
        seconds = write_cohort(src, args.n, args.chunk_rows)
        print(f"synthetic cohort: {args.n:,} rows written in {seconds:.1f} s "
              f"({src.stat().st_size / 2**20:,.0f} MiB Parquet)")
        base = engine_baseline(src, min(args.n, args.chunk_rows))
        print(f"baseline, PREDICT engine alone in memory: {base:,.0f} rows/s")
        seconds, peak = child_run([str(src), str(d / "out.parquet"), "--keep", "id",
                                   "--chunk-rows", str(args.chunk_rows)])
        print(f"cohort run, local engine, {args.n:,} rows Parquet -> Parquet (read, validate, "
              f"stage, PREDICT, NPI/CTS5, write): {seconds:.1f} s, {args.n / seconds:,.0f} "
              f"rows/s ({args.n / seconds / base:.0%} of the engine alone); peak resident "
              f"memory {peak:,.0f} MiB (target <= 2048)")
        if args.dask_n:
            small = d / "dask_in.parquet"
            if args.dask_n == args.n:
                small = src
            else:
                write_cohort(small, args.dask_n, args.chunk_rows)
            rates = {}
            for workers in (1, 2):
                seconds, peak = child_run([str(small), str(d / f"dask{workers}"), "--engine",
                                           "dask", "--workers", str(workers)])
                rates[workers] = args.dask_n / seconds
                print(f"cohort run, Dask LocalCluster {workers} worker(s) x 1 thread, "
                      f"{args.dask_n:,} rows: {seconds:.1f} s, {rates[workers]:,.0f} rows/s "
                      f"(cluster start-up included)")
            print(f"Dask speed-up, 2 workers vs 1: {rates[2] / rates[1]:.2f}x "
                  f"(on a machine with {len(__import__('os').sched_getaffinity(0))} cores)")


if __name__ == "__main__":
    main()
