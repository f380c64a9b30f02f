"""`axilla fhir import`, `axilla assess --fhir` as subprocesses; the FHIR API and the CDS Hooks
service over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from axilla.case.assessment import parse_case
from axilla.interop.fhir.case_bundle import case_bundle
from support.fhir_bundles import reference_dir

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

from axilla.service.app import create_app  # noqa: E402
from axilla.service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "b_two_macrometastases_sentinel.json"


def axilla(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def example_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fhir") / "bundle.json"
    path.write_text(json.dumps(case_bundle(parse_case(json.loads(EXAMPLE.read_text())))))
    return path


def test_fhir_import_prints_case_and_report(example_bundle, tmp_path):
    done = axilla("fhir", "import", str(example_bundle), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["case"]["case_id"] == "example-b"
    assert out["import_report"]["needs_review"] is False
    text = axilla("fhir", "import", str(example_bundle), cwd=tmp_path)
    assert "Import report:" in text.stdout and "needs review: no" in text.stdout


def test_assess_fhir_writes_a_bundle(example_bundle, tmp_path):
    out = tmp_path / "out.json"
    done = axilla("assess", "--fhir", str(example_bundle), "--fhir-out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Staging: AJCC8: pT2 pN1a(sn) cM0" in done.stdout
    bundle = json.loads(out.read_text())
    assert bundle["resourceType"] == "Bundle"
    assert sum(e["resource"]["resourceType"] == "RiskAssessment" for e in bundle["entry"]) == 6


def test_assess_fhir_on_the_real_bundles(tmp_path):
    ref = reference_dir()
    checker = axilla("assess", "--fhir", str(ref / "external/mcode-coverage-checker/"
                                                    "fullBundle.json"), cwd=tmp_path)
    assert checker.returncode == 0, checker.stderr
    assert "CONFLICT [stage-summary]" in checker.stdout and "NEEDS REVIEW" in checker.stdout
    for name in ("TrialMatching_Patient01.json", "external/ctm-app/TrialMatching_Patient02.json"):
        done = axilla("assess", "--fhir", str(ref / name), "--json", cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "metastatic disease" in done.stderr
        assert json.loads(done.stdout)["assessment"] is None


@pytest.mark.parametrize(("content", "message"), [("{not json", "not valid JSON"),
                                                  ('{"resourceType": 3}', "resourceType")])
def test_bad_bundle_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    for args in (("fhir", "import", str(path)), ("assess", "--fhir", str(path))):
        done = axilla(*args, cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and message in done.stderr


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("db") / "fhir.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", max_body_bytes=512 * 1024))
    with TestClient(app) as c:
        yield c


def test_post_bundle_returns_a_fhir_bundle(client, example_bundle):
    r = client.post("/v1/fhir/assessments", json=json.loads(example_bundle.read_text()))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/fhir+json")
    body = r.json()
    assert body["resourceType"] == "Bundle"
    assert {"GuidanceResponse", "Provenance", "Device"} <= {
        e["resource"]["resourceType"] for e in body["entry"]}


def test_bundle_without_a_case_is_422_naming_each_fact(client):
    data = json.loads((reference_dir() / "external/ctm-app/TrialMatching_Patient02.json"
                       ).read_text())
    r = client.post("/v1/fhir/assessments", json=data)
    assert r.status_code == 422
    fields = [p["field"] for p in r.json()["problems"]]
    assert fields == ["patient.age_years", "tumour.invasive_sizes_mm", "bundle"]


@pytest.mark.parametrize("body", [{"resourceType": 3}, [1, 2], {"resourceType": "Bundle",
                                                                "entry": [{"resource": 1}]}])
def test_non_fhir_bodies_are_422(client, body):
    r = client.post("/v1/fhir/assessments", json=body)
    assert r.status_code == 422 and r.json()["problems"]


def test_cds_discovery(client):
    r = client.get("/cds-services")
    assert r.status_code == 200
    (service,) = r.json()["services"]
    assert (service["hook"], service["id"]) == ("patient-view", "axilla-breast-assessment")
    assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    assert "http://loinc.org|85337-4" in service["prefetch"]["observations"]


def hook(prefetch: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"hook": "patient-view", "hookInstance": "d1577c69",
                            "context": {"userId": "Practitioner/1", "patientId": "patient"}}
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def as_prefetch(bundle: dict[str, Any]) -> dict[str, Any]:
    resources = [e["resource"] for e in bundle["entry"]]
    return {"patient": resources[0], "rest": {"resourceType": "Bundle", "type": "searchset",
                                              "entry": [{"resource": r} for r in resources[1:]]}}


def test_patient_view_cards(client, example_bundle):
    r = client.post("/cds-services/axilla-breast-assessment",
                    json=hook(as_prefetch(json.loads(example_bundle.read_text()))))
    assert r.status_code == 200
    cards = r.json()["cards"]
    assert cards[0]["summary"].startswith("pT2 pN1a(sn) cM0 — anatomic IIB, prognostic IIA")
    assert cards[1]["summary"].startswith("PREDICT v")
    assert "| Treatments | 5 y | 10 y | 15 y |" in cards[1]["detail"]
    nice = cards[2:]
    assert nice and all(c["source"]["label"].startswith("NICE") for c in nice)
    assert all(c["source"]["topic"]["code"] for c in nice)
    for c in cards:
        assert len(c["summary"]) < 140 and c["indicator"] in ("info", "warning", "critical")
        assert c["uuid"] and c["source"]["label"]
    assert len({c["uuid"] for c in cards}) == len(cards)


def test_patient_view_on_a_metastatic_record_says_why(client):
    data = json.loads((reference_dir() / "TrialMatching_Patient01.json").read_text())
    r = client.post("/cds-services/axilla-breast-assessment", json=hook(as_prefetch(data)))
    assert r.status_code == 200
    (card,) = r.json()["cards"]
    assert card["indicator"] == "warning" and "metastatic disease" in card["detail"]


def test_patient_view_without_prefetch_is_412_and_wrong_hook_422(client):
    assert client.post("/cds-services/axilla-breast-assessment",
                       json=hook(None)).status_code == 412
    wrong = hook({"patient": {"resourceType": "Patient", "id": "x"}})
    wrong["hook"] = "order-select"
    assert client.post("/cds-services/axilla-breast-assessment", json=wrong).status_code == 422


def test_codesystem_is_served(client):
    r = client.get("/v1/fhir/CodeSystem/axilla")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/fhir+json")
    body = r.json()
    assert body["resourceType"] == "CodeSystem"
    assert body["url"] == "https://axilla.example.org/fhir/CodeSystem/axilla"
    assert {"micrometastasis", "PA-01"} <= {c["code"] for c in body["concept"]}


def test_without_the_fhir_extra_the_export_says_what_to_install(monkeypatch, example_bundle,
                                                                 client, capsys, tmp_path):
    from axilla.cli.fhir import assess_fhir
    from axilla.interop.fhir import resources

    def missing() -> None:
        raise ModuleNotFoundError("No module named 'fhir'", name="fhir")

    monkeypatch.setattr(resources, "require_models", missing)
    assert assess_fhir(example_bundle, tmp_path / "out.json") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'axilla[fhir]'" in err
    r = client.post("/v1/fhir/assessments", json=json.loads(example_bundle.read_text()))
    assert r.status_code == 501 and "fhir extra" in r.json()["detail"]
