"""PDF output: a real PDF from the HTML report, A4, text extractable, nothing fetched."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from axilla.assess import assess
from axilla.errors import AxillaError
from axilla.explain.pdf import pdf_from_html
from axilla.explain.report import render_html

EXAMPLE_A = Path(__file__).resolve().parents[2] / "examples" / "a_micrometastasis_sentinel.json"


def test_report_becomes_a_pdf_with_its_text() -> None:
    data = pdf_from_html(render_html(assess(json.loads(EXAMPLE_A.read_text()))))
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "pN1mi(sn)" in text
    assert "PREDICT" in text


def test_a4_page_size() -> None:
    html = "<html><head><style>@page{size:A4}</style></head><body><p>A4</p></body></html>"
    page = pypdf.PdfReader(io.BytesIO(pdf_from_html(html))).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (210, 297)


def test_nothing_is_fetched() -> None:
    html = "<html><body><img src='http://127.0.0.1:9/x.png' alt='x'></body></html>"
    with pytest.raises(AxillaError, match="nothing is fetched"):
        pdf_from_html(html)
