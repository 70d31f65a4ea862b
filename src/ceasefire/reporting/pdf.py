"""The report as PDF (WeasyPrint): A4, page numbers, table headers repeated on every page.
No creation date is written, so the same HTML gives the same bytes."""

from __future__ import annotations

import logging


def render_pdf(html: str) -> bytes:
    """Print the report page to PDF."""
    import weasyprint

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=".")
    pdf: bytes = document.write_pdf()
    return pdf
