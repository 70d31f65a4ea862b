"""Hashing and sniffing of input files."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ceasefire.errors import CeasefireError


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex (a clear error for a missing or empty file)."""
    require_file(path)
    digest = hashlib.sha256()
    buffer = memoryview(bytearray(4 << 20))
    with path.open("rb", buffering=0) as handle:
        while size := handle.readinto(buffer):
            digest.update(buffer[:size])
    return digest.hexdigest()


def require_file(path: Path) -> None:
    """A clear error for a missing or empty input file."""
    if not path.exists():
        raise CeasefireError(f"{path}: no such file")
    if not path.is_file():
        raise CeasefireError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise CeasefireError(f"{path}: the file is empty; expected a header row and data rows")


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file's bytes tells: its SHA-256."""

    sha256: str


def scan_bytes(path: Path) -> FileScan:
    """Hash the file."""
    return FileScan(sha256_of(path))


def scan_later(path: Path) -> Future[FileScan]:
    """`scan_bytes` on a thread, while the file is parsed (hashlib releases the GIL)."""
    require_file(path)
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(scan_bytes, path)
    pool.shutdown(wait=False)
    return future
