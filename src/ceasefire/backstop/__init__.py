"""The backstop: guarantor commitments that fire on explicit conditions (docs/backstop.md)."""

from ceasefire.backstop.engine import replay
from ceasefire.backstop.incremental import IncrementalBackstop, Update
from ceasefire.backstop.inputs import PreparedViolations, prepare_violations
from ceasefire.backstop.records import (
    TRIGGER_COLUMNS,
    BackstopResult,
    LadderState,
    Transition,
    TriggerRecord,
)

__all__ = [
    "TRIGGER_COLUMNS",
    "BackstopResult",
    "IncrementalBackstop",
    "LadderState",
    "PreparedViolations",
    "Transition",
    "TriggerRecord",
    "Update",
    "prepare_violations",
    "replay",
]
