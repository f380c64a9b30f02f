"""Tokens with a team and scopes, the access log and `axilla audit`: a token sees only its
team's cases, read and write are separate rights, and every create, read and list of a stored
case is recorded without patient data. Also: the upgrade from revision 0001 keeps old tokens
seeing old cases, and database files are private (0600)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from axilla.service.store import Store, access_log


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def axilla(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=60)


def test_a_token_sees_only_its_teams_cases(client: TestClient, store: Store,
                                           example_a: dict[str, Any]) -> None:
    breast = store.create_token("nurse", team="breast-unit-a")
    other = store.create_token("registrar", team="breast-unit-b")
    saved = client.post("/v1/cases", json=example_a, headers=bearer(breast))
    assert saved.status_code == 201
    case_id = saved.json()["id"]
    assert client.get(f"/v1/cases/{case_id}", headers=bearer(breast)).status_code == 200
    foreign = client.get(f"/v1/cases/{case_id}", headers=bearer(other))
    assert foreign.status_code == 404 and "patient" not in foreign.text
    assert client.get("/v1/cases", headers=bearer(other)).json() == {
        "items": [], "total": 0, "limit": 50, "offset": 0}
    mine = client.get("/v1/cases", headers=bearer(breast)).json()
    assert mine["total"] == 1 and mine["items"][0]["id"] == case_id


def test_scopes_separate_reading_from_writing(client: TestClient, store: Store,
                                              example_a: dict[str, Any]) -> None:
    reader = store.create_token("auditor", scopes=("read",))
    writer = store.create_token("scanner", scopes=("write",))
    r = client.post("/v1/cases", json=example_a, headers=bearer(reader))
    assert r.status_code == 403 and "'write' scope" in r.json()["detail"]
    assert 'insufficient_scope' in r.headers["www-authenticate"]
    saved = client.post("/v1/cases", json=example_a, headers=bearer(writer))
    assert saved.status_code == 201
    case_id = saved.json()["id"]
    assert client.get(f"/v1/cases/{case_id}", headers=bearer(writer)).status_code == 403
    assert client.get("/v1/cases", headers=bearer(writer)).status_code == 403
    assert client.get(f"/v1/cases/{case_id}", headers=bearer(reader)).status_code == 200


def test_every_create_read_and_list_is_in_the_access_log(
    client: TestClient, store: Store, example_a: dict[str, Any]
) -> None:
    token = store.create_token("nurse", team="unit-a")
    other = store.create_token("visitor", team="unit-b")
    case_id = client.post("/v1/cases", json=example_a, headers=bearer(token)).json()["id"]
    client.get(f"/v1/cases/{case_id}", headers=bearer(token))
    client.get("/v1/cases", headers=bearer(token))
    client.get(f"/v1/cases/{case_id}", headers=bearer(other))
    client.get("/v1/cases/not-a-case-id", headers=bearer(other))
    lines = [(e.token_name, e.team, e.action, e.case_id, e.status)
             for e in store.access_entries()]
    assert lines == [
        ("nurse", "unit-a", "create", case_id, 201),
        ("nurse", "unit-a", "read", case_id, 200),
        ("nurse", "unit-a", "list", None, 200),
        ("visitor", "unit-b", "read", case_id, 404),
        ("visitor", "unit-b", "read", None, 404),
    ]
    # No patient data: the table has no column that could hold any.
    assert set(access_log.c.keys()) == {"id", "at", "token_id", "action", "case_id", "status"}


def test_token_and_audit_commands(tmp_path: Path, example_a: dict[str, Any]) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    made = axilla("token", "--database-url", url, "create", "mdt coordinator", "--team",
                  "unit-a", "--scope", "read", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    store = Store(url)
    try:
        principal = store.principal_of(made.stdout.strip())
        assert principal is not None
        assert (principal.name, principal.team, principal.scopes) == (
            "mdt coordinator", "unit-a", frozenset({"read"}))
        store.record_access(principal.token_id, "read", "f" * 32, 404)
    finally:
        store.close()
    listed = axilla("token", "--database-url", url, "list", cwd=tmp_path)
    assert "team unit-a\tread\t" in listed.stdout
    audit = axilla("audit", "--database-url", url, cwd=tmp_path)
    assert audit.returncode == 0, audit.stderr
    header, line = audit.stdout.strip().splitlines()
    assert header.split("\t")[:3] == ["time (UTC)", "token id", "token name"]
    assert line.split("\t")[1:] == [str(principal.token_id), "mdt coordinator", "unit-a",
                                    "read", "f" * 32, "404"]
    none = axilla("audit", "--database-url", url, "--case", "0" * 32, cwd=tmp_path)
    assert none.stdout.strip().count("\n") == 0
    bad = axilla("token", "--database-url", url, "create", "x", "--scope", "admin",
                 cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "admin" in bad.stderr
    worse = axilla("audit", "--database-url", url, "--since", "yesterday", cwd=tmp_path)
    assert worse.returncode == 2 and "yesterday" in worse.stderr


@pytest.mark.parametrize(("field", "kwargs"), [
    ("team", {"team": ""}), ("team", {"team": "a\nb"}), ("scopes", {"scopes": ()}),
    ("scopes", {"scopes": ("read", "admin")}),
])
def test_token_team_and_scopes_are_checked(store: Store, field: str,
                                           kwargs: dict[str, Any]) -> None:
    from axilla.errors import InputError

    with pytest.raises(InputError) as err:
        store.create_token("nurse", **kwargs)
    assert [p.field for p in err.value.problems] == [field]


def test_upgrade_from_0001_keeps_old_tokens_seeing_old_cases(
    store_url: str, example_a: dict[str, Any]
) -> None:
    """A store made at revision 0001 (no teams): after the upgrade its tokens keep both scopes
    and see the cases stored before."""
    from alembic import command
    from alembic.config import Config

    from axilla.service.store import migrations_path

    old = Store(store_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", migrations_path())
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(sa.text(
            "INSERT INTO api_tokens (name, token_hash, created_at) VALUES "
            "('old nurse', :h, CURRENT_TIMESTAMP)"), {"h": "0" * 64})
        conn.execute(sa.text(
            "INSERT INTO cases (id, created_at, author, input, assessment, input_hash, "
            "model_version, ruleset_version, axilla_version) VALUES (:id, CURRENT_TIMESTAMP, "
            "'old nurse', '{}', '{}', 'h', '3.2', 'r', '0.1.0')"), {"id": "a" * 32})
    old.close()
    store = Store(store_url)
    try:
        assert store.schema_revision() == "0002"
        (token,) = store.list_tokens()
        assert (token.team, token.scopes) == ("default", ("read", "write"))
        assert store.get_case("a" * 32, team=token.team) is not None
        assert store.list_cases(team=token.team)[1] == 1
    finally:
        store.close()


def test_sqlite_files_are_private(tmp_path: Path, example_a: dict[str, Any]) -> None:
    path = tmp_path / "new" / "axilla.db"
    store = Store(f"sqlite:///{path}")
    try:
        store.create_token("nurse")  # writes: the -wal and -shm files exist now
        files = [path, path.with_name("axilla.db-wal"), path.with_name("axilla.db-shm")]
        for f in files:
            assert f.exists(), f
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        store.close()
