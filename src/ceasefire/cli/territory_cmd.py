"""`ceasefire territory FILES... [--date D] [--json]` and `ceasefire territory diff A B`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ceasefire.agreement import Agreement, load_agreement
from ceasefire.cli.console import err, fail, out, print_json
from ceasefire.errors import CeasefireError
from ceasefire.territory.areas import area_table, as_of, map_areas
from ceasefire.territory.changes import Change, MapState, compute_change
from ceasefire.territory.judge import default_party, opponents, resolve_parties
from ceasefire.territory.maps import ControlMap, agreement_maps, merge_maps, read_control_maps
from ceasefire.territory.violations import judge_changes

ROW_KEYS = ["date", "admin1", "name", "party", "area_km2", "share", "level"]

Files = Annotated[
    list[str] | None,
    typer.Argument(
        help="Control maps (GeoJSON files or folders); or 'diff A B' to compare two maps.",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON for scripts.")]
When = Annotated[
    str | None, typer.Option("--date", help="Only this date (the latest map on or before it).")
]
Party = Annotated[
    str | None,
    typer.Option("--party", help="Whose area the maps show when features do not say [RU]."),
]
Other = Annotated[
    str | None,
    typer.Option(
        "--other", help="The party holding the rest; its gains are the maps' losses [UA]."
    ),
]
AgreementOpt = Annotated[
    str | None,
    typer.Option(
        "--agreement",
        help="Agreement (name or path): its controlled area as a map, its parties and tolerances.",
    ),
]


def _read(
    paths: list[str], agreement: Agreement | None, party: str | None, own: bool = True
) -> list[ControlMap]:
    """The maps in the files, with the agreement's parties and (own) its controlled area."""
    default = party or (default_party(agreement) if agreement else "RU")
    maps = read_control_maps([Path(p) for p in paths], default) if paths else []
    if agreement is not None:
        maps = resolve_parties(maps, agreement) + (agreement_maps(agreement) if own else [])
    if not maps:
        raise CeasefireError("no control maps given; expected FILES... or --agreement")
    return merge_maps(maps)


def _warn(maps: list[ControlMap]) -> None:
    for m in maps:
        for line in [*m.repairs, *m.notes]:
            err.print(f"[yellow]note:[/] {line}", markup=True)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CeasefireError(f"--date '{text}' is not a date; expected YYYY-MM-DD") from None


def _print_areas(table: pd.DataFrame, sources: dict[str, str]) -> None:
    for (when, party), rows in table.groupby(["date", "party"], sort=True):
        shown = rows[rows["area_km2"] > 0]
        view = Table(
            "unit", "ISO", "km2", "share", title=f"{party} on {when} ({sources[str(when)]})"
        )
        for row in shown.to_dict(orient="records"):
            total = row["level"] == "country"
            view.add_row(
                f"[bold]{row['name']}[/]" if total else str(row["name"]), str(row["admin1"]),
                f"{row['area_km2']:,.1f}", f"{100 * row['share']:.1f}%",
            )  # fmt: skip
        out.print(view)


def territory_command(
    files: Files = None,
    when: When = None,
    as_json: AsJson = False,
    party: Party = None,
    other: Other = None,
    agreement: AgreementOpt = None,
) -> None:
    """Area held by each party per admin-1 unit (km2 on the ellipsoid, land only) and each
    unit's share; `territory diff A B`: gains and losses, places that changed hands, how far
    the front moved."""
    args = list(files or [])
    try:
        loaded = load_agreement(agreement) if agreement else None
        if args[:1] == ["diff"]:
            _diff(args[1:], loaded, party, other, as_json)
            return
        maps = _read(args, loaded, party)
        if when is not None:
            maps = [as_of(maps, _parse_date(when))]
    except ValueError as exc:
        raise fail(CeasefireError(str(exc))) from None
    except CeasefireError as exc:
        raise fail(exc) from None
    _warn(maps)
    table = area_table([map_areas(m) for m in maps])
    if as_json:
        print_json(table[ROW_KEYS].to_dict(orient="records"))
    else:
        _print_areas(table, {m.date.isoformat(): Path(m.source).name for m in maps})


def _one_map(path: str, agreement: Agreement | None, party: str | None) -> ControlMap:
    maps = _read([path], agreement, party, own=False)
    if len(maps) != 1:
        dates = ", ".join(m.date.isoformat() for m in maps)
        raise CeasefireError(
            f"{path}: holds maps of {len(maps)} dates ({dates}); expected one map for "
            "`territory diff` (use `ceasefire territory FILE` for the table of every date)"
        )
    return maps[0]


def _diff(
    args: list[str], agreement: Agreement | None, party: str | None, other: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    if len(args) != 2:
        raise CeasefireError(
            f"territory diff: expected two control maps A B, got {len(args)} argument(s)"
        )
    old, new = sorted((_one_map(a, agreement, party) for a in args), key=lambda m: m.date)
    if old.date == new.date:
        raise CeasefireError(f"{args[0]} and {args[1]}: both maps are of {old.date}")
    rivals = opponents(agreement) if agreement else {}
    if not rivals:
        mapped = party or "RU"
        rival = other or "UA"
        rivals = {mapped: rival, rival: mapped}
    _warn([old, new])
    change = compute_change(MapState(old), MapState(new), rivals)
    violations = judge_changes(agreement, [change])[0] if agreement else None
    result: dict[str, Any] = {
        "date_from": old.date.isoformat(),
        "date_to": new.date.isoformat(),
        "files": [old.source, new.source],
        "units": change.units.to_dict(orient="records"),
        "front": change.front.to_dict(orient="records"),
        "places": change.places.to_dict(orient="records"),
        "parts": change.parts.to_dict(orient="records"),
        "repairs": [*old.repairs, *new.repairs],
    }
    if violations is not None:
        result["violations"] = violations.astype(object).fillna("").to_dict(orient="records")
    if as_json:
        print_json(result)
    else:
        _print_change(change, violations)


def _print_change(change: Change, violations: pd.DataFrame | None) -> None:
    title = f"Changes from {change.date_from} to {change.date_to}"
    units = Table("party", "unit", "ISO", "gained km2", "lost km2", "net km2", title=title)
    for row in change.units.to_dict(orient="records"):
        units.add_row(
            str(row["party"]), str(row["name"]), str(row["admin1"]), f"{row['gained_km2']:,.2f}",
            f"{row['lost_km2']:,.2f}", f"{row['net_km2']:+,.2f}",
        )  # fmt: skip
    out.print(units)
    for row in change.front.to_dict(orient="records"):
        out.print(
            f"front moved by {row['party']}'s gains: median {row['moved_km_median']:.2f} km, "
            f"at most {row['moved_km_max']:.2f} km ({row['points']} points sampled)"
        )
    places = change.places
    if len(places):
        view = Table("place", "population", "ISO", "from", "to", title="Places that changed hands")
        for row in places.head(20).to_dict(orient="records"):
            view.add_row(
                str(row["name"]), f"{row['population']:,}", str(row["admin1"]),
                str(row["from_party"]), str(row["to_party"]),
            )  # fmt: skip
        out.print(view)
        if len(places) > 20:
            out.print(f"... and {len(places) - 20} more (--json lists all)")
    if violations is not None:
        out.print(f"{len(violations)} territorial violation(s)")
        for row in violations.to_dict(orient="records"):
            out.print(f"  {row['rule_id']} ({row['article']}): {row['explanation']}")
