"""Violations counted per incident: one violation per incident and rule, however many reports.

violations.csv keeps one row per report and rule (its contract) and gains, at the end, the
incident, the violation id (incident id/rule id), its status, the Admiralty code and the
evidence hashes a third party needs to re-verify it. The summary gains the counts per
incident.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ceasefire.incidents.stage import IncidentStage
from ceasefire.incidents.status import resolve_statuses
from ceasefire.store import incident_tables as tables
from ceasefire.store.duckdb_store import EventStore

ADDED_COLUMNS = [
    "incident_id", "violation_id", "status", "admiralty_code", "source_reliability",
    "information_credibility", "independent_sources", "evidence_sha256",
]  # fmt: skip


def _mode_party(violations: pd.DataFrame) -> pd.Series:
    """The party most reports of a violation name (ties: alphabetical); '' if none."""
    named = violations[violations["party"].fillna("").astype(str) != ""]
    counts = named.groupby(["violation_id", "party"]).size().reset_index(name="n")
    counts = counts.sort_values(["violation_id", "n", "party"], ascending=[True, False, True])
    return counts.drop_duplicates("violation_id").set_index("violation_id")["party"]


def _evidence(
    stage: IncidentStage,
    incident_ids: pd.Series,
    attached: dict[str, list[str]],
    by_violation: dict[str, list[str]],
    violation_ids: pd.Series,
) -> pd.Series:
    """Per violation: the SHA-256 of every input file its incident's reports came from and of
    every item attached to those reports or to the violation, ';'-joined, sorted."""
    reports = stage.dedup.reports
    wanted = pd.Series(stage.dedup.incident_ids).isin(set(incident_ids))
    rows = pd.DataFrame(
        {
            "incident_id": stage.dedup.incident_ids[wanted],
            "sha": reports.provenance_sha256[wanted],
            "event_id": reports.event_id[wanted],
        }
    )
    extra = [
        (i, s)
        for i, e in zip(rows["incident_id"], rows["event_id"], strict=True)
        for s in attached.get(e, [])
    ]
    if extra:
        rows = pd.concat(
            [rows[["incident_id", "sha"]], pd.DataFrame(extra, columns=["incident_id", "sha"])]
        )
    rows = rows[["incident_id", "sha"]].drop_duplicates().sort_values(["incident_id", "sha"])
    per_incident = rows.groupby("incident_id")["sha"].agg(";".join)
    joined = per_incident.reindex(incident_ids.to_numpy()).fillna("").to_numpy(dtype=object)
    for k, violation in enumerate(violation_ids):
        if violation in by_violation:
            joined[k] = ";".join(
                sorted(set(filter(None, joined[k].split(";"))) | set(by_violation[violation]))
            )
    return pd.Series(joined, index=violation_ids.index, dtype=object)


def per_incident(
    store: EventStore,
    stage: IncidentStage,
    violations: pd.DataFrame,
    attached: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {}),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """violations.csv rows with the added columns, and one row per incident and rule (also
    stored as incident_violations)."""
    events = stage.per_event.reindex(violations["event_id"])
    rows = violations.copy()
    rows["incident_id"] = events["incident_id"].to_numpy()
    rows["violation_id"] = rows["incident_id"] + "/" + rows["rule_id"].astype(str)
    incidents = stage.incidents.set_index("incident_id")
    grouped = rows.groupby("violation_id", sort=True)
    table = grouped.agg(
        incident_id=("incident_id", "first"), rule_id=("rule_id", "first"),
        article=("article", "first"), date=("date", "min"), reports=("event_id", "nunique"),
        confidence=("confidence", "max"),
    ).reset_index()  # fmt: skip
    table["party"] = _mode_party(rows).reindex(table["violation_id"]).fillna("").to_numpy()
    for column in ("anchor_event_id", *ADDED_COLUMNS[3:7]):
        table[column] = incidents[column].reindex(table["incident_id"]).to_numpy()
    incident_of = stage.per_event["incident_id"]
    table["status"] = resolve_statuses(store, table, incident_of).to_numpy()
    table["evidence_sha256"] = _evidence(
        stage, table["incident_id"], attached[0], attached[1], table["violation_id"]
    ).to_numpy()
    tables.replace(store.con, {"incident_violations": table})
    for column in ("status", "evidence_sha256"):
        rows[column] = (
            table.set_index("violation_id")[column].reindex(rows["violation_id"]).to_numpy()
        )
    for column in ADDED_COLUMNS[3:7]:
        rows[column] = incidents[column].reindex(rows["incident_id"]).to_numpy()
    return rows[[*violations.columns, *ADDED_COLUMNS]], table


def _counts(series: pd.Series) -> dict[str, int]:
    values = series.fillna("").astype(str).replace("", "unattributed")
    return {str(k): int(v) for k, v in sorted(values.value_counts().items())}


def summary_keys(
    stage: IncidentStage, table: pd.DataFrame, input_hashes: list[str]
) -> dict[str, Any]:
    """Keys added to summary.json: incidents, violations counted per incident, evidence."""
    incidents = stage.incidents
    multi = incidents["reports"] > 1
    attached = (
        sorted(
            {s for joined in table["evidence_sha256"] for s in str(joined).split(";") if s}
            - set(input_hashes)
        )
        if len(table)
        else []
    )
    return {
        "incidents": {
            "total": len(incidents),
            "reports": int(incidents["reports"].sum()),
            "merged": int(multi.sum()),
            "reports_in_merged": int(incidents.loc[multi, "reports"].sum()),
            "with_violations": int(table["incident_id"].nunique()) if len(table) else 0,
            "by_admiralty_code": _counts(incidents["admiralty_code"]) if len(incidents) else {},
        },
        "violations_by_incident": {
            "total": len(table),
            "by_party": _counts(table["party"]) if len(table) else {},
            "by_rule": _counts(table["rule_id"]) if len(table) else {},
            "by_day": _counts(table["date"]) if len(table) else {},
            "by_status": _counts(table["status"]) if len(table) else {},
            "by_admiralty_code": _counts(table["admiralty_code"]) if len(table) else {},
        },
        "evidence": {
            "algorithm": "sha256",
            "inputs": sorted(set(input_hashes)),
            "attached": attached,
        },
    }
