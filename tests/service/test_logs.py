"""Logs and headers: no forged log line, no patient value in any log line (a failing database
write included), one access line per request, Cache-Control: no-store on every response that
may hold patient data, and a last-resort 500 that keeps the security headers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from axilla.service.app import create_app
from axilla.service.logs import EscapingFormatter, escape
from axilla.service.settings import Settings
from axilla.service.store import Store


def test_control_characters_in_a_path_cannot_forge_a_log_line(
    client: TestClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="axilla")
    client.get("/v1/cases/x%0A2026-01-01 INFO axilla.service forged%00%1b[31m", headers=auth)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("axilla")]
    (access,) = [m for m in lines if m.startswith("access ")]
    assert "\n" not in access and "\x00" not in access and "\x1b" not in access
    assert "x\\n2026-01-01 INFO axilla.service forged\\x00\\x1b[31m" in access


def test_the_formatter_makes_every_record_one_escaped_line() -> None:
    record = logging.LogRecord("axilla", logging.ERROR, __file__, 1, "a\nb\r\x00\u2028c", (),
                               None)
    line = EscapingFormatter("%(message)s").format(record)
    assert line == "a\\nb\\r\\x00\\u2028c"
    assert escape("x" * 500).endswith("...") and len(escape("x" * 500)) == 203


def test_one_access_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture,
                                     example_a: dict[str, Any], auth: dict[str, str]) -> None:
    caplog.set_level(logging.INFO, logger="axilla")
    client.get("/healthz")
    client.post("/v1/assessments", json=example_a)
    client.post("/v1/cases", json=example_a, headers=auth)
    access = [r.getMessage() for r in caplog.records if r.name == "axilla.service.access"]
    assert len(access) == 3
    assert "path=/healthz status=200" in access[0]
    assert "path=/v1/cases status=201" in access[2] and "token=1" in access[2]
    assert "token=-" in access[0]


def test_no_patient_value_in_logs_when_a_database_write_fails(
    store: Store, example_a: dict[str, Any], caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """The case table is gone: the write fails inside the database driver. The reply is a
    500 with the security headers; neither the log nor the error text holds the case."""
    token = store.create_token("nurse")
    nodes = [dict(n) for n in example_a["nodes"]]
    sized = next(n for n in nodes if n.get("deposit_mm") is not None)
    sized["deposit_mm"] = 1.4837  # a value no timing or counter in a log line would print
    marker = {**example_a, "case_id": "PATIENT-MARKER-7731", "nodes": nodes}
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE cases"))
    caplog.set_level(logging.DEBUG)
    app = create_app(Settings(database_url=store.url), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/v1/cases", json=marker, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 500
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    assert "connection" not in r.headers
    logged = caplog.text + "".join(capfd.readouterr())
    assert "OperationalError" in logged
    assert "PATIENT-MARKER" not in logged and "1.4837" not in logged
    with pytest.raises(sa.exc.OperationalError) as err:
        store.save_case(case=marker, assessment={}, author="a", input_hash="h",
                        model_version="3.2", ruleset_version="r", axilla_version="0.1.0")
    assert "PATIENT-MARKER" not in str(err.value)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"), ("POST", "/assess"), ("POST", "/v1/assessments"), ("GET", "/v1/cases"),
    ("GET", "/healthz"), ("GET", "/nowhere"), ("POST", "/v1/stage"),
])
def test_no_store_on_every_response_that_may_hold_patient_data(
    client: TestClient, auth: dict[str, str], example_a: dict[str, Any], method: str,
    path: str,
) -> None:
    r = client.request(method, path, json=example_a if method == "POST" else None,
                       headers=auth)
    assert r.headers["cache-control"] == "no-store"


def test_packaged_files_may_be_cached(client: TestClient) -> None:
    r = client.get("/static/app.css")
    assert r.status_code == 200 and r.headers.get("cache-control") != "no-store"


def test_an_unexpected_error_is_a_500_with_every_header(store: Store) -> None:
    app = create_app(Settings(database_url=store.url), store=store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret value 54")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.json()["detail"].startswith("internal error (request id ")
    assert "secret" not in r.text
    for header in ("x-content-type-options", "content-security-policy", "x-request-id"):
        assert header in r.headers
    assert r.headers.get("connection") != "close"
