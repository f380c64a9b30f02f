"""Browser test: Playwright drives Debian's chromium (headless; never downloaded) against
`axilla serve`: a nurse enters example (a) at phone width, sees pN1mi(sn), the icon array and
the cited axillary option (NICE NG101 1.4.14), then opens the patient view. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, serve) -> Iterator[Any]:
    server = serve()
    context = browser.new_context(viewport=PHONE, base_url=server.url)
    pg = context.new_page()
    pg.problems = []  # console errors (CSP violations show here) and off-host requests
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on("request", lambda r: r.url.startswith(server.url) or pg.problems.append(r.url))
    yield pg
    context.close()


def fits_phone_width(pg: Any) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_example_a_in_the_browser(page: Any, artifacts_dir: Path) -> None:
    page.goto("/")
    assert fits_phone_width(page)
    page.get_by_label("Age at diagnosis (years)").fill("54")
    page.get_by_label("Menopausal status").select_option("post")
    page.get_by_label("Invasive tumour size (mm)").fill("18")
    page.get_by_label("Grade").select_option("2")
    page.get_by_label("ER status").select_option("positive")
    page.get_by_label("PR status").select_option("positive")
    page.get_by_label("HER2 status").select_option("negative")
    page.get_by_label("Breast surgery").select_option("bcs")
    page.get_by_label("Axillary procedure").select_option("sentinel")
    page.get_by_label("Nodes removed").fill("2")
    node1 = page.get_by_role("group", name="Lymph node 1")
    node1.get_by_label("Found by").select_option("sentinel")
    node1.get_by_label("Largest deposit (mm)").fill("1.2")
    add = page.get_by_role("button", name="Add another lymph node")
    add.focus()
    page.keyboard.press("Enter")  # keyboard only
    node2 = page.get_by_role("group", name="Lymph node 2")
    node2.get_by_label("Found by").select_option("sentinel")
    node2.get_by_label("Largest deposit (mm)").fill("0")
    page.get_by_label("Endocrine (hormone) therapy").check()
    page.get_by_label("Radiotherapy", exact=True).check()
    page.get_by_label("Bisphosphonates").check()

    # an inline message appears as soon as a field is left with a bad value, and goes again
    age = page.get_by_label("Age at diagnosis (years)")
    age.fill("300")
    age.blur()
    assert "110" in page.locator("#err-f-patient-age-years").inner_text()
    age.fill("54")
    age.blur()
    assert page.locator("#err-f-patient-age-years").inner_text() == ""

    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/assess")
    staging = page.locator("#panel-staging")
    assert "pN1mi(sn)" in staging.locator("dd.pn").inner_text()
    assert staging.get_by_text("NICE NG101 1.4.14").first.is_visible()
    assert fits_phone_width(page)

    icons_tab = page.get_by_role("tab", name="Icon array")
    icons_tab.click()
    icon_array = page.locator("#panel-icons svg")
    assert icon_array.is_visible()
    assert not staging.is_visible()
    assert page.locator("#panel-icons svg g[aria-hidden] > g").count() == 100  # 100 people

    # tabs work from the keyboard
    icons_tab.focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Texts").get_attribute("aria-selected") == "true"
    page.screenshot(path=str(artifacts_dir / "results-phone.png"), full_page=True)

    page.get_by_role("button", name="Patient view").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your results explained").is_visible()
    assert page.get_by_role("heading", name="Words used on this page").is_visible()
    assert page.locator("figure.icon-array svg").is_visible()
    assert fits_phone_width(page)
    page.screenshot(path=str(artifacts_dir / "patient-view-phone.png"), full_page=True)
    assert (artifacts_dir / "patient-view-phone.png").stat().st_size > 10_000
    assert page.problems == []


def test_refused_input_is_announced(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Age at diagnosis (years)").fill("54")
    page.get_by_label("Invasive tumour size (mm)").fill("18")
    page.get_by_role("button", name="Show results").click()
    # the browser refused nothing (ER etc. may be unknown); no nodes -> staged as pNX or pN0
    assert page.url.endswith("/assess")
    page.goto("/")
    page.get_by_label("Age at diagnosis (years)").fill("54")
    page.get_by_label("Invasive tumour size (mm)").fill("0")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert "Invasive tumour size (mm)" in summary.inner_text()
    assert "tumour.invasive_sizes_mm" not in summary.inner_text()
    assert page.locator("#err-f-tumour-invasive-sizes-mm").inner_text()
    # the page itself comes with status 422 (chromium notes that on the console); nothing else
    assert [p for p in page.problems if "422" not in p] == []


def test_api_reference_renders_offline(page: Any) -> None:
    """/docs shows the operations with every request kept on this server (no CDN), and the
    Content Security Policy (no inline script) raises no complaint."""
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".opblock-summary-path", has_text="/v1/assessments").count() >= 1
    assert page.problems == []
