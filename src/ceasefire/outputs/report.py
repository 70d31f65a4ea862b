"""report.html (and report.pdf, GeoJSON and GeoParquet exports) of a run: the same compliance
report as `ceasefire report`, over every stored event (see ceasefire.reporting)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ceasefire.agreement.model import Agreement
from ceasefire.reporting import from_run, write_report
from ceasefire.reporting.html import render_html


def render_report(
    agreement: Agreement,
    summary: dict[str, Any],
    violations: pd.DataFrame,
    issues: list[dict[str, Any]],
    out_dir: Path | None = None,
) -> str:
    """The HTML report (deterministic: same inputs, same bytes). With out_dir, event details
    come from its events.parquet and the optional sections from its other outputs."""
    return render_html(from_run(agreement, summary, violations, issues, out_dir))


def write_run_report(
    out_dir: Path,
    agreement: Agreement,
    summary: dict[str, Any],
    violations: pd.DataFrame,
    issues: list[dict[str, Any]],
) -> list[Path]:
    """Write report.html, report.pdf and the exports of a run. Call it last: it reads the
    run's other outputs (events.parquet, territory.csv, triggers.csv)."""
    data = from_run(agreement, summary, violations, issues, out_dir)
    return write_report(data, out_dir, pdf=True, csv=False).files
