"""Write a report: report.html, report.pdf and the GIS/spreadsheet exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ceasefire.adjudicate import VIOLATION_COLUMNS
from ceasefire.outputs.atomic import write_text, write_with
from ceasefire.reporting.data import ReportData
from ceasefire.reporting.exports import write_exports
from ceasefire.reporting.html import draw, render_html
from ceasefire.reporting.pdf import render_pdf

#: files a report adds beside report.html (the run's outputs contract only grows)
REPORT_FILES = (
    "report.html", "report.pdf", "violations.geojson", "violations.parquet",
    "incidents.geojson", "incidents.parquet",
)  # fmt: skip


@dataclass
class Written:
    """What was written, with the figures a caller may want to show."""

    files: list[Path]
    violations: int
    incidents: int


def write_report(data: ReportData, out_dir: Path, *, pdf: bool = True, csv: bool = True) -> Written:
    """Render and write the report and its exports to out_dir (each file atomically).
    csv: also write violations.csv and incidents.csv (the run writes its own violations.csv)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(data, draw(data))
    write_text(out_dir / "report.html", html)
    files = [out_dir / "report.html"]
    if pdf:
        document = render_pdf(html)

        def save(path: Path) -> None:
            path.write_bytes(document)

        write_with(out_dir / "report.pdf", save)
        files.append(out_dir / "report.pdf")
    files += write_exports(data.violations, data.incidents(), out_dir, VIOLATION_COLUMNS, csv=csv)
    incidents = int(data.violations["incident_id"].nunique()) if len(data.violations) else 0
    return Written(files, len(data.violations), incidents)
