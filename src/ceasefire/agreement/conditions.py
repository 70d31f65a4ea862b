"""Guarantor commitments as data: the severity scale, trigger conditions and the escalation
ladder (see docs/backstop.md). A small closed vocabulary, no free expressions: every key is
validated when the agreement is loaded, with a did-you-mean for unknown keys and ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.taxonomy import Category, Target, WeaponClass

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1)]
Status = Literal["alleged", "corroborated", "verified", "disputed", "dismissed"]
STATUSES: tuple[str, ...] = get_args(Status)
UNATTRIBUTED = "unattributed"  # a `parties` value: violations with no attributed party
CONDITION_KINDS = ("any", "count", "consecutive_days", "all")
KeyPath = tuple[str | int, ...]


class _Closed(BaseModel):
    """Unknown keys are errors (the loader turns them into did-you-mean messages)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SeverityCriterion(_Closed):
    """Violations matching every given key have at least this severity level."""

    level: Id
    categories: list[Category] = []
    weapon_classes: list[WeaponClass] = []
    targets: list[Target] = []
    rules: list[Id] = []
    zones: list[Id] = []
    fatalities_at_least: float | None = Field(default=None, ge=0)


class Severity(_Closed):
    """Severity levels, least severe first; a violation gets the highest level whose criterion
    it matches, else the first level."""

    levels: list[Id] = Field(min_length=1)
    criteria: list[SeverityCriterion] = []

    def rank(self, level: str) -> int:
        """0 for the first (least severe) level."""
        return self.levels.index(level)


class Filter(_Closed):
    """Which violations a condition looks at. Every given key must match; a list matches any
    of its values. `parties` defaults to the commitment's `against` (all parties when that is
    empty); `status` defaults to every status except `dismissed`."""

    parties: list[str] = []
    categories: list[Category] = []
    weapon_classes: list[WeaponClass] = []
    targets: list[Target] = []
    rules: list[Id] = []
    zones: list[Id] = []
    status: list[Status] = []
    min_severity: str | None = None
    min_confidence: float | None = Field(default=None, ge=0, le=1)


class AnyViolation(Filter):
    """`any`: holds on each day with at least one matching violation."""


class CountViolations(Filter):
    """`count`: at least `at_least` matching incidents (or violations, or days) within
    `within_days` consecutive calendar days (no window: since the last firing)."""

    at_least: int = Field(ge=1)
    within_days: int | None = Field(default=None, ge=1)
    of: Literal["incidents", "violations", "days"] = "incidents"


class ConsecutiveDays(Filter):
    """`consecutive_days`: matching violations on `days` calendar days in a row."""

    days: int = Field(ge=1)


class Condition(_Closed):
    """Exactly one of `any`, `count`, `consecutive_days` or `all` (a list of conditions that
    must all hold, optionally `within_days` of each other)."""

    any: AnyViolation | None = None
    count: CountViolations | None = None
    consecutive_days: ConsecutiveDays | None = None
    all: list[Condition] | None = Field(default=None, min_length=1)
    within_days: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [kind for kind in CONDITION_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            shown = ", ".join(f"'{k}'" for k in given) if given else "none"
            raise ValueError(
                "a condition needs exactly one of 'any', 'count', 'consecutive_days', 'all' "
                f"(got {shown})"
            )
        if self.within_days is not None and self.all is None:
            raise ValueError(
                f"'within_days' beside a condition belongs to 'all'; put it inside '{given[0]}'"
            )
        return self

    @property
    def kind(self) -> str:
        """any, count, consecutive_days or all."""
        return next(kind for kind in CONDITION_KINDS if getattr(self, kind) is not None)

    @property
    def leaf(self) -> Filter | None:
        """The filter of an any/count/consecutive_days condition (None for `all`)."""
        value = getattr(self, self.kind)
        return value if isinstance(value, Filter) else None

    def leaves(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Filter]]:
        """Every leaf filter with its key path below the condition."""
        leaf = self.leaf
        if leaf is not None:
            yield (*path, self.kind), leaf
            return
        for index, child in enumerate(self.all or []):
            yield from child.leaves((*path, "all", index))


Condition.model_rebuild()


class Trigger(_Closed):
    """A condition that raises a commitment's ladder: to at least `level`; with
    `on_repeat: escalate`, a firing when the ladder is already there raises it one step."""

    id: Id
    description: str
    condition: Condition
    level: int = Field(default=1, ge=1)
    on_repeat: Literal["hold", "escalate"] = "hold"


class Response(_Closed):
    """One step of a guarantor's escalation ladder; due `within_hours` of the end of the day
    the level is reached."""

    level: int = Field(ge=1)
    action: str
    within_hours: float | None = Field(default=None, ge=0)
    description: str | None = None


class DeEscalation(_Closed):
    """After `after_quiet_days` full days without a firing, the level drops by `step` (and
    again after each further quiet period), never below `floor`."""

    after_quiet_days: int = Field(ge=1)
    step: int = Field(default=1, ge=1)
    floor: int = Field(default=0, ge=0)
