"""The backstop stage of `ceasefire run`: evaluate the agreement's commitments on the run's
violations, write triggers.csv (and a `triggers` table in the store, for period reports) and
return the summary.json section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.engine import replay
from ceasefire.backstop.history import History, read_events
from ceasefire.backstop.records import BackstopResult
from ceasefire.outputs.atomic import write_with

SUMMARY_LIST = 500


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
    _, last = History(violations, events).span(agreement)
    result = replay(agreement, violations, events, as_of=last)
    frame = result.frame()
    write_with(out_dir / "triggers.csv", lambda p: frame.to_csv(p, index=False))
    if store_path is not None:
        save_triggers(store_path, frame)
    return result, summary_section(result)
