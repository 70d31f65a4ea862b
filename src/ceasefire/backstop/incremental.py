"""Keep up with violations as they arrive, in any order: each batch re-evaluates only from
the last checkpoint before its earliest day, and the result equals a replay of every row."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ceasefire.agreement.model import Agreement
from ceasefire.backstop.engine import Track, plans_of
from ceasefire.backstop.inputs import day_number, day_text, prepare_violations
from ceasefire.backstop.output import Lookup, Recorder
from ceasefire.backstop.records import BackstopResult, Transition, TriggerRecord


@dataclass(frozen=True)
class Update:
    """What one batch changed: triggers that are new, and triggers that late data replaced
    (the whole history is always `IncrementalBackstop.triggers`)."""

    new: list[TriggerRecord]
    retracted: list[TriggerRecord]


class IncrementalBackstop:
    """The commitments of an agreement, evaluated as violations arrive."""

    def __init__(self, agreement: Agreement, checkpoint_every: int = 32) -> None:
        self.agreement = agreement
        self.every = checkpoint_every
        self.tracks = [Track.of(plan) for plan in plans_of(agreement)]
        self.recorder = Recorder(agreement)
        self.lookup = Lookup()
        self.by_day: dict[int, pd.DataFrame] = {}  # canonical rows of each day
        self.days: list[int] = []  # sorted keys of by_day
        self.vid_day: dict[str, int] = {}
        self.events: pd.DataFrame | None = None
        self.triggers: list[TriggerRecord] = []
        self.skipped: list[tuple[int, str]] = []

    def _store(self, new: pd.DataFrame) -> int:
        """Merge prepared rows into the days; the earliest day whose rows changed."""
        vids = new["violation_id"].tolist()
        old_days = {self.vid_day[v] for v in vids if v in self.vid_day}
        changed = sorted(old_days | set(new["day"].tolist()))
        for day in old_days:  # a violation sent again replaces its earlier version
            frame = self.by_day[day]
            self.by_day[day] = frame[~frame["violation_id"].isin(vids)]
        for key, part in new.groupby("day", sort=True):
            day = int(str(key))
            current = self.by_day.get(day)
            merged = part if current is None or not len(current) else pd.concat([current, part])
            self.by_day[day] = merged.sort_values("violation_id", kind="stable")
            if current is None:
                bisect.insort(self.days, day)
        self.vid_day.update(zip(vids, new["day"].tolist(), strict=True))
        self.lookup.update(new)
        return changed[0]

    def _rows_after(self, day: int | None) -> pd.DataFrame:
        start = 0 if day is None else bisect.bisect_right(self.days, day)
        frames = [self.by_day[d] for d in self.days[start:]]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def add(self, violations: pd.DataFrame, events: pd.DataFrame | None = None) -> Update:
        """Take a batch of violation rows (and the events they refer to). A row whose
        violation_id was seen before replaces it (e.g. a status change)."""
        if events is not None:
            both = events if self.events is None else pd.concat([self.events, events])
            self.events = both.drop_duplicates("event_id", keep="last")
        prepared = prepare_violations(self.agreement, violations, self.events)
        self.skipped += prepared.skipped
        if not len(prepared.rows):
            return Update([], [])
        earliest = self._store(prepared.rows)
        for track in self.tracks:
            since = track.rewind(earliest)
            rows = self._rows_after(since)
            if len(rows):
                track.run(self.agreement, rows, self.every)
        before = {t.key: t for t in self.triggers}
        self.triggers = self.recorder.triggers(self.tracks, self.lookup)
        after = {t.key for t in self.triggers}
        new = [t for t in self.triggers if t.key not in before]
        return Update(new, [t for key, t in before.items() if key not in after])

    def result(self, as_of: date | None = None) -> BackstopResult:
        """Triggers, ladder changes and states as of `as_of` (default: the last day seen)."""
        last = day_number(as_of) if as_of else (self.days[-1] if self.days else None)
        transitions, ladders = self.recorder.ladders(self.tracks, last)
        shown = day_text(last) if last is not None else None
        triggers, skipped = list(self.triggers), list(self.skipped)
        return BackstopResult(self.agreement.id, shown, triggers, transitions, ladders, skipped)

    @property
    def transitions(self) -> list[Transition]:
        """Ladder changes up to the last day seen."""
        return self.result().transitions
