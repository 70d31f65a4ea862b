"""Large periods stay readable: the report summarizes and lists the most serious incidents."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.agreement import Agreement
from ceasefire.reporting import from_store, write_report
from ceasefire.reporting.synthetic import synthetic_store
from ceasefire.reporting.tables import LIST_MOST_SERIOUS, PAGE_ROWS
from tests.reporting.conftest import SYNTHETIC_START


@pytest.mark.heavy
def test_100k_violations_render_summarized(paris: Agreement, tmp_path: Path) -> None:
    """(Its speed is measured by benchmarks/bench_report.py, not here.)"""
    store = synthetic_store(tmp_path / "store.duckdb", paris, 75_000, SYNTHETIC_START, 28, seed=1)
    data = from_store(paris, store, "2026-03-01..2026-03-28")
    written = write_report(data, tmp_path / "out")
    assert written.violations >= 100_000
    html = (tmp_path / "out" / "report.html").read_text()
    assert html.count('<span class="date">') == LIST_MOST_SERIOUS
    assert html.count('<tbody class="incident"') == -(-LIST_MOST_SERIOUS // PAGE_ROWS)
    assert f"{written.incidents:,} incidents" in html and "most serious" in html
