"""Fairness under load: do health checks and stored-case reads and writes wait behind a flood
of assessments?

Starts `axilla serve` (SQLite in a temporary directory, one process unless --workers) on a free
loopback port, stores one case, then measures, from a separate process, the latency of
GET /healthz, GET /v1/cases/{id} and POST /v1/cases probed one at a time every 100 ms:
first alone (the baseline), then while CLIENTS clients post assessments back to back (closed
loop). Prints p50/p99 of each probe in both phases, side by side, and the assessments answered.

    .venv/bin/python benchmarks/api_fairness.py [--clients 20] [--duration 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import ROOT, start_server

PROBE_EVERY_S = 0.1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def phase(url: str, token: str, case_id: str, body: bytes, clients: int,
                duration: float) -> dict[str, object]:
    import httpx

    auth = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    probes: dict[str, list[float]] = {"GET /healthz": [], "GET /v1/cases/{id}": [],
                                      "POST /v1/cases": []}
    answered = 0
    stop = time.monotonic() + duration

    async def flood(client: httpx.AsyncClient) -> None:
        nonlocal answered
        while time.monotonic() < stop:
            r = await client.post("/v1/assessments", content=body, headers=auth)
            answered += r.status_code == 200

    async def probe(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            for name, call in (("GET /healthz", lambda: client.get("/healthz")),
                               ("GET /v1/cases/{id}",
                                lambda: client.get(f"/v1/cases/{case_id}", headers=auth)),
                               ("POST /v1/cases",
                                lambda: client.post("/v1/cases", content=body, headers=auth))):
                t0 = time.perf_counter()
                r = await call()
                if r.status_code < 300:
                    probes[name].append(1000 * (time.perf_counter() - t0))
            await asyncio.sleep(PROBE_EVERY_S)

    limits = httpx.Limits(max_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.gather(probe(client), *(flood(client) for _ in range(clients)))
    return {"probes": probes, "assessments": answered}


def client_process(url: str, token: str, case_id: str, body: bytes, clients: int,
                   duration: float, out: mp.Queue) -> None:
    baseline = asyncio.run(phase(url, token, case_id, body, 0, duration / 2))
    loaded = asyncio.run(phase(url, token, case_id, body, clients, duration))
    out.put((baseline, loaded))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds under load")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    body = (ROOT / "examples" / "a_micrometastasis_sentinel.json").read_bytes()
    with tempfile.TemporaryDirectory() as workdir:
        from axilla.service.store import Store

        store = Store(f"sqlite:///{workdir}/bench.db")
        try:
            token = store.create_token("bench")
        finally:
            store.close()
        proc, url = start_server(workdir, args.workers)
        try:
            import httpx

            case_id = httpx.post(f"{url}/v1/cases", content=body, timeout=60, headers={
                "Authorization": f"Bearer {token}", "content-type": "application/json"}
            ).json()["id"]
            ctx = mp.get_context("spawn")
            out: mp.Queue = ctx.Queue()
            child = ctx.Process(target=client_process, args=(
                url, token, case_id, body, args.clients, args.duration, out))
            child.start()
            baseline, loaded = out.get(timeout=args.duration * 3 + 120)
            child.join()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"axilla API fairness: probes every {PROBE_EVERY_S * 1000:.0f} ms, alone and beside "
          f"{args.clients} clients posting assessments ({args.workers} server process(es), "
          f"{os.cpu_count()} CPUs)")
    print(f"{'probe':<20}{'alone p50':>11}{'p99':>9}{'loaded p50':>12}{'p99':>9}  (ms)")
    for name, alone in baseline["probes"].items():  # type: ignore[union-attr]
        under = loaded["probes"][name]  # type: ignore[index]
        print(f"{name:<20}{statistics.median(alone):>11.1f}{percentile(alone, 0.99):>9.1f}"
              f"{statistics.median(under) if under else float('nan'):>12.1f}"
              f"{percentile(under, 0.99):>9.1f}")
    print(f"assessments answered under load: {loaded['assessments']} in {args.duration:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
