"""Evaluate guarantors' commitments over time. Each commitment is a `Track` that steps through
the days in order over canonical rows (sorted by day and violation id), so the same data
gives the same triggers whatever order it arrived in; `replay` runs every track once over a
whole history, `IncrementalBackstop` (incremental.py) resumes them from checkpoints."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ceasefire.agreement.conditions import Filter
from ceasefire.agreement.model import Agreement, Commitment, Guarantor
from ceasefire.backstop.conditions import DayRows, Node, compile_condition, leaf_mask
from ceasefire.backstop.inputs import day_number, day_text, prepare_violations
from ceasefire.backstop.ladder import Ladder, Step
from ceasefire.backstop.output import Lookup, Recorder
from ceasefire.backstop.records import BackstopResult, TriggerRecord


@dataclass(frozen=True)
class Plan:
    """A commitment prepared for evaluation: its leaf filters and active days."""

    g_index: int
    c_index: int
    guarantor: Guarantor
    commitment: Commitment
    leaves: list[Filter]
    start_day: int
    end_day: int | None  # exclusive

    def fresh(self) -> State:
        """The state before any day."""
        slots: list[Filter] = []  # the same numbering as `leaves`
        roots = [compile_condition(t.condition, slots) for t in self.commitment.triggers]
        return State(roots, Ladder.of(self.commitment, self.end_day))


@dataclass(frozen=True)
class Firing:
    """A trigger held on a day and moved the ladder from level_before to level."""

    day: int
    trigger_index: int
    vids: tuple[str, ...]
    level_before: int
    level: int


@dataclass
class State:
    """What a commitment's evaluation carries from one day to the next."""

    roots: list[Node]
    ladder: Ladder
    days_done: int = 0


@dataclass(frozen=True)
class Checkpoint:
    """A copy of a track's state after `day`, with the length of its outputs then."""

    day: int
    state: State
    firings: int
    steps: int
    periodic: bool


def _local_day(moment: datetime, zone: ZoneInfo, *, ceil: bool = False) -> int:
    local = moment.astimezone(zone)
    day = day_number(local.date())
    at_midnight = (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    return day + 1 if ceil and not at_midnight else day


def plans_of(agreement: Agreement) -> list[Plan]:
    """One plan per commitment that has triggers, in the agreement's order."""
    zone = ZoneInfo(agreement.timezone)
    plans = []
    for gi, guarantor in enumerate(agreement.guarantors):
        for ci, commitment in enumerate(guarantor.commitments):
            if not commitment.triggers:
                continue
            leaves: list[Filter] = []
            for t in commitment.triggers:
                compile_condition(t.condition, leaves)
            end = agreement.commitment_end(commitment)
            start_day = _local_day(agreement.resolve_time(commitment.valid_from), zone)
            end_day = None if end is None else _local_day(end, zone, ceil=True)
            plans.append(Plan(gi, ci, guarantor, commitment, leaves, start_day, end_day))
    return plans


def today_by_day(
    plan: Plan, agreement: Agreement, rows: pd.DataFrame
) -> dict[int, dict[int, DayRows]]:
    """For each day with a match: each leaf's matching rows (vectorized selection)."""
    day = rows["day"].to_numpy(dtype=np.int64)
    active = day >= plan.start_day
    if plan.end_day is not None:
        active &= day < plan.end_day
    vids = rows["violation_id"].to_numpy(dtype=object)
    incidents = rows["incident_id"].to_numpy(dtype=object)
    result: dict[int, dict[int, DayRows]] = {}
    for slot, where in enumerate(plan.leaves):
        mask = active & leaf_mask(where, rows, plan.commitment.against, agreement.severity)
        index = np.flatnonzero(mask)
        if not len(index):
            continue
        starts = np.concatenate([[0], np.flatnonzero(np.diff(day[index])) + 1])
        ends = np.append(starts[1:], len(index))
        picked_vids, picked_incidents = vids[index].tolist(), incidents[index].tolist()
        for first, last, d in zip(
            starts.tolist(), ends.tolist(), day[index[starts]].tolist(), strict=True
        ):
            result.setdefault(d, {})[slot] = DayRows(
                picked_vids[first:last], picked_incidents[first:last]
            )
    return result


@dataclass
class Track:
    """One commitment's evaluation: its state, firings, ladder steps and checkpoints."""

    plan: Plan
    state: State
    firings: list[Firing] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    records: list[TriggerRecord] = field(default_factory=list)  # one per firing, once built
    checkpoints: list[Checkpoint] = field(default_factory=list)

    @classmethod
    def of(cls, plan: Plan) -> Track:
        """A track before any day."""
        return cls(plan, plan.fresh())

    def run(self, agreement: Agreement, rows: pd.DataFrame, every: int | None = None) -> None:
        """Step through the days of `rows` (all after the state's last day). With `every`,
        keep a checkpoint every `every` days and after each of the last two days."""
        by_day = today_by_day(self.plan, agreement, rows)
        days = sorted(by_day)
        triggers = self.plan.commitment.triggers
        for i, day in enumerate(days):
            today = by_day[day]
            for index, root in enumerate(self.state.roots):
                hit = root.step(day, today)
                if hit is not None:
                    before, after, steps = self.state.ladder.fire(day, triggers[index])
                    self.firings.append(Firing(day, index, hit.vids, before, after))
                    self.steps.extend(steps)
            self.state.days_done += 1
            if every is not None:
                periodic = self.state.days_done % every == 0
                if periodic or i >= len(days) - 2:
                    state = copy.deepcopy(self.state)
                    point = Checkpoint(day, state, len(self.firings), len(self.steps), periodic)
                    self.checkpoints.append(point)
        if every is not None:  # keep the periodic checkpoints and the last two others
            tail = {id(c) for c in [c for c in self.checkpoints if not c.periodic][-2:]}
            self.checkpoints = [c for c in self.checkpoints if c.periodic or id(c) in tail]

    def rewind(self, before_day: int) -> int | None:
        """Go back to the last checkpoint before `before_day`; the day it was taken (None:
        back to the start)."""
        kept = [c for c in self.checkpoints if c.day < before_day]
        self.checkpoints = kept
        if not kept:
            self.state, self.firings, self.steps, self.records = self.plan.fresh(), [], [], []
            return None
        last = kept[-1]
        self.state = copy.deepcopy(last.state)
        del self.firings[last.firings :], self.steps[last.steps :], self.records[last.firings :]
        return last.day


def _window(rows: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    if start is not None:
        rows = rows[rows["day"] >= day_number(start)]
    if end is not None:
        rows = rows[rows["day"] <= day_number(end)]
    return rows.reset_index(drop=True)


def replay(
    agreement: Agreement,
    violations: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> BackstopResult:
    """Evaluate every commitment over the violations from `start` to `end` (inclusive days);
    ladder states as of `as_of` (default: `end`, else the last day with a violation)."""
    prepared = prepare_violations(agreement, violations, events)
    rows = _window(prepared.rows, start, end)
    tracks = [Track.of(plan) for plan in plans_of(agreement)]
    for track in tracks:
        track.run(agreement, rows)
    last = as_of or end
    as_of_day = day_number(last) if last else (int(rows["day"].max()) if len(rows) else None)
    recorder = Recorder(agreement)
    cited = {v for track in tracks for firing in track.firings for v in firing.vids}
    triggers = recorder.triggers(tracks, Lookup.of(rows, cited))
    transitions, ladders = recorder.ladders(tracks, as_of_day)
    shown = day_text(as_of_day) if as_of_day is not None else None
    return BackstopResult(agreement.id, shown, triggers, transitions, ladders, prepared.skipped)
