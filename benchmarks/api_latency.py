"""Latency of POST /v1/assessments under a steady load: 200 requests/s for 30 s, 2 workers.

Starts `axilla serve --workers 2` (SQLite in a temporary directory) on a free loopback port,
then, from a
separate process, sends a fixed mix of assessment requests (the cases in examples/*.json, in
turn) at a constant rate, open loop: each request is sent at its scheduled time on a pool of
keep-alive connections, whether or not earlier ones have been answered. Prints p50/p95/p99
latency from the scheduled send time to the last byte of the reply (so waiting in any queue
counts: no coordinated omission), the error count (anything but 200, or no reply), the
throughput achieved, and the service time alone (send to reply on a free connection).
While the load runs, GET /healthz is sent 10 times a second on its own connection and its
latency printed. The baseline, in the same run: the same load against a bare endpoint of the
same framework (FastAPI on uvicorn, same worker count) that returns a stored response of the
same size as the real one; the ratio of the two is printed.
The CPU the server spends a request is printed for both (user + system time of the
serving processes over the load, from /proc, divided by the requests answered), and the split
of one worker's CPU a request into assess() and everything else around it (request parse,
checks, routing, serialisation, middleware), measured in-process over the ASGI interface on
the same example mix (process time, least of several rounds).
Targets: p50 <= 5 ms, p99 <= 25 ms, 0 errors; service CPU beyond assess() <= 1 ms a request.

    .venv/bin/python benchmarks/api_latency.py [--rate 200] [--duration 30] [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {"p50": 5.0, "p99": 25.0}
#: The service's own CPU a request beyond assess(), ms (issue 12).
OVERHEAD_TARGET_MS = 1.0
POOL = 32
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def request_mix() -> list[bytes]:
    """The fixed mix: one request body per example case."""
    paths = sorted((ROOT / "examples").glob("*.json"))
    if not paths:
        raise SystemExit("api_latency: no examples/*.json to send")
    return [json.dumps(json.loads(p.read_text("utf-8"))).encode() for p in paths]


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its living descendants (Linux /proc; 0 when
    unavailable). The workers live through the load, so their counters cover all of it."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir: str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "axilla", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--database-url", f"sqlite:///{workdir}/bench.db", "--log-level", "warning",
         "--workers", str(workers)],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, wait_ready(proc, f"http://127.0.0.1:{port}")


def wait_ready(proc: subprocess.Popen[bytes], url: str) -> str:
    """``url`` once its /healthz answers 200 (the process is killed after 60 s without)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                if r.status == 200:
                    return url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("api_latency: the server did not start")


BARE_APP = """
import os
from fastapi import FastAPI, Request
from fastapi.responses import Response

app = FastAPI()
PAYLOAD = open(os.environ["AXILLA_BENCH_PAYLOAD"], "rb").read()


@app.post("/v1/assessments")
async def bare(request: Request) -> Response:
    await request.body()
    return Response(PAYLOAD, media_type="application/json")


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
"""


def start_bare(workdir: str, workers: int, payload: bytes) -> tuple[subprocess.Popen[bytes], str]:
    """A bare FastAPI endpoint on uvicorn returning ``payload`` (same framework and workers)."""
    Path(workdir, "bare_app.py").write_text(BARE_APP, "utf-8")
    Path(workdir, "payload.json").write_bytes(payload)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning", "--workers", str(workers)],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "AXILLA_BENCH_PAYLOAD": str(Path(workdir, "payload.json"))})
    return proc, wait_ready(proc, f"http://127.0.0.1:{port}")


def largest_reply(url: str) -> bytes:
    """The real service's reply to the largest example body (the bare endpoint returns it)."""
    replies = []
    for body in request_mix():
        req = urllib.request.Request(f"{url}/v1/assessments", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            replies.append(r.read())
    return max(replies, key=len)


class Connection:
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes | None) -> int:
        """Send POST ``body`` to ``path`` (GET when ``body`` is None); the reply's status."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        if body is None:
            head, body = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n", b""
        else:
            head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def probe_health(host: str, port: int, stop: asyncio.Event) -> list[float]:
    """GET /healthz every 100 ms on its own connection until ``stop``; latencies in seconds."""
    conn = Connection(host, port)
    found: list[float] = []
    while not stop.is_set():
        start = time.perf_counter()
        try:
            if await conn.post("/healthz", None) == 200:
                found.append(time.perf_counter() - start)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            conn.close()
        await asyncio.sleep(0.1)
    conn.close()
    return found


async def load(url: str, rate: float, duration: float, bodies: list[bytes]
               ) -> tuple[list[float], int, list[float], float, list[float]]:
    host, port = url.removeprefix("http://").split(":")
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(POOL):
        pool.put_nowait(Connection(host, int(port)))
    latencies: list[float] = []
    service: list[float] = []
    errors = 0

    async def one(body: bytes, due: float) -> None:
        nonlocal errors
        conn = await pool.get()
        start = time.perf_counter()
        try:
            status = await conn.post("/v1/assessments", body)
            if status == 200:
                end = time.perf_counter()
                latencies.append(end - due)
                service.append(end - start)
            else:
                errors += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            conn.close()
            errors += 1
        finally:
            pool.put_nowait(conn)

    # warm-up (not counted): every body once, so first-use costs are not measured
    for body in bodies:
        conn = await pool.get()
        await conn.post("/v1/assessments", body)
        pool.put_nowait(conn)

    stop = asyncio.Event()
    health = asyncio.ensure_future(probe_health(host, int(port), stop))
    total = int(rate * duration)
    t0 = time.perf_counter() + 0.05
    tasks = []
    for i in range(total):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(bodies[i % len(bodies)], due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    stop.set()
    while not pool.empty():
        pool.get_nowait().close()
    return latencies, errors, service, elapsed, await health


def client_process(url: str, rate: float, duration: float, out: mp.Queue) -> None:
    """The load, with the load generator's own CPU seconds over it: on a machine of few cores
    the client's CPU is taken from the server's, so it is printed beside the server's."""
    start = time.process_time()
    found = asyncio.run(load(url, rate, duration, request_mix()))
    out.put((*found, time.process_time() - start))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


Found = tuple[list[float], int, list[float], float, list[float], float, float]


def run_load(url: str, rate: float, duration: float, server_pid: int | None) -> Found:
    """The load from a separate process (so the client does not share the server's GIL),
    with the server's CPU seconds over it (nan for a server not started here)."""
    out: mp.Queue = mp.get_context("spawn").Queue()
    client = mp.get_context("spawn").Process(
        target=client_process, args=(url, rate, duration, out))
    cpu_before = tree_cpu_s(server_pid) if server_pid else float("nan")
    client.start()
    found = out.get()
    client.join()
    cpu = tree_cpu_s(server_pid) - cpu_before if server_pid else float("nan")
    return (*found, cpu)


def report(name: str, found: Found) -> dict[str, float]:
    latencies, errors, service, elapsed, health, client_s, cpu_s = found
    ms = [x * 1000 for x in latencies]
    figures = {f"p{q}": percentile(ms, q) for q in (50, 95, 99)}
    print(f"{name}: requests {len(latencies) + errors}  ok {len(latencies)}  errors {errors}  "
          f"throughput {len(latencies) / elapsed:.1f}/s")
    print("  latency ms  " + "  ".join(f"{k} {v:.2f}" for k, v in figures.items())
          + f"  max {max(ms, default=float('nan')):.2f}")
    busy = [x * 1000 for x in service]
    print("  service time ms (send to reply, queueing excluded)  "
          + "  ".join(f"p{q} {percentile(busy, q):.2f}" for q in (50, 95, 99)))
    hz = [x * 1000 for x in health]
    print(f"  /healthz under load ({len(hz)} probes) ms  "
          + "  ".join(f"p{q} {percentile(hz, q):.2f}" for q in (50, 95, 99)))
    answered = len(latencies) + errors
    figures["cpu_ms"] = 1000 * cpu_s / answered if answered else float("nan")
    print(f"  server CPU a request ms (all processes, /healthz probes included)  "
          f"{figures['cpu_ms']:.2f}")
    figures["client_cpu_ms"] = 1000 * client_s / answered if answered else float("nan")
    print(f"  load generator CPU a request ms (the client process, same cores)  "
          f"{figures['client_cpu_ms']:.2f}")
    figures["errors"] = errors
    return figures


async def asgi_post(app: Any, path: str, body: bytes) -> bytes:
    """POST ``body`` to ``app`` over the ASGI interface in the running loop; the reply body."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 9),
             "server": ("127.0.0.1", 80),
             "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        if not sent:
            sent.append(None)
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    reply: list[bytes] = []
    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        else:
            reply.append(message.get("body", b""))

    await app(scope, receive, send)
    if status != [200]:
        raise SystemExit(f"api_latency: {path} answered {status}")
    return b"".join(reply)


def cpu_split(workdir: str, rounds: int = 5, per_round: int = 100) -> dict[str, float]:
    """One worker's CPU a request, in-process: the whole request, assess() alone, and the
    bare endpoint's, each the least over ``rounds`` rounds (interleaved)."""
    import importlib.util

    from axilla.service import api
    from axilla.service.app import create_app, warm_up
    from axilla.service.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{workdir}/split.db"))
    warm_up()
    bodies = request_mix()
    real_assess = api.assess
    in_assess = [0.0]

    def timed_assess(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return real_assess(*args, **kwargs)
        finally:
            in_assess[0] += time.process_time() - start

    payload = max((asyncio.run(asgi_post(app, "/v1/assessments", b)) for b in bodies), key=len)
    Path(workdir, "payload.json").write_bytes(payload)
    Path(workdir, "bare_app.py").write_text(BARE_APP, "utf-8")
    os.environ["AXILLA_BENCH_PAYLOAD"] = str(Path(workdir, "payload.json"))
    spec = importlib.util.spec_from_file_location("bare_app", Path(workdir, "bare_app.py"))
    assert spec is not None and spec.loader is not None
    bare_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare_module)

    async def rounds_of(target: Any) -> float:
        for body in bodies:
            await asgi_post(target, "/v1/assessments", body)
        start = time.process_time()
        for i in range(per_round):
            await asgi_post(target, "/v1/assessments", bodies[i % len(bodies)])
        return (time.process_time() - start) / per_round

    best = {"whole": float("inf"), "assess": float("inf"), "bare": float("inf")}
    api.assess = timed_assess  # type: ignore[assignment]
    try:
        for _ in range(rounds):
            in_assess[0] = 0.0
            whole = asyncio.run(rounds_of(app))
            if whole < best["whole"]:
                best["whole"], best["assess"] = whole, in_assess[0] / per_round
            best["bare"] = min(best["bare"], asyncio.run(rounds_of(bare_module.app)))
    finally:
        api.assess = real_assess  # type: ignore[assignment]
    app.state.store.close()
    ms = {k: 1000 * v for k, v in best.items()}
    ms["rest"] = ms["whole"] - ms["assess"]
    print(f"one worker's CPU a request, in-process (least of {rounds} x {per_round}): "
          f"whole {ms['whole']:.3f} ms = assess() {ms['assess']:.3f} + the rest "
          f"{ms['rest']:.3f} (target <= {OVERHEAD_TARGET_MS:g}); bare endpoint "
          f"{ms['bare']:.3f} ms")
    return ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument("--workers", type=int, default=2, help="server processes to start")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the bare endpoint of the same framework")
    parser.add_argument("--cpu-only", action="store_true",
                        help="only the in-process CPU split (no server, no load)")
    args = parser.parse_args()

    print(f"axilla API latency: POST /v1/assessments, {len(request_mix())} example cases in "
          f"turn, {args.rate:g} requests/s for {args.duration:g} s (open loop, loopback, "
          f"{os.cpu_count()} CPUs, {args.workers} workers, load average before "
          f"{os.getloadavg()[0]:.2f})")
    with tempfile.TemporaryDirectory(prefix="axilla-bench-") as workdir:
        split = cpu_split(workdir)
        if args.cpu_only:
            return 0
        proc = None
        url = args.url
        if url is None:
            proc, url = start_server(workdir, args.workers)
        try:
            payload = largest_reply(url)
            real = run_load(url, args.rate, args.duration, proc.pid if proc else None)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)
        figures = report("axilla", real)
        if not args.no_baseline:
            bare_proc, bare_url = start_bare(workdir, args.workers, payload)
            try:
                bare = report(f"baseline: bare endpoint, same framework, {len(payload)} byte "
                              "reply", run_load(bare_url, args.rate, args.duration, bare_proc.pid))
            finally:
                bare_proc.terminate()
                bare_proc.wait(timeout=10)
            print("  ratio axilla / bare  " + "  ".join(
                f"{k} {figures[k] / bare[k]:.1f}x" for k in ("p50", "p95", "p99", "cpu_ms")))
    print(f"load average after {os.getloadavg()[0]:.2f}")
    met = (figures["p50"] <= TARGETS_MS["p50"] and figures["p99"] <= TARGETS_MS["p99"]
           and figures["errors"] == 0)
    print(f"targets p50 <= {TARGETS_MS['p50']:g} ms, p99 <= {TARGETS_MS['p99']:g} ms, "
          f"0 errors: {'met' if met else 'NOT met'}; service CPU beyond assess() "
          f"{split['rest']:.3f} ms <= {OVERHEAD_TARGET_MS:g} ms: "
          f"{'met' if split['rest'] <= OVERHEAD_TARGET_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
