"""A description of an agreement with measured lengths and areas (for `agreement show`)."""

from __future__ import annotations

from typing import Any

from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import Agreement, PhaseTime
from ceasefire.geo.projection import geodesic_length_km
from ceasefire.geo.zones import land_area_km2, zone_shapes


def _time_text(value: object) -> str:
    if isinstance(value, PhaseTime):
        return f"{value.at} of phase {value.phase}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _where_text(where: Any) -> str:
    kind = where.kind
    if kind == "zone":
        return f"in zone {where.zone}"
    if kind == "beyond":
        return f"beyond {where.beyond_km} km of {where.line}"
    if kind == "across":
        return f"across line {where.across_line}"
    return "anywhere"


def describe_agreement(agreement: Agreement) -> dict[str, Any]:
    """JSON-ready description: parties, times, lines with lengths, zones with areas, rules."""
    prep = PreparedAgreement(agreement)
    zones = []
    for zone in agreement.zones:
        parts = [
            {"party": s.party, "area_km2": round(land_area_km2(s.geometry), 1)}
            for s in zone_shapes(prep, zone)
        ]
        zones.append(
            {
                "id": zone.id,
                "kind": zone.kind,
                "name": zone.name,
                "article": zone.article,
                "weapon_classes": [str(w) for w in zone.weapon_classes],
                "parts": parts,
            }
        )
    return {
        "id": agreement.id,
        "title": agreement.title,
        "version": agreement.version,
        "status": agreement.status,
        "file": str(agreement.source),
        "entry_into_force": agreement.entry_into_force.isoformat(),
        "ended": agreement.ended.isoformat() if agreement.ended else None,
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "aliases": sum(len(v) for v in p.aliases.model_dump().values()),
            }
            for p in agreement.parties
        ],
        "phases": [
            {
                "id": p.id,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "article": p.article,
            }
            for p in agreement.phases
        ],
        "lines": [
            {
                "id": line.id,
                "name": line.name,
                "accuracy_km": line.accuracy_km,
                "length_km": round(geodesic_length_km(line.geometry.shape), 1),
            }
            for line in agreement.lines
        ],
        "zones": zones,
        "rules": [
            {
                "id": r.id,
                "article": r.article,
                "title": r.title,
                "where": _where_text(r.where),
                "after": _time_text(r.when.after),
                "categories": [str(c) for c in r.categories],
            }
            for r in agreement.rules
        ],
        "guarantors": [
            {
                "id": g.id,
                "name": g.name,
                "commitments": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "toward": c.toward,
                        "valid_from": _time_text(c.valid_from),
                        "valid_until": (
                            end.isoformat() if (end := agreement.commitment_end(c)) else None
                        ),
                    }
                    for c in g.commitments
                ],
            }
            for g in agreement.guarantors
        ],
    }
