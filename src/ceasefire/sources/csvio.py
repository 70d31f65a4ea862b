"""Reading delimited text files (CSV, GDELT's tab-separated files, zipped or not) into Arrow
string columns, with the whole-file checks every reader needs: empty, wrong delimiter,
truncated, not UTF-8, rows with the wrong number of fields (skipped per row)."""

from __future__ import annotations

import csv
import io
import mmap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

from ceasefire.errors import CeasefireError
from ceasefire.sources.files import require_file
from ceasefire.sources.report import IngestReport

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class CsvTable:
    """String columns of a delimited file, and the 1-based data row of each table row."""

    table: pa.Table
    rows: np.ndarray


def open_source(path: Path) -> pa.NativeFile | io.BytesIO:
    """The file's bytes; a .zip must hold exactly one file, which is read."""
    require_file(path)
    if path.suffix.lower() != ".zip":
        # read, not memory-mapped: mapped pages would count in the reader's resident memory
        return pa.OSFile(str(path))
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                names = ", ".join(m.filename for m in members[:5]) or "nothing"
                raise CeasefireError(
                    f"{path}: a zip file must hold exactly one data file; it holds {names}"
                )
            data = archive.read(members[0])
    except (zipfile.BadZipFile, EOFError, zlib_error()) as exc:
        raise CeasefireError(
            f"{path}: not a readable zip file (truncated or corrupt: {exc})"
        ) from exc
    if not data:
        raise CeasefireError(f"{path}: the zipped file is empty; expected data rows")
    return io.BytesIO(data)


def zlib_error() -> type[Exception]:
    """zlib's error class (truncated deflate streams raise it)."""
    import zlib

    return zlib.error


def _head_and_tail(source: pa.NativeFile | io.BytesIO) -> tuple[bytes, bytes]:
    source.seek(0)
    head = source.read(65536)
    size = source.seek(0, 2) if isinstance(source, io.BytesIO) else source.size()
    source.seek(max(0, size - 1))
    tail = source.read(1)
    source.seek(0)
    return bytes(head), bytes(tail)


def _odd_quotes(path: Path, source: pa.NativeFile | io.BytesIO) -> bool:
    if isinstance(source, io.BytesIO):
        return source.getvalue().count(b'"') % 2 == 1
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
    ):
        count = 0
        for start in range(0, len(mapped), 64 << 20):
            count += mapped[start : start + (64 << 20)].count(b'"')
    return count % 2 == 1


def _unreadable(path: Path, exc: Exception, expected: str) -> CeasefireError:
    text = str(exc)
    what = (
        "not valid UTF-8 text"
        if "UTF8" in text or "UTF-8" in text
        else "not a readable delimited file"
    )
    return CeasefireError(f"{path}: {what} ({text.splitlines()[0][:160]}); expected {expected}")


def check_header(path: Path, header: str, delimiter: str, expected: str) -> list[str]:
    """The header's column names; a clear error when the file uses another delimiter."""
    columns = [c.strip() for c in next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter))]
    if len(columns) == 1:
        others = [
            name for d, name in _DELIMITERS.items() if d != delimiter and header.count(d) >= 2
        ]
        found = f"; the header is separated by {others[0]}s" if others else ""
        raise CeasefireError(
            f"{path}: only one column found in the header ('{header.strip()[:60]}'){found}; "
            f"expected {expected} separated by {_DELIMITERS.get(delimiter, repr(delimiter))}s "
            "(wrong delimiter?)"
        )
    return columns


def read_delimited(
    path: Path,
    report: IngestReport,
    *,
    expected: str,
    delimiter: str = ",",
    column_names: list[str] | None = None,
    include: list[str] | None = None,
    quoted: bool = True,
    encoding: str = "utf-8",
    utf8_checked: bool = False,
    threads: bool = True,
) -> CsvTable:
    """Read every column as strings (empty = null). Rows with the wrong number of fields are
    skipped with their reason; a truncated last row, a wrong delimiter or a file that is not
    text in the encoding raise one CeasefireError naming the file and what was expected.
    `utf8_checked`: the caller checks the whole file's bytes (`files.scan_bytes`), so the
    parser does not check every value (a zipped file is still checked here). `threads`: parse
    on Arrow's thread pool; False when the caller keeps the other cores busy meanwhile (one
    parsing thread costs less CPU time: no contention for memory between parsing threads)."""
    source = open_source(path)
    check_utf8 = not (utf8_checked and encoding == "utf-8" and path.suffix.lower() != ".zip")
    head, tail = _head_and_tail(source)
    if not head.strip():
        raise CeasefireError(f"{path}: the file holds only blank lines; expected {expected}")
    header = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[0]
    names = column_names or check_header(path, header, delimiter, expected)
    wanted = [c for c in (include or names) if c in names]
    skipped: list[tuple[int | None, int, str]] = []

    def on_invalid(row: pv.InvalidRow) -> str:
        skipped.append((row.number, row.actual_columns, row.text[:80]))
        return "skip"

    def parse(threads: bool, newlines: bool) -> pa.Table:
        source.seek(0)
        return pv.read_csv(
            source,
            read_options=pv.ReadOptions(
                use_threads=threads,
                encoding=encoding,
                column_names=column_names,
                skip_rows=0,
            ),
            parse_options=pv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoted else False,
                newlines_in_values=newlines,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=include and wanted,
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
                check_utf8=check_utf8,
            ),
        )

    try:
        # fast path: blocks split at line ends (a quoted line break inside a block is still read
        # right; one across a block boundary breaks rows); redone quote-aware, and in one
        # thread to number the rows, when a row has the wrong number of fields
        table = parse(threads, newlines=False)
        if skipped:
            skipped.clear()
            table = parse(False, newlines=quoted)
    except pa.ArrowInvalid as exc:
        if not quoted:
            raise _unreadable(path, exc, expected) from exc
        try:
            skipped.clear()
            table = parse(False, newlines=True)
        except pa.ArrowInvalid as again:
            raise _unreadable(path, again, expected) from again
    offset = 0 if column_names else 1  # the parser counts the header as row 1
    total = table.num_rows + len(skipped)
    ends_cleanly = tail in (b"\n", b"\r")
    if skipped and not ends_cleanly and (skipped[-1][0] or 0) - offset == total:
        number, fields, _ = skipped[-1]
        raise CeasefireError(
            f"{path}: truncated: the last row ({(number or 0) - offset}) has {fields} of "
            f"{len(names)} fields and the file does not end with a line break; expected "
            f"{expected}. Nothing was stored; download the file again"
        )
    if quoted and not ends_cleanly and _odd_quotes(path, source):
        raise CeasefireError(
            f"{path}: truncated: the file ends inside a quoted value; expected {expected}. "
            "Nothing was stored; download the file again"
        )
    if total and len(skipped) > max(10, total // 2):
        counts = sorted({f for _, f, _ in skipped})
        raise CeasefireError(
            f"{path}: {len(skipped)} of {total} rows have {', '.join(map(str, counts[:5]))} fields "
            f"instead of {len(names)}; expected {expected} (wrong delimiter or another format?)"
        )
    rows = np.arange(1, total + 1, dtype=np.int64)
    if skipped:
        bad = np.array([(n or 0) - offset for n, _, _ in skipped], dtype=np.int64)
        for (_, fields, text), row in zip(skipped, bad, strict=True):
            report.skip(int(row), f"row has {fields} fields; expected {len(names)}", None, text)
        rows = rows[~np.isin(rows, bad)]
    report.rows_read = total
    return CsvTable(table, rows)
