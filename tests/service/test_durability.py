"""Durability: `axilla serve` (one process, or two workers) is killed with SIGKILL while clients
are saving cases with a write-only token; after a restart a read-only token of the same team
finds every case that was acknowledged with 201, and the access log holds its creation (SQLite
WAL + synchronous=FULL; PostgreSQL's synchronous commit)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from axilla.service.store import Store

pytestmark = pytest.mark.slow

WRITERS = 4
MIN_ACKED_BEFORE_KILL = 40


def _writer(url: str, token: str, example: dict[str, Any], who: int, acked: list[tuple[str, str]],
            lock: threading.Lock, stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
        while not stop.is_set():
            case_id = f"w{who}-{n}"
            n += 1
            try:
                r = client.post("/v1/cases", json={**example, "case_id": case_id})
            except httpx.HTTPError:
                return  # the server is gone
            if r.status_code == 201:
                with lock:
                    acked.append((r.json()["id"], case_id))


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_acknowledged_case_survives_sigkill(
    backend: str, workers: int, serve, tmp_path: Path, example_a: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    url = (f"sqlite:///{tmp_path / 'durable.db'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    store = Store(url)
    token = store.create_token("durability", team="unit-a", scopes=("write",))
    reader = store.create_token("checker", team="unit-a", scopes=("read",))
    store.close()

    server = serve(url, "--workers", str(workers))
    acked: list[tuple[str, str]] = []
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=_writer, args=(server.url, token, example_a, i, acked,
                                                      lock, stop), daemon=True)
               for i in range(WRITERS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < MIN_ACKED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # SIGKILL in the middle of the stream: no shutdown, no flush
    stop.set()
    for t in threads:
        t.join(timeout=15)
    with lock:
        confirmed = list(acked)
    assert len(confirmed) >= MIN_ACKED_BEFORE_KILL

    again = serve(url)
    with httpx.Client(base_url=again.url, headers={"Authorization": f"Bearer {reader}"},
                      timeout=10) as client:
        missing = []
        for record_id, case_id in confirmed:
            r = client.get(f"/v1/cases/{record_id}")
            if r.status_code != 200 or r.json()["case"]["case_id"] != case_id:
                missing.append((record_id, case_id, r.status_code))
        total = client.get("/v1/cases?limit=1").json()["total"]
    assert missing == []
    assert total >= len(confirmed)  # a commit may land just before its reply was cut off
    store = Store(url)
    try:
        created = {e.case_id for e in store.access_entries(limit=100_000)
                   if e.action == "create" and e.token_name == "durability"}
    finally:
        store.close()
    assert {record_id for record_id, _ in confirmed} <= created
