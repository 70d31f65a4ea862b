"""What the backstop produces: triggers (with their evidence), ladder changes and the ladder
state of each commitment, as records, rows of triggers.csv and JSON."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

TRIGGER_COLUMNS = [
    "trigger_key", "date", "guarantor", "commitment", "trigger_id", "level_before", "level",
    "action", "respond_by", "condition", "violations", "incidents", "violation_ids",
    "event_ids", "incident_ids", "evidence_sha256", "illustrative", "agreement_id",
]  # fmt: skip
LIST_SEPARATOR = ";"


def trigger_key(
    agreement_id: str, guarantor: str, commitment: str, trigger: str, day: str, level: int
) -> str:
    """The idempotency key of a firing: the same firing always gets the same key."""
    text = "\n".join([agreement_id, guarantor, commitment, trigger, day, str(level)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class TriggerRecord:
    """A commitment's trigger fired: when, the level reached, and the evidence."""

    key: str
    agreement_id: str
    date: str
    guarantor: str
    commitment: str
    trigger: str
    level_before: int
    level: int
    action: str
    respond_by: str | None
    condition: str
    violation_ids: tuple[str, ...]
    event_ids: tuple[str, ...]
    incident_ids: tuple[str, ...]
    evidence_sha256: tuple[str, ...]
    illustrative: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (lists for the evidence)."""
        data = asdict(self)
        for name in ("violation_ids", "event_ids", "incident_ids", "evidence_sha256"):
            data[name] = list(data[name])
        return data

    def row(self) -> dict[str, Any]:
        """One row of triggers.csv."""
        sep = LIST_SEPARATOR
        return {
            "trigger_key": self.key, "date": self.date, "guarantor": self.guarantor,
            "commitment": self.commitment, "trigger_id": self.trigger,
            "level_before": self.level_before, "level": self.level, "action": self.action,
            "respond_by": self.respond_by or "", "condition": self.condition,
            "violations": len(self.violation_ids), "incidents": len(self.incident_ids),
            "violation_ids": sep.join(self.violation_ids), "event_ids": sep.join(self.event_ids),
            "incident_ids": sep.join(self.incident_ids),
            "evidence_sha256": sep.join(self.evidence_sha256),
            "illustrative": self.illustrative, "agreement_id": self.agreement_id,
        }  # fmt: skip


@dataclass(frozen=True)
class Transition:
    """A commitment's ladder changed level on a day (a trigger, or a quiet period)."""

    date: str
    guarantor: str
    commitment: str
    level_before: int
    level: int
    cause: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


@dataclass(frozen=True)
class LadderState:
    """Where a commitment's ladder stands on the `as_of` day."""

    guarantor: str
    commitment: str
    title: str
    status: str  # active, expired, not yet in force, no triggers
    level: int
    top: int
    action: str
    since: str | None
    valid_from: str
    valid_until: str | None
    illustrative: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def triggers_frame(records: list[TriggerRecord]) -> pd.DataFrame:
    """triggers.csv as a table (the columns even when there are no triggers)."""
    return pd.DataFrame([r.row() for r in records], columns=TRIGGER_COLUMNS)


@dataclass
class BackstopResult:
    """Triggers, ladder changes and ladder states of an agreement's commitments."""

    agreement_id: str
    as_of: str | None
    triggers: list[TriggerRecord] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    ladders: list[LadderState] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The triggers as the rows of triggers.csv."""
        return triggers_frame(self.triggers)

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {
            "agreement_id": self.agreement_id,
            "as_of": self.as_of,
            "triggers": [t.as_dict() for t in self.triggers],
            "transitions": [t.as_dict() for t in self.transitions],
            "ladders": [s.as_dict() for s in self.ladders],
            "skipped": [{"row": row, "reason": reason} for row, reason in self.skipped],
        }
