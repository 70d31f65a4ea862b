"""A persistent outbox (one SQLite file) for trigger alerts: each (endpoint, idempotency key)
is stored once, leased while a deliverer sends it, and marked delivered only when the
endpoint acknowledged it. A crash leaves the item pending (its lease runs out), an unreachable
endpoint leaves it pending with a later attempt time: nothing is lost, and nothing
acknowledged is sent again."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from ceasefire.errors import CeasefireError

Clock = Callable[[], float]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
  endpoint TEXT NOT NULL,
  key TEXT NOT NULL,
  payload BLOB NOT NULL,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at REAL NOT NULL DEFAULT 0,
  lease_until REAL NOT NULL DEFAULT 0,
  last_error TEXT,
  http_status INTEGER,
  created_at REAL NOT NULL,
  delivered_at REAL,
  PRIMARY KEY (endpoint, key)
)
"""


@dataclass(frozen=True)
class Item:
    """One alert for one endpoint, as claimed for sending."""

    endpoint: str
    key: str
    payload: bytes
    attempts: int


class Outbox:
    """The outbox file. Safe to open from several processes or threads at once."""

    def __init__(self, path: Path | str, clock: Clock = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=FULL")
            self.con.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise CeasefireError(f"{self.path}: cannot open the outbox ({exc})") from exc

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self.con.close()

    def enqueue(self, endpoint: str, key: str, payload: bytes) -> bool:
        """Add an alert; False if this endpoint already has this key (sent or not)."""
        cursor = self.con.execute(
            "INSERT OR IGNORE INTO outbox (endpoint, key, payload, seq, created_at) VALUES "
            "(?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?)",
            (endpoint, key, payload, self.clock()),
        )
        return cursor.rowcount == 1

    def claim(
        self, limit: int = 50, lease_s: float = 60.0, endpoints: list[str] | None = None
    ) -> list[Item]:
        """Lease up to `limit` pending alerts that are due, oldest first."""
        now = self.clock()
        where = "status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?"
        params: list[Any] = [now, now]
        if endpoints is not None:
            where += f" AND endpoint IN ({', '.join('?' for _ in endpoints)})"
            params += endpoints
        self.con.execute("BEGIN IMMEDIATE")
        try:
            rows = self.con.execute(
                f"SELECT endpoint, key, payload, attempts FROM outbox WHERE {where} "
                "ORDER BY seq LIMIT ?",
                [*params, limit],
            ).fetchall()
            self.con.executemany(
                "UPDATE outbox SET lease_until = ? WHERE endpoint = ? AND key = ?",
                [(now + lease_s, r[0], r[1]) for r in rows],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return [Item(r[0], r[1], bytes(r[2]), int(r[3])) for r in rows]

    def ack(self, item: Item, http_status: int) -> None:
        """The endpoint acknowledged the alert: never send it again."""
        self.con.execute(
            "UPDATE outbox SET status = 'delivered', delivered_at = ?, http_status = ?, "
            "attempts = attempts + 1, lease_until = 0, last_error = NULL "
            "WHERE endpoint = ? AND key = ?",
            (self.clock(), http_status, item.endpoint, item.key),
        )

    def fail(
        self, item: Item, error: str, retry_at: float | None, http_status: int | None = None
    ) -> None:
        """An attempt failed: try again at `retry_at`, or give up (status failed) if None."""
        status = "pending" if retry_at is not None else "failed"
        self.con.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
            "lease_until = 0, last_error = ?, http_status = ? "
            "WHERE endpoint = ? AND key = ? AND status = 'pending'",
            (status, retry_at or 0.0, error[:500], http_status, item.endpoint, item.key),
        )

    def next_due(self, endpoints: list[str] | None = None) -> float | None:
        """When the next pending alert may be sent (None: nothing pending)."""
        where, params = "status = 'pending'", []
        if endpoints is not None:
            where += f" AND endpoint IN ({', '.join('?' for _ in endpoints)})"
            params = list(endpoints)
        row = self.con.execute(
            f"SELECT min(max(next_attempt_at, lease_until)) FROM outbox WHERE {where}", params
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def retry_failed(self) -> int:
        """Put alerts that ran out of attempts back in the queue."""
        cursor = self.con.execute(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0 "
            "WHERE status = 'failed'"
        )
        return cursor.rowcount

    def counts(self) -> dict[str, int]:
        """Alerts by status (only statuses that occur)."""
        rows = self.con.execute(
            "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status"
        )
        return {str(status): int(n) for status, n in rows.fetchall()}

    def rows(self) -> list[dict[str, Any]]:
        """Every alert without its payload, oldest first."""
        cursor = self.con.execute(
            "SELECT endpoint, key, status, attempts, last_error, http_status, next_attempt_at, "
            "created_at, delivered_at FROM outbox ORDER BY seq"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
