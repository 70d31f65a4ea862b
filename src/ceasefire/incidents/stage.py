"""The incidents stage of `ceasefire run`: every stored report into an incident, graded.

Runs after the reports are stored and before adjudication, on all stored reports (a report
loaded today may belong to an incident reported last week). Analysts' judgements and the
anchors of the previous run are read from the store and applied after the automatic scores;
the results replace the derived incident tables in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ceasefire.adjudicate.engine import attribute
from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.events.schema import event_columns
from ceasefire.grading.admiralty import grade
from ceasefire.grading.config import GradingConfig, load_grading_config
from ceasefire.incidents.config import IncidentsConfig, load_incidents_config
from ceasefire.incidents.dedup import Dedup, deduplicate, resolve
from ceasefire.incidents.reports import COLUMNS, Reports
from ceasefire.incidents.settings import fingerprint
from ceasefire.incidents.tables import incident_frame, links_frame, links_from_frame, report_frame
from ceasefire.store import EventStore
from ceasefire.store import incident_tables as tables
from ceasefire.store import judgements as judgement_store

EVENT_COLUMNS = [
    "incident_id", "source_reliability", "information_credibility", "admiralty_code",
    "independent_sources", "source_confidence",
]  # fmt: skip


@dataclass
class IncidentStage:
    """What the stage produced: per report its incident and grades, per incident its row."""

    per_event: pd.DataFrame  # indexed by event_id, EVENT_COLUMNS
    incidents: pd.DataFrame
    dedup: Dedup
    meta: dict[str, Any]

    def annotate(self, batch: pd.DataFrame) -> pd.DataFrame:
        """A batch of events with `source_confidence`, which adjudication multiplies into
        each violation's confidence."""
        extra = self.per_event["source_confidence"].reindex(batch["event_id"])
        return batch.assign(source_confidence=extra.to_numpy(dtype=np.float64))

    def finish_events(self, events: pd.DataFrame) -> pd.DataFrame:
        """Enriched events with the incident columns appended at the end."""
        extra = self.per_event.reindex(events["event_id"])
        result = events.drop(columns=["source_confidence"], errors="ignore").copy()
        for column in EVENT_COLUMNS:
            result[column] = extra[column].to_numpy()
        return result


def load_reports(
    store: EventStore, prep: PreparedAgreement | None = None, events: list[str] | None = None
) -> pd.DataFrame:
    """The stored reports (or those of some events) with the columns deduplication reads,
    ordered by event_id. Parties come from the agreement's aliases when given, else from the
    last incidents build."""
    columns = ", ".join(c for c in COLUMNS if c in event_columns())
    where = "WHERE event_id IN (SELECT unnest(?))" if events is not None else ""
    frame = tables.query(
        store.con,
        f"SELECT {columns} FROM events {where} ORDER BY event_id",
        [events] if events is not None else [],
    )
    if prep is not None and len(frame):
        parties = attribute(prep, frame)
        frame["actor1_party"] = parties["actor1_party"].to_numpy()
        frame["actor2_party"] = parties["actor2_party"].to_numpy()
    elif tables.exists(store.con, "incident_reports"):
        known = tables.query(
            store.con,
            f"SELECT event_id, actor1_party, actor2_party FROM incident_reports {where}",
            [events] if events is not None else [],
        ).set_index("event_id")
        frame["actor1_party"] = known["actor1_party"].reindex(frame["event_id"]).to_numpy()
        frame["actor2_party"] = known["actor2_party"].reindex(frame["event_id"]).to_numpy()
    return frame


def _previous_anchors(store: EventStore) -> list[str]:
    if not tables.exists(store.con, "incident_reports"):
        return []
    rows = store.con.execute("SELECT event_id FROM incident_reports WHERE anchor").fetchall()
    return [r[0] for r in rows]


def _finish(
    store: EventStore, dedup: Dedup, config: IncidentsConfig, grading_config: GradingConfig
) -> IncidentStage:
    merged = dedup.links.take(dedup.merged)
    grading = grade(
        dedup.reports, dedup.labels, grading_config, (merged.a, merged.b), config.workers
    )
    incidents = incident_frame(dedup, grading)
    per_event = pd.DataFrame(
        {
            "incident_id": dedup.incident_ids,
            **{c: grading.incidents[c].to_numpy()[dedup.labels] for c in EVENT_COLUMNS[1:]},
        },
        index=pd.Index(dedup.reports.event_id, name="event_id"),
    )
    meta = {
        "incidents_config": config.model_dump(mode="json"),
        "incidents_config_sha256": fingerprint(config),
        "grading_config_sha256": fingerprint(grading_config),
        "candidates": dedup.candidates,
        "ignored_judgements": [
            {"event_a": j.event_a, "event_b": j.event_b, "by": j.by, "at": j.at, "why": why}
            for j, why in dedup.ignored
        ],
    }
    tables.replace(
        store.con,
        {
            "incident_reports": report_frame(dedup, grading, config),
            "incident_links": links_frame(dedup),
            "incidents": incidents,
        },
    )
    tables.save_meta(store.con, meta)
    return IncidentStage(per_event, incidents, dedup, meta)


def build_incidents(
    store: EventStore,
    prep: PreparedAgreement | None = None,
    config: IncidentsConfig | None = None,
    grading_config: GradingConfig | None = None,
) -> IncidentStage:
    """Deduplicate and grade every stored report; store the incident tables."""
    config = config or load_incidents_config()
    grading_config = grading_config or load_grading_config()
    reports = Reports.from_frame(load_reports(store, prep))
    dedup = deduplicate(reports, config, judgement_store.load(store.con), _previous_anchors(store))
    return _finish(store, dedup, config, grading_config)


def refresh_incidents(
    store: EventStore,
    config: IncidentsConfig | None = None,
    grading_config: GradingConfig | None = None,
) -> IncidentStage:
    """Re-apply the judgements to the stored links (no rescoring) and re-grade: what merge and
    split do so that `incidents show` reflects them at once."""
    tables.require_incidents(store.con)
    config = config or load_incidents_config()
    grading_config = grading_config or load_grading_config()
    reports = Reports.from_frame(load_reports(store))
    links = links_from_frame(tables.query(store.con, "SELECT * FROM incident_links"), reports)
    candidates = int(tables.load_meta(store.con).get("candidates", 0))
    dedup = resolve(
        reports, links, config, judgement_store.load(store.con), _previous_anchors(store),
        candidates,
    )  # fmt: skip
    return _finish(store, dedup, config, grading_config)
