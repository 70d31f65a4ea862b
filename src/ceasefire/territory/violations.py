"""Gains of territory after entry into force as violations of the no-offensive rule.

Between two maps, a party's gained parts that reach more than `territory.tolerance_m` beyond
its previous front are counted; when they total more than `territory.tolerance_km2`, each
admin-1 unit with counted gains is one violation of every rule with the category
`offensive_movement`, attributed to the party that gained. A map dated D shows the situation
at the end of D (agreement time zone), so the change happened in (end of the earlier date,
end of the later date]."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import shapely

from ceasefire.adjudicate import VIOLATION_COLUMNS, PreparedAgreement
from ceasefire.agreement.model import Agreement, Rule
from ceasefire.taxonomy import Category
from ceasefire.territory.changes import Change

CERTAIN, POSSIBLE, OUTSIDE = 2, 1, 0
SOURCE = "territory"


def end_of_day(day: date, agreement: Agreement) -> datetime:
    """The end of a map's date in the agreement's time zone."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(agreement.timezone))


def offensive_rules(agreement: Agreement) -> list[Rule]:
    """Rules a territorial gain can break: category offensive_movement, applying anywhere or
    across a line (zone and distance conditions do not apply to a change of control)."""
    return [
        r for r in agreement.rules
        if Category.OFFENSIVE_MOVEMENT in r.categories and r.where.kind in ("anywhere", "across")
    ]  # fmt: skip


def time_check(agreement: Agreement, rule: Rule, start: datetime, end: datetime) -> int:
    """Whether the interval (start, end] lies in the rule's period: 2 certainly, 1 possibly."""
    after = agreement.resolve_time(rule.when.after)
    until = agreement.resolve_time(rule.when.until) if rule.when.until is not None else None
    if agreement.ended is not None:
        until = agreement.ended if until is None else min(until, agreement.ended)
    if end <= after or (until is not None and start >= until):
        return OUTSIDE
    if start >= after and (until is None or end <= until):
        return CERTAIN
    return POSSIBLE


def _excepted(rule: Rule, party: str) -> bool:
    for exception in rule.exceptions:
        if exception.weapon_classes or exception.zones:
            continue  # conditions a change of control cannot meet
        if exception.categories and Category.OFFENSIVE_MOVEMENT not in exception.categories:
            continue
        if exception.parties and party not in exception.parties:
            continue
        return True
    return False


def _in_scope(agreement: Agreement, admin1: str) -> bool:
    scope = agreement.scope
    if not scope.admin1 and not scope.countries:
        return True
    return admin1 in scope.admin1 or admin1.split("-", 1)[0] in scope.countries


def counted_parts(change: Change, tolerance_m: float) -> np.ndarray:
    """Parts that reach beyond the tolerance from the previous front."""
    deep = change.parts["depth_km"].to_numpy(dtype=float) * 1000.0 > tolerance_m
    attributed = change.parts["gainer"].to_numpy(dtype=object) != ""
    return np.asarray(deep & attributed, dtype=bool)


def _places_text(change: Change, party: str, admin1: str) -> str:
    places = change.places
    taken = places[(places["to_party"] == party) & (places["admin1"] == admin1)]
    if not len(taken):
        return "no populated place in GeoNames changed hands"
    shown = [f"{r.name} (pop. {r.population:,})" for r in taken.head(5).itertuples()]
    more = f" and {len(taken) - 5} more" if len(taken) > 5 else ""
    return "places taken: " + ", ".join(shown) + more


def judge_changes(
    agreement: Agreement,
    changes: Sequence[Change],
    *,
    approximate_m: dict[int, float] | None = None,
    prep: PreparedAgreement | None = None,
) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Violations (VIOLATION_COLUMNS) and, per change, the violation id of each part ('' for
    none). approximate_m raises tolerance_m for a change whose earlier map is approximate."""
    policy = agreement.territory
    rules = offensive_rules(agreement)
    approximate_m = approximate_m or {}
    rows: list[dict[str, object]] = []
    ids: list[np.ndarray] = []
    for k, change in enumerate(changes):
        part_ids = np.full(len(change.parts), "", dtype=object)
        ids.append(part_ids)
        if not len(change.parts) or not rules:
            continue
        tolerance_m = max(policy.tolerance_m, approximate_m.get(k, 0.0))
        counted = counted_parts(change, tolerance_m)
        start = end_of_day(change.date_from, agreement)
        end = end_of_day(change.date_to, agreement)
        parts = change.parts
        for party in sorted(set(parts.loc[counted, "gainer"])):
            mine = counted & (parts["gainer"].to_numpy(dtype=object) == party)
            total = float(parts.loc[mine, "area_km2"].sum())
            if total <= policy.tolerance_km2:
                continue
            for admin1 in sorted(set(parts.loc[mine, "admin1"])):
                here = mine & (parts["admin1"].to_numpy(dtype=object) == admin1)
                found = _unit_rows(
                    agreement, rules, change, party, str(admin1), here, total, tolerance_m,
                    (start, end),
                )  # fmt: skip
                if found:
                    part_ids[here] = found[0]["event_id"]
                    rows.extend(found)
    table = pd.DataFrame(rows, columns=VIOLATION_COLUMNS)
    if len(table) and agreement.lines:
        _measure(table, prep or PreparedAgreement(agreement))
    return table, ids


def _measure(table: pd.DataFrame, prep: PreparedAgreement) -> None:
    """Side of and distance to the agreement's first line, as for events."""
    if prep.main_line_id is None:
        return
    lon = table["lon"].to_numpy(dtype=float)
    lat = table["lat"].to_numpy(dtype=float)
    measure = prep.lines[prep.main_line_id].measure(lon, lat)
    table["side"] = measure.side
    table["distance_km"] = np.round(measure.distance_km, 3)


def _unit_rows(
    agreement: Agreement,
    rules: list[Rule],
    change: Change,
    party: str,
    admin1: str,
    here: np.ndarray,
    total: float,
    tolerance_m: float,
    interval: tuple[datetime, datetime],
) -> list[dict[str, object]]:
    if not _in_scope(agreement, admin1):
        return []
    parts = change.parts[here]
    area = float(parts["area_km2"].sum())
    depth = float(parts["depth_km"].max())
    largest = int(np.argmax(parts["area_km2"].to_numpy(dtype=float)))
    geometry = change.geometries[np.flatnonzero(here)[largest]]
    lon, lat = shapely.get_coordinates(shapely.point_on_surface(geometry))[0]
    loser = str(parts["loser"].iloc[0]) or "the other side"
    key = f"{change.date_to.isoformat()}:{party}:{admin1}"
    days = (interval[0] - agreement.entry_into_force).days
    rows = []
    for rule in rules:
        if (rule.parties and party not in rule.parties) or _excepted(rule, party):
            continue
        when = time_check(agreement, rule, *interval)
        if when == OUTSIDE:
            continue
        if when != CERTAIN:
            timing = "possibly before entry into force (the maps straddle it)"
        elif days > 0:
            timing = f"at least {days} day{'s' if days != 1 else ''} after entry into force"
        else:
            timing = "after entry into force"
        rows.append({
            "event_id": f"{SOURCE}:{key}", "source": SOURCE,
            "source_event_id": f"{change.date_from.isoformat()}/{key}",
            "date": change.date_to.isoformat(), "lon": round(float(lon), 5),
            "lat": round(float(lat), 5), "admin1": admin1, "side": "", "party": party,
            "rule_id": rule.id, "article": rule.article, "zone_id": "",
            "distance_km": float("nan"), "confidence": 1.0 if when == CERTAIN else 0.5,
            "explanation": (
                f"Offensive movement: {party} gained {area:,.2f} km2 of land held by {loser} "
                f"in {parts['name'].iloc[0]} ({admin1}) between the maps of "
                f"{change.date_from} and {change.date_to}, up to {depth:,.2f} km beyond the "
                f"previous front ({total:,.2f} km2 in all beyond {tolerance_m:,.0f} m; "
                f"tolerance {agreement.territory.tolerance_km2:g} km2), {timing}; "
                f"{_places_text(change, party, admin1)}; breaks '{rule.title}' "
                f"({rule.article}). Evidence: territory_changes.geojson, "
                f"violation '{SOURCE}:{key}'."
            ),
            "location_check": CERTAIN, "time_check": when, "attribution": "actor",
        })  # fmt: skip
    return rows
