"""The figures of a report: counts by party, rule, severity, category and oblast with the change
against the previous period, the time series for the charts, and the list of incidents (all of
them, or the most serious when there are too many to print)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ceasefire.geo.boundaries import admin_units
from ceasefire.reporting.data import ReportData
from ceasefire.reporting.enrich import severity_levels
from ceasefire.reporting.period import Period

UNATTRIBUTED = "unattributed"
LIST_ALL_UP_TO = 1_000  # incidents listed in full up to this many
LIST_MOST_SERIOUS = 300  # above it: the most serious this many, the rest in the exports
PAGE_ROWS = 100  # rows per page of the HTML list


@dataclass
class Count:
    """One row of a count table: this period, the previous one, the change."""

    key: str
    label: str
    current: int
    previous: int | None

    @property
    def change(self) -> str:
        """'+3', '-2', '0', or '' without a previous period."""
        if self.previous is None:
            return ""
        delta = self.current - self.previous
        return f"{delta:+d}" if delta else "0"


def _party_keys(frame: pd.DataFrame) -> pd.Series:
    return frame["party"].replace("", UNATTRIBUTED) if len(frame) else pd.Series([], dtype=object)


def _tally(frame: pd.DataFrame | None, column: str) -> dict[str, int]:
    if frame is None or not len(frame):
        return {}
    values = _party_keys(frame) if column == "party" else frame[column].fillna("").astype(str)
    return {str(k): int(v) for k, v in values.value_counts().items()}


def count_rows(
    data: ReportData, column: str, keys: list[tuple[str, str]], keep_zero: bool = True
) -> list[Count]:
    """Counts of violations by a column, in the order of keys (then any other value)."""
    now = _tally(data.violations, column)
    before = _tally(data.previous, column) if data.previous is not None else None
    known = [k for k, _ in keys]
    extra = sorted((set(now) | set(before or {})) - set(known), key=lambda k: (-now.get(k, 0), k))
    rows = []
    for key, label in [*keys, *((k, k) for k in extra)]:
        current = now.get(key, 0)
        previous = None if before is None else before.get(key, 0)
        if keep_zero or current or previous:
            rows.append(Count(key, label, current, previous))
    return rows


def party_keys(data: ReportData) -> list[tuple[str, str]]:
    """(id, label) of every party, then unattributed."""
    return [(p.id, p.id) for p in data.agreement.parties] + [(UNATTRIBUTED, UNATTRIBUTED)]


def _fatalities(frame: pd.DataFrame | None) -> int | None:
    if frame is None or not len(frame):
        return 0 if frame is not None else None
    deaths = frame.drop_duplicates("event_id")["fatalities_best"]
    return int(pd.to_numeric(deaths, errors="coerce").fillna(0).sum())


def headline(data: ReportData) -> list[Count]:
    """Violations, incidents, reports in violation and deaths reported."""
    prev = data.previous

    def n(frame: pd.DataFrame | None, column: str | None) -> int | None:
        if frame is None:
            return None
        return len(frame) if column is None else int(frame[column].nunique()) if len(frame) else 0

    return [
        Count(
            "incidents",
            "incidents in violation",
            n(data.violations, "incident_id") or 0,
            n(prev, "incident_id"),
        ),
        Count(
            "violations", "violations (incident report x rule)", len(data.violations), n(prev, None)
        ),
        Count(
            "reports",
            "event reports in violation",
            n(data.violations, "event_id") or 0,
            n(prev, "event_id"),
        ),
        Count(
            "deaths",
            "deaths reported (best estimate)",
            _fatalities(data.violations) or 0,
            _fatalities(prev),
        ),
    ]


def admin_names() -> dict[str, str]:
    """ISO 3166-2 code -> name of every bundled admin-1 unit."""
    return {u.iso: u.name for u in admin_units()}


def summary_tables(data: ReportData) -> dict[str, list[Count]]:
    """All count tables of the summary section."""
    rules = [(r.id, f"{r.article}: {r.title}") for r in data.agreement.rules]
    names = admin_names()
    oblasts = sorted(_tally(data.violations, "admin1").items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    return {
        "party": count_rows(data, "party", party_keys(data)),
        "rule": count_rows(data, "rule_id", rules, keep_zero=False),
        "severity": count_rows(data, "severity", [(s, s) for s in severity_levels(data.agreement)]),
        "category": count_rows(data, "category", [], keep_zero=False),
        "admin1": [
            Count(k or "?", f"{names.get(k, k or 'unknown')} ({k})" if k else "unknown", v, None)
            for k, v in oblasts
        ],
    }


def bin_size(period: Period) -> str:
    """day, week, month or year: at most about 60 bars on a chart."""
    if period.days <= 62:
        return "day"
    if period.days <= 62 * 7:
        return "week"
    return "month" if period.days <= 62 * 31 else "year"


def _bin_start(day: date, size: str) -> date:
    if size == "week":
        return day - timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    if size == "year":
        return day.replace(month=1, day=1)
    return day


def bins(period: Period) -> list[date]:
    """Start of every bin of the period, in order."""
    size = bin_size(period)
    result, day = [], _bin_start(period.start, size)
    while day <= period.end:
        result.append(day)
        if size == "year":
            day = day.replace(year=day.year + 1)
        elif size == "month":
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            day += timedelta(days=7 if size == "week" else 1)
    return result


def series(data: ReportData, value: str) -> tuple[list[date], dict[str, np.ndarray]]:
    """Per bin and party: number of violations (value='violations') or deaths ('deaths')."""
    edges = bins(data.period)
    keys = [k for k, _ in party_keys(data)]
    result = {k: np.zeros(len(edges)) for k in keys}
    frame = data.violations
    if not len(frame):
        return edges, result
    if value == "deaths":
        frame = frame.drop_duplicates("event_id")
    days = pd.to_datetime(frame["date"]).dt.date
    size = bin_size(data.period)
    index = {d: i for i, d in enumerate(edges)}
    position = days.map(lambda d: index.get(_bin_start(d, size), -1)).to_numpy(dtype=np.int64)
    weights = (
        pd.to_numeric(frame["fatalities_best"], errors="coerce").fillna(0).to_numpy()
        if value == "deaths"
        else np.ones(len(frame))
    )
    party = _party_keys(frame).to_numpy()
    for key in keys:
        mask = (party == key) & (position >= 0)
        result[key] = np.bincount(
            position[mask], weights=weights[mask], minlength=len(edges)
        ).astype(float)
    return edges, result


def incident_list(data: ReportData) -> tuple[list[dict[str, Any]], int]:
    """The incidents to print (all, or the most serious) and how many there are in all."""
    levels = severity_levels(data.agreement)
    table = data.incidents()
    total = len(table)
    if total > LIST_ALL_UP_TO:
        rank = table["severity"].map({s: i for i, s in enumerate(levels)}).fillna(len(levels))
        order = table.assign(_rank=rank, _neg=-table["confidence"].astype(float))
        order = order.sort_values(["_rank", "_neg", "date", "incident_id"], kind="stable")
        table = order.head(LIST_MOST_SERIOUS).drop(columns=["_rank", "_neg"])
    names = admin_names()
    table = table.assign(
        admin1_name=table["admin1"].map(lambda k: names.get(k, k) if isinstance(k, str) else "")
    )
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    rows = [{str(k): v for k, v in r.items()} for r in records]
    return rows, total
