"""Incidents as analysts read them: the list, and one incident with its reports, the reasons
they were merged (each feature's reason and weighted contribution), the judgements, the
Admiralty grade with the independent sources behind it, and the violations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ceasefire.incidents.features import FEATURES
from ceasefire.incidents.reports import Reports
from ceasefire.incidents.stage import load_reports
from ceasefire.store import EventStore
from ceasefire.store import incident_tables as tables
from ceasefire.store import judgements as judgement_store


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): _plain(v) for k, v in row.items()} for row in clean.to_dict("records")]


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def list_incidents(
    store: EventStore, *, min_reports: int = 1, with_violations: bool = False, limit: int = 50
) -> list[dict[str, Any]]:
    """Incidents, largest first (then by time)."""
    tables.require_incidents(store.con)
    where = "WHERE reports >= ?"
    params: list[Any] = [min_reports]
    if with_violations and tables.exists(store.con, "incident_violations"):
        where += " AND incident_id IN (SELECT incident_id FROM incident_violations)"
    frame = tables.query(
        store.con,
        "SELECT incident_id, reports, sources, admiralty_code, time_start, location_name, "
        f"category FROM incidents {where} ORDER BY reports DESC, time_start, incident_id LIMIT ?",
        [*params, limit],
    )
    return _records(frame)


def _weights(config: dict[str, Any], source_a: str, source_b: str) -> dict[str, float]:
    """The weights a pair of reports of these sources was scored with (the run's
    configuration: global weights, then those of the pair of source families)."""
    weights = {k: float(v["weight"]) for k, v in config.get("features", {}).items()}
    key = "-".join(sorted((source_a.split(":")[0], source_b.split(":")[0])))
    pair = config.get("source_pairs", {}).get(key, {})
    weights.update({k: float(v) for k, v in pair.get("weights", {}).items()})
    return weights


def _reasons(
    link: pd.Series, rows: dict[str, dict[str, Any]], config: dict[str, Any]
) -> list[dict[str, Any]]:
    a, b = rows[link["event_a"]], rows[link["event_b"]]
    weights = _weights(config, str(a["source"]), str(b["source"]))
    found = []
    for name, feature in FEATURES.items():
        if f"{name}_score" not in link.index:
            continue
        score = float(link[f"{name}_score"])
        value = float(link[f"{name}_value"])
        found.append({
            "feature": name, "score": round(score, 3),
            "contribution": round(weights.get(name, 0.0) * score, 3),
            "reason": feature.reason(a, b, value, score),
        })  # fmt: skip
    return found


def describe_incident(store: EventStore, given: str) -> dict[str, Any]:
    """One incident, everything about it (JSON-ready)."""
    incident = tables.resolve_incident(store.con, given)
    head = tables.query(store.con, "SELECT * FROM incidents WHERE incident_id = ?", [incident])
    members = tables.query(
        store.con,
        "SELECT r.*, e.time_start, e.time_end, e.lon, e.lat, e.location_radius_km, "
        "e.location_name, e.category, e.weapon_class, e.fatalities_best, e.source_name, e.text "
        "FROM incident_reports r JOIN events e USING (event_id) WHERE r.incident_id = ? "
        "ORDER BY r.event_id",
        [incident],
    )
    events = list(members["event_id"])
    links = tables.query(
        store.con,
        "SELECT * FROM incident_links WHERE event_a IN (SELECT unnest(?)) "
        "OR event_b IN (SELECT unnest(?)) ORDER BY score DESC, event_a, event_b",
        [events, events],
    )
    meta = tables.load_meta(store.con)
    config = meta.get("incidents_config", {})
    involved = sorted(set(events) | set(links["event_a"]) | set(links["event_b"]))
    reports = Reports.from_frame(load_reports(store, events=involved))
    rows = {reports.event_id[i]: reports.row(i) for i in range(len(reports))}
    described = []
    for _, link in links.iterrows():
        inside = link["event_a"] in events and link["event_b"] in events
        described.append({
            "event_a": link["event_a"], "event_b": link["event_b"],
            "score": round(float(link["score"]), 3), "threshold": config.get("threshold"),
            "merged": bool(link["merged"]) and inside,
            "blocked": link["blocked"] or ("" if inside else "the other report is elsewhere"),
            "reasons": _reasons(link, rows, config),
        })  # fmt: skip
    judged = [j.__dict__ for j in judgement_store.load(store.con, events)]
    violations = (
        tables.query(
            store.con,
            "SELECT violation_id, rule_id, article, party, date, reports, confidence, status "
            "FROM incident_violations WHERE incident_id = ? ORDER BY violation_id",
            [incident],
        )
        if tables.exists(store.con, "incident_violations")
        else pd.DataFrame()
    )
    return {
        **_records(head)[0],
        "threshold": config.get("threshold"),
        "reports_detail": _records(members),
        "links": described,
        "judgements": judged,
        "violations": _records(violations),
    }
