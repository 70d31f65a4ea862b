"""The backstop's input contract (docs/backstop.md): a violations table as `ceasefire run`
writes it. Newer columns (status, incident_id, evidence hashes, category...) are used when
present and defaulted when absent; event attributes are joined from the events by event_id."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.severity import severity_ranks
from ceasefire.errors import CeasefireError

REQUIRED = ("event_id", "date", "rule_id")
EVENT_ATTRIBUTES = (
    "category",
    "weapon_class",
    "target_category",
    "fatalities_best",
    "provenance_sha256",
)
EVIDENCE_COLUMNS = ("evidence_sha256", "evidence_hashes", "provenance_sha256")
ROW_COLUMNS = [
    "day", "date", "violation_id", "event_id", "incident_id", "party", "rule_id", "zone_id",
    "category", "weapon_class", "target_category", "fatalities", "status", "confidence",
    "severity", "severity_rank", "evidence",
]  # fmt: skip
EPOCH = date(1970, 1, 1)
Array = np.ndarray
_HASH_SPLIT = re.compile(r"[\s;,|]+")


@dataclass
class PreparedViolations:
    """Violations in canonical order (day, violation_id), one row per violation_id."""

    rows: pd.DataFrame
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (1-based row, reason)


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def day_text(day: int) -> str:
    """YYYY-MM-DD of a day number."""
    return date.fromordinal(EPOCH.toordinal() + int(day)).isoformat()


def _text(frame: pd.DataFrame, column: str, default: str | pd.Series = "") -> pd.Series:
    if column not in frame.columns:
        return default if isinstance(default, pd.Series) else pd.Series(default, index=frame.index)
    column_values = frame[column]
    if not pd.api.types.is_string_dtype(column_values):  # numbers, dates: as text
        column_values = column_values.astype(object).where(column_values.notna(), "")
    values = column_values.fillna("").astype(str)
    if isinstance(default, pd.Series):
        return values.where(values != "", default)
    return values.where(values != "", default) if default else values


def _number(frame: pd.DataFrame, names: tuple[str, ...], missing: float, empty: float) -> Array:
    """The first of these columns as floats: `empty` where blank, `missing` without a column."""
    for name in names:
        if name in frame.columns:
            values = pd.to_numeric(frame[name], errors="coerce").fillna(empty)
            return values.to_numpy(dtype=float)
    return np.full(len(frame), missing, dtype=float)


def _join_events(violations: pd.DataFrame, events: pd.DataFrame | None) -> pd.DataFrame:
    """Fill event attributes the violation rows lack from the events, by event_id."""
    if events is None or "event_id" not in events.columns:
        return violations
    wanted = [c for c in EVENT_ATTRIBUTES if c in events.columns]
    if not wanted:
        return violations
    table = events[["event_id", *wanted]].drop_duplicates("event_id", keep="last")
    joined = (
        violations[["event_id"]]
        .astype(str)
        .merge(table.astype({"event_id": str}), on="event_id", how="left")
    )
    joined.index = violations.index
    result = violations.copy()
    for column in wanted:
        if column in result.columns:
            own = result[column]
            result[column] = own.where(own.notna() & (own.astype(str) != ""), joined[column])
        else:
            result[column] = joined[column]
    return result


def _evidence(frame: pd.DataFrame) -> pd.Series:
    """The evidence hashes of each row as one text (split with `evidence_hashes`)."""
    parts = [_text(frame, c) for c in EVIDENCE_COLUMNS if c in frame.columns]
    if not parts:
        return pd.Series("", index=frame.index, dtype=object)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + ";" + part
    return joined.astype(object)


@functools.lru_cache(maxsize=65536)
def evidence_hashes(text: str) -> frozenset[str]:
    """The SHA-256 hashes in an evidence text (separated by spaces, ';', ',' or '|')."""
    return frozenset(h.lower() for h in _HASH_SPLIT.split(text) if h)


def prepare_violations(
    agreement: Agreement, violations: pd.DataFrame, events: pd.DataFrame | None = None
) -> PreparedViolations:
    """Check and complete a violations table; compute each violation's severity."""
    missing = [c for c in REQUIRED if c not in violations.columns]
    if missing and not len(violations):  # no rows at all (a frame without columns)
        return PreparedViolations(pd.DataFrame(columns=ROW_COLUMNS))
    if missing:
        raise CeasefireError(
            f"violations: missing column '{missing[0]}'; expected the columns of violations.csv "
            "(event_id, date, party, rule_id, zone_id, confidence, ...; see docs/backstop.md)"
        )
    frame = _join_events(violations.reset_index(drop=True), events)
    parsed = pd.to_datetime(
        frame["date"].astype(str).str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
    )
    bad = parsed.isna().to_numpy()
    skipped = [
        (int(i) + 1, f"date {frame['date'].iloc[i]!r} is not a YYYY-MM-DD date")
        for i in np.flatnonzero(bad)
    ]
    frame, parsed = frame[~bad].reset_index(drop=True), parsed[~bad].reset_index(drop=True)
    event_id = _text(frame, "event_id")
    rule_id = _text(frame, "rule_id")
    single = {r.id: r.categories[0].value for r in agreement.rules if len(r.categories) == 1}
    rows = pd.DataFrame(
        {
            "day": ((parsed - pd.Timestamp(EPOCH)).dt.days).astype(np.int64),
            "date": parsed.dt.strftime("%Y-%m-%d"),
            "violation_id": _text(frame, "violation_id", event_id + "#" + rule_id),
            "event_id": event_id,
            "incident_id": _text(frame, "incident_id", event_id),
            "party": _text(frame, "party"),
            "rule_id": rule_id,
            "zone_id": _text(frame, "zone_id"),
            "category": _text(frame, "category", rule_id.map(single).fillna("unknown")),
            "weapon_class": _text(frame, "weapon_class", "unknown"),
            "target_category": _text(frame, "target_category", "unknown"),
            "status": _text(frame, "status", "alleged").str.lower(),
        }
    )
    rows["fatalities"] = _number(frame, ("fatalities_best", "fatalities"), missing=0.0, empty=0.0)
    rows["confidence"] = _number(frame, ("confidence",), missing=1.0, empty=0.0)
    rows["evidence"] = _evidence(frame).to_numpy()
    rank, names = severity_ranks(agreement, rows)
    rows["severity_rank"], rows["severity"] = rank, names
    rows = rows.drop_duplicates("violation_id", keep="last")
    rows = rows.sort_values(["day", "violation_id"], kind="stable").reset_index(drop=True)
    return PreparedViolations(rows[ROW_COLUMNS], skipped)
