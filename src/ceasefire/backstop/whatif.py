"""How often and when a draft's commitments would have fired on a history: per commitment
and trigger, the firings, the years they fell in, the highest level and the days spent at
each level of the ladder."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.engine import plans_of
from ceasefire.backstop.inputs import day_number, day_text
from ceasefire.backstop.records import BackstopResult


def _days(text: str) -> int:
    return day_number(date.fromisoformat(text))


def days_at_levels(changes: list[tuple[int, int]], start: int, end: int) -> dict[int, int]:
    """Days at each level in [start, end] given (day, new level) changes in order."""
    result: Counter[int] = Counter()
    level, since = 0, start
    for day, new in changes:
        if day > end:
            break
        if day > since:
            result[level] += day - since
            since = day
        level = new
    if end >= since:
        result[level] += end - since + 1
    return {k: result[k] for k in sorted(result) if result[k]}


def what_if(agreement: Agreement, result: BackstopResult, first_day: str | None) -> dict[str, Any]:
    """The frequency of each commitment's triggers over the history [first_day, as_of]."""
    commitments = []
    last = result.as_of
    for plan in plans_of(agreement):
        g, c = plan.guarantor, plan.commitment
        fired = [t for t in result.triggers if (t.guarantor, t.commitment) == (g.id, c.id)]
        changes = [x for x in result.transitions if (x.guarantor, x.commitment) == (g.id, c.id)]
        span: dict[int, int] = {}
        if first_day is not None and last is not None:
            start = max(_days(first_day), plan.start_day)
            end = _days(last) if plan.end_day is None else min(_days(last), plan.end_day - 1)
            if end >= start:
                span = days_at_levels([(_days(x.date), x.level) for x in changes], start, end)
        by_trigger = []
        for trigger in c.triggers:
            dates = [t.date for t in fired if t.trigger == trigger.id]
            by_trigger.append({"trigger": trigger.id, "description": trigger.description,
                               "firings": len(dates), "first": dates[0] if dates else None,
                               "last": dates[-1] if dates else None})  # fmt: skip
        commitments.append(
            {
                "guarantor": g.id, "commitment": c.id, "illustrative": c.illustrative,
                "valid_from": day_text(plan.start_day),
                "valid_until": day_text(plan.end_day - 1) if plan.end_day is not None else None,
                "firings": len(fired), "first": fired[0].date if fired else None,
                "last": fired[-1].date if fired else None,
                "by_year": dict(sorted(Counter(t.date[:4] for t in fired).items())),
                "escalations": sum(1 for x in changes if x.level > x.level_before),
                "de_escalations": sum(1 for x in changes if x.level < x.level_before),
                "highest_level": max((x.level for x in changes), default=0),
                "days_at_level": {str(k): v for k, v in span.items()},
                "by_trigger": by_trigger,
            }
        )  # fmt: skip
    return {"history": {"from": first_day, "to": last}, "commitments": commitments}
