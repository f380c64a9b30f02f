"""A standalone HTML report of an assessment: a clinician section and a patient section, charts
inline as SVG, no script and nothing fetched, so it opens and prints anywhere.

It renders the view model (``axilla.explain.view``) with the same template as the web print
view (``templates/report_body.html``), so the two can never differ.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from axilla.explain.view import build_view

if TYPE_CHECKING:
    from jinja2 import Environment

    from axilla.assess import Assessment
    from axilla.case.assessment import Case


@cache
def environment() -> Environment:
    """The Jinja environment of the report templates (autoescaped)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("axilla.explain", "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True,
                       lstrip_blocks=True)


def render_html(a: Assessment, lang: str = "en", case: Case | None = None) -> str:
    """The clinic letter as one HTML document, in ``lang`` (the language ``a`` was presented
    in), listing the inputs of ``case`` when given."""
    return environment().get_template("report.html").render(
        v=build_view(a, lang=lang, case=case))


def render_pdf(a: Assessment, lang: str = "en", case: Case | None = None) -> bytes:
    """The same letter as an A4 PDF (``axilla.explain.pdf``; needs the ``pdf`` extra)."""
    from axilla.explain.pdf import pdf_from_html

    return pdf_from_html(render_html(a, lang, case))
