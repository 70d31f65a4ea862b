"""Evaluate guarantors' commitments over time: replay a history, or keep up incrementally as
violations arrive. Both step through the days in order over the same canonical rows, so the
same data gives the same triggers whatever order it arrived in."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ceasefire.agreement.conditions import Filter
from ceasefire.agreement.model import Agreement, Commitment, Guarantor
from ceasefire.backstop.conditions import (
    DayRows,
    Node,
    compile_condition,
    describe_condition,
    leaf_mask,
)
from ceasefire.backstop.inputs import ROW_COLUMNS, day_number, day_text, prepare_violations
from ceasefire.backstop.ladder import Ladder, Step
from ceasefire.backstop.records import (
    BackstopResult,
    LadderState,
    Transition,
    TriggerRecord,
    trigger_key,
)


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
    """Everything one commitment's evaluation remembers (copied for checkpoints)."""

    roots: list[Node]
    ladder: Ladder
    firings: list[Firing] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


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


def _today_by_day(
    plan: Plan, agreement: Agreement, rows: pd.DataFrame
) -> dict[int, dict[int, DayRows]]:
    """For each day with a match: each leaf's matching rows."""
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
        bounds = np.flatnonzero(np.diff(day[index])) + 1
        for part in np.split(index, bounds):
            result.setdefault(int(day[part[0]]), {})[slot] = DayRows(
                vids[part].tolist(), incidents[part].tolist()
            )
    return result


def _advance(plan: Plan, state: State, day: int, today: dict[int, DayRows]) -> None:
    hits = [root.step(day, today) for root in state.roots]
    for index, hit in enumerate(hits):
        if hit is None:
            continue
        before, after, steps = state.ladder.fire(day, plan.commitment.triggers[index])
        state.firings.append(Firing(day, index, hit.vids, before, after))
        state.steps.extend(steps)


def _run(
    plan: Plan,
    agreement: Agreement,
    state: State,
    rows: pd.DataFrame,
    checkpoints: list[tuple[int, State]] | None = None,
    every: int = 32,
) -> None:
    """Step `state` through the days of `rows`, saving checkpoints if a list is given."""
    by_day = _today_by_day(plan, agreement, rows)
    days = sorted(by_day)
    for i, day in enumerate(days):
        _advance(plan, state, day, by_day[day])
        if checkpoints is not None and ((i + 1) % every == 0 or i == len(days) - 2):
            checkpoints.append((day, copy.deepcopy(state)))


class _Output:
    """Turns the states of all plans into records."""

    def __init__(self, agreement: Agreement, plans: list[Plan]) -> None:
        self.agreement = agreement
        self.plans = plans
        self.zone = ZoneInfo(agreement.timezone)

    def _respond_by(self, commitment: Commitment, day: int, level: int) -> tuple[str, str | None]:
        response = next((r for r in commitment.responses if r.level == level), None)
        if response is None:
            return "", None
        if response.within_hours is None:
            return response.action, None
        end_of_day = datetime.combine(
            date.fromisoformat(day_text(day + 1)), datetime.min.time(), self.zone
        )
        due = (
            end_of_day.astimezone(ZoneInfo("UTC")) + timedelta(hours=response.within_hours)
        ).astimezone(self.zone)
        return response.action, due.isoformat()

    def triggers(self, states: list[State], rows: pd.DataFrame) -> list[TriggerRecord]:
        index = pd.Index(rows["violation_id"])
        event_ids = rows["event_id"].to_numpy(dtype=object)
        incidents = rows["incident_id"].to_numpy(dtype=object)
        evidence = rows["evidence"].to_numpy(dtype=object)
        records: list[tuple[tuple[int, int, int, int], TriggerRecord]] = []
        for plan, state in zip(self.plans, states, strict=True):
            c, g = plan.commitment, plan.guarantor
            for seq, f in enumerate(state.firings):
                at = index.get_indexer(list(f.vids))
                at = at[at >= 0]
                trig = c.triggers[f.trigger_index]
                action, respond_by = self._respond_by(c, f.day, f.level)
                day = day_text(f.day)
                record = TriggerRecord(
                    key=trigger_key(self.agreement.id, g.id, c.id, trig.id, day, f.level),
                    agreement_id=self.agreement.id, date=day, guarantor=g.id, commitment=c.id,
                    trigger=trig.id, level_before=f.level_before, level=f.level, action=action,
                    respond_by=respond_by, condition=describe_condition(trig.condition, c.against),
                    violation_ids=tuple(sorted(f.vids)),
                    event_ids=tuple(sorted(set(event_ids[at].tolist()))),
                    incident_ids=tuple(sorted(set(incidents[at].tolist()))),
                    evidence_sha256=tuple(sorted({h for hs in evidence[at] for h in hs})),
                    illustrative=c.illustrative,
                )  # fmt: skip
                records.append(((f.day, plan.g_index, plan.c_index, seq), record))
        return [r for _, r in sorted(records, key=lambda item: item[0])]

    def ladders(
        self, states: list[State], as_of: int | None
    ) -> tuple[list[Transition], list[LadderState]]:
        changes: list[tuple[tuple[int, int, int, int], Transition]] = []
        ladders: list[LadderState] = []
        by_commitment = {
            (p.g_index, p.c_index): (p, s) for p, s in zip(self.plans, states, strict=True)
        }
        for gi, g in enumerate(self.agreement.guarantors):
            for ci, c in enumerate(g.commitments):
                plan_state = by_commitment.get((gi, ci))
                ladder = replace(plan_state[1].ladder) if plan_state else Ladder.of(c, None)
                steps = list(plan_state[1].steps) if plan_state else []
                if as_of is not None:
                    steps += ladder.decay(as_of)
                for seq, s in enumerate(steps):
                    changes.append(
                        (
                            (s.day, gi, ci, seq),
                            Transition(
                                day_text(s.day), g.id, c.id, s.level_before, s.level, s.cause
                            ),
                        )
                    )
                ladders.append(
                    self._state(g, c, ladder, plan_state[0] if plan_state else None, as_of)
                )
        return [t for _, t in sorted(changes, key=lambda item: item[0])], ladders

    def _state(
        self, g: Guarantor, c: Commitment, ladder: Ladder, plan: Plan | None, as_of: int | None
    ) -> LadderState:
        end = self.agreement.commitment_end(c)
        start = self.agreement.resolve_time(c.valid_from)
        level = ladder.level
        if plan is None:
            status = "no triggers"
        elif as_of is not None and plan.end_day is not None and as_of >= plan.end_day:
            status, level = "expired", 0
        elif as_of is not None and as_of < plan.start_day:
            status = "not yet in force"
        else:
            status = "active"
        action = next((r.action for r in c.responses if r.level == level), "")
        return LadderState(
            guarantor=g.id, commitment=c.id, title=c.title, status=status, level=level,
            top=ladder.top, action=action,
            since=day_text(ladder.since) if ladder.since is not None else None,
            valid_from=start.isoformat(), valid_until=end.isoformat() if end else None,
            illustrative=c.illustrative,
        )  # fmt: skip


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
    plans = plans_of(agreement)
    states = [plan.fresh() for plan in plans]
    for plan, state in zip(plans, states, strict=True):
        _run(plan, agreement, state, rows)
    last = as_of or end
    as_of_day = day_number(last) if last else (int(rows["day"].max()) if len(rows) else None)
    output = _Output(agreement, plans)
    transitions, ladders = output.ladders(states, as_of_day)
    return BackstopResult(
        agreement.id,
        day_text(as_of_day) if as_of_day is not None else None,
        output.triggers(states, rows),
        transitions,
        ladders,
        prepared.skipped,
    )


@dataclass(frozen=True)
class Update:
    """What one batch of arrivals changed: triggers that are new, and triggers that late
    data has replaced (the full history is always `IncrementalBackstop.triggers`)."""

    new: list[TriggerRecord]
    retracted: list[TriggerRecord]


class IncrementalBackstop:
    """Keep up with violations as they arrive, in any order. A batch only re-evaluates from
    the last checkpoint before its earliest day; the result equals a replay of all rows."""

    def __init__(self, agreement: Agreement, checkpoint_every: int = 32) -> None:
        self.agreement = agreement
        self.plans = plans_of(agreement)
        self.every = checkpoint_every
        self.rows = pd.DataFrame(columns=ROW_COLUMNS)
        self.events: pd.DataFrame | None = None
        self.states = [plan.fresh() for plan in self.plans]
        self.checkpoints: list[list[tuple[int, State]]] = [[] for _ in self.plans]
        self.output = _Output(agreement, self.plans)
        self.triggers: list[TriggerRecord] = []
        self.skipped: list[tuple[int, str]] = []

    def add(self, violations: pd.DataFrame, events: pd.DataFrame | None = None) -> Update:
        """Take a batch of violation rows (and the events they refer to); a row whose
        violation_id was seen before replaces it (e.g. a status change)."""
        if events is not None:
            both = events if self.events is None else pd.concat([self.events, events])
            self.events = both.drop_duplicates("event_id", keep="last")
        prepared = prepare_violations(self.agreement, violations, self.events)
        self.skipped += prepared.skipped
        new = prepared.rows
        if not len(new):
            return Update([], [])
        replaced = self.rows["violation_id"].isin(new["violation_id"])
        earliest = int(
            min(
                new["day"].min(),
                self.rows.loc[replaced, "day"].min() if replaced.any() else new["day"].min(),
            )
        )
        kept = self.rows[~replaced]
        self.rows = (
            (new if not len(kept) else pd.concat([kept, new], ignore_index=True))
            .sort_values(["day", "violation_id"], kind="stable")
            .reset_index(drop=True)
        )
        for i, plan in enumerate(self.plans):
            saved = [(d, s) for d, s in self.checkpoints[i] if d < earliest]
            self.checkpoints[i] = saved
            since = saved[-1][0] if saved else None
            self.states[i] = copy.deepcopy(saved[-1][1]) if saved else plan.fresh()
            todo = self.rows if since is None else self.rows[self.rows["day"] > since]
            _run(plan, self.agreement, self.states[i], todo, self.checkpoints[i], self.every)
        before = {t.key: t for t in self.triggers}
        self.triggers = self.output.triggers(self.states, self.rows)
        after = {t.key for t in self.triggers}
        return Update([t for t in self.triggers if t.key not in before],
                      [t for k, t in before.items() if k not in after])  # fmt: skip

    def result(self, as_of: date | None = None) -> BackstopResult:
        """Triggers, ladder changes and states as of `as_of` (default: the last day seen)."""
        last = (
            day_number(as_of)
            if as_of
            else (int(self.rows["day"].max()) if len(self.rows) else None)
        )
        transitions, ladders = self.output.ladders(self.states, last)
        shown = day_text(last) if last is not None else None
        triggers, skipped = list(self.triggers), list(self.skipped)
        return BackstopResult(self.agreement.id, shown, triggers, transitions, ladders, skipped)

    @property
    def transitions(self) -> list[Transition]:
        """Ladder changes up to the last day seen."""
        return self.result().transitions
