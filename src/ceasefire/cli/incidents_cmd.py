"""`ceasefire incidents list|show|merge|split`: reports grouped into incidents, and analysts'
judgements on them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.cli.console import fail, out, print_json
from ceasefire.errors import CeasefireError
from ceasefire.incidents.explain import describe_incident, list_incidents
from ceasefire.incidents.judge import Decision, merge, split
from ceasefire.store import EventStore

app = typer.Typer(
    help="Incidents: reports of one occurrence, merged with reasons.", no_args_is_help=True
)
StoreOpt = Annotated[
    Path, typer.Option("--store", help="The store (a run's store.duckdb).", dir_okay=False)
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON output.")]
By = Annotated[str, typer.Option("--by", help="Who makes this judgement.")]
Reason = Annotated[str, typer.Option("--reason", help="Why.")]


@contextmanager
def existing_store(path: Path) -> Iterator[EventStore]:
    """Open a store that exists (never create an empty one by mistake); user errors exit 1."""
    if not path.is_file():
        raise fail(CeasefireError(f"{path}: no such store; give the store.duckdb of a run"))
    try:
        with EventStore(path) as store:
            yield store
    except CeasefireError as exc:
        raise fail(exc) from None


@app.command("list")
def list_command(
    store: StoreOpt,
    min_reports: Annotated[
        int, typer.Option("--min-reports", help="Only incidents of this many reports or more.")
    ] = 1,
    with_violations: Annotated[
        bool, typer.Option("--with-violations", help="Only incidents with violations.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """Incidents, largest first."""
    with existing_store(store) as opened:
        rows = list_incidents(
            opened, min_reports=min_reports, with_violations=with_violations, limit=limit
        )
    if as_json:
        print_json(rows)
        return
    table = Table("incident", "reports", "sources", "grade", "from", "place", "category")
    for r in rows:
        table.add_row(r["incident_id"], str(r["reports"]), r["sources"], r["admiralty_code"],
                      str(r["time_start"])[:16], r["location_name"] or "",
                      r["category"])  # fmt: skip
    out.print(table)


def _print_incident(info: dict[str, Any]) -> None:
    out.print(
        f"[bold]{info['incident_id']}[/] {info['reports']} report(s) from {info['sources']}, "
        f"{str(info['time_start'])[:16]} to {str(info['time_end'])[:16]}, "
        f"{info['location_name'] or 'unnamed place'} ({info['lon']}, {info['lat']}), "
        f"{info['category']}"
    )
    out.print(
        f"Admiralty {info['admiralty_code']}: source reliability {info['source_reliability']}, "
        f"credibility {info['information_credibility']} from {info['independent_sources']} "
        f"independent source(s); confidence factor {info['source_confidence']}"
    )
    reports = Table("report", "source", "time", "radius km", "category", "acting", "origins",
                    "grade", "note", title="Reports")  # fmt: skip
    for r in info["reports_detail"]:
        note = ("anchor " if r["anchor"] else "") + (r["not_merged"] or "")
        reports.add_row(r["event_id"], r["source"], str(r["time_start"])[:16],
                        f"{r['location_radius_km']:g}", r["category"], r["acting_party"] or "",
                        r["origins"], r["reliability"], note)  # fmt: skip
    out.print(reports)
    for link in info["links"]:
        state = "merged" if link["merged"] else f"not merged: {link['blocked']}"
        out.print(f"{link['event_a']} ~ {link['event_b']}: score {link['score']} "
                  f"(threshold {link['threshold']}), {state}")  # fmt: skip
        for reason in link["reasons"]:
            out.print(f"    {reason['contribution']:+.3f} {reason['feature']}: {reason['reason']}")
    for j in info["judgements"]:
        out.print(f"judged {j['judgement']}: {j['event_a']} ~ {j['event_b']} "
                  f"by {j['by']} at {j['at']}: {j['reason']}")  # fmt: skip
    for v in info["violations"]:
        out.print(f"violation {v['violation_id']} ({v['article']}) {v['date']}: {v['status']}, "
                  f"confidence {v['confidence']}, {v['reports']} report(s)")  # fmt: skip


@app.command()
def show(
    incident: Annotated[
        str,
        typer.Argument(help="Incident id, a unique prefix, or the event id of one of its reports."),
    ],
    store: StoreOpt,
    as_json: AsJson = False,
) -> None:
    """An incident: its reports, why they were merged, judgements, grade, violations."""
    with existing_store(store) as opened:
        try:
            info = describe_incident(opened, incident)
        except CeasefireError as exc:
            raise fail(exc) from None
    if as_json:
        print_json(info)
    else:
        _print_incident(info)


def _report(decision: Decision, as_json: bool) -> None:
    if as_json:
        print_json(decision.__dict__)
        return
    out.print(
        f"{decision.judgements} judgement(s) recorded; "
        f"the reports are now in: {', '.join(decision.incidents)}"
    )
    for line in decision.ignored:
        out.print(f"[yellow]not applied[/] (contradicts an earlier judgement): {line}")
    out.print("violations.csv and summary.json follow on the next `ceasefire run`")


@app.command("merge")
def merge_command(
    incidents: Annotated[
        list[str],
        typer.Argument(
            help="Incidents to merge (ids, prefixes or event ids); one incident: confirm its merge."
        ),
    ],
    store: StoreOpt,
    by: By,
    reason: Reason,
    unsure: Annotated[bool, typer.Option("--unsure", help="Record doubt; merge nothing.")] = False,
    as_json: AsJson = False,
) -> None:
    """Merge incidents (or confirm one); the judgement is kept and applied on every run."""
    with existing_store(store) as opened:
        try:
            decision = merge(opened, incidents, who=by, reason=reason, unsure=unsure)
        except CeasefireError as exc:
            raise fail(exc) from None
    _report(decision, as_json)


@app.command("split")
def split_command(
    incident: Annotated[str, typer.Argument(help="The incident.")],
    reports: Annotated[
        list[str],
        typer.Argument(help="Event ids of the reports to split off (they stay together)."),
    ],
    store: StoreOpt,
    by: By,
    reason: Reason,
    as_json: AsJson = False,
) -> None:
    """Split reports off an incident; the judgement is kept and applied on every run."""
    with existing_store(store) as opened:
        try:
            decision = split(opened, incident, reports, who=by, reason=reason)
        except CeasefireError as exc:
            raise fail(exc) from None
    _report(decision, as_json)
