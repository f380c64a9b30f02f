"""The web pages over HTTP: labels on every input, no inline script, the form for example (a),
inline messages for refused fields, the patient and print views."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from axilla.explain import GLOSSARY_TERMS

#: Example (a) of the assessment issue as a nurse would type it into the form.
FORM_A = {
    "patient.age_years": "54", "patient.sex": "female", "patient.menopausal_status": "post",
    "tumour.invasive_sizes_mm": "18", "tumour.grade": "2", "tumour.er": "positive",
    "tumour.pr": "positive", "tumour.her2": "negative", "treatment.breast_surgery": "bcs",
    "procedure.kind": "sentinel", "procedure.nodes_removed": "2", "m": "cM0",
    "nodes[0].found_by": "sentinel", "nodes[0].deposit_mm": "1.2",
    "nodes[1].found_by": "sentinel", "nodes[1].deposit_mm": "0",
    "treatment.chemotherapy": "none", "treatment.endocrine_therapy": "on",
    "treatment.radiotherapy": "on", "treatment.bisphosphonates": "on", "predict_version": "3.2",
}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def parse(text: str) -> Tags:
    p = Tags()
    p.feed(text)
    return p


def assert_accessible(text: str) -> None:
    """Every visible input has a label; no inline script or event-handler attributes."""
    tags = parse(text)
    labelled = {a.get("for") for t, a in tags.tags if t == "label"}
    for tag, attrs in tags.tags:
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            assert attrs.get("id") in labelled, f"{tag} {attrs.get('name')} has no label"
        assert not [k for k in attrs if k.startswith("on")], f"event handler on {tag}"
        if tag == "script":
            assert attrs.get("src"), "inline script"
    assert not tags.script_text
    assert 'style="' not in text


def case_json_of(text: str) -> str:
    m = re.search(r'name="case_json" value="([^"]*)"', text)
    assert m
    return html.unescape(m.group(1))


def test_form_has_a_label_for_every_input(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_accessible(r.text)
    assert 'name="viewport"' in r.text


def test_form_gives_field_help(client: TestClient) -> None:
    text = client.get("/").text
    assert 'aria-describedby="help-f-patient-age-years err-f-patient-age-years"' in text
    assert "PREDICT is valid from 25 to 85" in text


def test_example_a_results(client: TestClient) -> None:
    r = client.post("/assess", data={**FORM_A, "view": "clinician"})
    assert r.status_code == 200
    assert_accessible(r.text)
    assert "pN1mi(sn)" in r.text
    assert "<svg" in r.text and 'id="icon-array-title"' in r.text
    assert "NICE NG101 1.4.14" in r.text  # the cited axillary option
    for tab in ("Staging", "Table", "Curves", "Icon array", "Texts", "Guidance"):
        assert f">{tab}</a>" in r.text


def test_refused_fields_are_shown_beside_the_field(client: TestClient) -> None:
    bad = {**FORM_A, "patient.age_years": "fifty", "nodes[1].deposit_mm": "-3"}
    r = client.post("/assess", data=bad)
    assert r.status_code == 422
    assert_accessible(r.text)
    assert re.search(r'id="err-f-patient-age-years"[^>]*>must be a number<', r.text)
    bad = {**FORM_A, "patient.age_years": "300", "nodes[1].deposit_mm": "-3"}
    r = client.post("/assess", data=bad)
    assert r.status_code == 422
    assert re.search(r'id="err-f-patient-age-years"[^>]*>[^<]*110', r.text)
    assert re.search(r'id="err-f-nodes-1-deposit-mm"[^>]*>[^<]*greater than or equal to 0',
                     r.text)
    assert 'value="300"' in r.text  # what was typed is kept
    assert 'role="alert"' in r.text


def test_node_rows_left_empty_are_ignored_and_rows_map_back(client: TestClient) -> None:
    form = {k: v for k, v in FORM_A.items() if not k.startswith("nodes[1]")}
    form |= {"nodes[4].found_by": "sentinel", "nodes[4].deposit_mm": "-1"}
    r = client.post("/assess", data=form)
    assert r.status_code == 422
    assert re.search(r'id="err-f-nodes-4-deposit-mm"[^>]*>[^<]+<', r.text)


@pytest.mark.parametrize("view,needle", [
    ("patient", "Your results explained"), ("print", "axilla assessment"),
    ("clinician", "pN1mi(sn)"),
])
def test_views_from_the_carried_case(client: TestClient, view: str, needle: str) -> None:
    first = client.post("/assess", data=FORM_A)
    r = client.post("/assess", data={"case_json": case_json_of(first.text), "view": view,
                                     "predict_version": "3.2"})
    assert r.status_code == 200
    assert_accessible(r.text)
    assert needle in r.text


def test_patient_view_is_plain_with_glossary(client: TestClient) -> None:
    first = client.post("/assess", data=FORM_A)
    r = client.post("/assess", data={"case_json": case_json_of(first.text), "view": "patient"})
    assert "Words used on this page" in r.text
    assert "<svg" in r.text
    assert "NG101" not in r.text  # no guideline codes for the patient


def test_unreadable_carried_case_is_400(client: TestClient) -> None:
    r = client.post("/assess", data={"case_json": "{not json", "view": "patient"})
    assert r.status_code == 400
    r = client.post("/assess", data={"case_json": '{"patient": {}}', "view": "patient"})
    assert r.status_code == 400


def test_glossary_page_lists_every_term(client: TestClient) -> None:
    r = client.get("/glossary")
    assert r.status_code == 200
    assert r.text.count("<dt ") == len(GLOSSARY_TERMS)


def test_static_files(client: TestClient) -> None:
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert client.get("/static/app.css").status_code == 200


def test_pages_store_nothing(client: TestClient, auth: dict[str, str]) -> None:
    client.post("/assess", data=FORM_A)
    assert client.get("/v1/cases", headers=auth).json()["total"] == 0


def test_form_matches_the_example_file(example_a: dict[str, Any]) -> None:
    assert example_a["patient"]["age_years"] == float(FORM_A["patient.age_years"])
    assert example_a["tumour"]["invasive_sizes_mm"] == [float(FORM_A["tumour.invasive_sizes_mm"])]
    assert [n["deposit_mm"] for n in example_a["nodes"]] == [1.2, 0]
