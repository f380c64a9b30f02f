"""The REST API over HTTP (FastAPI test client): every endpoint, bad input, body limits,
tokens. Expected clinical values are those of the specs (AJCC 8th: 18 mm -> T1c; one 1.2 mm
sentinel deposit -> pN1mi(sn); T1 N1mi M0 -> anatomic IB) and NICE NG101 1.4.14."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.guidance import RULESET_VERSION
from axilla.models.predict import CURRENT_VERSION, available_versions
from axilla.service.store import Store

PREDICT_A = {"age": 54, "size": 18, "nodes": 0.5, "grade": 2, "er": 1, "pr": 1, "her2": 0,
             "horm": 1, "radio": 1, "bis": 1}


def staging_case(example: dict[str, Any]) -> dict[str, Any]:
    return {k: example[k] for k in ("tumour", "nodes", "procedure", "m")}


def problems(r: Any) -> dict[str, dict[str, Any]]:
    body = r.json()
    assert set(body) == {"detail", "problems"}
    return {p["field"]: p for p in body["problems"]}


# --- health and headers ----------------------------------------------------------------------


def test_healthz_reports_database(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": "0.1.0", "database": "ok"}


@pytest.mark.parametrize("path", ["/healthz", "/", "/v1/models", "/nowhere"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-request-id"]


def test_unknown_route_is_404_json(client: TestClient) -> None:
    r = client.get("/v1/nothing")
    assert r.status_code == 404 and r.json()["detail"]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/v1/assessments", "/v1/predict", "/v1/stage", "/v1/models", "/v1/rules",
              "/v1/cases", "/v1/cases/{case_id}", "/healthz"):
        assert p in paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text
    assert "<script>" not in docs.text


# --- /v1/predict -----------------------------------------------------------------------------


def test_predict_current_version(client: TestClient) -> None:
    r = client.post("/v1/predict", json=PREDICT_A)
    assert r.status_code == 200
    body = r.json()
    assert body["model"]["version"] == CURRENT_VERSION and body["model"]["current"] is True
    assert body["model"]["source"]
    os10 = body["surgery_only"]["overall_survival_pct"]["10"]
    assert 0 < os10 < 100
    chosen = {b["treatment"] for b in body["benefits"] if b["chosen"]}
    assert {"radiotherapy", "bisphosphonates"} <= chosen
    assert not any(b["chosen"] for b in body["benefits"] if b["letter"] == "c")


def test_predict_other_version(client: TestClient) -> None:
    r = client.post("/v1/predict?version=2.2", json=PREDICT_A)
    assert r.status_code == 200 and r.json()["model"]["version"] == "2.2"


def test_predict_refuses_out_of_range_values_naming_each_field(client: TestClient) -> None:
    r = client.post("/v1/predict", json={**PREDICT_A, "age": 120, "nodes": 0.7})
    assert r.status_code == 422
    found = problems(r)
    assert found["age"]["value"] == 120 and "25 to 85" in found["age"]["reason"]
    assert found["nodes"]["value"] == 0.7 and "0.5" in found["nodes"]["reason"]


def test_predict_missing_and_unknown_fields(client: TestClient) -> None:
    body = {k: v for k, v in PREDICT_A.items() if k != "er"} | {"colour": "blue"}
    found = problems(client.post("/v1/predict", json=body))
    assert "er" in found and "colour" in found


def test_predict_unknown_version(client: TestClient) -> None:
    r = client.post("/v1/predict?version=9.9", json=PREDICT_A)
    assert r.status_code == 422
    p = problems(r)["version"]
    assert p["value"] == "9.9" and CURRENT_VERSION in p["reason"]


# --- /v1/stage -------------------------------------------------------------------------------


def test_stage_example_a(client: TestClient, example_a: dict[str, Any]) -> None:
    r = client.post("/v1/stage", json=staging_case(example_a))
    assert r.status_code == 200
    body = r.json()
    assert body["pT"]["display"] == "pT1c"
    assert body["pN"]["display"] == "pN1mi(sn)"
    assert body["anatomic_stage"] == "IB"
    assert [n["category"] for n in body["nodes"]] == ["micro", "neg"]
    assert any(r.startswith("pN1mi") for r in body["reasons"])


def test_stage_options_as_query(client: TestClient, example_a: dict[str, Any]) -> None:
    case = staging_case(example_a)
    case["procedure"] = {"kind": "dissection"}
    case["nodes"] = [{"found_by": "dissection", "deposit_mm": 1.0} for _ in range(4)]
    default = client.post("/v1/stage", json=case).json()["pN"]["display"]
    by_count = client.post("/v1/stage?micro_only_four_or_more=by_count", json=case)
    assert default == "pN1mi"
    assert by_count.json()["pN"]["display"] == "pN2a"
    bad = client.post("/v1/stage?micro_only_four_or_more=sometimes", json=case)
    assert bad.status_code == 422 and "query.micro_only_four_or_more" in problems(bad)


def test_stage_refusals_name_node_fields(client: TestClient, example_a: dict[str, Any]) -> None:
    case = staging_case(example_a)
    case["nodes"] = [{"found_by": "sentinel", "deposit_mm": -1},
                     {"found_by": "sentinel", "tumour_present": False, "deposit_mm": 3}]
    found = problems(client.post("/v1/stage", json=case))
    assert found["nodes.0.deposit_mm"]["value"] == -1
    assert found["nodes.1.deposit_mm"]["value"] == 3
    assert "negative" in found["nodes.1.deposit_mm"]["reason"]


# --- provenance ------------------------------------------------------------------------------


def test_models_lists_versions_with_sources(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert [v["id"] for v in body["predict"]] == list(available_versions())
    assert body["predict_current"] == CURRENT_VERSION
    assert all(v["source"] and v["dated"] for v in body["predict"])
    assert [v["id"] for v in body["predict"] if v["current"]] == [CURRENT_VERSION]
    assert {i["id"] for i in body["indices"]} == {"npi", "cts5", "vnpi"}
    assert all("et al." in i["source"] or "Silverstein" in i["source"] for i in body["indices"])


def test_rules_carry_citations(client: TestClient) -> None:
    body = client.get("/v1/rules").json()
    assert body["version"] == RULESET_VERSION
    assert body["rules"] and all(r["cite"] and r["citation"]["guideline"] for r in body["rules"])
    ax08 = next(r for r in body["rules"] if r["id"] == "AX-08")
    assert ax08["topic"] == "axilla" and "1.4.14" in ax08["cite"]
    assert len({r["id"] for r in body["rules"]}) == len(body["rules"])


# --- /v1/assessments -------------------------------------------------------------------------


def test_assessment_example_a(client: TestClient, example_a: dict[str, Any]) -> None:
    r = client.post("/v1/assessments", json=example_a)
    assert r.status_code == 200
    a = r.json()
    assert a["staging"]["pN"]["display"] == "pN1mi(sn)"
    assert a["provenance"]["ruleset_version"] == RULESET_VERSION
    assert a["provenance"]["predict_version"] == CURRENT_VERSION
    assert a["predict"]["inputs"]["nodes"] == 0.5  # one micrometastatic node (web tool rule)
    ids = [rec["id"] for rec in a["guidance"]["recommendations"]]
    assert "AX-08" in ids  # NG101 1.4.14: no further axillary treatment for micrometastases
    assert a["charts"]["icon_array_svg"].lstrip().startswith("<svg")
    assert all(e["clinician"] and e["patient"] for e in a["explanations"])


def test_assessment_refusals(client: TestClient, example_a: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(example_a))
    bad["patient"]["age_years"] = 7
    bad["nodes"][0]["deposit_mm"] = 900
    bad["tumour"]["grade"] = 5
    r = client.post("/v1/assessments", json=bad)
    assert r.status_code == 422
    found = problems(r)
    assert found["patient.age_years"]["value"] == 7
    assert found["nodes.0.deposit_mm"]["value"] == 900
    assert found["tumour.grade"]["value"] == 5


@pytest.mark.parametrize("body", [[], "case", 3, None])
def test_assessment_body_must_be_an_object(client: TestClient, body: Any) -> None:
    r = client.post("/v1/assessments", json=body)
    assert r.status_code == 422


@pytest.mark.parametrize("path", ["/v1/assessments", "/v1/predict", "/v1/stage", "/v1/cases"])
def test_malformed_json_is_400(client: TestClient, auth: dict[str, str], path: str) -> None:
    r = client.post(path, content=b'{"patient": {"age_years": 54,',
                    headers={"content-type": "application/json", **auth})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("malformed JSON")


@pytest.mark.parametrize("path", ["/v1/assessments", "/v1/predict", "/v1/cases", "/assess"])
def test_oversize_body_is_413(client: TestClient, auth: dict[str, str], path: str) -> None:
    big = b'{"pad": "' + b"x" * (64 * 1024) + b'"}'
    r = client.post(path, content=big, headers={"content-type": "application/json", **auth})
    assert r.status_code == 413


def test_oversize_streamed_body_without_length_is_413(client: TestClient) -> None:
    def chunks():
        for _ in range(80):
            yield b"x" * 1024

    r = client.post("/v1/assessments", content=chunks(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["patient", "tumour", "nodes", "procedure", "age_years", "x"]), inner,
        max_size=4),
    max_leaves=12))
def test_errors_are_never_200(client: TestClient, body: Any) -> None:
    r = client.post("/v1/assessments", json=body)
    assert r.status_code in (200, 422)
    if r.status_code == 422:
        assert r.json()["problems"]
    else:
        assert "staging" in r.json()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(client: TestClient, literal: str) -> None:
    body = '{"age": ' + literal + ', "size": 18, "nodes": 0, "er": 1}'
    r = client.post("/v1/predict", content=body, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422)
    if r.status_code == 422:
        assert problems(r)["age"]["value"] in ("nan", "inf", "-inf")


# --- stored cases ----------------------------------------------------------------------------


def test_cases_need_a_token(client: TestClient, example_a: dict[str, Any]) -> None:
    for method, path in (("post", "/v1/cases"), ("get", "/v1/cases"), ("get", "/v1/cases/x")):
        r = client.request(method.upper(), path, json=example_a if method == "post" else None)
        assert r.status_code == 401, path
        assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Token abc", "Bearer", "Basic dXNlcjpw"])
def test_cases_refuse_bad_tokens(client: TestClient, example_a: dict[str, Any],
                                 header: str) -> None:
    r = client.post("/v1/cases", json=example_a, headers={"Authorization": header})
    assert r.status_code == 401


def test_revoked_token_is_refused(client: TestClient, store: Store, auth: dict[str, str]
                                  ) -> None:
    assert client.get("/v1/cases", headers=auth).status_code == 200
    store.revoke_tokens("breast care nurse")
    assert client.get("/v1/cases", headers=auth).status_code == 401


def test_compute_endpoints_need_no_token(client: TestClient, example_a: dict[str, Any]) -> None:
    assert client.post("/v1/assessments", json=example_a).status_code == 200


def test_save_and_read_a_case(client: TestClient, auth: dict[str, str],
                              example_a: dict[str, Any]) -> None:
    r = client.post("/v1/cases", json=example_a, headers=auth)
    assert r.status_code == 201
    saved = r.json()
    assert r.headers["location"] == f"/v1/cases/{saved['id']}"
    assert saved["author"] == "breast care nurse"
    assert saved["model_version"] == CURRENT_VERSION
    assert saved["ruleset_version"] == RULESET_VERSION
    assert saved["case"]["patient"]["age_years"] == 54
    got = client.get(f"/v1/cases/{saved['id']}", headers=auth)
    assert got.status_code == 200
    assert got.json() == saved
    fresh = client.post("/v1/assessments", json=example_a).json()
    assert got.json()["assessment"] == fresh
    assert got.json()["input_sha256"] == fresh["provenance"]["input_sha256"]


def test_saving_refused_input_stores_nothing(client: TestClient, auth: dict[str, str],
                                            example_a: dict[str, Any]) -> None:
    bad = {**example_a, "m": "cM9"}
    r = client.post("/v1/cases", json=bad, headers=auth)
    assert r.status_code == 422 and "m" in problems(r)
    assert client.get("/v1/cases", headers=auth).json()["total"] == 0


def test_list_cases_pages_newest_first(client: TestClient, auth: dict[str, str],
                                       example_a: dict[str, Any]) -> None:
    ids = []
    for i in range(5):
        ids.append(client.post("/v1/cases", json={**example_a, "case_id": f"c{i}"},
                               headers=auth).json()["id"])
    first = client.get("/v1/cases?limit=2", headers=auth).json()
    rest = client.get("/v1/cases?limit=2&offset=2", headers=auth).json()
    last = client.get("/v1/cases?limit=2&offset=4", headers=auth).json()
    assert first["total"] == 5 and first["limit"] == 2 and first["offset"] == 0
    listed = [c["id"] for c in first["items"] + rest["items"] + last["items"]]
    assert listed == ids[::-1]
    assert set(first["items"][0]) == {"id", "created_at", "author", "model_version",
                                      "ruleset_version", "axilla_version"}
    assert client.get("/v1/cases?limit=0", headers=auth).status_code == 422
    assert client.get("/v1/cases?offset=-1", headers=auth).status_code == 422


def test_unknown_case_is_404(client: TestClient, auth: dict[str, str]) -> None:
    r = client.get("/v1/cases/0123456789abcdef0123456789abcdef", headers=auth)
    assert r.status_code == 404


def test_logs_hold_ids_and_timings_not_patient_data(
    client: TestClient, auth: dict[str, str], example_a: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    case = {**example_a, "case_id": "HOSPNO-998877",
            "patient": {**example_a["patient"], "age_years": 54.375}}
    with caplog.at_level(logging.DEBUG):
        saved = client.post("/v1/cases", json=case, headers=auth).json()
        client.get(f"/v1/cases/{saved['id']}", headers=auth)
        client.post("/v1/assessments", json={**case, "m": "bad"})
        client.post("/v1/predict", json={"age": 54.375})
    text = caplog.text
    assert "path=/v1/cases" in text and "ms=" in text
    for secret in ("HOSPNO", "998877", "54.375", "sentinel", auth["Authorization"][7:]):
        assert secret not in text
