"""The embedded event store: one DuckDB file, no server."""

from ceasefire.store.duckdb_store import EventStore, LoadResult

__all__ = ["EventStore", "LoadResult"]
