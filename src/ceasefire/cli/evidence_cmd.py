"""`ceasefire evidence add|show|verify|list`: items stored by SHA-256, and the chain of custody."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.cli.console import fail, out, print_json
from ceasefire.cli.incidents_cmd import existing_store
from ceasefire.errors import CeasefireError
from ceasefire.evidence.runs import operator
from ceasefire.evidence.store import KINDS, EvidenceStore, evidence_folder
from ceasefire.store import incident_tables as tables

app = typer.Typer(
    help="Evidence: items by SHA-256 and the hash-chained custody log.", no_args_is_help=True
)
StoreOpt = Annotated[
    Path,
    typer.Option(
        "--store",
        help="The store; evidence is in the folder beside it (store.evidence/).",
        dir_okay=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON output.")]


def _evidence(store: Path, create: bool = False) -> EvidenceStore:
    folder = evidence_folder(store)
    if not create and not folder.is_dir() and not store.is_file():
        raise fail(CeasefireError(f"{store}: no such store and no evidence beside it ({folder})"))
    return EvidenceStore(folder)


@app.command()
def add(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files to store (report text, image, document, data).", exists=True, dir_okay=False
        ),
    ],
    store: StoreOpt,
    sender: Annotated[str, typer.Option("--from", help="Who handed it over.")],
    channel: Annotated[
        str, typer.Option("--channel", help="How it came: e-mail, upload, patrol, courier, ...")
    ],
    by: Annotated[
        str | None, typer.Option("--by", help="Who registers it (default: this user).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help=f"One of {', '.join(KINDS)} (default: from the name)."),
    ] = None,
    received_at: Annotated[
        str | None,
        typer.Option("--received-at", help="When it was received (ISO 8601), if not now."),
    ] = None,
    event: Annotated[
        list[str] | None, typer.Option("--event", help="Attach to a report (event id); repeatable.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="A note for the log.")] = "",
    as_json: AsJson = False,
) -> None:
    """Store files by their SHA-256 and log their receipt (and attachment to reports). Items
    may come before any run: the evidence folder beside the store is created."""
    evidence = _evidence(store, create=True)
    who = by or operator()
    events: list[str] = []
    if event:
        with existing_store(store) as opened:
            try:
                events = [tables.resolve_event(opened.con, e) for e in event]
            except CeasefireError as exc:
                raise fail(exc) from None
    added: list[dict[str, Any]] = []
    try:
        for path in files:
            item = evidence.receive(path, sender=sender, channel=channel, by=who, kind=kind,
                                    received_at=received_at, note=note)  # fmt: skip
            for event_id in events:
                evidence.attach(item.sha256, by=who, event_id=event_id, note=note)
            added.append(
                {
                    "file": str(path),
                    "sha256": item.sha256,
                    "size": item.size,
                    "new": item.new,
                    "events": events,
                }
            )
    except CeasefireError as exc:
        raise fail(exc) from None
    if as_json:
        print_json(added)
        return
    for done in added:
        state = "stored" if done["new"] else "already held; receipt logged"
        attached = f"; attached to {', '.join(done['events'])}" if done["events"] else ""
        out.print(f"{done['sha256']}  {done['file']} ({done['size']} bytes): {state}{attached}")


def _entry_line(entry: dict[str, Any], sha: str) -> str:
    action = entry.get("action")
    if action == "received":
        return (
            f"received from {entry.get('from')} by {entry.get('channel')}, "
            f"registered by {entry.get('by')} ({entry.get('name')})"
        )
    if action == "attached":
        target = entry.get("event_id") or entry.get("violation_id")
        return f"attached to {target} by {entry.get('by')}" + (
            f": {entry['note']}" if entry.get("note") else ""
        )
    if action == "derived":
        role = "input of" if sha in entry.get("inputs", []) else "output of"
        agreement = entry.get("agreement", {}).get("id")
        return f"{role} run {entry.get('run')} by {entry.get('by')} (agreement {agreement})"
    return str(action)


@app.command()
def show(
    item: Annotated[
        str, typer.Argument(help="SHA-256 of the item, or a unique prefix (6+ digits).")
    ],
    store: StoreOpt,
    as_json: AsJson = False,
) -> None:
    """An item: where it is, and every custody entry about it."""
    evidence = _evidence(store)
    try:
        sha = evidence.resolve(item)
    except CeasefireError as exc:
        raise fail(exc) from None
    history = evidence.history(sha)
    if as_json:
        print_json({"sha256": sha, "path": str(evidence.path_of(sha)), "entries": history})
        return
    out.print(f"[bold]{sha}[/] at {evidence.path_of(sha)}")
    for entry in history:
        out.print(f"  #{entry['seq']} {entry['at']}: {_entry_line(entry, sha)}")


@app.command("list")
def list_command(store: StoreOpt, as_json: AsJson = False) -> None:
    """Every item received, oldest first."""
    evidence = _evidence(store)
    items = [e for e in evidence.log.entries() if e.get("action") == "received"]
    if as_json:
        print_json(items)
        return
    table = Table("sha256", "name", "kind", "size", "from", "channel", "received")
    for e in items:
        table.add_row(
            e["sha256"][:16],
            e["name"],
            e["kind"],
            str(e["size"]),
            e["from"],
            e["channel"],
            e["at"][:19],
        )
    out.print(table)


@app.command()
def verify(store: StoreOpt, as_json: AsJson = False) -> None:
    """Check the custody log's chain and every stored item; name the first bad entry.
    Exit 1 when anything was changed, removed, reordered or is missing."""
    evidence = _evidence(store)
    result = evidence.verify()
    if as_json:
        bad = result.first_bad
        print_json({
            "ok": result.ok, "entries": result.entries, "head": result.head,
            "first_bad": None if bad is None else {**bad.__dict__, "message": str(bad)},
            "objects_checked": result.objects_checked, "bad_objects": result.bad_objects,
        })  # fmt: skip
    elif result.ok:
        out.print(
            f"ok: {result.entries} entries chained, head {result.head}; "
            f"{result.objects_checked} items match their hashes"
        )
    else:
        if result.first_bad is not None:
            out.print(f"[bold red]custody log broken[/] at {result.first_bad}")
            out.print(f"entries before it are intact: {result.entries} (head {result.head})")
        for sha in result.bad_objects:
            out.print(f"[bold red]item changed or missing[/]: {sha}")
    if not result.ok:
        raise typer.Exit(1)
