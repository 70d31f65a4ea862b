"""A violation's status and its history.

alleged       reported, not corroborated (where every violation starts)
corroborated  its incident is confirmed by independent sources (credibility 1)
verified      the monitor has verified it
disputed      a party contests it; the party's response is recorded with it
dismissed     set aside, with the reason

The pipeline moves a violation between alleged and corroborated as reports come in; an
analyst's status (any of the five) takes precedence from then on. Every change is an entry
in the append-only history with who, when and why.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.evidence.store import EvidenceStore
from ceasefire.store import incident_tables as tables
from ceasefire.store import statuses as status_store
from ceasefire.store.duckdb_store import EventStore

STATUSES = ("alleged", "corroborated", "verified", "disputed", "dismissed")
INITIAL = "alleged"
PIPELINE = "ceasefire run"


def automatic_status(credibility: pd.Series) -> pd.Series:
    """corroborated for incidents confirmed by independent sources, else alleged."""
    return credibility.map(lambda c: "corroborated" if c == 1 else INITIAL).astype(object)


def _mapped(entries: pd.DataFrame, incident_of: pd.Series) -> pd.DataFrame:
    """History entries with the violation they belong to now (through their anchor event)."""
    incident = incident_of.reindex(entries["anchor_event_id"]).to_numpy()
    entries = entries.assign(current=incident)
    entries = entries[entries["current"].notna()]
    return entries.assign(current=entries["current"] + "/" + entries["rule_id"])


def resolve_statuses(
    store: EventStore, violations: pd.DataFrame, incident_of: pd.Series
) -> pd.Series:
    """Status of each incident violation (violation_id, rule_id, anchor_event_id,
    information_credibility, independent_sources); logs the automatic changes."""
    history = _mapped(status_store.load(store.con), incident_of)
    auto = automatic_status(violations["information_credibility"]).to_numpy()
    manual = history[~history["automatic"]].drop_duplicates("current", keep="last")
    latest = history.drop_duplicates("current", keep="last")
    manual_status = (
        manual.set_index("current")["status"].reindex(violations["violation_id"]).to_numpy()
    )
    last_status = (
        latest.set_index("current")["status"]
        .reindex(violations["violation_id"])
        .fillna(INITIAL)
        .to_numpy()
    )
    status = pd.Series(manual_status, index=violations.index).fillna(
        pd.Series(auto, index=violations.index)
    )
    change = pd.isna(manual_status) & (last_status != auto)
    if change.any():
        rows = violations[change]
        sources = rows["independent_sources"].astype(int).astype(str)
        reason = pd.Series(
            [f"{s} independent sources" for s in sources], index=rows.index, dtype=object
        ).where(
            auto[change] == "corroborated",
            "not corroborated by independent sources: " + sources + " independent source(s)",
        )
        status_store.append(
            store.con,
            pd.DataFrame(
                {
                    "violation_id": rows["violation_id"].to_numpy(),
                    "anchor_event_id": rows["anchor_event_id"].to_numpy(),
                    "rule_id": rows["rule_id"].to_numpy(),
                    "status": auto[change],
                    "previous": last_status[change],
                    "who": PIPELINE,
                    "reason": reason.to_numpy(),
                    "automatic": True,
                }
            ),
        )
    return status.astype(object)


def _incident_of(store: EventStore) -> pd.Series:
    frame = tables.query(store.con, "SELECT event_id, incident_id FROM incident_reports")
    return frame.set_index("event_id")["incident_id"]


def history(store: EventStore, violation_id: str) -> pd.DataFrame:
    """Every status entry of a violation, oldest first."""
    violation_id = tables.resolve_violation(store.con, violation_id)
    rule_id = violation_id.split("/", 1)[1]
    entries = _mapped(status_store.load(store.con, rule_id), _incident_of(store))
    return (
        entries[entries["current"] == violation_id].drop(columns=["current"]).reset_index(drop=True)
    )


def current_status(store: EventStore, violation_id: str) -> str:
    """The status now: the last analyst's entry, else the last automatic one, else alleged."""
    entries = history(store, violation_id)
    manual = entries[~entries["automatic"]]
    chosen = manual if len(manual) else entries
    return str(chosen["status"].iloc[-1]) if len(chosen) else INITIAL


def set_status(
    store: EventStore,
    violation_id: str,
    status: str,
    *,
    who: str,
    reason: str,
    party: str | None = None,
    response: str | None = None,
    evidence: EvidenceStore | None = None,
) -> dict[str, Any]:
    """Record an analyst's status for a violation; a dispute records the party's response
    (stored as evidence when an evidence store is given)."""
    violation_id = tables.resolve_violation(store.con, violation_id)
    if status not in STATUSES:
        raise CeasefireError(f"unknown status '{status}'" + did_you_mean(status, STATUSES))
    if not who.strip():
        raise CeasefireError("a status change needs who made it (--by)")
    if not reason.strip():
        raise CeasefireError("a status change needs a reason (--reason)")
    if status == "disputed" and not (party and response):
        raise CeasefireError(
            "disputed needs the disputing party (--party) and its response (--response)"
        )
    rows = store.con.execute(
        "SELECT i.anchor_event_id, v.rule_id FROM incident_violations v "
        "JOIN incidents i USING (incident_id) WHERE v.violation_id = ?",
        [violation_id],
    ).fetchall()
    row = rows[0]
    response_sha = None
    if response and evidence is not None:
        item = evidence.receive_bytes(
            response.encode("utf-8"), f"response-{violation_id.replace('/', '_')}.txt",
            sender=party or "", channel="party response", by=who, kind="text",
        )  # fmt: skip
        evidence.attach(item.sha256, by=who, violation_id=violation_id, note="party response")
        response_sha = item.sha256
    entry = {
        "violation_id": violation_id, "anchor_event_id": row[0], "rule_id": row[1],
        "status": status, "previous": current_status(store, violation_id), "who": who,
        "reason": reason, "party": party, "response": response, "response_sha256": response_sha,
        "automatic": False,
    }  # fmt: skip
    status_store.append(store.con, pd.DataFrame([entry]))
    return entry
