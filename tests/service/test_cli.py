"""`axilla token` and `axilla serve` as subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from axilla.service.store import Store


def axilla(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=60)


def test_token_create_list_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    made = axilla("token", "--database-url", url, "create", "mdt coordinator", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("axilla_") and len(token) > 40
    store = Store(url)
    try:
        assert store.author_of(token) == "mdt coordinator"
    finally:
        store.close()
    listed = axilla("token", "--database-url", url, "list", cwd=tmp_path)
    assert "mdt coordinator" in listed.stdout and token not in listed.stdout
    gone = axilla("token", "--database-url", url, "revoke", "mdt coordinator", cwd=tmp_path)
    assert gone.returncode == 0
    again = axilla("token", "--database-url", url, "revoke", "mdt coordinator", cwd=tmp_path)
    assert again.returncode == 2 and again.stderr.count("\n") == 1


def test_token_uses_the_default_database(tmp_path: Path) -> None:
    made = axilla("token", "create", "nurse", cwd=tmp_path)
    assert made.returncode == 0
    assert (tmp_path / "var" / "axilla.db").exists()


def test_serve_refuses_a_bad_port(tmp_path: Path) -> None:
    r = axilla("serve", "--port", "70000", cwd=tmp_path)
    assert r.returncode == 2 and "--port" in r.stderr


def test_serve_refuses_a_bad_database_url(tmp_path: Path) -> None:
    r = axilla("serve", "--database-url", "nonsense://", "--port", "8999", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("axilla: error: serve:")


def test_serve_prints_its_url_and_answers(serve, tmp_path: Path) -> None:
    server = serve()
    assert httpx.get(f"{server.url}/healthz").json()["database"] == "ok"
    server.stop()
    assert f"serving on {server.url}" in server.log.read_text()


def test_serve_with_postgres(serve, postgres_url: str) -> None:
    server = serve(postgres_url)
    assert httpx.get(f"{server.url}/healthz").json()["database"] == "ok"


def test_serve_refuses_a_bad_worker_count(tmp_path: Path) -> None:
    r = axilla("serve", "--workers", "0", cwd=tmp_path)
    assert r.returncode == 2 and "--workers" in r.stderr and r.stderr.count("\n") == 1


def test_serve_with_two_workers_answers_assessments(serve, tmp_path: Path) -> None:
    server = serve(None, "--workers", "2")
    case = (Path(__file__).resolve().parents[2] / "examples"
            / "a_micrometastasis_sentinel.json").read_text()
    for _ in range(4):
        reply = httpx.post(f"{server.url}/v1/assessments", content=case,
                           headers={"content-type": "application/json"}, timeout=30)
        assert reply.status_code == 200
        assert reply.json()["staging"]["pN"]["display"] == "pN1mi(sn)"
