"""Benchmark: the compliance report of a large period (about 100,000 violations).

    python benchmarks/bench_report.py [--events 75000] [--days 28] [--baseline-rows 1000]

Builds a store of synthetic event reports near the Paris draft's line, then times
`from_store` (read and check the period) and `write_report` (map, charts, HTML, PDF, GeoJSON,
GeoParquet, CSV), step by step. The baseline is the naive report: every violation as a row
of one HTML table printed to PDF with the same engine. It is timed on --baseline-rows rows
and scaled linearly to the full count (printing 100,000 rows outright takes too long to wait
for; pass --baseline-rows 0 to print them all). Target: the report in under 60 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jinja2
from pypdf import PdfReader

from ceasefire.agreement import load_agreement
from ceasefire.reporting import from_store
from ceasefire.reporting.build import write_report
from ceasefire.reporting.html import draw, render_html
from ceasefire.reporting.pdf import render_pdf
from ceasefire.reporting.synthetic import synthetic_store

NAIVE = jinja2.Template(
    "<html><head><style>@page { size: A4; @bottom-right { content: counter(page) } }"
    "table { font-size: 7pt; border-collapse: collapse } td { border: 1px solid #999 }</style>"
    "</head><body><table><thead><tr>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr>"
    "</thead><tbody>{% for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}"
    "</tr>{% endfor %}</tbody></table></body></html>",
    autoescape=True,
)
COLUMNS = [
    "date",
    "event_id",
    "rule_id",
    "party",
    "side",
    "distance_km",
    "confidence",
    "explanation",
]


def timed(label: str, results: dict[str, float], action):  # type: ignore[no-untyped-def]
    started, cpu = time.perf_counter(), time.process_time()
    value = action()
    results[label] = time.perf_counter() - started
    results[f"cpu {label}"] = time.process_time() - cpu
    print(
        f"  {label:<34} {results[label]:8.2f} s  (cpu {results[f'cpu {label}']:.2f} s)", flush=True
    )
    return value


def naive_pdf(rows: list[list[object]]) -> bytes:
    """The whole table, one row per violation, printed."""
    return render_pdf(NAIVE.render(columns=COLUMNS, rows=rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=75_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    args = parser.parse_args()
    agreement = load_agreement("paris-2026-draft")
    start = datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=2)))
    period = f"2026-03-01..{(start + timedelta(days=args.days - 1)).date().isoformat()}"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        print(f"store: {args.events:,} synthetic event reports over {args.days} days")
        store = synthetic_store(root / "store.duckdb", agreement, args.events, start, args.days)
        results: dict[str, float] = {}
        print("end to end (a fresh read, as `ceasefire report` does it):")
        data = timed(
            "read and check the period", results, lambda: from_store(agreement, store, period)
        )
        written = timed(
            "write_report (all files)", results, lambda: write_report(data, root / "out")
        )
        report = results["read and check the period"] + results["write_report (all files)"]
        count = written.violations
        print(f"  violations: {count:,}, incidents: {written.incidents:,}")
        pages = len(PdfReader(root / "out" / "report.pdf").pages)
        verdict = "under" if report < 60 else "OVER"
        cpu = results["cpu read and check the period"] + results["cpu write_report (all files)"]
        print(f"report: {report:.2f} s end to end ({verdict} 60 s), {pages} PDF pages")
        print(f"  process CPU time {cpu:.2f} s (what an idle machine would take, roughly)")
        sizes = {p.name: p.stat().st_size for p in sorted((root / "out").iterdir())}
        print("  files: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()))
        print("steps, on a second fresh read:")
        data = from_store(agreement, store, period)
        timed("incidents (grouping)", results, data.incidents)
        figures = timed("map and charts", results, lambda: draw(data))
        html = timed("HTML", results, lambda: render_html(data, figures))
        timed("PDF", results, lambda: render_pdf(html))
        rows = data.violations[COLUMNS].astype(str).to_numpy().tolist()
        sample = rows if args.baseline_rows <= 0 else rows[: args.baseline_rows]
        naive = timed(
            f"baseline: naive PDF of {len(sample):,} rows", results, lambda: naive_pdf(sample)
        )
        scaled = (
            results[f"baseline: naive PDF of {len(sample):,} rows"] * count / max(len(sample), 1)
        )
        print(f"  naive PDF: {len(naive) / 1e6:.1f} MB for {len(sample):,} rows")
        label = "measured" if len(sample) == count else f"scaled linearly from {len(sample):,} rows"
        print(f"baseline: naive full table of {count:,} rows: {scaled:.1f} s ({label})")
        print(f"ratio: the report is {scaled / report:.1f}x faster than the naive full table")


if __name__ == "__main__":
    main()
