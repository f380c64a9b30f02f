"""The assessment request path kept lean (issue 12): replies equal, byte for byte, the
assessment computed in-process; strict parsing skips its second walk only when there is
nothing to report; refusals stay 422 naming field, value and what is allowed; server processes
start with the collector set for requests."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import assess
from axilla.errors import InputError
from axilla.service import fast
from axilla.service.api import ASSESSMENT_JSON, assessment_json
from axilla.service.strict import loads_strict

from .conftest import EXAMPLES, Server

EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.json"))


def in_process(case: dict[str, Any]) -> bytes:
    """The library's own serialisation of the assessment (the reference for the API)."""
    return assess(case).model_dump_json().encode()


@pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=lambda p: p.stem)
def test_reply_is_the_in_process_assessment(client: TestClient, path: Path) -> None:
    case = json.loads(path.read_text("utf-8"))
    r = client.post("/v1/assessments", json=case)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    expected = in_process(case)
    assert r.json() == json.loads(expected)
    assert r.content == expected
    assert int(r.headers["content-length"]) == len(expected)


def test_assessment_json_is_model_dump_json(example_a: dict[str, Any]) -> None:
    from axilla.case.assessment import parse_case

    case = parse_case(example_a)
    a = assess(case)
    assert ASSESSMENT_JSON.dump_json(a) == a.model_dump_json().encode()
    assert assessment_json(case) == a.model_dump_json().encode()


def test_real_server_replies_equal_in_process(serve: Callable[..., Server]) -> None:
    server = serve(None, "--workers", "2")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        for path in EXAMPLE_PATHS:
            case = json.loads(path.read_text("utf-8"))
            r = http.post("/v1/assessments", json=case)
            assert r.status_code == 200, path.name
            assert r.json() == json.loads(in_process(case)), path.name
        bad = json.loads(EXAMPLE_PATHS[0].read_text("utf-8"))
        bad["patient"]["age_years"] = 7
        r = http.post("/v1/assessments", json=bad)
        assert r.status_code == 422
        (problem,) = r.json()["problems"]
        assert problem["field"] == "patient.age_years" and problem["value"] == 7
        assert problem["reason"]
        health = http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"


# --- the direct path and the route answer alike -----------------------------------------------


def answers(client: TestClient, monkeypatch: pytest.MonkeyPatch, direct: bool, path: str,
            content: bytes, content_type: str = "application/json") -> tuple[Any, ...]:
    """(status, headers but the request id, body) of one request, with the direct path on or
    declining everything (so the route answers)."""
    taken: list[bool] = []
    real = fast.answer

    async def watched(*args: Any) -> bytes | None:
        reply = await real(*args) if direct else None
        taken.append(reply is not None)
        return reply

    monkeypatch.setattr(fast, "answer", watched)
    r = client.post(path, content=content, headers={"Content-Type": content_type})
    monkeypatch.setattr(fast, "answer", real)
    headers = sorted((k, v) for k, v in r.headers.items() if k != "x-request-id")
    return r.status_code, headers, r.content, any(taken)


def test_direct_path_answers_a_valid_case_as_the_route_does(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, example_a: dict[str, Any]) -> None:
    body = json.dumps(example_a).encode()
    *direct, taken = answers(client, monkeypatch, True, "/v1/assessments", body)
    *route, _ = answers(client, monkeypatch, False, "/v1/assessments", body)
    assert taken and direct == route and direct[0] == 200


REQUESTS = [  # (query, content type, body edit, status): each answered by the route, as before
    ("", "application/json", lambda c: c | {"patient": {"age_years": 7}}, 422),
    ("", "application/json", lambda c: c | {"guidance_facts": {"no_such_fact": True}}, 422),
    ("", "application/json", lambda c: c | {"nodes": "none"}, 422),
    ("?predict_version=v0", "application/json", lambda c: c, 422),
    ("?predict_version=", "application/json", lambda c: c, 422),
    ("?other=1", "application/json", lambda c: c, 422),
    ("?predict_version=v3.0&predict_version=v3.0", "application/json", lambda c: c, 200),
    ("", "text/plain", lambda c: c, 422),
    ("", "application/json", lambda c: [c], 422),
]


@pytest.mark.parametrize("query,content_type,edit,status", REQUESTS)
def test_every_other_request_is_answered_by_the_route(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, example_a: dict[str, Any],
        query: str, content_type: str, edit: Callable[[Any], Any], status: int) -> None:
    body = json.dumps(edit(example_a)).encode()
    path = "/v1/assessments" + query
    *direct, taken = answers(client, monkeypatch, True, path, body, content_type)
    *route, _ = answers(client, monkeypatch, False, path, body, content_type)
    assert not taken and direct == route
    assert direct[0] == status, direct[2][:200]


def test_body_that_is_not_json_is_still_400(client: TestClient) -> None:
    r = client.post("/v1/assessments", content=b'{"patient": ',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["detail"].startswith("malformed JSON")


values = st.none() | st.booleans() | st.integers(-5, 400) | st.floats(-1, 200) | \
    st.sampled_from(["", "positive", "negative", "sentinel", "macro", "x"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the app is stateless
@given(section=st.sampled_from(["patient", "tumour", "procedure"]), name=st.sampled_from(
    ["age_years", "grade", "er", "her2", "kind", "nodes_removed", "invasive_sizes_mm",
     "menopausal"]), value=values)
def test_direct_path_and_route_agree_on_any_edit(
        client: TestClient, example_a: dict[str, Any], section: str, name: str,
        value: Any) -> None:
    case = json.loads(json.dumps(example_a))
    case.setdefault(section, {})[name] = value
    body = json.dumps(case).encode()
    with pytest.MonkeyPatch.context() as mp:
        *direct, taken = answers(client, mp, True, "/v1/assessments", body)
        *route, _ = answers(client, mp, False, "/v1/assessments", body)
    assert direct == route
    assert taken == (direct[0] == 200)


# --- strict parsing: the fast return and the walk ---------------------------------------------

names = st.text(st.characters(codec="utf-8"), max_size=6)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | names,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_loads_strict_equals_json_loads_without_duplicates(doc: Any) -> None:
    body = json.dumps(doc).encode()
    assert loads_strict(body) == json.loads(body)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from("abc"), min_size=2, max_size=5), st.integers(0, 3))
def test_a_duplicate_at_any_depth_is_named(keys: list[str], depth: int) -> None:
    inner = "{" + ",".join(f'"{k}": {i}' for i, k in enumerate(keys)) + "}"
    body = inner
    for _ in range(depth):
        body = '{"x": [' + body + "]}"
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if not repeated:
        assert loads_strict(body.encode()) is not None
        return
    with pytest.raises(InputError) as caught:
        loads_strict(body.encode())
    prefix = "x.0." * depth
    assert sorted(p.field for p in caught.value.problems) == [prefix + k for k in repeated]
    assert all("more than once" in p.reason for p in caught.value.problems)


def test_lone_surrogate_in_a_name_and_a_value_are_both_named() -> None:
    with pytest.raises(InputError) as caught:
        loads_strict(b'{"a": {"\\ud800": 1, "b": "x\\udc00"}}')
    fields = [p.field for p in caught.value.problems]
    assert fields == ["a", "a.b"]
    assert all("lone surrogate" in p.reason for p in caught.value.problems)


def test_duplicate_names_over_http_are_422_naming_the_field(client: TestClient,
                                                            example_a: dict[str, Any]) -> None:
    body = json.dumps(example_a)[:-1] + ', "case_id": "x", "case_id": "y"}'
    r = client.post("/v1/assessments", content=body,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    (problem,) = r.json()["problems"]
    assert problem["field"] == "case_id" and "more than once" in problem["reason"]


# --- server processes ---------------------------------------------------------------------------


def test_warm_up_freezes_start_up_objects_and_raises_the_young_threshold() -> None:
    code = ("import gc; from axilla.service.app import warm_up, YOUNG_GC_THRESHOLD as T; "
            "warm_up(); print(gc.get_threshold()[0] == T, gc.get_freeze_count() > 10000)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
