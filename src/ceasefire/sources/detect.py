"""Pick the reader for a file: by the name given, or from its header."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ceasefire.errors import CeasefireError, did_you_mean
from ceasefire.sources.files import require_file
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.ucdp import read_ucdp

Reader = Callable[[Path], ReadResult]
READERS: dict[str, Reader] = {"ucdp": read_ucdp}

# a header column that only one source has
SIGNATURES = {"ucdp": {"type_of_violence", "where_prec", "side_a"}}


def detect_source(path: Path) -> str:
    """The source whose columns the file's header has."""
    require_file(path)
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    columns = {c.strip().strip('"') for c in header.replace("\t", ",").split(",")}
    for source, signature in SIGNATURES.items():
        if signature <= columns:
            return source
    raise CeasefireError(
        f"{path}: cannot tell which source this file comes from (header: '{header[:80].strip()}'); "
        f"expected the columns of one of: {', '.join(sorted(READERS))}; or give --source"
    )


def read_events(path: Path, source: str | None = None) -> ReadResult:
    """Read one file with the named reader, or the one its header matches."""
    name = source or detect_source(path)
    if name not in READERS:
        raise CeasefireError(f"unknown source '{name}'" + did_you_mean(name, READERS))
    return READERS[name](path)
