"""Report periods resolve against the data, never the wall clock."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire.reporting.period import Period, PeriodError, parse_period

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 14)


def test_day_and_week_end_on_the_last_day_with_data() -> None:
    assert parse_period("day", FIRST, LAST) == Period(LAST, LAST, "day")
    week = parse_period("week", FIRST, LAST)
    assert (week.start, week.end, week.days) == (date(2026, 3, 8), LAST, 7)
    assert week.previous() == Period(date(2026, 3, 1), date(2026, 3, 7), "week")
    assert parse_period("all", FIRST, LAST).days == 14


def test_explicit_dates_and_ranges_are_inclusive() -> None:
    assert parse_period("2026-03-05", None, None).days == 1
    span = parse_period("2026-02-01..2026-02-28", None, None)
    assert (span.days, span.label) == (28, "2026-02-01 to 2026-02-28")
    assert span.previous().end == date(2026, 1, 31)
    assert span.contains(date(2026, 2, 28)) and not span.contains(date(2026, 3, 1))


def test_local_midnights_bound_the_period() -> None:
    start, end = parse_period("2026-03-05", None, None).utc_bounds("Europe/Kyiv")
    assert start.isoformat() == "2026-03-05T00:00:00+02:00"
    assert (end - start).total_seconds() == 86400


@pytest.mark.parametrize("spec", ["yesterday", "2026-13-01", "2026-03-05..2026-03-01", "3..4"])
def test_bad_specs_say_what_is_expected(spec: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(spec, FIRST, LAST)


def test_relative_periods_need_data() -> None:
    with pytest.raises(PeriodError, match="no events"):
        parse_period("week", None, None)
