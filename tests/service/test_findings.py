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
