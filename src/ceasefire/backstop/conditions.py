"""Conditions compiled for evaluation: vectorized filters that pick each leaf's violations,
and small state machines that step through the days in order and report when they hold.

A condition that holds *fires*: its evidence is every unused matching violation it looked
at, and those violations are then used up for that condition (the next firing needs new
ones). Everything is a function of the violations on each day, so the result does not
depend on the order in which they arrived."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from ceasefire.agreement.conditions import (
    UNATTRIBUTED,
    Condition,
    ConsecutiveDays,
    CountViolations,
    Filter,
    Severity,
)


@dataclass(frozen=True)
class DayRows:
    """A leaf's matching violations on one day (canonical order)."""

    vids: list[str]
    incidents: list[str]


@dataclass(frozen=True)
class Hit:
    """A condition held on `day`, on these violations."""

    day: int
    vids: tuple[str, ...]


Today = Mapping[int, DayRows]  # leaf slot -> its rows of the day


class Node(Protocol):
    """A condition's state machine."""

    def step(self, day: int, today: Today) -> Hit | None:
        """Take one day's rows (days strictly increase); return a hit if the condition holds."""
        ...


def leaf_mask(
    where: Filter, rows: pd.DataFrame, against: list[str], severity: Severity | None
) -> np.ndarray:
    """Rows a leaf filter selects. `against` is the commitment's default for `parties`."""
    mask = np.ones(len(rows), dtype=bool)
    parties = where.parties or against
    if parties:
        mask &= rows["party"].isin(["" if p == UNATTRIBUTED else p for p in parties]).to_numpy()
    for values, column in (
        ([c.value for c in where.categories], "category"),
        ([w.value for w in where.weapon_classes], "weapon_class"),
        ([t.value for t in where.targets], "target_category"),
        (where.rules, "rule_id"),
        (where.zones, "zone_id"),
        (list(where.status), "status"),
    ):
        if values:
            mask &= rows[column].isin(values).to_numpy()
    if not where.status:
        mask &= (rows["status"] != "dismissed").to_numpy()
    if where.min_severity is not None and severity is not None:
        mask &= rows["severity_rank"].to_numpy() >= severity.rank(where.min_severity)
    if where.min_confidence is not None:
        mask &= rows["confidence"].to_numpy(dtype=float) >= where.min_confidence - 1e-9
    return mask


@dataclass
class AnyNode:
    """`any`: holds on each day with a matching violation."""

    slot: int

    def step(self, day: int, today: Today) -> Hit | None:
        rows = today.get(self.slot)
        return Hit(day, tuple(rows.vids)) if rows else None


@dataclass
class CountNode:
    """`count`: enough incidents/violations/days among the unused matches in the window."""

    slot: int
    spec: CountViolations
    window: list[tuple[int, list[str]]] = field(default_factory=list)
    incidents: Counter[str] = field(default_factory=Counter)
    day_incidents: list[list[str]] = field(default_factory=list)
    violations: int = 0

    def step(self, day: int, today: Today) -> Hit | None:
        rows = today.get(self.slot)
        if not rows:
            return None
        self.window.append((day, rows.vids))
        self.day_incidents.append(rows.incidents)
        self.incidents.update(rows.incidents)
        self.violations += len(rows.vids)
        if self.spec.within_days is not None:
            first = day - self.spec.within_days + 1
            while self.window[0][0] < first:
                _, vids = self.window.pop(0)
                self.incidents.subtract(self.day_incidents.pop(0))
                self.violations -= len(vids)
            self.incidents = +self.incidents  # drop zero counts
        measure = {"incidents": len(self.incidents), "violations": self.violations,
                   "days": len(self.window)}[self.spec.of]  # fmt: skip
        if measure < self.spec.at_least:
            return None
        hit = Hit(day, tuple(v for _, vids in self.window for v in vids))
        self.window, self.day_incidents, self.incidents, self.violations = [], [], Counter(), 0
        return hit


@dataclass
class ConsecutiveNode:
    """`consecutive_days`: matches on `days` calendar days in a row."""

    slot: int
    spec: ConsecutiveDays
    run: list[tuple[int, list[str]]] = field(default_factory=list)

    def step(self, day: int, today: Today) -> Hit | None:
        rows = today.get(self.slot)
        if not rows:
            return None
        if self.run and self.run[-1][0] != day - 1:
            self.run = []
        self.run.append((day, rows.vids))
        if len(self.run) < self.spec.days:
            return None
        hit = Hit(day, tuple(v for _, vids in self.run for v in vids))
        self.run = []
        return hit


@dataclass
class AllNode:
    """`all`: every part has held (unused), within `within_days` of each other if given."""

    parts: list[Node]
    within_days: int | None
    pending: list[list[Hit]] = field(default_factory=list)

    def step(self, day: int, today: Today) -> Hit | None:
        if not self.pending:
            self.pending = [[] for _ in self.parts]
        new = False
        for index, part in enumerate(self.parts):
            hit = part.step(day, today)
            if hit is not None:
                self.pending[index].append(hit)
                new = True
        if self.within_days is not None:
            first = day - self.within_days + 1
            self.pending = [[h for h in hits if h.day >= first] for hits in self.pending]
        if not new or not all(self.pending):
            return None
        vids = tuple(dict.fromkeys(v for hits in self.pending for h in hits for v in h.vids))
        self.pending = [[] for _ in self.parts]
        return Hit(day, vids)


def compile_condition(condition: Condition, leaves: list[Filter]) -> Node:
    """The state machine of a condition; its leaf filters are appended to `leaves` (slots)."""
    if condition.all is not None:
        parts = [compile_condition(c, leaves) for c in condition.all]
        return AllNode(parts, condition.within_days)
    leaf = condition.leaf
    assert leaf is not None
    leaves.append(leaf)
    slot = len(leaves) - 1
    if isinstance(leaf, CountViolations):
        return CountNode(slot, leaf)
    if isinstance(leaf, ConsecutiveDays):
        return ConsecutiveNode(slot, leaf)
    return AnyNode(slot)


def _filter_text(where: Filter, against: list[str]) -> str:
    parts = []
    parties = where.parties or against
    if parties:
        parts.append("by " + "/".join(parties))
    for label, values in (
        ("category", [c.value for c in where.categories]),
        ("weapon", [w.value for w in where.weapon_classes]),
        ("target", [t.value for t in where.targets]),
        ("rule", where.rules),
        ("zone", where.zones),
        ("status", list(where.status)),
    ):
        if values:
            parts.append(f"{label} " + "/".join(values))
    if where.min_severity:
        parts.append(f"severity {where.min_severity} or worse")
    if where.min_confidence is not None:
        parts.append(f"confidence at least {where.min_confidence:g}")
    return ", ".join(parts)


def describe_condition(condition: Condition, against: list[str]) -> str:
    """The condition in one line of plain words."""
    if condition.all is not None:
        inner = "; ".join(describe_condition(c, against) for c in condition.all)
        window = f" within {condition.within_days} days" if condition.within_days else ""
        return f"all of [{inner}]{window}"
    leaf = condition.leaf
    assert leaf is not None
    what = _filter_text(leaf, against)
    suffix = f" ({what})" if what else ""
    if isinstance(leaf, CountViolations):
        window = f" within {leaf.within_days} days" if leaf.within_days else ""
        return f"{leaf.at_least} or more {leaf.of}{window}{suffix}"
    if isinstance(leaf, ConsecutiveDays):
        return f"violations on {leaf.days} consecutive days{suffix}"
    return f"any violation{suffix}"
