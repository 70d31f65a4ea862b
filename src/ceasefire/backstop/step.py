"""The backstop stage of `ceasefire run`: evaluate the agreement's commitments on the run's
violations, write triggers.csv (and a `triggers` table in the store, for period reports) and
return the summary.json section."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.engine import replay
from ceasefire.backstop.records import BackstopResult
from ceasefire.outputs.atomic import write_with

EVENT_COLUMNS = (
    "event_id", "category", "weapon_class", "target_category", "fatalities_best",
    "provenance_sha256", "time_start",
)  # fmt: skip
SUMMARY_LIST = 500


def read_events(path: Path) -> pd.DataFrame | None:
    """The event attributes the backstop uses, from an events.parquet (None if absent)."""
    if not path.is_file():
        return None
    names = set(pq.read_schema(path).names)
    if "event_id" not in names:
        return None
    return pq.read_table(path, columns=[c for c in EVENT_COLUMNS if c in names]).to_pandas()


def last_day(
    agreement: Agreement, violations: pd.DataFrame, events: pd.DataFrame | None
) -> date | None:
    """The last day of the history: the latest event or violation (agreement time zone)."""
    days: list[date] = []
    if events is not None and "time_start" in events.columns and len(events):
        times = pd.to_datetime(events["time_start"], utc=True, errors="coerce").dropna()
        if len(times):
            days.append(times.max().tz_convert(agreement.timezone).date())
    if len(violations) and "date" in violations.columns:
        parsed = pd.to_datetime(violations["date"].astype(str).str.slice(0, 10), errors="coerce")
        if parsed.notna().any():
            days.append(parsed.max().date())
    return max(days) if days else None


def save_triggers(store_path: Path, frame: pd.DataFrame) -> None:
    """Replace the store's `triggers` table (the report of a period reads it)."""
    con = duckdb.connect(str(store_path))
    try:
        con.register("incoming_triggers", frame.astype(str))
        con.execute("CREATE OR REPLACE TABLE triggers AS SELECT * FROM incoming_triggers")
        con.unregister("incoming_triggers")
    finally:
        con.close()


def summary_section(result: BackstopResult) -> dict[str, Any]:
    """The `backstop` key of summary.json: ladder states and the triggers (the first 500)."""
    by_commitment: dict[str, int] = {}
    for t in result.triggers:
        name = f"{t.guarantor}/{t.commitment}"
        by_commitment[name] = by_commitment.get(name, 0) + 1
    return {
        "as_of": result.as_of,
        "triggers": len(result.triggers),
        "by_commitment": dict(sorted(by_commitment.items())),
        "ladders": [s.as_dict() for s in result.ladders],
        "fired": [
            {
                "date": t.date,
                "guarantor": t.guarantor,
                "commitment": t.commitment,
                "trigger": t.trigger,
                "level_before": t.level_before,
                "level": t.level,
                "action": t.action,
                "respond_by": t.respond_by,
                "violations": len(t.violation_ids),
                "illustrative": t.illustrative,
                "key": t.key,
            }
            for t in result.triggers[:SUMMARY_LIST]
        ],
    }


def backstop_stage(
    agreement: Agreement, violations: pd.DataFrame, out_dir: Path, store_path: Path | None = None
) -> tuple[BackstopResult, dict[str, Any]]:
    """Evaluate, write OUT/triggers.csv (and the store table); the result and its summary."""
    events = read_events(out_dir / "events.parquet")
    result = replay(agreement, violations, events, as_of=last_day(agreement, violations, events))
    frame = result.frame()
    write_with(out_dir / "triggers.csv", lambda p: frame.to_csv(p, index=False))
    if store_path is not None:
        save_triggers(store_path, frame)
    return result, summary_section(result)
