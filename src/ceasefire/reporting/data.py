"""What a report shows, loaded from a run's outputs or from the store.

Optional sections come from documented inputs and render only when present:
`triggers` (backstop) and `territory` (control maps), each read from a store table of that
name or else from `triggers.csv` / `territory.csv` in the run's output folder (the store's
folder for `ceasefire report`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ceasefire import __version__
from ceasefire.adjudicate import VIOLATION_COLUMNS, PreparedAgreement, adjudicate
from ceasefire.agreement.model import Agreement
from ceasefire.errors import CeasefireError
from ceasefire.events.schema import event_schema
from ceasefire.reporting.enrich import EVENT_DETAILS, enrich, incidents, severity_levels
from ceasefire.reporting.period import Period, parse_period
from ceasefire.store.duckdb_store import arrow_reader, arrow_table

SIDE_TABLES = ("triggers", "territory")
_BATCH = 250_000


@dataclass
class ReportData:
    """Everything one report shows."""

    agreement: Agreement
    period: Period
    violations: pd.DataFrame  # enriched (see enrich.py), in the period
    previous: pd.DataFrame | None  # enriched violations of the previous period, if compared
    events_in_period: int
    events_total: int
    inputs: list[dict[str, Any]]
    issues: list[dict[str, Any]] = field(default_factory=list)
    side_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    agreement_file: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)  # a run's summary.json, if any
    software: str = __version__
    _incidents: pd.DataFrame | None = field(default=None, repr=False)

    def incidents(self) -> pd.DataFrame:
        """One row per incident of the period (computed once)."""
        if self._incidents is None:
            self._incidents = incidents(self.violations, severity_levels(self.agreement))
        return self._incidents


def agreement_file(agreement: Agreement) -> dict[str, str]:
    """Name and SHA-256 of the agreement file (the name only: paths differ per machine)."""
    source = agreement.source
    if source is None or not Path(source).is_file():
        return {}
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return {"file": Path(source).name, "agreement": agreement.id, "sha256": digest}


def _read_side_csv(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.csv"
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError):
        return None


def side_tables(
    folder: Path, con: duckdb.DuckDBPyConnection | None = None
) -> dict[str, pd.DataFrame]:
    """Backstop triggers and territory, from store tables or CSV files beside the outputs."""
    found: dict[str, pd.DataFrame] = {}
    names: set[str] = set()
    if con is not None:
        names = {
            str(r[0])
            for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    for name in SIDE_TABLES:
        frame = None
        if name in names and con is not None:
            frame = arrow_table(con.execute(f'SELECT * FROM "{name}"')).to_pandas()
        if frame is None:
            frame = _read_side_csv(folder, name)
        if frame is not None and len(frame):
            found[name] = frame
    return found


def _local_dates(times: pd.Series, timezone: str) -> pd.Series:
    return pd.to_datetime(times, utc=True).dt.tz_convert(timezone).dt.date


def from_run(
    agreement: Agreement,
    summary: dict[str, Any],
    violations: pd.DataFrame,
    issues: list[dict[str, Any]],
    out_dir: Path | None = None,
) -> ReportData:
    """The report of a run: every stored event, no previous period to compare with. Event
    details come from OUT/events.parquet and the optional sections from files in OUT."""
    events_path = out_dir / "events.parquet" if out_dir is not None else None
    table = None
    if events_path is not None and events_path.is_file():
        names = set(pq.read_schema(events_path).names)
        columns = [c for c in [*EVENT_DETAILS, "time_start"] if c in names]
        if "time_start" in names:  # pandas metadata dropped: it may name dtypes of other versions
            table = pq.read_table(events_path, columns=columns).replace_schema_metadata(None)
    first = last = None
    details = None
    if table is not None and table.num_rows:
        dates = _local_dates(table.column("time_start").to_pandas(), agreement.timezone)
        first, last = dates.min(), dates.max()
        if len(violations):
            ids = pa.array(violations["event_id"].astype(str).unique())
            wanted = [c for c in EVENT_DETAILS if c in table.column_names]
            hit = pc.is_in(table.column("event_id"), ids)
            details = table.select(wanted).filter(hit).to_pandas()
    if first is None and len(violations):
        days = pd.to_datetime(violations["date"]).dt.date
        first, last = days.min(), days.max()
    epoch = date(1970, 1, 1)
    period = Period(first or epoch, last or epoch, "all")
    return ReportData(
        agreement=agreement,
        period=period,
        violations=enrich(violations, details, agreement),
        previous=None,
        events_in_period=int(summary["events"]["total"]),
        events_total=int(summary["events"]["total"]),
        inputs=list(summary["inputs"]),
        issues=issues,
        side_tables=side_tables(out_dir) if out_dir is not None else {},
        agreement_file=agreement_file(agreement),
        summary=summary,
    )


def _batches(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object]
) -> Iterator[pd.DataFrame]:
    reader = arrow_reader(con.execute(sql, params), _BATCH)
    schema = event_schema()
    for batch in reader:
        yield pa.Table.from_batches([batch]).select(schema.names).cast(schema).to_pandas()


def _check(
    prep: PreparedAgreement, con: duckdb.DuckDBPyConnection, period: Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adjudicate the stored events of a period: (violations, event details)."""
    start, end = period.utc_bounds(prep.agreement.timezone)
    sql = "SELECT * FROM events WHERE time_start >= ? AND time_start < ? ORDER BY event_id"
    found, details = [], []
    for batch in _batches(con, sql, [start, end]):
        result = adjudicate(prep, batch)
        if len(result.violations):
            found.append(result.violations)
            hit = result.events["event_id"].isin(result.violations["event_id"])
            details.append(result.events.loc[hit, EVENT_DETAILS])
    if not found:
        return pd.DataFrame(columns=VIOLATION_COLUMNS), pd.DataFrame(columns=EVENT_DETAILS)
    return pd.concat(found, ignore_index=True), pd.concat(details, ignore_index=True)


def _inputs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT file, sha256, source, rows_read, rows_new, rows_already_stored, rows_skipped "
        "FROM loads ORDER BY load_id"
    ).fetchall()
    keys = (
        "file",
        "sha256",
        "source",
        "rows_read",
        "rows_new",
        "rows_already_stored",
        "rows_skipped",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def from_store(agreement: Agreement, store_path: Path, spec: str) -> ReportData:
    """The report of one period, with the previous period for comparison, from the store."""
    if not store_path.is_file():
        raise CeasefireError(
            f"{store_path}: no store here; give --store (written by 'ceasefire run')"
        )
    try:
        con = duckdb.connect(str(store_path), read_only=True)
    except duckdb.Error as exc:
        raise CeasefireError(f"{store_path}: cannot open the store ({exc})") from exc
    try:
        span = con.execute("SELECT min(time_start), max(time_start) FROM events").fetchone()
        first = last = None
        if span is not None and span[0] is not None:
            dates = _local_dates(pd.Series([span[0], span[1]]), agreement.timezone)
            first, last = dates.iloc[0], dates.iloc[1]
        period = parse_period(spec, first, last)
        prep = PreparedAgreement(agreement)
        violations, details = _check(prep, con, period)
        before = None
        if period.kind != "all":  # nothing to compare the whole history with
            previous, previous_details = _check(prep, con, period.previous())
            before = enrich(previous, previous_details, agreement)
        start, end = period.utc_bounds(agreement.timezone)
        in_period = _count(
            con,
            "SELECT count(*) FROM events WHERE time_start >= ? AND time_start < ?",
            [start, end],
        )
        return ReportData(
            agreement=agreement,
            period=period,
            violations=enrich(violations, details, agreement),
            previous=before,
            events_in_period=in_period,
            events_total=_count(con, "SELECT count(*) FROM events"),
            inputs=_inputs(con),
            side_tables=side_tables(store_path.parent, con),
            agreement_file=agreement_file(agreement),
        )
    finally:
        con.close()
