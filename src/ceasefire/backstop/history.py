"""The history the backstop evaluates: violations (with the event attributes they need) from
a violations.csv, or from event files and a store checked against the agreement."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from ceasefire.agreement.model import Agreement
from ceasefire.errors import CeasefireError
from ceasefire.sources.report import IngestReport

EVENT_COLUMNS = (
    "event_id", "category", "weapon_class", "target_category", "fatalities_best",
    "provenance_sha256", "time_start",
)  # fmt: skip


@dataclass
class History:
    """Violations, the events they refer to, and what was read to get them."""

    violations: pd.DataFrame
    events: pd.DataFrame | None
    reports: list[IngestReport] = field(default_factory=list)

    def span(self, agreement: Agreement) -> tuple[date | None, date | None]:
        """First and last day of the history (events and violations, agreement time zone)."""
        days: list[date] = []
        events = self.events
        if events is not None and "time_start" in events.columns and len(events):
            times = pd.to_datetime(events["time_start"], utc=True, errors="coerce").dropna()
            local = times.dt.tz_convert(agreement.timezone)
            if len(local):
                days += [local.min().date(), local.max().date()]
        if len(self.violations) and "date" in self.violations.columns:
            text = self.violations["date"].astype(str).str.slice(0, 10)
            parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").dropna()
            if len(parsed):
                days += [parsed.min().date(), parsed.max().date()]
        return (min(days), max(days)) if days else (None, None)


def read_events(path: Path) -> pd.DataFrame | None:
    """The event attributes the backstop uses, from an events.parquet (None if absent)."""
    if not path.is_file():
        return None
    names = set(pq.read_schema(path).names)
    if "event_id" not in names:
        return None
    frame: pd.DataFrame = pq.read_table(
        path, columns=[c for c in EVENT_COLUMNS if c in names]
    ).to_pandas()
    return frame


def _store_events(store_path: Path) -> pd.DataFrame:
    from ceasefire.store import EventStore

    with EventStore(store_path) as store:
        frame: pd.DataFrame = store.events().select(list(EVENT_COLUMNS)).to_pandas()
    return frame


def from_violations_file(path: Path, store_path: Path | None = None) -> History:
    """A violations.csv; event attributes from the events.parquet beside it, else the store."""
    try:
        violations = pd.read_csv(path, dtype={"event_id": str, "source_event_id": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CeasefireError(f"{path}: cannot read the violations ({exc})") from exc
    events = read_events(path.parent / "events.parquet")
    if events is None and store_path is not None:
        events = _store_events(store_path)
    return History(violations, events)


def from_events(
    agreement: Agreement,
    event_files: Sequence[Path],
    store_path: Path | None = None,
    source: str | None = None,
) -> History:
    """Store the event files (in `store_path`, else a temporary store) and check every stored
    event against the agreement, as `ceasefire run` does."""
    from ceasefire.adjudicate import PreparedAgreement
    from ceasefire.pipeline import check_store, ingest
    from ceasefire.store import EventStore

    def quiet(stage: str, done: int, total: int) -> None:
        return None

    with tempfile.TemporaryDirectory(prefix="ceasefire-backstop-") as tmp:
        path = store_path or Path(tmp) / "store.duckdb"
        with EventStore(path) as store:
            reports = ingest(store, list(event_files), source, quiet)
            events_path = Path(tmp) / "events.parquet"
            violations, _ = check_store(PreparedAgreement(agreement), store, events_path, quiet)
        return History(violations, read_events(events_path), reports)
