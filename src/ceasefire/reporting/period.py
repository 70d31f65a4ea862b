"""Report periods: `day`, `week`, `all`, `DATE` or `FROM..TO`, as inclusive calendar dates in the
agreement's time zone, resolved against the store's data (never the wall clock)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PERIOD_HELP = "day | week | all | YYYY-MM-DD | FROM..TO (dates inclusive)"
_DATE = r"\d{4}-\d{2}-\d{2}"


class PeriodError(ValueError):
    """A period spec that cannot be read or resolved."""


@dataclass(frozen=True)
class Period:
    """Calendar days start..end (both inclusive) and how they were asked for."""

    start: date
    end: date
    kind: str  # day, week, range, all

    @property
    def days(self) -> int:
        """Number of calendar days."""
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """'2015-02-20' for one day, else 'FROM to TO'."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind
        )

    def contains(self, day: date) -> bool:
        """Whether a calendar day is in the period."""
        return self.start <= day <= self.end

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) of the period as aware datetimes (local midnights of the time zone)."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.start, time(0), tzinfo=zone)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=zone)
        return start, end


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise PeriodError(f"'{text}' is not a date; expected YYYY-MM-DD") from exc


def parse_period(spec: str, first: date | None, last: date | None) -> Period:
    """Resolve a period spec. `day` and `week` end on `last`, the latest day with data;
    `all` spans first..last."""
    text = spec.strip().lower()
    if text in ("day", "week", "all"):
        if first is None or last is None:
            raise PeriodError(f"--period {text}: the store holds no events to date it from")
        if text == "day":
            return Period(last, last, "day")
        if text == "week":
            return Period(last - timedelta(days=6), last, "week")
        return Period(first, last, "all")
    if re.fullmatch(_DATE, text):
        day = _day(text)
        return Period(day, day, "day")
    match = re.fullmatch(rf"({_DATE})\.\.({_DATE})", text)
    if match is None:
        raise PeriodError(f"--period '{spec}': expected {PERIOD_HELP}")
    start, end = _day(match.group(1)), _day(match.group(2))
    if end < start:
        raise PeriodError(f"--period '{spec}': ends before it starts")
    return Period(start, end, "range")
