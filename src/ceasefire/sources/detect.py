"""Pick the reader for a file: by the name given, or from its first bytes (header)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.sources.files import require_file
from ceasefire.sources.reader import ReadResult

Reader = Callable[[Path], ReadResult]

# header columns (lower case) that only one source has
SIGNATURES: dict[str, set[str]] = {
    "ucdp": {"type_of_violence", "where_prec", "side_a"},
    "acled": {"event_id_cnty", "event_date", "event_type"},
}
SOURCES = ("acled", "ucdp", "gdelt", "field_report", "csv:MAPPING.yaml")
READERS = ("ucdp", "acled", "gdelt", "field_report")


def _reader(name: str) -> Reader:
    """The reader of one source (only its module is imported)."""
    if name == "acled":
        from ceasefire.sources.acled import read_acled

        return read_acled
    if name == "ucdp":
        from ceasefire.sources.ucdp import read_ucdp

        return read_ucdp
    if name == "gdelt":
        from ceasefire.sources.gdelt import read_gdelt

        return read_gdelt
    from ceasefire.sources.field_report import read_field_reports

    return read_field_reports


def guess_source(columns: list[str]) -> str | None:
    """The source whose signature columns a header has."""
    names = {c.strip().strip('"').lower() for c in columns}
    if {"data_id", "event_date", "event_type"} <= names:
        return "acled"
    return next((s for s, sig in SIGNATURES.items() if sig <= names), None)


def _head(path: Path) -> bytes:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    return b""
                with archive.open(members[0]) as handle:
                    return handle.read(65536)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise CeasefireError(
                f"{path}: not a readable zip file (truncated or corrupt: {exc})"
            ) from exc
    with path.open("rb") as handle:
        return handle.read(65536)


def looks_like_gdelt(first_line: str) -> bool:
    """61 (GDELT 2.0) or 57/58 (GDELT 1.0) tab-separated fields, an id and a YYYYMMDD day."""
    fields = first_line.rstrip("\r\n").split("\t")
    return (
        len(fields) in (57, 58, 61)
        and fields[0].isdigit()
        and len(fields[1]) == 8
        and fields[1].isdigit()
    )


def detect_source(path: Path) -> str:
    """The source a file comes from, from its first bytes."""
    require_file(path)
    head = _head(path).decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        return "field_report"
    first = head.splitlines()[0] if head.splitlines() else ""
    if looks_like_gdelt(first):
        return "gdelt"
    for delimiter in (",", ";", "\t"):
        found = guess_source(first.split(delimiter))
        if found:
            return found
    raise CeasefireError(
        f"{path}: cannot tell which source this file comes from "
        f"(first line: '{first[:80].strip()}'); "
        f"expected the header of an ACLED or UCDP GED export, a GDELT 2.0 events file or a field "
        f"report (JSON); for another CSV give --source csv:MAPPING.yaml"
    )


def read_events(path: Path, source: str | None = None) -> ReadResult:
    """Read one file with the named reader, or the one its first bytes match. `source` is a
    reader name (acled, ucdp, gdelt, field_report) or csv:MAPPING (a YAML path or a bundled
    mapping name)."""
    path = Path(path)
    name = source or detect_source(path)
    if name.startswith("csv:"):
        from ceasefire.sources.mapped_csv import read_mapped_csv

        return read_mapped_csv(path, name.split(":", 1)[1])
    if name not in READERS:
        raise CeasefireError(f"unknown source '{name}'" + did_you_mean(name, SOURCES))
    return _reader(name)(path)
