"""`ceasefire violations list|status`: violations counted per incident, and their status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ceasefire.cli.console import fail, out, print_json
from ceasefire.cli.incidents_cmd import existing_store
from ceasefire.errors import CeasefireError
from ceasefire.evidence.store import EvidenceStore
from ceasefire.incidents.status import STATUSES, current_status, history, set_status
from ceasefire.store import incident_tables as tables

app = typer.Typer(help="Violations per incident and their status history.", no_args_is_help=True)
StoreOpt = Annotated[
    Path, typer.Option("--store", help="The store (a run's store.duckdb).", dir_okay=False)
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON output.")]


@app.command("list")
def list_command(
    store: StoreOpt,
    status: Annotated[
        str | None, typer.Option("--status", help=f"Only this status: {', '.join(STATUSES)}.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 100,
    as_json: AsJson = False,
) -> None:
    """Violations of the last run, one per incident and rule."""
    with existing_store(store) as opened:
        if not tables.exists(opened.con, "incident_violations"):
            raise fail(
                CeasefireError("this store has no violations yet; run `ceasefire run` first")
            )
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        frame = tables.query(
            opened.con,
            "SELECT violation_id, date, rule_id, article, party, reports, admiralty_code, "
            f"confidence, status FROM incident_violations {where} "
            "ORDER BY date, violation_id LIMIT ?",
            [*params, limit],
        )
    if as_json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return
    table = Table(
        "violation", "date", "article", "party", "reports", "grade", "confidence", "status"
    )
    for r in frame.astype(str).to_dict("records"):
        party = r["party"] or "unattributed"
        table.add_row(r["violation_id"], r["date"], r["article"], party, r["reports"],
                      r["admiralty_code"], r["confidence"][:5], r["status"])  # fmt: skip
    out.print(table)


@app.command()
def status(
    violation: Annotated[
        str, typer.Argument(help="Violation id (incident id/rule id) or a unique prefix.")
    ],
    store: StoreOpt,
    new_status: Annotated[
        str | None, typer.Option("--set", help=f"New status: {', '.join(STATUSES)}.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (required with --set).")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who decides (required with --set).")
    ] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="disputed: the party that disputes it.")
    ] = None,
    response: Annotated[
        str | None,
        typer.Option("--response", help="disputed: the party's response (kept as evidence)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Show a violation's status and history, or change it (--set, --reason, --by)."""
    with existing_store(store) as opened:
        try:
            if new_status is not None:
                if not reason or not by:
                    raise CeasefireError("--set needs --reason (why) and --by (who)")
                set_status(opened, violation, new_status, who=by, reason=reason, party=party,
                           response=response, evidence=EvidenceStore.beside(store))  # fmt: skip
            violation_id = tables.resolve_violation(opened.con, violation)
            entries = history(opened, violation_id)
            now = current_status(opened, violation_id)
        except CeasefireError as exc:
            raise fail(exc) from None
    records = entries.astype(object).where(entries.notna(), None).to_dict("records")
    if as_json:
        print_json({"violation_id": violation_id, "status": now, "history": records})
        return
    out.print(f"[bold]{violation_id}[/]: {now}")
    for e in records:
        party_note = f" ({e['party']}: {e['response']})" if e.get("party") else ""
        out.print(
            f"  {str(e['made_at'])[:19]} {e['previous']} -> {e['status']} by {e['who']}: "
            f"{e['reason']}{party_note}"
        )
