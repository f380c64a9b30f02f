"""`axilla serve` as a process: settings checked and the port bound before it claims to serve,
a busy port reported (or the next one taken with --port-search), two servers on one new SQLite
file, workers that end with their parent, one access line per request with two workers, a body
read timeout, and the API reference page served without any CDN."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.conftest import Server, start_server
from service.test_cli import axilla

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("option", "value", "named"), [
    ("--max-body-bytes", "-5", "max_body_bytes"),
    ("--max-body-bytes", "0", "max_body_bytes"),
    ("--body-timeout", "0", "body_timeout_s"),
    ("--body-timeout", "nan", "body_timeout_s"),
    ("--port-search", "-1", "--port-search"),
])
def test_nonsense_settings_are_refused_before_serving(tmp_path: Path, option: str, value: str,
                                                      named: str) -> None:
    r = axilla("serve", "--port", "8999", option, value, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and named in r.stderr, r.stderr
    assert "serving" not in r.stdout


def test_nonsense_settings_in_the_environment_are_refused(tmp_path: Path) -> None:
    env = {**os.environ, "AXILLA_MAX_BODY_BYTES": "-5"}
    r = subprocess.run([sys.executable, "-m", "axilla", "serve", "--port", "8999"], cwd=tmp_path,
                       env=env, text=True, capture_output=True, timeout=60)
    assert r.returncode == 2 and "max_body_bytes" in r.stderr and "serving" not in r.stdout


def _listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_a_busy_port_is_reported_before_anything_claims_to_serve(tmp_path: Path) -> None:
    with _listening() as busy:
        port = busy.getsockname()[1]
        r = axilla("serve", "--port", str(port), cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert f"port {port}: in use" in r.stderr and "serving" not in r.stdout
    assert not (tmp_path / "var").exists()  # nothing was opened either


def test_port_search_takes_the_next_free_port(tmp_path: Path) -> None:
    with _listening() as busy:
        port = busy.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "axilla", "serve", "--port", str(port),
                                 "--port-search", "20", "--log-level", "warning"],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            assert "serving on http://127.0.0.1:" in line, line
            url = line.split("serving on ")[1].split()[0]
            assert int(url.rsplit(":", 1)[1]) != port
            assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _start_into(url: str, workdir: Path, started: list[Server], errors: list[str]) -> None:
    try:
        started.append(start_server(url, workdir))
    except RuntimeError as exc:
        errors.append(str(exc))


def test_two_servers_started_together_on_one_new_sqlite_file(tmp_path: Path) -> None:
    for attempt in range(1):
        url = f"sqlite:///{tmp_path / f'new-{attempt}' / 'axilla.db'}"
        started: list[Server] = []
        errors: list[str] = []
        threads = [threading.Thread(target=_start_into, args=(url, tmp_path, started, errors))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=90)
        try:
            assert errors == [] and len(started) == 2
            for s in started:
                assert httpx.get(f"{s.url}/healthz").json()["database"] == "ok"
        finally:
            for s in started:
                s.stop()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_two_workers_log_every_request_and_end_with_their_parent(serve) -> None:
    server = serve(None, "--workers", "2", "--log-level", "info")
    workers = _children(server.process.pid)
    assert len(workers) >= 2
    with httpx.Client(base_url=server.url) as c:
        for i in range(6):
            assert c.get(f"/v1/cases/line-{i}%0Aforged").status_code == 401
    time.sleep(0.3)
    server.kill()  # SIGKILL: the parent cannot tell anyone
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    log = server.log.read_text()
    access = [line for line in log.splitlines() if "/v1/cases/line-" in line]
    assert len(access) == 6 and all(" access id=" in a for a in access)
    assert all("\\nforged status=401" in a for a in access)
    assert not any(line.startswith("forged") for line in log.splitlines())
    again = serve(server.database_url)  # the port of a new server is free again
    assert httpx.get(f"{again.url}/healthz").status_code == 200


def test_a_slow_body_is_408_and_refusals_keep_the_connection(serve) -> None:
    server = serve(None, "--body-timeout", "0.5")
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"pat")
        start = time.monotonic()
        reply = sock.recv(4096).decode()
        waited = time.monotonic() - start
    assert reply.startswith("HTTP/1.1 408"), reply
    assert "x-content-type-options: nosniff" in reply and waited < 5
    # Refusals keep the connection: 400, 422, 401 and 404 answered on one socket, then a 200.
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    json_type = {"content-type": "application/json"}
    for method, path, body, status in (
            ("POST", "/v1/assessments", "{not json", 400),
            ("POST", "/v1/assessments", '{"m": "cM0", "m": "cM1"}', 422),
            ("GET", "/v1/models?x=1", None, 422),
            ("GET", "/v1/cases", None, 401),
            ("GET", "/nowhere", None, 404),
            ("GET", "/healthz", None, 200)):
        conn.request(method, path, body=body, headers=json_type if body else {})
        reply_sock = conn.sock
        r = conn.getresponse()
        r.read()
        assert r.status == status and r.getheader("x-frame-options") == "DENY"
        assert r.getheader("connection") != "close" and conn.sock is reply_sock
    conn.close()


def test_api_reference_is_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert "cdn" not in page.headers["content-security-policy"]
    for asset in ("/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css"):
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 10_000, asset
