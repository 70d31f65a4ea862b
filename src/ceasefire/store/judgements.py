"""Analysts' judgements on pairs of reports, kept in the store, append-only.

Keyed by the stable event ids, so a judgement outlives every re-run of the pipeline; the
last judgement of a pair counts, the earlier ones stay as history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.incidents.dedup import Judgement

JUDGEMENTS = ("positive", "negative", "unsure")
_DDL = """
CREATE TABLE IF NOT EXISTS judgements (
  judgement_id BIGINT PRIMARY KEY,
  event_a VARCHAR NOT NULL,
  event_b VARCHAR NOT NULL,
  judgement VARCHAR NOT NULL,
  who VARCHAR NOT NULL,
  made_at TIMESTAMPTZ NOT NULL,
  reason VARCHAR NOT NULL
)
"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table if the store has none."""
    con.execute(_DDL)


def record(
    con: duckdb.DuckDBPyConnection,
    pairs: Sequence[tuple[str, str]],
    judgement: str,
    who: str,
    reason: str,
    at: datetime | None = None,
) -> list[Judgement]:
    """Append one judgement per pair, in one transaction."""
    if judgement not in JUDGEMENTS:
        raise CeasefireError(
            f"unknown judgement '{judgement}'" + did_you_mean(judgement, JUDGEMENTS)
        )
    if not who.strip():
        raise CeasefireError("a judgement needs who made it (--by)")
    if not reason.strip():
        raise CeasefireError("a judgement needs a reason (--reason)")
    ensure(con)
    when = at or datetime.now(UTC)
    made = []
    con.execute("BEGIN TRANSACTION")
    try:
        for a, b in pairs:
            first, second = sorted((a, b))
            con.execute(
                "INSERT INTO judgements VALUES ((SELECT coalesce(max(judgement_id), 0) + 1 "
                "FROM judgements), ?, ?, ?, ?, ?, ?)",
                [first, second, judgement, who, when, reason],
            )
            made.append(Judgement(first, second, judgement, who, when.isoformat(), reason))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return made


def load(con: duckdb.DuckDBPyConnection, events: Sequence[str] | None = None) -> list[Judgement]:
    """All judgements in the order they were made (optionally those touching some events)."""
    ensure(con)
    sql = "SELECT event_a, event_b, judgement, who, made_at, reason FROM judgements"
    params: list[object] = []
    if events is not None:
        sql += " WHERE event_a IN (SELECT unnest(?)) OR event_b IN (SELECT unnest(?))"
        params = [list(events), list(events)]
    rows = con.execute(sql + " ORDER BY judgement_id", params).fetchall()
    return [
        Judgement(a, b, j, who, at.astimezone(UTC).isoformat(), reason)
        for a, b, j, who, at, reason in rows
    ]
