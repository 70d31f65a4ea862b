"""The report as PDF (WeasyPrint): A4, page numbers, table headers repeated on every page.
No creation date is written, and the fonts embedded are stamped with a fixed date
(SOURCE_DATE_EPOCH, which fontTools reads when it subsets them), so the same HTML gives the
same bytes whenever it is printed."""

from __future__ import annotations

import logging
import os

FIXED_EPOCH = "315532800"  # 1980-01-01, the reproducible-builds convention for "no date"


def render_pdf(html: str) -> bytes:
    """Print the report page to PDF."""
    import weasyprint

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=".")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = before or FIXED_EPOCH
    try:
        pdf: bytes = document.write_pdf()
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    return pdf
