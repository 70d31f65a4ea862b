"""Incidents in the store: derived tables, replaced whole by each run in one transaction.

- incident_reports: each report's incident, anchor flag, grading inputs and, when it was not
  merged automatically, why;
- incident_links: the scored pairs that reached the threshold, each feature's score and
  measured value, and whether the link was used or blocked (with the reason);
- incidents: one row per incident with its Admiralty code;
- incident_violations: one row per incident and rule broken, with its status;
- incident_meta: the configuration the links were scored with.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.store.duckdb_store import arrow_table

TABLES = ("incident_reports", "incident_links", "incidents", "incident_violations")


def replace(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
    """Replace derived tables by DataFrames, all or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in frames.items():
            con.register("incoming_frame", frame)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM incoming_frame")
            con.unregister("incoming_frame")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table is in the store."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(row and row[0][0])


def query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> pd.DataFrame:
    """A query's result as a DataFrame."""
    frame: pd.DataFrame = arrow_table(con.execute(sql, params or [])).to_pandas()
    return frame


def require_incidents(con: duckdb.DuckDBPyConnection) -> None:
    """A clear error when no run has built incidents in this store yet."""
    if not exists(con, "incidents"):
        raise CeasefireError("this store has no incidents yet; run `ceasefire run` first")


def save_meta(con: duckdb.DuckDBPyConnection, meta: dict[str, Any]) -> None:
    """The configuration and counts of the last incidents build."""
    frame = pd.DataFrame({"key": list(meta), "value": [json.dumps(v) for v in meta.values()]})
    replace(con, {"incident_meta": frame})


def load_meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What save_meta stored ({} if nothing)."""
    if not exists(con, "incident_meta"):
        return {}
    rows = con.execute("SELECT key, value FROM incident_meta").fetchall()
    return {k: json.loads(v) for k, v in rows}


def _resolve(con: duckdb.DuckDBPyConnection, table: str, column: str, given: str, what: str) -> str:
    row = con.execute(f"SELECT {column} FROM {table} WHERE {column} = ?", [given]).fetchall()
    if row:
        return str(row[0][0])
    found = con.execute(
        f"SELECT DISTINCT {column} FROM {table} WHERE starts_with({column}, ?) LIMIT 2", [given]
    ).fetchall()
    if len(found) == 1 and len(given) >= 6:
        return str(found[0][0])
    if len(found) > 1 and len(given) >= 6:
        raise CeasefireError(f"'{given}' matches several {what}s; give more of the id")
    similarity = f"jaro_winkler_similarity({column}, ?)"
    close = con.execute(
        f"SELECT DISTINCT {column}, {similarity} AS s FROM {table} ORDER BY s DESC LIMIT 5",
        [given],
    ).fetchall()
    raise CeasefireError(
        f"unknown {what} '{given}'" + did_you_mean(given, [str(r[0]) for r in close])
    )


def resolve_incident(con: duckdb.DuckDBPyConnection, given: str) -> str:
    """An incident id from an id, a unique prefix, or the event id of one of its reports."""
    require_incidents(con)
    row = con.execute(
        "SELECT incident_id FROM incident_reports WHERE event_id = ?", [given]
    ).fetchall()
    if row:
        return str(row[0][0])
    return _resolve(con, "incidents", "incident_id", given, "incident")


def resolve_event(con: duckdb.DuckDBPyConnection, given: str) -> str:
    """An event id known to the incidents tables."""
    require_incidents(con)
    return _resolve(con, "incident_reports", "event_id", given, "report")


def resolve_violation(con: duckdb.DuckDBPyConnection, given: str) -> str:
    """A violation id (incident id/rule id), or a unique prefix of one."""
    if not exists(con, "incident_violations"):
        raise CeasefireError("this store has no violations yet; run `ceasefire run` first")
    return _resolve(con, "incident_violations", "violation_id", given, "violation")
