"""A printable document (HTML with inline SVG) as PDF bytes, A4, nothing fetched.

WeasyPrint (BSD) lays out HTML and CSS paged media without a browser; it is imported only when
a PDF is asked for, so the core library does not need it (install the ``pdf`` extra). Network
access is refused: a document that names any URL other than an inline ``data:`` one fails.
"""

from __future__ import annotations

from axilla.errors import AxillaError


class PdfUnavailableError(AxillaError):
    """The PDF renderer is not installed."""


def pdf_from_html(html: str) -> bytes:
    """Render one HTML document (its own CSS sets the page size) to PDF bytes."""
    try:
        import weasyprint
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed extras
        raise PdfUnavailableError(
            "PDF output needs the 'pdf' extra: pip install 'axilla[pdf]'") from exc
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    try:
        return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise AxillaError(f"the printable document refers to a resource outside it ({exc}); "
                          "nothing is fetched for a PDF") from None
