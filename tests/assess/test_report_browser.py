"""The HTML report opens in a real browser: Debian's Chromium, headless, driven by Playwright.

The screenshot is saved to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from axilla.assess import assess
from axilla.case.assessment import parse_case
from axilla.explain.report import render_html

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.geteuid() == 0:
            pytest.fail("chromium is missing although tests run as root: `make test` installs it")
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def test_report_of_example_a_renders_both_sections_and_charts(browser, tmp_path):
    import json

    case = parse_case(json.loads((ROOT / "examples" / "a_micrometastasis_sentinel.json")
                                 .read_text()))
    report = tmp_path / "report.html"
    report.write_text(render_html(assess(case)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto(report.as_uri())
    assert page.get_by_role("heading", name="For the clinical team").is_visible()
    assert page.get_by_role("heading", name="For you").is_visible()
    assert page.get_by_text("pN1mi(sn)").first.is_visible()
    assert page.get_by_text("AX-08").first.is_visible()
    charts = page.locator("svg[role='img']")
    assert charts.count() == 2
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-report-example-a.png"), full_page=True)
    page.close()
