"""`ceasefire report`: the compliance report of a period, from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.agreement import load_agreement
from ceasefire.cli.console import fail, out, print_json
from ceasefire.errors import CeasefireError
from ceasefire.reporting import PERIOD_HELP, PeriodError, from_store, write_report


def report_command(
    agreement: Annotated[str, typer.Argument(help="Bundled agreement name or YAML path.")],
    period: Annotated[str, typer.Option("--period", help=PERIOD_HELP)],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the report.", file_okay=False)],
    store: Annotated[
        Path | None, typer.Option("--store", help="Store file (default: OUT/store.duckdb).")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write the compliance report of a period (report.html, report.pdf) and its exports
    (violations and incidents as CSV, GeoJSON and GeoParquet) to OUT."""
    try:
        data = from_store(load_agreement(agreement), store or out_dir / "store.duckdb", period)
        written = write_report(data, out_dir, pdf=pdf)
    except PeriodError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None
    except CeasefireError as exc:
        raise fail(exc) from None
    result = {
        "agreement": data.agreement.id,
        "period": {"start": data.period.start.isoformat(), "end": data.period.end.isoformat()},
        "violations": written.violations,
        "incidents": written.incidents,
        "files": [p.name for p in written.files],
    }
    if as_json:
        print_json(result)
    elif not quiet:
        out.print(
            f"{data.agreement.id}, {data.period.label}: {written.incidents} incidents, "
            f"{written.violations} violations; {len(written.files)} files in {out_dir}"
        )
