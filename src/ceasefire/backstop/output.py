"""Turn commitment tracks into records: triggers with their evidence (violations, events,
incidents, evidence hashes), ladder changes, and each commitment's ladder state on a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ceasefire.agreement.model import Agreement, Commitment, Guarantor
from ceasefire.backstop.conditions import describe_condition
from ceasefire.backstop.inputs import day_text, evidence_hashes
from ceasefire.backstop.ladder import Ladder
from ceasefire.backstop.records import LadderState, Transition, TriggerRecord, trigger_key

if TYPE_CHECKING:
    from ceasefire.backstop.engine import Firing, Plan, Track


class Lookup:
    """violation_id -> (event_id, incident_id, evidence text), for the evidence of triggers."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str, str]] = {}

    @classmethod
    def of(cls, rows: pd.DataFrame, only: set[str] | None = None) -> Lookup:
        """A lookup of these prepared rows (only those with these violation ids)."""
        lookup = cls()
        if only is not None:
            at = pd.Index(rows["violation_id"]).get_indexer(list(only))
            rows = rows.iloc[np.sort(at[at >= 0])]
        lookup.update(rows)
        return lookup

    def update(self, rows: pd.DataFrame) -> None:
        """Add or replace rows."""
        def column(name: str) -> list[str]:
            values: list[str] = rows[name].to_numpy(dtype=object).tolist()
            return values

        values = zip(column("event_id"), column("incident_id"), column("evidence"), strict=True)
        self.rows.update(zip(column("violation_id"), values, strict=True))


class Recorder:
    """Builds the records of an agreement's tracks."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.zone = ZoneInfo(agreement.timezone)
        self._conditions: dict[tuple[int, int, int], str] = {}

    def _respond_by(self, commitment: Commitment, day: int, level: int) -> tuple[str, str | None]:
        response = next((r for r in commitment.responses if r.level == level), None)
        if response is None:
            return "", None
        if response.within_hours is None:
            return response.action, None
        midnight = datetime.combine(
            date.fromisoformat(day_text(day + 1)), datetime.min.time(), self.zone
        )
        due = midnight.astimezone(ZoneInfo("UTC")) + timedelta(hours=response.within_hours)
        return response.action, due.astimezone(self.zone).isoformat()

    def record(self, plan: Plan, firing: Firing, lookup: Lookup) -> TriggerRecord:
        """The trigger record of one firing."""
        c, g = plan.commitment, plan.guarantor
        trigger = c.triggers[firing.trigger_index]
        place = (plan.g_index, plan.c_index, firing.trigger_index)
        if place not in self._conditions:
            self._conditions[place] = describe_condition(trigger.condition, c.against)
        found = [lookup.rows[v] for v in firing.vids if v in lookup.rows]
        hashes = {h for _, _, text in found for h in evidence_hashes(text)}
        action, respond_by = self._respond_by(c, firing.day, firing.level)
        day = day_text(firing.day)
        return TriggerRecord(
            key=trigger_key(self.agreement.id, g.id, c.id, trigger.id, day, firing.level),
            agreement_id=self.agreement.id, date=day, guarantor=g.id, commitment=c.id,
            trigger=trigger.id, level_before=firing.level_before, level=firing.level,
            action=action, respond_by=respond_by, condition=self._conditions[place],
            violation_ids=tuple(sorted(firing.vids)),
            event_ids=tuple(sorted({e for e, _, _ in found})),
            incident_ids=tuple(sorted({i for _, i, _ in found})),
            evidence_sha256=tuple(sorted(hashes)), illustrative=c.illustrative,
        )  # fmt: skip

    def triggers(self, tracks: list[Track], lookup: Lookup) -> list[TriggerRecord]:
        """Every track's triggers in canonical order (day, guarantor, commitment, firing);
        records already built are reused."""
        keyed: list[tuple[tuple[int, int, int, int], TriggerRecord]] = []
        for track in tracks:
            for firing in track.firings[len(track.records) :]:
                track.records.append(self.record(track.plan, firing, lookup))
            p = track.plan
            pairs = enumerate(zip(track.firings, track.records, strict=True))
            keyed += [((f.day, p.g_index, p.c_index, seq), r) for seq, (f, r) in pairs]
        return [r for _, r in sorted(keyed, key=lambda item: item[0])]

    def ladders(
        self, tracks: list[Track], as_of: int | None
    ) -> tuple[list[Transition], list[LadderState]]:
        """Ladder changes up to `as_of` and every commitment's state on that day."""
        changes: list[tuple[tuple[int, int, int, int], Transition]] = []
        states: list[LadderState] = []
        by_place = {(t.plan.g_index, t.plan.c_index): t for t in tracks}
        for gi, g in enumerate(self.agreement.guarantors):
            for ci, c in enumerate(g.commitments):
                track = by_place.get((gi, ci))
                ladder = replace(track.state.ladder) if track else Ladder.of(c, None)
                steps = list(track.steps) if track else []
                if as_of is not None:
                    steps += ladder.decay(as_of)
                for seq, s in enumerate(steps):
                    change = Transition(
                        day_text(s.day), g.id, c.id, s.level_before, s.level, s.cause
                    )
                    changes.append(((s.day, gi, ci, seq), change))
                states.append(self._state(g, c, ladder, track.plan if track else None, as_of))
        return [t for _, t in sorted(changes, key=lambda item: item[0])], states

    def _state(
        self, g: Guarantor, c: Commitment, ladder: Ladder, plan: Plan | None, as_of: int | None
    ) -> LadderState:
        end = self.agreement.commitment_end(c)
        level = ladder.level
        if plan is None:
            status = "no triggers"
        elif as_of is not None and plan.end_day is not None and as_of >= plan.end_day:
            status, level = "expired", 0
        elif as_of is not None and as_of < plan.start_day:
            status = "not yet in force"
        else:
            status = "active"
        return LadderState(
            guarantor=g.id, commitment=c.id, title=c.title, status=status, level=level,
            top=ladder.top, action=next((r.action for r in c.responses if r.level == level), ""),
            since=day_text(ladder.since) if ladder.since is not None else None,
            valid_from=self.agreement.resolve_time(c.valid_from).isoformat(),
            valid_until=end.isoformat() if end else None, illustrative=c.illustrative,
        )  # fmt: skip
