"""A commitment's escalation ladder: level 0 (no response) up to its top response level.

A firing trigger raises the ladder to at least the trigger's level; with `on_repeat:
escalate`, a firing when the ladder is already there raises it one step (up to the top).
After `after_quiet_days` full days without a firing the level drops by `step`, and again
after each further quiet period, never below `floor`: the drop takes effect on the day after
the quiet period. Levels are cumulative: at level 3 the responses of levels 1-3 apply."""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.agreement.conditions import Trigger
from ceasefire.agreement.model import Commitment


@dataclass(frozen=True)
class Step:
    """A change of level on a day, and why."""

    day: int
    level_before: int
    level: int
    cause: str


@dataclass
class Ladder:
    """The level of one commitment over time (days must not go backwards)."""

    top: int
    after_quiet_days: int | None = None
    step_size: int = 1
    floor: int = 0
    end_day: int | None = None  # the commitment is inactive from this day on
    level: int = 0
    since: int | None = None
    last_fire: int | None = None
    quiet_steps: int = 0

    @classmethod
    def of(cls, commitment: Commitment, end_day: int | None) -> Ladder:
        """The ladder a commitment defines."""
        top = max((r.level for r in commitment.responses), default=0)
        rule = commitment.de_escalation
        if rule is None:
            return cls(top=top, end_day=end_day)
        return cls(top, rule.after_quiet_days, rule.step, rule.floor, end_day)

    def decay(self, day: int) -> list[Step]:
        """Apply the de-escalations due on or before `day`."""
        steps: list[Step] = []
        if self.after_quiet_days is None or self.last_fire is None:
            return steps
        while self.level > self.floor:
            due = self.last_fire + (self.quiet_steps + 1) * self.after_quiet_days + 1
            if due > day or (self.end_day is not None and due >= self.end_day):
                break
            before = self.level
            self.level = max(self.floor, self.level - self.step_size)
            self.quiet_steps += 1
            self.since = due
            steps.append(Step(due, before, self.level, f"{self.after_quiet_days} quiet days"))
        return steps

    def fire(self, day: int, trigger: Trigger) -> tuple[int, int, list[Step]]:
        """A trigger fired on `day`: (level before, level after, changes including decay)."""
        steps = self.decay(day)
        before = self.level
        if trigger.on_repeat == "escalate" and before >= trigger.level:
            after = min(self.top, before + 1)
        else:
            after = max(before, trigger.level)
        self.level, self.last_fire, self.quiet_steps = after, day, 0
        if after != before:
            self.since = day
            steps.append(Step(day, before, after, f"trigger {trigger.id}"))
        return before, after, steps
