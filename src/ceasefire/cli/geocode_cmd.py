"""`ceasefire geocode NAME [--admin1 CODE] [--near LON,LAT] [--json]`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ceasefire.cli.console import fail, out, print_json
from ceasefire.errors import CeasefireError
from ceasefire.geocode import GeocodeResult, admin1_code, geocode


def _near(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lon, lat = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            f"'{text}': expected LON,LAT in degrees, e.g. 37.8,48.0", param_hint="--near"
        ) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise typer.BadParameter(
            f"'{text}': expected lon -180..180 and lat -90..90", param_hint="--near"
        )
    return lon, lat


def _show(result: GeocodeResult) -> None:
    if result.place is not None:
        p = result.place
        out.print(
            f"{result.query}: {p.name} ({p.admin1 or p.country}) lon {p.lon:.5f} lat {p.lat:.5f}, "
            f"geonameid {p.geonameid}, confidence {result.confidence:.2f}"
        )
        out.print(f"  {result.basis}")
    else:
        out.print(f"{result.query}: {result.status.replace('_', ' ')}: {result.basis}")
    if result.candidates:
        near = any(c.near_km is not None for c in result.candidates)
        table = Table(
            "name",
            "admin1",
            "lon",
            "lat",
            "people",
            "front km",
            *(["near km"] if near else []),
            "geonameid",
        )
        for c in result.candidates:
            front = "" if c.front_km is None else f"{c.front_km:.0f}"
            extra = [f"{c.near_km:.0f}"] if near and c.near_km is not None else [""] if near else []
            table.add_row(
                c.name,
                c.admin1 or c.country,
                f"{c.lon:.4f}",
                f"{c.lat:.4f}",
                f"{c.population:,}",
                front,
                *extra,
                str(c.geonameid),
            )
        out.print(table)


def geocode_command(
    name: Annotated[
        str, typer.Argument(help="Place name (English, Ukrainian, Russian, old names).")
    ],
    admin1: Annotated[
        str | None, typer.Option("--admin1", help="Admin-1 unit: ISO 3166-2 code (UA-14) or name.")
    ] = None,
    near: Annotated[
        str | None, typer.Option("--near", help="A point the place is near: LON,LAT.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Look a place up in the offline gazetteer (GeoNames): the place with its coordinates,
    admin-1, geonameid and confidence, or 'ambiguous' with the candidates. Exit code 1 when
    nothing matches."""
    point = _near(near)
    if admin1 is not None and admin1_code(admin1) is None:
        raise fail(
            CeasefireError(
                f"--admin1 '{admin1}': not an admin-1 unit of Ukraine or Russia; expected an "
                "ISO 3166-2 code such as UA-14 or a name such as 'Donetsk oblast'"
            )
        )
    result = geocode(name, admin1=admin1, near=point)
    if as_json:
        print_json(result.to_dict())
    else:
        _show(result)
    if result.status == "not_found" and not result.candidates:
        raise typer.Exit(1)
