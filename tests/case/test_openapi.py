"""The ranges and codes of the case reach the OpenAPI description served over HTTP, and a
refusal over HTTP names the full dotted path (issue 8: the OpenAPI schema had no bounds)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from axilla.case.codes import FOUND_BY, NODE_SITES  # noqa: E402
from axilla.case.ranges import RANGES  # noqa: E402
from axilla.service.app import create_app  # noqa: E402
from axilla.service.settings import Settings  # noqa: E402
from axilla.service.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(tmp_path: Path):
    store = Store(f"sqlite:///{tmp_path / 'axilla.db'}")
    app = create_app(Settings(database_url=store.url), store=store)
    with TestClient(app) as c:
        yield c
    store.close()


def _plain(node: dict[str, Any]) -> dict[str, Any]:
    while "anyOf" in node:
        node = next(n for n in node["anyOf"] if n.get("type") != "null")
    return node


def test_openapi_carries_the_ranges_and_codes_of_the_case(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    node = schemas["NodeFinding"]["properties"]
    deposit, cells = _plain(node["deposit_mm"]), _plain(node["cells_per_section"])
    r, c = RANGES["nodes.deposit_mm"], RANGES["nodes.cells_per_section"]
    assert (deposit["minimum"], deposit["maximum"]) == (r.lo, r.hi)
    assert (cells["minimum"], cells["maximum"], cells["type"]) == (c.lo, c.hi, "integer")
    assert tuple(node["site"]["enum"]) == NODE_SITES
    assert tuple(node["found_by"]["enum"]) == FOUND_BY
    age = schemas["Patient"]["properties"]["age_years"]
    assert (age["minimum"], age["maximum"]) == (18, 110)
    assert "18 to 110 years" in age["description"]


def test_a_refusal_over_http_names_the_dotted_path(client: TestClient) -> None:
    case = json.loads((ROOT / "examples" / "a_micrometastasis_sentinel.json").read_text())
    case["nodes"][1]["deposit_mm"] = True
    case["tumour"]["grade"] = "3_0"
    response = client.post("/v1/stage", json={k: case[k] for k in ("tumour", "nodes",
                                                                        "procedure")})
    assert response.status_code == 422
    found = {p["field"]: p for p in response.json()["problems"]}
    assert found["nodes.1.deposit_mm"]["value"] is True
    assert "not true/false" in found["nodes.1.deposit_mm"]["reason"]
    assert found["tumour.grade"]["value"] == "3_0"
