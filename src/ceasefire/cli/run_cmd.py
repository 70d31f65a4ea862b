"""`ceasefire run` and `ceasefire demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ceasefire.cli.console import fail, out, print_json, progress_bar
from ceasefire.errors import CeasefireError
from ceasefire.pipeline import RunResult, run
from ceasefire.resources import data_path

DEMO_AGREEMENT = "minsk-ii-2015"
DEMO_EVENTS = ("events", "ucdp_ged_2023_sample_ua_ru.csv")

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or tables.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print summary.json to stdout.")]
OutDir = Annotated[Path, typer.Option("--out", help="Folder for the outputs.", file_okay=False)]


def _show(result: RunResult, quiet: bool, as_json: bool) -> None:
    if as_json:
        print_json(result.summary)
        return
    if quiet:
        return
    for report in result.reports:
        out.print(
            f"{report.file}: {report.rows_read} rows read, {report.rows_new} new, "
            f"{report.rows_already_stored} already stored, {len(report.skipped)} skipped"
        )
        for issue in report.skipped[:10]:
            out.print(
                f"  row {issue.row}: {issue.reason}"
                + (f" ({issue.column}={issue.value})" if issue.column else "")
            )
        if len(report.skipped) > 10:
            out.print(f"  ... {len(report.skipped) - 10} more in issues.json")
        if report.unknown_actors:
            out.print(f"  unknown actors: {', '.join(sorted(report.unknown_actors)[:10])}")
    summary = result.summary
    table = Table("party", "violations", title=f"Violations of {summary['agreement']['id']}")
    for party, count in summary["violations"]["by_party"].items():
        table.add_row(party, str(count))
    out.print(table)
    out.print(
        f"{summary['events']['total']} events checked, "
        f"{summary['violations']['total']} violations; outputs in {result.out_dir}"
    )


def run_command(
    agreement: Annotated[str, typer.Argument(help="Bundled agreement name or YAML path.")],
    events: Annotated[
        list[Path], typer.Option("--events", help="Event files (several after one flag).")
    ],
    out_dir: OutDir,
    control: Annotated[
        list[Path] | None, typer.Option("--control", help="Control maps (GeoJSON).")
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Store file (default: OUT/store.duckdb).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Source of the event files (default: detected).")
    ] = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
) -> None:
    """Check events against an agreement and write events.parquet, violations.csv,
    summary.json, report.html and issues.json to OUT; with --control, also territory.csv and
    territory_changes.geojson, and gains after entry into force as violations."""
    try:
        with progress_bar(quiet or as_json) as progress:
            result = run(
                agreement, events, out_dir, store_path=store, source=source, progress=progress,
                control_files=control or (),
            )  # fmt: skip
    except CeasefireError as exc:
        raise fail(exc) from None
    _show(result, quiet, as_json)


def demo_command(
    out_dir: OutDir = Path("ceasefire-demo"), quiet: Quiet = False, as_json: AsJson = False
) -> None:
    """Run the whole job on the bundled data (Minsk II and the real UCDP sample), offline."""
    try:
        with progress_bar(quiet or as_json) as progress:
            result = run(DEMO_AGREEMENT, [data_path(*DEMO_EVENTS)], out_dir, progress=progress)
    except CeasefireError as exc:
        raise fail(exc) from None
    _show(result, quiet, as_json)
