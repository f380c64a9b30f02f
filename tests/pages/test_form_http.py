"""The clinic's form over HTTP: every fact of the case vocabulary, any number of nodes, errors
in the form's words, edit / save / load a case, the PDF letter and the recurrence tab.

Expected categories by hand from AJCC 8th: 12 macrometastatic axillary nodes are pN3a (10 or
more); example (e) (a node near the clearance scar) is a regional recurrence.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.test_pages import FORM_A, case_json_of


def test_twelve_positive_nodes_are_all_counted(client: TestClient) -> None:
    form: dict[str, Any] = {k: v for k, v in FORM_A.items() if not k.startswith("nodes")}
    form |= {"procedure.kind": "dissection", "procedure.nodes_removed": "14"}
    for i in range(14):
        form[f"nodes[{i}].found_by"] = "dissection"
        form[f"nodes[{i}].deposit_mm"] = "5" if i < 12 else "0"
    r = client.post("/assess", data=form)
    assert r.status_code == 200
    assert "pN3a" in r.text
    assert len(json.loads(case_json_of(r.text))["nodes"]) == 14


def test_a_node_with_cancer_but_no_size_and_other_sites(client: TestClient) -> None:
    form = dict(FORM_A)
    form |= {"nodes[1].deposit_mm": "", "nodes[1].tumour_present": "on",
             "nodes[2].found_by": "imaging", "nodes[2].site": "internal_mammary",
             "nodes[2].tumour_present": "on"}
    r = client.post("/assess", data=form)
    assert r.status_code == 200, r.text[:500]
    nodes = json.loads(case_json_of(r.text))["nodes"]
    assert nodes[1]["tumour_present"] is True and "deposit_mm" not in nodes[1]
    assert nodes[2]["site"] == "internal_mammary"


def test_errors_speak_the_form_s_words(client: TestClient) -> None:
    r = client.post("/assess", data=FORM_A | {"tumour.invasive_sizes_mm": "0",
                                               "nodes[1].deposit_mm": "-3"})
    assert r.status_code == 422
    start = r.text.index("error-summary")
    summary = r.text[start:r.text.index("</ul>", start)]
    assert "Invasive tumour size (mm)" in summary
    assert "Lymph node 2: Largest deposit (mm)" in summary
    assert "tumour.invasive_sizes_mm" not in summary and "nodes[1]" not in summary


def test_margin_pregnancy_and_recurrence_reach_the_case(client: TestClient) -> None:
    form = FORM_A | {"treatment.radial_margin_min_mm": "0.5", "guidance_facts.pregnant": "yes",
                     "recurrence.sites": "ipsilateral_axillary_nodes",
                     "recurrence.months_since_primary_surgery": "1.5",
                     "recurrence.breast_surgery": "bcs",
                     "recurrence.prior_axillary_surgery": "anc",
                     "recurrence.pathology_confirmed": "on",
                     "recurrence.on_adjuvant_chemotherapy": "on"}
    r = client.post("/assess", data=form)
    assert r.status_code == 200, r.text[:500]
    case = json.loads(case_json_of(r.text))
    assert case["treatment"]["radial_margin_min_mm"] == 0.5
    assert case["guidance_facts"]["pregnant"] is True
    assert case["recurrence"]["sites"] == ["ipsilateral_axillary_nodes"]
    tab = r.text[r.text.index('id="panel-recurrence"'):]
    assert "Class: regional" in tab and "a checklist, not a score" in tab


def test_every_field_has_help(client: TestClient) -> None:
    from axilla.service.pages.forms import NODE_FIELDS, SECTIONS

    missing = [f.name for s in SECTIONS for f in s.fields if not f.help]
    missing += [f.name for f in NODE_FIELDS if not f.help]
    assert missing == []  # every field of the form says what it is for


@pytest.mark.parametrize("view", ["edit", "json", "pdf"])
def test_edit_save_and_pdf_from_the_results(client: TestClient, view: str) -> None:
    carried = case_json_of(client.post("/assess", data=FORM_A).text)
    r = client.post("/assess", data={"case_json": carried, "predict_version": "3.2",
                                     "view": view})
    assert r.status_code == 200
    if view == "edit":
        assert 'name="nodes[0].deposit_mm"' in r.text and 'value="1.2"' in r.text
        assert re.search(r'id="f-tumour-invasive-sizes-mm"[^>]*value="18"', r.text, re.S)
    elif view == "json":
        assert "attachment" in r.headers["content-disposition"]
        saved = r.json()
        assert saved["tumour"]["invasive_sizes_mm"] == [18.0]
        loaded = client.post("/assess", data={"case_json": json.dumps(saved), "view": "edit"})
        assert loaded.status_code == 200 and 'value="1.2"' in loaded.text
    else:
        assert r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")


@pytest.mark.parametrize(("lang", "direction"), [("cy", "ltr"), ("ar", "rtl")])
def test_language_picked_by_query_is_remembered_for_the_results(
        client: TestClient, lang: str, direction: str) -> None:
    from axilla.explain.catalogue import catalogue

    first = client.get(f"/?lang={lang}")
    assert f'<html lang="{lang}" dir="{direction}">' in first.text
    assert first.cookies.get("axilla_lang") == lang
    carried = case_json_of(client.post("/assess", data=FORM_A).text)
    r = client.post("/assess", data={"case_json": carried, "view": "patient"})
    assert f'<html lang="{lang}" dir="{direction}">' in r.text
    words = catalogue(lang)
    shown = html.unescape(r.text)
    assert words["questions.nodes_found.question"] in shown
    assert words["review_status"] in shown
    english = client.post("/assess", data={"case_json": carried, "view": "patient",
                                           "lang": "en"})
    assert "What was found in my lymph nodes?" in english.text


def test_unknown_language_falls_back_to_english(client: TestClient) -> None:
    r = client.get("/?lang=xx")
    assert '<html lang="en" dir="ltr">' in r.text
