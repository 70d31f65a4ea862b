"""The chain-of-custody log: append-only JSON lines, each entry chained to the one before.

Every entry holds `seq` (1, 2, ...), `prev` (the previous entry's hash; 64 zeros for the
first) and `hash` = SHA-256 of the entry's canonical JSON without `hash`. Lines are written in
that canonical form (sorted keys, no spaces), so any changed byte, a removed entry or two
entries swapped break the chain at a place `verify` names. HEAD beside the log holds the last
entry's seq and hash, so removing entries from the end is detected too.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceasefire.errors import CeasefireError

GENESIS = "0" * 64
LOG_NAME = "custody.jsonl"
HEAD_NAME = "HEAD"


def canonical(data: dict[str, Any]) -> str:
    """The one text form of an entry: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(data: dict[str, Any]) -> str:
    """SHA-256 of an entry's canonical JSON without its own hash."""
    body = {k: v for k, v in data.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def now_utc() -> str:
    """The current time, UTC, ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class BadEntry:
    """The first place the log is not what was written."""

    seq: int  # the entry (by sequence number) that is bad or missing
    line: int  # line of the log where the problem shows (0: HEAD)
    problem: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "HEAD"
        return f"entry {self.seq} ({where}): {self.problem}"


@dataclass
class Verification:
    """The result of checking a log (and, from the evidence store, its objects)."""

    entries: int = 0
    head: str = GENESIS
    first_bad: BadEntry | None = None
    bad_objects: list[str] = field(default_factory=list)
    objects_checked: int = 0

    @property
    def ok(self) -> bool:
        """Nothing changed, removed, reordered or missing."""
        return self.first_bad is None and not self.bad_objects


def _check_line(
    raw: bytes, line: int, expected_seq: int, prev: str, later: set[int]
) -> tuple[dict[str, Any] | None, BadEntry | None]:
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError):
        return None, BadEntry(expected_seq, line, "not a valid log entry (changed bytes)")
    seq = data.get("seq")
    if seq != expected_seq:
        if isinstance(seq, int) and seq > expected_seq and expected_seq not in later:
            why = f"entry {expected_seq} is missing (found entry {seq} in its place)"
        else:
            why = f"found entry {seq} where entry {expected_seq} belongs: entries reordered"
        return None, BadEntry(expected_seq, line, why)
    if canonical(data) != raw.decode("utf-8") or entry_hash(data) != data.get("hash"):
        return None, BadEntry(expected_seq, line, "content changed (its hash does not match)")
    if data.get("prev") != prev:
        return None, BadEntry(expected_seq, line, "does not follow the entry before it (prev hash)")
    return data, None


class CustodyLog:
    """The log file and its HEAD in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOG_NAME
        self.head_path = folder / HEAD_NAME

    def _lines(self) -> list[bytes]:
        if not self.path.exists():
            return []
        return [line for line in self.path.read_bytes().split(b"\n") if line]

    def _head(self) -> tuple[int, str] | None:
        if not self.head_path.exists():
            return None
        parts = self.head_path.read_text(encoding="utf-8").split()
        try:
            return int(parts[0]), parts[1]
        except (IndexError, ValueError):
            return (-1, "")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, action: str, **fields: Any) -> dict[str, Any]:
        """Add an entry (under a lock); refuses when the log's end and HEAD disagree."""
        with self._locked():
            lines = self._lines()
            head = self._head()
            seq, prev = 0, GENESIS
            if lines:
                last = json.loads(lines[-1].decode("utf-8"))
                seq, prev = int(last["seq"]), str(last["hash"])
            if (head or (0, GENESIS)) != (seq, prev):
                raise CeasefireError(
                    f"{self.path}: the log does not end where HEAD says it does; nothing added. "
                    "Run `ceasefire evidence verify` to find the first bad entry"
                )
            entry: dict[str, Any] = {"seq": seq + 1, "at": now_utc(), "action": action, **fields}
            entry["prev"] = prev
            entry["hash"] = entry_hash(entry)
            with self.path.open("ab") as handle:
                handle.write(canonical(entry).encode("utf-8") + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            temporary = self.head_path.with_suffix(".tmp")
            temporary.write_text(f"{entry['seq']} {entry['hash']}\n", encoding="utf-8")
            os.replace(temporary, self.head_path)
            return entry

    def entries(self) -> list[dict[str, Any]]:
        """The entries as written (unchecked; call verify for that). Unreadable lines are
        skipped here."""
        result = []
        for line in self._lines():
            try:
                result.append(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, ValueError):
                continue
        return result

    def verify(self) -> Verification:
        """Check every entry and HEAD; stop at the first bad entry."""
        lines = self._lines()
        result = Verification()
        seqs: list[int] = []
        for raw in lines:
            try:
                seqs.append(int(json.loads(raw.decode("utf-8")).get("seq", -1)))
            except (UnicodeDecodeError, ValueError, AttributeError, TypeError):
                seqs.append(-1)
        prev = GENESIS
        for number, raw in enumerate(lines, start=1):
            data, bad = _check_line(raw, number, number, prev, set(seqs[number:]))
            if bad is not None:
                result.first_bad = bad
                return result
            assert data is not None
            prev = str(data["hash"])
            result.entries, result.head = number, prev
        head = self._head()
        if head is None and lines:
            result.first_bad = BadEntry(len(lines), 0, "HEAD is missing")
        elif head is not None and head != (len(lines), prev):
            if head[0] > len(lines):
                why = (
                    f"entry {len(lines) + 1} is missing: the log ends at entry {len(lines)}, "
                    f"HEAD records {head[0]}"
                )
                result.first_bad = BadEntry(len(lines) + 1, 0, why)
            else:
                result.first_bad = BadEntry(
                    max(head[0], 1), 0, "HEAD does not match the last entry"
                )
        return result
