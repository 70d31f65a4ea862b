"""Check a batch of normalized events against an agreement: enrichment and violations.

`adjudicate(prepared, batch)` is a pure function of the agreement and the batch, so batches
can be processed in any order, in parallel, or partitioned on a distributed engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ceasefire.adjudicate.checks import (
    CERTAIN,
    OUTSIDE,
    across,
    beyond,
    time_window,
    zone_status,
)
from ceasefire.adjudicate.confidence import confidence
from ceasefire.adjudicate.explain import explain
from ceasefire.adjudicate.prepared import LineMeasure, PreparedAgreement
from ceasefire.agreement.model import Rule
from ceasefire.geo.admin import admin_index

VIOLATION_COLUMNS = [
    "event_id", "source", "source_event_id", "date", "lon", "lat", "admin1", "side", "party",
    "rule_id", "article", "zone_id", "distance_km", "confidence", "explanation",
    "location_check", "time_check", "attribution",
]  # fmt: skip


@dataclass
class Adjudication:
    """Enriched events and the violations found in one batch."""

    events: pd.DataFrame
    violations: pd.DataFrame


def _us(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series, utc=True).to_numpy(dtype="datetime64[us]")
    return values.astype(np.int64)


def _time_us(prep: PreparedAgreement, ref: object) -> int:
    return int(pd.Timestamp(prep.time(ref)).tz_convert("UTC").value // 1000)


def _ended_us(prep: PreparedAgreement) -> int | None:
    ended = prep.agreement.ended
    return None if ended is None else _time_us(prep, ended)


def in_scope(prep: PreparedAgreement, admin1: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Events in the agreement's area of application."""
    scope = prep.agreement.scope
    if not scope.admin1 and not scope.countries:
        return np.ones(len(admin1), dtype=bool)
    return np.isin(admin1, scope.admin1) | np.isin(country, scope.countries)


def attribute(prep: PreparedAgreement, batch: pd.DataFrame) -> pd.DataFrame:
    """Parties of both actors (from this agreement's aliases) and the acting party."""
    sources = batch["source"]
    party1 = prep.resolver.resolve_many(batch["actor1"], sources)
    party2 = prep.resolver.resolve_many(batch["actor2"], sources)
    initiator = batch["actor1_is_initiator"].fillna(False).astype(bool)
    acting = party1.where(initiator & party1.notna(), None)
    basis = np.where(acting.notna(), "actor", np.where(party1.notna() | party2.notna(), "sides only", "unknown actor"))
    return pd.DataFrame(
        {"actor1_party": party1, "actor2_party": party2, "party": acting.fillna(""), "party_basis": basis},
        index=batch.index,
    )


def _rule_mask(rule: Rule, batch: pd.DataFrame, party: np.ndarray) -> np.ndarray:
    """Events of the rule's categories, weapon classes, targets and parties."""
    mask = batch["category"].isin([c.value for c in rule.categories]).to_numpy().copy()
    if rule.weapon_classes:
        mask &= batch["weapon_class"].isin([w.value for w in rule.weapon_classes]).to_numpy()
    if rule.targets:
        mask &= batch["target_category"].isin([t.value for t in rule.targets]).to_numpy()
    if rule.parties:
        mask &= np.isin(party, rule.parties)
    return mask


def _excepted(
    rule: Rule, batch: pd.DataFrame, party: np.ndarray, zones: dict[str, tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Events covered by one of the rule's exceptions (all conditions of one exception hold)."""
    excepted = np.zeros(len(batch), dtype=bool)
    for exception in rule.exceptions:
        hit = np.ones(len(batch), dtype=bool)
        if exception.categories:
            hit &= batch["category"].isin([c.value for c in exception.categories]).to_numpy()
        if exception.weapon_classes:
            hit &= batch["weapon_class"].isin([w.value for w in exception.weapon_classes]).to_numpy()
        if exception.parties:
            hit &= np.isin(party, exception.parties)
        for zone_id in exception.zones:
            hit &= zones[zone_id][0] == CERTAIN
        excepted |= hit
    return excepted


def adjudicate(prep: PreparedAgreement, batch: pd.DataFrame) -> Adjudication:
    """Enrich a batch of normalized events and list the rules each one breaks."""
    batch = batch.reset_index(drop=True)
    lon = batch["lon"].to_numpy(dtype=np.float64, na_value=np.nan)
    lat = batch["lat"].to_numpy(dtype=np.float64, na_value=np.nan)
    radius = batch["location_radius_km"].fillna(0.0).to_numpy(dtype=np.float64)
    parties = attribute(prep, batch)
    party = parties["party"].to_numpy(dtype=object)
    valid = np.isfinite(lon) & np.isfinite(lat)
    measures: dict[str, LineMeasure] = {}
    for line_id, line in prep.lines.items():
        distance = np.full(len(batch), np.nan)
        side = np.full(len(batch), "", dtype=object)
        if valid.any():
            m = line.measure(lon[valid], lat[valid])
            distance[valid], side[valid] = m.distance_km, m.side
        measures[line_id] = LineMeasure(distance, side)
    admin1 = batch["admin1"].to_numpy(dtype=object).copy()
    missing_admin = pd.isna(admin1) & valid
    if missing_admin.any():
        admin1[missing_admin] = admin_index().lookup(lon[missing_admin], lat[missing_admin])[0]
    zones = {z.id: zone_status(prep, z, measures, lon, lat, radius, party) for z in prep.agreement.zones}
    start, end = _us(batch["time_start"]), _us(batch["time_end"])
    eif = _time_us(prep, "entry_into_force")
    main = measures.get(prep.main_line_id or "", LineMeasure(np.full(len(batch), np.nan), np.full(len(batch), "", dtype=object)))
    enriched = batch.assign(
        admin1=admin1,
        actor1_party=parties["actor1_party"],
        actor2_party=parties["actor2_party"],
        party=party,
        party_basis=parties["party_basis"],
        side=main.side,
        distance_km=main.distance_km,
        in_force=time_window(start, end, eif, _ended_us(prep)) == CERTAIN,
        in_scope=in_scope(prep, admin1, batch["country"].to_numpy(dtype=object)),
        zones_inside=[[z for z, (s, _) in zones.items() if s[i] == CERTAIN] for i in range(len(batch))],
    )
    violations = [
        _rule_violations(prep, rule, enriched, measures, zones, radius, start, end)
        for rule in prep.agreement.rules
    ]
    table = pd.concat([v for v in violations if len(v)], ignore_index=True) if any(len(v) for v in violations) else pd.DataFrame(columns=VIOLATION_COLUMNS)
    return Adjudication(enriched, table[VIOLATION_COLUMNS])


def _rule_violations(
    prep: PreparedAgreement,
    rule: Rule,
    events: pd.DataFrame,
    measures: dict[str, LineMeasure],
    zones: dict[str, tuple[np.ndarray, np.ndarray]],
    radius: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> pd.DataFrame:
    party = events["party"].to_numpy(dtype=object)
    mask = _rule_mask(rule, events, party) & ~_excepted(rule, events, party, zones)
    if not mask.any():
        return pd.DataFrame()
    until = _time_us(prep, rule.when.until) if rule.when.until is not None else None
    if prep.agreement.ended is not None:
        ended = _time_us(prep, prep.agreement.ended)
        until = ended if until is None else min(until, ended)
    when = time_window(start, end, _time_us(prep, rule.when.after), until)
    where_kind = rule.where.kind
    zone_id = ""
    zone_party = np.full(len(events), "", dtype=object)
    if where_kind == "zone":
        zone_id = rule.where.zone or ""
        place, zone_party = zones[zone_id]
    elif where_kind == "beyond":
        place = beyond(measures[rule.where.line or ""].distance_km, radius, rule.where.beyond_km or 0.0)
    elif where_kind == "across":
        line_id = rule.where.across_line or ""
        place = across(measures[line_id], radius, prep.lines[line_id].label_of(party))
    else:
        place = np.full(len(events), CERTAIN, dtype=np.int8)
    in_scope = events["in_scope"].to_numpy(dtype=bool)
    hit = mask & in_scope & (when > OUTSIDE) & (place > OUTSIDE)
    if not hit.any():
        return pd.DataFrame()
    rows = events[hit]
    main_dist = rows["distance_km"].to_numpy()
    result = pd.DataFrame(
        {
            "event_id": rows["event_id"].to_numpy(),
            "source": rows["source"].to_numpy(),
            "source_event_id": rows["source_event_id"].to_numpy(),
            "date": pd.to_datetime(rows["time_start"], utc=True).dt.tz_convert(prep.agreement.timezone).dt.strftime("%Y-%m-%d").to_numpy(),
            "lon": rows["lon"].to_numpy(),
            "lat": rows["lat"].to_numpy(),
            "admin1": rows["admin1"].to_numpy(),
            "side": rows["side"].to_numpy(),
            "party": rows["party"].to_numpy(),
            "rule_id": rule.id,
            "article": rule.article,
            "zone_id": zone_id,
            "distance_km": np.round(main_dist, 3),
            "location_check": place[hit],
            "time_check": when[hit],
            "attribution": rows["party_basis"].to_numpy(),
        }
    )
    result["confidence"] = confidence(rows, result["location_check"].to_numpy(), result["time_check"].to_numpy())
    result["explanation"] = explain(prep, rule, rows, result, zone_party[hit])
    return result
