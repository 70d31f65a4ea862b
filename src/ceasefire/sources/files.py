"""Hashing and sniffing of input files."""

from __future__ import annotations

import codecs
import hashlib
import mmap
import os
import struct
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ceasefire.errors import CeasefireError


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex (a clear error for a missing or empty file)."""
    return scan_bytes(path).sha256


def require_file(path: Path) -> None:
    """A clear error for a missing or empty input file."""
    if not path.exists():
        raise CeasefireError(f"{path}: no such file")
    if not path.is_file():
        raise CeasefireError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise CeasefireError(f"{path}: the file is empty; expected a header row and data rows")


_PIECE = 1 << 12  # bytes decoded at a time by the UTF-8 check


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file's bytes tells: its SHA-256 and, when asked, where the bytes
    stop being UTF-8 text (None: they are UTF-8 throughout, or it was not asked)."""

    sha256: str
    utf8_error: str | None = None


def _utf8_problem(path: Path, exc: UnicodeDecodeError, offset: int) -> str:
    """Where the bytes stop being UTF-8: the byte, its offset and line (counted only now)."""
    bad = bytes(exc.object[exc.start : exc.start + 1]).hex()
    with path.open("rb") as handle:
        line = handle.read(offset).count(b"\n") + 1
    return f"byte 0x{bad} at offset {offset} (line {line}): {exc.reason}"


def _whole_characters(data: memoryview, size: int) -> bool:
    """Whether the block is valid UTF-8 by itself (Arrow's check, one value, GIL released); a
    block that ends or starts inside a character fails here and is decoded piece by piece."""
    import pyarrow as pa

    offsets = pa.py_buffer(struct.pack("<ii", 0, size))
    block = pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        block.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _check_block(
    decoder: codecs.IncrementalDecoder, data: memoryview, size: int
) -> tuple[UnicodeDecodeError, int] | None:
    """Check one block: whole when it holds whole characters, else with the incremental
    decoder piece by piece (ASCII pieces skipped; the text made is thrown away at once)."""
    if not decoder.getstate()[0] and _whole_characters(data, size):
        return None
    view = memoryview(data)
    for start in range(0, size, _PIECE):
        pending = len(decoder.getstate()[0])  # bytes of a character split between pieces
        piece = view[start : min(size, start + _PIECE)]
        if not pending and bytes(piece).isascii():
            continue
        try:
            decoder.decode(piece)
        except UnicodeDecodeError as exc:
            # no traceback: it would keep the mapped window (this frame's views) exported
            return exc.with_traceback(None), start + exc.start - pending  # < 0: began before
    return None


def scan_bytes(path: Path, utf8: bool = False) -> FileScan:
    """Hash the file; with `utf8`, also check that it is UTF-8 text (one pass over the bytes,
    cheaper than checking every parsed value). The bytes are read through windows of the
    file mapped in turn: no copy into a buffer (the copy costs system time), and never more
    than one window resident."""
    require_file(path)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    problem: str | None = None
    with path.open("rb", buffering=0) as handle:
        size = os.fstat(handle.fileno()).st_size
        for window in range(0, size, _WINDOW):
            length = min(_WINDOW, size - window)
            with mmap.mmap(
                handle.fileno(), length, access=mmap.ACCESS_READ, offset=window
            ) as mapped:
                if hasattr(mapped, "madvise"):
                    mapped.madvise(mmap.MADV_SEQUENTIAL)
                view = memoryview(mapped)
                try:
                    for start in range(0, length, _BLOCK):
                        block = view[start : start + _BLOCK]
                        digest.update(block)
                        if utf8 and problem is None:
                            found = _check_block(decoder, block, len(block))
                            if found:
                                problem = _utf8_problem(path, found[0], window + start + found[1])
                        block.release()
                finally:
                    view.release()
    if utf8 and problem is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            problem = f"the file ends inside a character ({exc.reason})"
    return FileScan(digest.hexdigest(), problem)


_BLOCK = 4 << 20  # bytes hashed and checked at a time
_WINDOW = 16 * _BLOCK  # bytes mapped at a time (a multiple of the mapping granularity)


def scan_later(path: Path, utf8: bool = False) -> Future[FileScan]:
    """`scan_bytes` on a thread, while the file is parsed (hashlib releases the GIL)."""
    require_file(path)
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(scan_bytes, path, utf8)
    pool.shutdown(wait=False)
    return future
