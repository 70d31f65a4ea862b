"""Analysts' decisions on incidents: confirm or make a merge, split reports off.

Each decision is stored as judgements on pairs of reports (by their stable event ids), then
the stored links are re-clustered at once (no rescoring), so `incidents show` reflects it;
every later run applies the judgements again after its automatic scores.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.errors import CeasefireError
from ceasefire.incidents.stage import refresh_incidents
from ceasefire.store import EventStore
from ceasefire.store import incident_tables as tables
from ceasefire.store import judgements as judgement_store


@dataclass(frozen=True)
class Decision:
    """What a merge or split recorded and where the reports are now."""

    judgements: int
    incidents: list[str]  # the incident ids of the reports concerned, after the decision
    ignored: list[str]  # judgements that contradict earlier ones (kept, not applied)


def _members(store: EventStore, incident: str) -> list[str]:
    rows = store.con.execute(
        "SELECT event_id FROM incident_reports WHERE incident_id = ? ORDER BY event_id", [incident]
    ).fetchall()
    return [r[0] for r in rows]


def _anchor(store: EventStore, incident: str) -> str:
    row = store.con.execute(
        "SELECT anchor_event_id FROM incidents WHERE incident_id = ?", [incident]
    ).fetchall()
    return str(row[0][0])


def _after(store: EventStore, events: Sequence[str]) -> Decision:
    stage = refresh_incidents(store)
    ids = sorted({str(stage.per_event.at[e, "incident_id"]) for e in events})
    ignored = [
        f"{j['event_a']} ~ {j['event_b']} by {j['by']}: {j['why']}"
        for j in stage.meta["ignored_judgements"]
        if j["event_a"] in events or j["event_b"] in events
    ]
    return Decision(0, ids, ignored)


def merge(
    store: EventStore, given: Sequence[str], *, who: str, reason: str, unsure: bool = False
) -> Decision:
    """Merge incidents (ids, unique prefixes or event ids of their reports); with one incident,
    confirm its automatic merge (each report judged the same as the anchor). With unsure, the
    doubt is recorded and nothing changes."""
    incidents = list(dict.fromkeys(tables.resolve_incident(store.con, g) for g in given))
    if len(incidents) == 1:
        anchor = _anchor(store, incidents[0])
        pairs = [(anchor, e) for e in _members(store, incidents[0]) if e != anchor]
        if not pairs:
            raise CeasefireError(f"{incidents[0]} has one report: nothing to confirm")
    else:
        anchors = [_anchor(store, i) for i in incidents]
        pairs = [(anchors[0], a) for a in anchors[1:]]
    kind = "unsure" if unsure else "positive"
    made = judgement_store.record(store.con, pairs, kind, who, reason)
    events = sorted({e for pair in pairs for e in pair})
    decision = _after(store, events)
    return Decision(len(made), decision.incidents, decision.ignored)


def split(
    store: EventStore, incident: str, reports: Sequence[str], *, who: str, reason: str
) -> Decision:
    """Split reports off an incident: they become one incident of their own (judged the same
    as each other, different from every report that stays)."""
    incident = tables.resolve_incident(store.con, incident)
    members = _members(store, incident)
    moving = list(dict.fromkeys(tables.resolve_event(store.con, r) for r in reports))
    outside = [r for r in moving if r not in members]
    if outside:
        raise CeasefireError(
            f"{', '.join(outside)} not in {incident}; its reports are: {', '.join(members)}"
        )
    staying = [m for m in members if m not in moving]
    if not staying:
        raise CeasefireError(f"splitting off every report of {incident} leaves nothing to split")
    made = judgement_store.record(
        store.con, [(a, b) for a in moving for b in staying], "negative", who, reason
    )
    if len(moving) > 1:
        chain = list(itertools.pairwise(moving))
        made += judgement_store.record(store.con, chain, "positive", who, reason)
    decision = _after(store, members)
    return Decision(len(made), decision.incidents, decision.ignored)
