"""The ingest report of one file: rows read, stored, and skipped with the reason per row."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowIssue:
    """A row that was not stored, or stored with a caveat."""

    row: int  # 1-based data row (header not counted)
    reason: str
    column: str | None = None
    value: str | None = None


@dataclass
class IngestReport:
    """What happened to every row of one input file."""

    file: str
    source: str
    sha256: str
    rows_read: int = 0
    rows_valid: int = 0
    rows_new: int = 0
    rows_already_stored: int = 0
    skipped: list[RowIssue] = field(default_factory=list)
    unknown_actors: Counter[str] = field(default_factory=Counter)

    def skip(self, row: int, reason: str, column: str | None = None, value: Any = None) -> None:
        """Record a row that is not stored and why."""
        self.skipped.append(RowIssue(row, reason, column, None if value is None else str(value)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (issues.json)."""
        data = asdict(self)
        data["skipped"] = [asdict(issue) for issue in sorted(self.skipped, key=lambda i: i.row)]
        data["unknown_actors"] = dict(sorted(self.unknown_actors.items()))
        data["rows_skipped"] = len(self.skipped)
        return data
