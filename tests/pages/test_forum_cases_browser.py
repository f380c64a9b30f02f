"""The two forum cases this project exists for, entered through the form in headless Chromium
(Debian's, never downloaded) against `axilla serve`: the patient view answers each of their
questions (named by id), axe-core finds no serious or critical violation on any page or view,
and screenshots of every view at 1280 and 375 px go to test-artifacts/ for a person to look at.

Case (a): 54, post-menopausal, 18 mm grade 2 ER+ PR+ HER2-, micrometastasis (1.2 mm) in 1 of 2
sentinel nodes. Case (e): 51, pregnant, 30 mm grade 3 ER+ HER2-, 2 of 10 nodes positive at
clearance, a node back in the armpit 1.5 months after surgery during chemotherapy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
SMALLEST_TEXT = """() => {
  let least = 1000;
  for (const svg of document.querySelectorAll('svg[viewBox]')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) { continue; }
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text[font-size]')) {
      least = Math.min(least, parseFloat(t.getAttribute('font-size')) * scale);
    }
  }
  return least;
}"""
SERIOUS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
      + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
}"""


@pytest.fixture
def page(browser: Any, serve) -> Iterator[Any]:
    server = serve()
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=server.url,
                                  bypass_csp=True)  # only so that axe can be injected
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on("request", lambda r: r.url.startswith(server.url) or pg.problems.append(r.url))
    yield pg
    context.close()


def look(page: Any, name: str, axe_js: str, artifacts: Path) -> None:
    """axe at both widths (no serious/critical violation), nothing wider than the phone, and a
    full-page screenshot at each width."""
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.add_script_tag(content=axe_js)
        found = page.evaluate(SERIOUS)
        assert found == [], f"{name} at {size['width']} px: {found}"
        if label == "phone":
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= size["width"], f"{name}: {wide} px wide on a phone"
            smallest = page.evaluate(SMALLEST_TEXT)
            assert smallest >= 11, f"{name}: chart text {smallest:.1f} px on a phone"
        page.screenshot(path=str(artifacts / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def fill_common(page: Any, age: str, meno: str, size: str, grade: str) -> None:
    page.get_by_label("Age at diagnosis (years)").fill(age)
    page.get_by_label("Menopausal status").select_option(meno)
    page.get_by_label("Invasive tumour size (mm)").fill(size)
    page.get_by_label("Grade").select_option(grade)
    page.get_by_label("ER status").select_option("positive")
    page.get_by_label("HER2 status").select_option("negative")


def node(page: Any, i: int, found_by: str, deposit: str) -> None:
    if not page.get_by_role("group", name=f"Lymph node {i + 1}", exact=True).is_visible():
        page.get_by_role("button", name="Add another lymph node").click()
    row = page.get_by_role("group", name=f"Lymph node {i + 1}", exact=True)
    row.get_by_label("Found by").select_option(found_by)
    row.get_by_label("Largest deposit (mm)").fill(deposit)


def answers(page: Any) -> dict[str, str]:
    out = {}
    for section in page.locator("section.question").all():
        out[section.get_attribute("data-question")] = section.inner_text()
    return out


def test_case_a_micrometastasis_through_the_form(page: Any, axe_js: str,
                                                 artifacts_dir: Path) -> None:
    page.goto("/")
    look(page, "form", axe_js, artifacts_dir)
    fill_common(page, "54", "post", "18", "2")
    page.get_by_label("PR status").select_option("positive")
    page.get_by_label("Breast surgery").select_option("bcs")
    page.get_by_label("Axillary procedure").select_option("sentinel")
    page.get_by_label("Nodes removed").fill("2")
    node(page, 0, "sentinel", "1.2")
    node(page, 1, "sentinel", "0")
    page.get_by_label("Endocrine (hormone) therapy").check()
    page.get_by_label("Radiotherapy", exact=True).check()
    page.get_by_label("Bisphosphonates").check()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/assess")
    assert "pN1mi(sn)" in page.locator("#panel-staging dd.pn").inner_text()
    look(page, "a-results-staging", axe_js, artifacts_dir)
    for tab in ("Table", "Curves", "Chart", "Icon array", "Texts", "Guidance", "Recurrence",
                "Indices"):
        page.get_by_role("tab", name=tab, exact=True).click()
        look(page, f"a-results-{tab.lower().replace(' ', '-')}", axe_js, artifacts_dir)
    page.get_by_role("tab", name="Chart", exact=True).click()
    page.reload()  # the view chosen last opens again
    assert page.get_by_role("tab", name="Chart", exact=True).get_attribute(
        "aria-selected") == "true"
    assert page.locator("#panel-chart svg rect title").count() >= 12  # 3 bars, >= 4 groups
    page.get_by_role("tab", name="Curves", exact=True).click()
    assert page.locator("#panel-curves svg path.series").count() == 4  # surgery + 3 steps
    table = page.locator("#panel-table").inner_text()
    assert "If added to the chosen plan" in table and "not applicable" in table

    page.get_by_role("button", name="Patient view").click()
    page.wait_for_load_state()
    got = answers(page)
    assert list(got) == ["nodes_found", "has_it_spread", "stage", "axilla_treatment",
                         "treatment_benefits", "treatment_purpose", "pending",
                         "recurrence_signs"]
    # Her questions: has it spread; no more treatment to the armpit; radiotherapy there;
    # what the zoledronic acid is for; would chemotherapy help.
    assert "1 of your 2 sentinel lymph nodes" in got["nodes_found"]
    assert "no sign that the cancer has spread beyond the lymph nodes" in got["has_it_spread"]
    assert "not usually offered" in got["axilla_treatment"]
    assert "radiotherapy" in got["axilla_treatment"].lower()
    assert "zoledronic acid" in got["treatment_purpose"]
    assert "Chemotherapy is not in your plan; with it" in got["treatment_benefits"]
    look(page, "a-patient", axe_js, artifacts_dir)
    page.get_by_role("button", name="Back to the clinical view").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Print view").click()
    page.wait_for_load_state()
    assert "needs testes_present" not in page.content()
    look(page, "a-print", axe_js, artifacts_dir)
    assert page.problems == []


def test_case_e_pregnant_recurrence_through_the_form(page: Any, axe_js: str,
                                                     artifacts_dir: Path) -> None:
    page.goto("/")
    fill_common(page, "51", "peri", "30", "3")
    page.get_by_label("PR status").select_option("negative")
    page.get_by_label("Pregnant now").select_option("yes")
    page.get_by_label("Breast surgery").select_option("mastectomy")
    page.get_by_label("Axillary procedure").select_option("dissection")
    page.get_by_label("Nodes removed").fill("10")
    for i, deposit in enumerate(["12", "4", *["0"] * 8]):  # 10 rows: past the 8 shown
        node(page, i, "dissection", deposit)
    page.get_by_label("Chemotherapy", exact=True).select_option("third_generation")
    page.get_by_label("Endocrine (hormone) therapy").check()
    page.get_by_label("Radiotherapy", exact=True).check()
    page.get_by_label("Where it came back").select_option("ipsilateral_axillary_nodes")
    page.get_by_label("Months since the first operation").fill("1.5")
    page.get_by_label("Breast operation for the first cancer").select_option("mastectomy")
    page.get_by_label("Earlier armpit operation").select_option("anc")
    page.get_by_label("Earlier radiotherapy to the breast").select_option("no")
    page.get_by_label("Confirmed by biopsy or cytology").check()
    page.get_by_label("Found during chemotherapy").check()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/assess")
    assert page.get_by_role("alert").count() == 0
    page.get_by_role("tab", name="Recurrence").click()
    tab = page.locator("#panel-recurrence").inner_text()
    assert "regional" in tab and "checklist" in tab
    look(page, "e-results-recurrence", axe_js, artifacts_dir)

    page.get_by_role("button", name="Patient view").click()
    page.wait_for_load_state()
    got = answers(page)
    assert "treatment_benefits" not in got  # PREDICT does not apply after a recurrence
    assert list(got)[-2:] == ["recurrence_type", "what_next"]
    assert "2 of the 10 lymph nodes" in got["nodes_found"]
    assert "lymph nodes near the breast" in got["recurrence_type"]
    assert "during or soon after your first treatment" in got["recurrence_type"]
    assert "pregnant" in got["what_next"] and "until the baby is born" in got["what_next"]
    look(page, "e-patient", axe_js, artifacts_dir)
    page.get_by_role("button", name="Back to the clinical view").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Edit this case").click()
    page.wait_for_load_state()
    assert page.get_by_label("Where it came back").input_value() == "ipsilateral_axillary_nodes"
    row10 = page.get_by_role("group", name="Lymph node 10", exact=True)
    assert row10.get_by_label("Largest deposit (mm)").input_value() == "0"
    assert page.problems == []


def test_case_a_loaded_from_json_in_arabic_reads_right_to_left(page: Any, axe_js: str,
                                                               artifacts_dir: Path) -> None:
    import json

    root = Path(__file__).resolve().parents[2]
    saved = json.loads((root / "examples" / "a_micrometastasis_sentinel.json").read_text())
    page.goto("/?lang=ar")
    page.get_by_text("Load a saved case (JSON)").click()
    page.get_by_label("Paste the saved case").fill(json.dumps(saved))
    page.get_by_role("button", name="Load into the form").click()
    page.wait_for_load_state()
    assert page.get_by_label("Invasive tumour size (mm)").input_value() == "18"
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/assess")
    page.get_by_role("button", name="Patient view").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator(".review-status").is_visible()
    assert page.locator("section.question").count() == 8
    look(page, "a-patient-ar", axe_js, artifacts_dir)
    assert page.problems == []
