"""The status history of violations, append-only: who changed it, when, why.

Entries are keyed by the incident's anchor event and the rule, both stable, so the history
follows a violation across re-runs even when its incident gains reports or is merged.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from ceasefire.store.incident_tables import query

COLUMNS = [
    "entry_id", "violation_id", "anchor_event_id", "rule_id", "status", "previous", "who",
    "made_at", "reason", "party", "response", "response_sha256", "automatic",
]  # fmt: skip
_DDL = """
CREATE TABLE IF NOT EXISTS violation_status (
  entry_id BIGINT PRIMARY KEY,
  violation_id VARCHAR NOT NULL,
  anchor_event_id VARCHAR NOT NULL,
  rule_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  previous VARCHAR NOT NULL,
  who VARCHAR NOT NULL,
  made_at TIMESTAMPTZ NOT NULL,
  reason VARCHAR NOT NULL,
  party VARCHAR,
  response VARCHAR,
  response_sha256 VARCHAR,
  automatic BOOLEAN NOT NULL
)
"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table if the store has none."""
    con.execute(_DDL)


def append(con: duckdb.DuckDBPyConnection, entries: pd.DataFrame) -> None:
    """Append entries (columns as COLUMNS without entry_id and made_at) in one transaction."""
    if entries.empty:
        return
    ensure(con)
    frame = entries.reset_index(drop=True).copy()
    frame["made_at"] = pd.Timestamp(datetime.now(UTC))
    for column in ("party", "response", "response_sha256"):
        if column not in frame:
            frame[column] = None
    con.execute("BEGIN TRANSACTION")
    try:
        row = con.execute("SELECT coalesce(max(entry_id), 0) FROM violation_status").fetchall()
        frame.insert(0, "entry_id", (row[0][0] if row else 0) + 1 + pd.RangeIndex(len(frame)))
        con.register("incoming_status", frame[COLUMNS])
        con.execute("INSERT INTO violation_status SELECT * FROM incoming_status")
        con.unregister("incoming_status")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def load(con: duckdb.DuckDBPyConnection, rule_id: str | None = None) -> pd.DataFrame:
    """All entries in the order they were made (optionally for one rule)."""
    ensure(con)
    where, params = ("WHERE rule_id = ?", [rule_id]) if rule_id is not None else ("", [])
    return query(con, f"SELECT * FROM violation_status {where} ORDER BY entry_id", params)
