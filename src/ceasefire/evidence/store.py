"""Evidence by content: every input file and attached item stored under its SHA-256.

The folder beside the store (`store.duckdb` -> `store.evidence/`) holds `objects/ab/cdef...`
(read-only copies, named by their hash: the original is preserved, working copies live
elsewhere), the custody log and its HEAD. Following the Berkeley Protocol: preserve, hash,
log every hand-over and every use.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.evidence.custody import CustodyLog, Verification

KINDS = ("data", "text", "image", "document", "video", "audio", "other")


def evidence_folder(store_path: Path) -> Path:
    """The evidence folder of a store."""
    return store_path.with_suffix(".evidence")


def guess_kind(name: str) -> str:
    """data, text, image, document, video, audio or other, from a file name."""
    lowered = name.lower()
    if lowered.endswith((".csv", ".tsv", ".parquet", ".json", ".geojson", ".xlsx", ".jsonl")):
        return "data"
    mime = mimetypes.guess_type(lowered)[0] or ""
    if mime.startswith(("image/", "video/", "audio/")):
        return mime.split("/")[0]
    if mime.startswith("text/"):
        return "text"
    if mime in ("application/pdf", "application/msword") or lowered.endswith((".docx", ".odt")):
        return "document"
    return "other"


@dataclass(frozen=True)
class Item:
    """A stored item: its hash, size, and whether this call stored it."""

    sha256: str
    size: int
    new: bool


class EvidenceStore:
    """Content-addressed objects and the custody log."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.objects = folder / "objects"
        self.log = CustodyLog(folder)

    @classmethod
    def beside(cls, store_path: Path) -> EvidenceStore:
        """The evidence store of a DuckDB store."""
        return cls(evidence_folder(store_path))

    def path_of(self, sha256: str) -> Path:
        """Where an object is (or would be) kept."""
        return self.objects / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        """Whether the object is stored."""
        return self.path_of(sha256).is_file()

    def _store_file(self, source: Path, expected: str | None) -> Item:
        self.objects.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        handle, name = tempfile.mkstemp(prefix=".incoming.", dir=self.objects)
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as target, source.open("rb") as reader:
                for chunk in iter(lambda: reader.read(1 << 20), b""):
                    digest.update(chunk)
                    target.write(chunk)
            sha = digest.hexdigest()
            if expected is not None and sha != expected:
                raise CeasefireError(
                    f"{source}: changed while it was read (SHA-256 {sha}, expected {expected})"
                )
            size = temporary.stat().st_size
            destination = self.path_of(sha)
            if destination.is_file():
                return Item(sha, size, new=False)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temporary, 0o444)
            os.replace(temporary, destination)
            return Item(sha, size, new=True)
        finally:
            if temporary.exists():
                temporary.unlink()

    def receive(
        self,
        source: Path,
        *,
        sender: str,
        channel: str,
        by: str,
        kind: str | None = None,
        received_at: str | None = None,
        note: str = "",
        expected_sha256: str | None = None,
        always_log: bool = True,
    ) -> Item:
        """Store a file and log its receipt (when, from whom, by which channel). With
        always_log False a file already held is not logged as received again."""
        if not source.is_file():
            raise CeasefireError(f"{source}: no such file")
        kind = kind or guess_kind(source.name)
        if kind not in KINDS:
            raise CeasefireError(f"unknown kind '{kind}'" + did_you_mean(kind, KINDS))
        item = self._store_file(source, expected_sha256)
        if item.new or always_log:
            fields: dict[str, Any] = {
                "sha256": item.sha256, "size": item.size, "name": source.name, "kind": kind,
                "from": sender, "channel": channel, "by": by, "note": note,
            }  # fmt: skip
            if received_at:
                fields["received_at"] = received_at
            self.log.append("received", **fields)
        return item

    def receive_bytes(self, data: bytes, name: str, **kwargs: Any) -> Item:
        """Store bytes (a report text, a party's response) as an item; see receive."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            return self.receive(path, **kwargs)

    def attach(
        self, sha256: str, *, by: str, event_id: str = "", violation_id: str = "", note: str = ""
    ) -> None:
        """Log that an item is evidence for a report or a violation."""
        if not self.has(sha256):
            raise CeasefireError(f"no evidence item {sha256}")
        fields = {"sha256": sha256, "by": by, "note": note}
        if event_id:
            fields["event_id"] = event_id
        if violation_id:
            fields["violation_id"] = violation_id
        self.log.append("attached", **fields)

    def resolve(self, prefix: str) -> str:
        """The full hash of an item from a unique prefix (at least 6 hex digits)."""
        known = sorted(
            {str(e["sha256"]) for e in self.log.entries() if e.get("action") == "received"}
        )
        if len(prefix) >= 6:
            found = [k for k in known if k.startswith(prefix.lower())]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise CeasefireError(f"'{prefix}' matches {len(found)} items; give more digits")
        hint = did_you_mean(prefix, known) if len(known) < 10_000 else ""
        raise CeasefireError(f"no evidence item '{prefix}'{hint}")

    def history(self, sha256: str) -> list[dict[str, Any]]:
        """Every log entry about an item: receipts, attachments, runs that used or made it."""
        found = []
        for entry in self.log.entries():
            outputs = entry.get("outputs", {})
            if (
                entry.get("sha256") == sha256
                or sha256 in entry.get("inputs", [])
                or sha256 in (outputs.values() if isinstance(outputs, dict) else [])
            ):
                found.append(entry)
        return found

    def attachments(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Items attached to reports (by event_id) and to violations (by violation_id)."""
        events: dict[str, set[str]] = defaultdict(set)
        violations: dict[str, set[str]] = defaultdict(set)
        for entry in self.log.entries():
            if entry.get("action") != "attached":
                continue
            if entry.get("event_id"):
                events[entry["event_id"]].add(entry["sha256"])
            if entry.get("violation_id"):
                violations[entry["violation_id"]].add(entry["sha256"])
        return (
            {k: sorted(v) for k, v in events.items()},
            {k: sorted(v) for k, v in violations.items()},
        )

    def verify(self) -> Verification:
        """Check the log chain and that every received object still has its hash."""
        result = self.log.verify()
        received = {e["sha256"] for e in self.log.entries() if e.get("action") == "received"}
        for sha in sorted(received):
            result.objects_checked += 1
            path = self.path_of(sha)
            if not path.is_file() or _file_sha256(path) != sha:
                result.bad_objects.append(sha)
        return result

    def export(self, sha256: str, target: Path) -> Path:
        """A working copy of an item (the stored original stays untouched)."""
        shutil.copyfile(self.path_of(sha256), target)
        os.chmod(target, 0o644)
        return target


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
