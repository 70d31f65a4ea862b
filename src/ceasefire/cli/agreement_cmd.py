"""`ceasefire agreement list|validate|show|schema`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.agreement import Agreement, bundled_names, load_agreement
from ceasefire.agreement.describe import describe_agreement
from ceasefire.cli.console import fail, out, print_json
from ceasefire.errors import CeasefireError

app = typer.Typer(
    help="Agreements as code: list, validate, show, and the JSON Schema.", no_args_is_help=True
)
AgreementArg = Annotated[
    str, typer.Argument(help="A bundled agreement name or a path to a YAML file.")
]


def _load(ref: str) -> Agreement:
    try:
        return load_agreement(ref)
    except CeasefireError as exc:
        raise fail(exc) from None


@app.command("list")
def list_agreements(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """The agreements bundled with ceasefire."""
    rows = []
    for name in bundled_names():
        agreement = _load(name)
        rows.append(
            {
                "name": name,
                "title": agreement.title,
                "version": agreement.version,
                "status": agreement.status,
            }
        )
    if as_json:
        print_json(rows)
        return
    table = Table("name", "status", "version", "title")
    for row in rows:
        table.add_row(row["name"], row["status"], row["version"], row["title"])
    out.print(table)


@app.command()
def validate(
    agreement: AgreementArg, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Check an agreement; print every problem with its file, line and key."""
    loaded = _load(agreement)
    if as_json:
        print_json({"valid": True, "id": loaded.id, "file": str(loaded.source)})
    else:
        out.print(f"{loaded.source}: valid agreement '{loaded.id}' version {loaded.version}")


def _print_description(info: dict[str, Any]) -> None:
    out.print(f"[bold]{info['title']}[/] ({info['id']} {info['version']}, {info['status']})")
    out.print(
        f"entry into force: {info['entry_into_force']}"
        + (f"; ended: {info['ended']}" if info["ended"] else "")
    )
    parties = Table("party", "name", "aliases", title="Parties")
    for p in info["parties"]:
        parties.add_row(p["id"], p["name"], str(p["aliases"]))
    out.print(parties)
    if info["phases"]:
        phases = Table("phase", "start", "end", "article", title="Phases")
        for p in info["phases"]:
            phases.add_row(p["id"], p["start"], p["end"], p["article"] or "")
        out.print(phases)
    lines = Table("line", "name", "length km", "accuracy km", title="Lines")
    for line in info["lines"]:
        lines.add_row(
            line["id"], line["name"], f"{line['length_km']:.1f}", str(line["accuracy_km"] or "")
        )
    out.print(lines)
    zones = Table("zone", "kind", "party", "area km2 (land)", "weapons", "article", title="Zones")
    for z in info["zones"]:
        for part in z["parts"]:
            zones.add_row(
                z["id"],
                z["kind"],
                part["party"] or "all",
                f"{part['area_km2']:,.0f}",
                ", ".join(z["weapon_classes"]),
                z["article"] or "",
            )
    out.print(zones)
    rules = Table("rule", "article", "title", "where", "from", title="Rules")
    for r in info["rules"]:
        rules.add_row(r["id"], r["article"], r["title"], r["where"], r["after"])
    out.print(rules)
    if info["guarantors"]:
        commitments = Table(
            "guarantor", "commitment", "toward", "valid from", "valid until", title="Guarantors"
        )
        for g in info["guarantors"]:
            for c in g["commitments"]:
                commitments.add_row(
                    g["id"],
                    c["id"],
                    ", ".join(c["toward"]),
                    c["valid_from"],
                    c["valid_until"] or "open",
                )
        out.print(commitments)


@app.command()
def show(
    agreement: AgreementArg,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Parties, entry into force, lines (km), zones (km2), rules and their articles."""
    info = describe_agreement(_load(agreement))
    if as_json:
        print_json(info)
    else:
        _print_description(info)


@app.command()
def schema() -> None:
    """The JSON Schema of the agreement format (for editors)."""
    print(json.dumps(Agreement.model_json_schema(), indent=2))
