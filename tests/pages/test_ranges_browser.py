"""A PREDICT 2.1 result on a phone, in Debian's Chromium against `axilla serve`: each chosen
benefit shows its 95 % range, and the benefit table (the widest of the PREDICT tables, a range
in every cell) fits 375 px, so no year column is cut off (issue 10: "15-year column cut off at
375 px")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PHONE = {"width": 375, "height": 812}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "a_micrometastasis_sentinel.json"
OVERFLOW = """() => [...document.querySelectorAll('#panel-table .scroll')]
  .map(e => e.scrollWidth - e.clientWidth)"""


@pytest.fixture
def phone(browser: Any, serve) -> Iterator[Any]:
    server = serve()
    context = browser.new_context(viewport=PHONE, base_url=server.url)
    pg = context.new_page()
    yield pg
    context.close()


def test_a_2_1_benefit_table_with_ranges_fits_a_phone(phone: Any, artifacts_dir: Path) -> None:
    phone.goto("/")
    phone.get_by_text("Load a saved case (JSON)").click()
    phone.get_by_label("Paste the saved case").fill(EXAMPLE.read_text("utf-8"))
    phone.get_by_role("button", name="Load into the form").click()
    phone.wait_for_load_state()
    phone.get_by_label("PREDICT version").select_option("2.1")
    phone.get_by_role("button", name="Show results").click()
    phone.wait_for_url("**/assess")
    phone.locator("#tab-table").click()
    panel = phone.locator("#panel-table")
    text = panel.inner_text()
    assert "95% range (PREDICT 2.x web tool)" in text
    assert "PREDICT Breast 2.1" in text
    assert "(" in text.split("endocrine therapy (5 years)", 2)[-1]  # a range beside the value
    overflow = phone.evaluate(OVERFLOW)
    assert overflow and all(px <= 0 for px in overflow), f"tables wider than 375 px by {overflow}"
    panel.screenshot(path=str(artifacts_dir / "a-2.1-table-375.png"))
