"""Regression tests of the hostile-client findings: each input here gave a 500 or a traceback
before, and must now be refused with a 4xx naming field, value and what is allowed."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from axilla.service.app import create_app
from axilla.service.settings import Settings
from axilla.service.store import Store

COMPUTE_AND_STORE = ("/v1/assessments", "/v1/cases")


def no_procedure(example: dict[str, Any]) -> dict[str, Any]:
    """Two excised sentinel nodes listed, but the axillary procedure given as none."""
    case = copy.deepcopy(example)
    case["procedure"] = {"kind": "none"}
    return case


def fewer_removed(example: dict[str, Any]) -> dict[str, Any]:
    """Two excised node rows, but only one node removed."""
    case = copy.deepcopy(example)
    case["procedure"]["nodes_removed"] = 1
    return case


INCONSISTENT = {
    "no_procedure": (no_procedure, "procedure.kind", "none"),
    "fewer_removed": (fewer_removed, "procedure.nodes_removed", 1),
}


@pytest.mark.parametrize("path", COMPUTE_AND_STORE)
@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_procedure_inconsistent_with_nodes_is_422(
    client: TestClient, auth: dict[str, str], example_a: dict[str, Any], path: str, name: str
) -> None:
    make, field, value = INCONSISTENT[name]
    r = client.post(path, json=make(example_a), headers=auth)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert problem["field"] == field and problem["value"] == value
    assert "excised" in problem["reason"]


@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_procedure_inconsistent_with_nodes_cli_one_line(
    tmp_path: Path, example_a: dict[str, Any], name: str
) -> None:
    make, field, _ = INCONSISTENT[name]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(make(example_a)), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "axilla", "assess", str(path)], text=True,
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert field in done.stderr


# --- bodies, query strings and paths that gave 500 --------------------------------------------

POST_ENDPOINTS = ("/v1/assessments", "/v1/predict", "/v1/stage", "/v1/cases")


@pytest.mark.parametrize("path", POST_ENDPOINTS)
def test_lone_surrogate_is_refused_not_500(client: TestClient, path: str) -> None:
    body = '{"patient": {"age_years": "\\ud800"}, "age": "\\udfff"}'
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    fields = {p["field"]: p for p in r.json()["problems"]}
    assert set(fields) == {"patient.age_years", "age"}
    assert fields["patient.age_years"]["value"] == "\\ud800"
    assert "surrogate" in fields["age"]["reason"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_surrogate_pair_is_a_character_not_a_refusal(client: TestClient,
                                                     example_a: dict[str, Any]) -> None:
    body = json.dumps({**example_a, "case_id": "\U0001f600"})  # sent as a \\ud83d\\ude00 pair
    assert "\\ud83d\\ude00" in body
    r = client.post("/v1/assessments", content=body,
                    headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("offset", ["9223372036854775808", "1000000001", "-1"])
def test_huge_offsets_are_refused(client: TestClient, auth: dict[str, str], offset: str) -> None:
    r = client.get(f"/v1/cases?offset={offset}", headers=auth)
    assert r.status_code == 422, r.text
    assert [p["field"] for p in r.json()["problems"]] == ["query.offset"]


@pytest.mark.parametrize("case_id", ["%00", "x%0Afake", "%ED%A0%80", "A" * 32, "0" * 31])
def test_ids_that_cannot_name_a_case_are_404_on_both_backends(
    store_url: str, case_id: str
) -> None:
    store = Store(store_url)
    token = store.create_token("nurse")
    try:
        with TestClient(create_app(Settings(database_url=store_url), store=store)) as c:
            r = c.get(f"/v1/cases/{case_id}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 404, r.text
        assert "\n" not in r.text and "fake" not in r.text
    finally:
        store.close()


# --- strict JSON and query strings -----------------------------------------------------------


def test_duplicate_names_are_refused_naming_the_name(client: TestClient) -> None:
    body = '{"patient": {"age_years": 54, "age_years": 80}, "m": "cM0", "m": "cM1"}'
    r = client.post("/v1/assessments", content=body,
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    fields = [p["field"] for p in r.json()["problems"]]
    assert fields == ["m", "patient.age_years"]
    assert all("more than once" in p["reason"] for p in r.json()["problems"])


@pytest.mark.parametrize(("path", "query", "field"), [
    ("/v1/assessments", "version=2.1", "query.version"),
    ("/v1/predict", "predict_version=2.1", "query.predict_version"),
    ("/v1/stage", "edition=7", "query.edition"),
    ("/v1/models", "x=1", "query.x"),
])
def test_unknown_query_parameters_are_refused(client: TestClient, example_a: dict[str, Any],
                                              path: str, query: str, field: str) -> None:
    body = {"/v1/predict": {"age": 54, "size": 18, "nodes": 0, "grade": 2, "er": 1},
            "/v1/stage": {k: example_a[k] for k in ("tumour", "nodes", "procedure", "m")}
            }.get(path, example_a)
    r = (client.get(f"{path}?{query}") if path == "/v1/models"
         else client.post(f"{path}?{query}", json=body))
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert problem["field"] == field and "unknown query parameter" in problem["reason"]


def test_known_query_parameters_still_work(client: TestClient, example_a: dict[str, Any]
                                           ) -> None:
    r = client.post("/v1/assessments?predict_version=2.1", json=example_a)
    assert r.status_code == 200
    assert r.json()["provenance"]["predict_version"] == "2.1"


def test_a_flood_of_unknown_fact_names_is_refused_small(store: Store,
                                                        example_a: dict[str, Any]) -> None:
    """The 258 KB body of unknown fact names: refused before parsing, ten names listed."""
    facts = {f"made_up_fact_{i:05d}": True for i in range(9000)}
    body = json.dumps({**example_a, "guidance_facts": facts})
    assert len(body) > 250_000
    app = create_app(Settings(database_url=store.url, max_body_bytes=512 * 1024), store=store)
    with TestClient(app) as c:
        r = c.post("/v1/assessments", content=body,
                   headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    problems = r.json()["problems"]
    assert len(problems) == 11 and len(r.content) < 5_000
    assert problems[0]["field"] == "guidance_facts.made_up_fact_00000"
    assert "unknown fact name" in problems[0]["reason"]
    assert "9000 unknown fact names in all" in problems[-1]["reason"]


def test_known_fact_names_pass_the_early_check(client: TestClient,
                                               example_a: dict[str, Any]) -> None:
    r = client.post("/v1/assessments", json={**example_a, "guidance_facts": {"axillary_us":
                                                                            "normal"}})
    assert r.status_code in (200, 422)
    if r.status_code == 422:  # a value problem, never an unknown name
        assert all("unknown fact name" not in p["reason"] for p in r.json()["problems"])


def test_nul_characters_in_a_stored_case_on_both_backends(store_url: str,
                                                           example_a: dict[str, Any]) -> None:
    """NUL cannot be stored in PostgreSQL text: a case id holding one is stored (JSON escapes
    it) and read back unchanged, never a 500."""
    store = Store(store_url)
    token = store.create_token("nurse")
    auth = {"Authorization": f"Bearer {token}"}
    try:
        with TestClient(create_app(Settings(database_url=store_url), store=store)) as c:
            saved = c.post("/v1/cases", json={**example_a, "case_id": "a\u0000b"}, headers=auth)
            assert saved.status_code in (201, 422), saved.text
            if saved.status_code == 201:
                got = c.get(f"/v1/cases/{saved.json()['id']}", headers=auth)
                assert got.json()["case"]["case_id"] == "a\u0000b"
    finally:
        store.close()


@pytest.mark.parametrize(("content", "words"), [
    (b"\xff\xfe{", "not UTF-8"), (b"[" * 100_000 + b"]" * 100_000, "nested too deeply")])
def test_unreadable_case_files_are_one_line_not_a_traceback(tmp_path: Path, content: bytes,
                                                            words: str) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(content)
    done = subprocess.run([sys.executable, "-m", "axilla", "assess", str(path)], text=True,
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-300:]
    assert words in done.stderr
