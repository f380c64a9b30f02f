"""The ranges reach every reader: the assessment JSON and its schema, the CLI, the API's predict
endpoint and the results page (a user picks PREDICT 2.1 with the form's predict_version)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from service.test_pages import FORM_A

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_A = ROOT / "examples" / "a_micrometastasis_sentinel.json"
LABEL = "95% range (PREDICT 2.x web tool)"
CELL = re.compile(r"<td>(\d+\.\d) \((\d+\.\d)\u2011(\d+\.\d)\)</td>")


def _axilla(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, timeout=180, env={"COLUMNS": "200", "PATH": ""})


def test_the_schema_names_the_fields():
    schema = json.loads((ROOT / "docs" / "assessment.schema.json").read_text())
    fields = schema["$defs"]["TreatmentBenefit"]["properties"]
    for name in ("benefit_low_pp", "benefit_high_pp"):
        assert "predict-v21-main" in fields["benefit_low_pp"]["description"]
        assert {"type": "null"} in fields[name]["anyOf"]


def test_the_assessment_json_carries_the_range_for_2_1_and_null_for_3_2():
    done = _axilla("assess", str(EXAMPLE_A), "--json", "--predict-version", "2.1")
    assert done.returncode == 0, done.stderr
    benefits = json.loads(done.stdout)["predict"]["result"]["benefits"]
    endocrine = next(b for b in benefits if b["letter"] == "h")
    assert endocrine["chosen"]
    low, mid, high = (endocrine[k]["10"] for k in ("benefit_low_pp", "benefit_pp",
                                                   "benefit_high_pp"))
    assert 0 < low < mid < high
    assert all(b["benefit_low_pp"] is None for b in benefits if not b["chosen"])
    default = json.loads(_axilla("assess", str(EXAMPLE_A), "--json").stdout)
    assert all(b["benefit_low_pp"] is None and b["benefit_high_pp"] is None
               for b in default["predict"]["result"]["benefits"])


def test_the_terminal_shows_the_range_and_its_label():
    out = _axilla("assess", str(EXAMPLE_A), "--predict-version", "2.1").stdout
    assert re.search(r"\d+\.\d \(\d+\.\d\u2011\d+\.\d\)", out)
    assert LABEL in " ".join(out.split())


def test_the_api_predict_endpoint_gives_the_range(client: TestClient):
    body = {"age": 54, "size": 18, "nodes": 0.5, "grade": 2, "er": 1, "her2": 0,
            "horm": 1, "bis": 1}
    r = client.post("/v1/predict?version=2.1", json=body)
    assert r.status_code == 200, r.text
    bis = next(b for b in r.json()["benefits"] if b["letter"] == "b")
    assert bis["benefit_low_pp"]["10"] < bis["benefit_pp"]["10"] < bis["benefit_high_pp"]["10"]


def test_the_page_shows_low_high_beside_each_chosen_benefit_for_2_1(client: TestClient):
    r = client.post("/assess", data=FORM_A | {"predict_version": "2.1"})
    assert r.status_code == 200, r.text[:500]
    assert LABEL in r.text
    cells = CELL.findall(r.text)
    assert len(cells) == 2 * 3  # endocrine therapy and bisphosphonates, at 5, 10 and 15 years
    for mid, low, high in cells:
        assert float(low) <= float(mid) <= float(high)


def test_the_page_says_3_2_defines_no_range(client: TestClient):
    r = client.post("/assess", data=FORM_A)
    assert r.status_code == 200
    assert "PREDICT 3.2 gives no range for these numbers." in r.text
    assert not CELL.search(r.text) and LABEL not in r.text
