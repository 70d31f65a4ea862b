"""Events in one DuckDB file, keyed by (source, source_event_id).

Each load is one transaction: loading the same file twice adds nothing, and a load that
fails half way leaves the store as it was before it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

from ceasefire.errors import CeasefireError
from ceasefire.events.schema import event_fields, event_schema

_SQL_TYPES = {
    "string": "VARCHAR",
    "float64": "DOUBLE",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMPTZ",
}
_BATCH_ROWS = 100_000


@dataclass(frozen=True)
class LoadResult:
    """How many events of a load were new and how many were already stored."""

    new: int
    already_stored: int


def _events_ddl() -> str:
    columns = ",\n  ".join(
        f"{f.name} {_SQL_TYPES[f.type]}{' NOT NULL' if f.required else ''}" for f in event_fields()
    )
    return (
        f"CREATE TABLE IF NOT EXISTS events (\n  {columns},\n"
        "  PRIMARY KEY (source, source_event_id)\n)"
    )


_LOADS_DDL = """
CREATE TABLE IF NOT EXISTS loads (
  load_id INTEGER PRIMARY KEY,
  file VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_new BIGINT NOT NULL,
  rows_already_stored BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


def arrow_table(result: duckdb.DuckDBPyConnection) -> pa.Table:
    """The result of a query as an Arrow table (DuckDB 1.x and 2.x spell it differently)."""
    fetch = getattr(result, "to_arrow_table", None) or getattr(result, "fetch_arrow_table")  # noqa: B009
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "extra copy": fine for our sizes
        table: pa.Table = fetch()
    return table


def arrow_reader(result: duckdb.DuckDBPyConnection, batch_rows: int) -> pa.RecordBatchReader:
    """The result of a query as a stream of Arrow record batches."""
    fetch = getattr(result, "to_arrow_reader", None) or getattr(result, "fetch_record_batch")  # noqa: B009
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reader: pa.RecordBatchReader = fetch(batch_rows)
    return reader


class EventStore:
    """The embedded store. Use as a context manager or call close()."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise CeasefireError(f"{self.path}: cannot open the store ({exc})") from exc
        self.con.execute(_events_ddl())
        self.con.execute(_LOADS_DDL)

    def __enter__(self) -> EventStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def count(self) -> int:
        """Number of stored events."""
        row = self.con.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0

    def load(
        self,
        table: pa.Table,
        *,
        file: str,
        sha256: str,
        source: str,
        rows_read: int,
        rows_skipped: int,
        after_batch: Callable[[int], None] | None = None,
    ) -> LoadResult:
        """Store normalized events in one transaction; events already stored are kept as
        they are. `after_batch` is called after each batch (progress, and tests that fail
        a load half way)."""
        table = table.cast(event_schema())
        before = self.count()
        self.con.execute("BEGIN TRANSACTION")
        try:
            for offset in range(0, table.num_rows, _BATCH_ROWS):
                batch = table.slice(offset, _BATCH_ROWS)
                self.con.register("incoming", batch)
                self.con.execute("INSERT OR IGNORE INTO events SELECT * FROM incoming")
                self.con.unregister("incoming")
                if after_batch is not None:
                    after_batch(min(offset + _BATCH_ROWS, table.num_rows))
            new = self.count() - before
            self.con.execute(
                "INSERT INTO loads (load_id, file, sha256, source, rows_read, rows_new, "
                "rows_already_stored, rows_skipped) VALUES "
                "((SELECT coalesce(max(load_id), 0) + 1 FROM loads), ?, ?, ?, ?, ?, ?, ?)",
                [file, sha256, source, rows_read, new, table.num_rows - new, rows_skipped],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return LoadResult(new=new, already_stored=table.num_rows - new)

    def events(self, where: str = "", parameters: list[object] | None = None) -> pa.Table:
        """Stored events (optionally filtered by a SQL condition), ordered by event_id."""
        sql = "SELECT * FROM events" + (f" WHERE {where}" if where else "") + " ORDER BY event_id"
        return arrow_table(self.con.execute(sql, parameters or [])).cast(event_schema())

    def iter_events(self, batch_rows: int = 500_000) -> pa.RecordBatchReader:
        """Stored events as a stream of record batches (memory stays flat)."""
        return arrow_reader(self.con.execute("SELECT * FROM events ORDER BY event_id"), batch_rows)

    def loads(self) -> pa.Table:
        """The log of loads: file, hash, source and counts."""
        return arrow_table(self.con.execute("SELECT * FROM loads ORDER BY load_id"))
