"""The patient's questions in the assessment JSON, the terminal and the report, in each language.

Question ids and order: issue 10 ("the patient view is a list of the questions people ask").
Case (a) is the woman told "micrometastasis in 1 sentinel node"; case (e) the woman whose node
came back near her clearance scar during chemotherapy (examples/).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
A = str(EXAMPLES / "a_micrometastasis_sentinel.json")
E = str(EXAMPLES / "e_regional_recurrence_during_chemotherapy.json")


def axilla(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, timeout=120)


def test_json_of_example_a_answers_her_five_questions_in_order() -> None:
    done = axilla("assess", A, "--json")
    assert done.returncode == 0, done.stderr
    qs = json.loads(done.stdout)["patient_questions"]
    assert [q["id"] for q in qs] == [
        "nodes_found", "has_it_spread", "stage", "axilla_treatment", "treatment_benefits",
        "treatment_purpose", "pending", "recurrence_signs"]
    by_id = {q["id"]: q for q in qs}
    assert "1 of your 2 sentinel lymph nodes" in by_id["nodes_found"]["answer"]
    assert "no sign that the cancer has spread" in by_id["has_it_spread"]["answer"]
    assert "lymphoedema" in by_id["axilla_treatment"]["answer"]
    assert "zoledronic acid" in by_id["treatment_purpose"]["answer"]
    assert "Chemotherapy" in by_id["treatment_benefits"]["answer"]
    assert "micrometastasis" in by_id["nodes_found"]["glossary_terms"]


def test_json_of_example_e_tells_the_recurrence_and_what_next() -> None:
    qs = json.loads(axilla("assess", E, "--json").stdout)["patient_questions"]
    ids = [q["id"] for q in qs]
    assert ids[-2:] == ["recurrence_type", "what_next"]
    assert "treatment_benefits" not in ids  # PREDICT does not apply after a recurrence


def test_schema_names_patient_questions() -> None:
    schema = json.loads(axilla("assess", "--schema").stdout)
    assert "patient_questions" in schema["properties"]
    assert set(schema["$defs"]["PatientQuestion"]["required"]) >= {"id", "question", "answer"}


def test_terminal_shows_each_question_with_its_answer() -> None:
    out = axilla("assess", A).stdout
    assert "Does this mean the cancer has spread?" in out
    assert "lymphoedema" in out.replace("\n", " ")


@pytest.mark.parametrize("lang", ["cy", "ar"])
def test_lang_flag_gives_the_report_in_that_language(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    done = axilla("assess", A, "--lang", lang, "--html", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text("utf-8")
    assert f'lang="{lang}"' in html
    assert ('dir="rtl"' in html) == (lang == "ar")
    assert "review-status" in html  # the translation's review status is shown
    assert "Date of this assessment" in html


def test_unknown_language_is_refused_in_one_line_with_exit_2() -> None:
    done = axilla("assess", A, "--lang", "xx")
    assert done.returncode == 2
    assert "xx" in done.stderr and "cy" in done.stderr


def test_treatments_not_chosen_show_what_adding_them_would_give() -> None:
    """Example (a): no chemotherapy, HER2-negative. The JSON gives chemotherapy's gain if added
    and null for trastuzumab; the terminal labels that table apart from the plan's shares."""
    data = json.loads(axilla("assess", A, "--json").stdout)
    by = {b["letter"]: b for b in data["predict"]["result"]["benefits"]}
    assert by["c"]["chosen"] is False and by["c"]["benefit_pp"]["10"] == 0.0
    gain = by["c"]["if_added_pp"]["10"]
    assert 0.0 < gain < 5.0
    assert by["t"]["if_added_pp"] is None  # HER2-negative
    assert by["h"]["if_added_pp"] is None  # already in the plan
    out = axilla("assess", A).stdout
    assert "If added to the chosen plan" in out
    row = next(line for line in out.splitlines() if "chemotherapy" in line and "│" in line
               and f"{gain:.1f}" in line)
    assert row
    assert "not applicable" in out


def test_pdf_letter_of_example_a_fits_two_a4_pages(tmp_path: Path) -> None:
    """Issue 10: the clinic letter of the micrometastasis example on at most 2 A4 pages, with
    the inputs used, the date, versions, staging reasons, cited options, PREDICT and the
    patient's questions; no internal field names."""
    import io

    import pypdf

    out = tmp_path / "a.pdf"
    done = axilla("assess", A, "--pdf", str(out))
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210, 297)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    from axilla.guidance import RULESET_VERSION

    for needle in ("Inputs used", "Date of this assessment", "PREDICT Breast 3.2",
                   RULESET_VERSION, "pN1mi", "NICE NG101 1.4.14", "If added to the chosen plan",
                   "What was found in my lymph nodes?", "Tumour: invasive sizes (mm) 18"):
        assert needle in text, needle
    assert "testes_present" not in text and "invasive_sizes_mm" not in text


def test_pregnancy_caveats_and_conditions_show_beside_the_options() -> None:
    """Example (e) with pregnancy: RCOG Green-top 12 defers radiotherapy until after delivery;
    the caveat stands beside the option it qualifies, on the terminal and in the letter."""
    data = json.loads(Path(E).read_text())
    data["guidance_facts"] = {"pregnant": True}
    done = subprocess.run([sys.executable, "-m", "axilla", "assess", "-"], input=json.dumps(data),
                          capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "400", "PATH": ""})
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "caveat: Pregnant - radiotherapy is deferred until after delivery" in out
    assert "holds only if:" in out

    from axilla.assess import assess
    from axilla.case.assessment import parse_case
    from axilla.explain.report import render_html

    case = parse_case(data)
    letter = render_html(assess(case), case=case)
    assert "Caveat:</strong> Pregnant - radiotherapy is deferred" in letter
