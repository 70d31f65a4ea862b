"""Hashing and sniffing of input files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ceasefire.errors import CeasefireError


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex (a clear error for a missing or empty file)."""
    require_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_file(path: Path) -> None:
    """A clear error for a missing or empty input file."""
    if not path.exists():
        raise CeasefireError(f"{path}: no such file")
    if not path.is_file():
        raise CeasefireError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise CeasefireError(f"{path}: the file is empty; expected a header row and data rows")
