"""The demo report printed to PDF: A4 pages, numbered, with the key text; headers repeat."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from ceasefire.agreement import Agreement
from ceasefire.pipeline import RunResult
from ceasefire.reporting import from_store, write_report

A4_POINTS = (595, 842)


def _pages(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    return [page.extract_text() for page in reader.pages]


def test_the_demo_report_prints_to_a_few_numbered_a4_pages(demo_run: RunResult) -> None:
    pages = _pages(demo_run.out_dir / "report.pdf")
    assert 3 <= len(pages) <= 8
    text = " ".join(" ".join(pages).split())
    incident_ids = sorted(pd.read_csv(demo_run.out_dir / "violations.csv")["incident_id"])
    for key in (
        "Package of Measures for the Implementation of the Minsk Agreements",
        "1. Summary", "2. Map", "3. Charts", "4. Incidents", "Inputs and software",
        *incident_ids, "Art. 1", "unattributed", "Donetsk",
    ):  # fmt: skip
        assert key in text, key
    # the input file's hash, wrapped in its table cell
    assert "c25447a871db9b5f16905c8a666212003451d54609262e77181a6a25fcc7deaf" in text.replace(
        " ", ""
    )
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_run_report_html_is_the_same_report_and_offline(demo_run: RunResult) -> None:
    html = (demo_run.out_dir / "report.html").read_text()
    assert 'id="map"' in html and "data:image/png;base64," in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html and "<script src" not in html and "<link" not in html


def test_incident_table_headers_repeat_on_every_page_of_the_list(
    synthetic: Path, paris: Agreement, tmp_path: Path
) -> None:
    write_report(from_store(paris, synthetic, "week"), tmp_path)
    pages = _pages(tmp_path / "report.pdf")
    listing = [p for p in pages if "synthetic:SYN" in p]
    assert len(listing) >= 3
    assert all("rules broken" in p and "severity," in p for p in listing)
    text = " ".join(" ".join(pages).split())
    assert "this period" in text and "previous" in text and "Art. 4" in text
    assert "Backstop" in text and "US backstop" in text


@pytest.mark.heavy
def test_the_pdf_reads_in_black_and_white(demo_run: RunResult, tmp_path: Path) -> None:
    """Rendered in greys, the party colours stay distinct (their lightness differs)."""
    from ceasefire.reporting.style import PARTY_COLOURS

    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = [*sorted(lightness(c) for c in PARTY_COLOURS[:3]), 255.0]
    assert all(b - a > 40 for a, b in itertools.pairwise(levels))
