"""The one pass over a file's bytes: SHA-256 and the UTF-8 check that replaces the parser's
per-value check (characters split across the 4 MB read blocks, errors named by offset and
line)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.sources import read_events
from ceasefire.sources.files import scan_bytes

BLOCK = 4 << 20


def _python_error(data: bytes) -> tuple[int, int] | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start, data[: exc.start].count(b"\n") + 1
    return None


def _assert_found_where_python_finds_it(path: Path, data: bytes) -> None:
    """Write data, scan it: the UTF-8 error names Python's offset and line."""
    path.write_bytes(data)
    expected = _python_error(data)
    assert expected is not None
    problem = scan_bytes(path, utf8=True).utf8_error
    assert problem is not None
    assert f"at offset {expected[0]} (line {expected[1]})" in problem


@pytest.mark.parametrize("split", [1, 2, 3])
def test_characters_split_between_blocks_are_text(tmp_path: Path, split: int) -> None:
    euro = "\u20ac".encode()  # three bytes
    data = b"a,b\n" + b"x" * (BLOCK - 4 - split) + euro + b"\n" + "Київ".encode() * 1000
    path = tmp_path / "split.csv"
    path.write_bytes(data)
    scan = scan_bytes(path, utf8=True)
    assert scan.utf8_error is None
    assert scan.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("at", [10, BLOCK - 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 7])
@pytest.mark.parametrize("bad", [b"\xff", b"\xed\xa0\x80", b"\xd0"])
def test_invalid_bytes_are_found_where_python_finds_them(
    tmp_path: Path, at: int, bad: bytes
) -> None:
    lines = b"".join(f"{i},Купянськ\n".encode() for i in range(400_000))
    _assert_found_where_python_finds_it(tmp_path / "bad.csv", lines[:at] + bad + lines[at:])


def test_a_file_ending_inside_a_character(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("a,b\n1,Київ".encode()[:-1])
    assert "ends inside a character" in (scan_bytes(path, utf8=True).utf8_error or "")
    assert scan_bytes(path).utf8_error is None  # not asked


def test_acled_not_utf8_names_the_place(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "acled_ukraine_2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "acled_latin1.csv"
    path.write_bytes(text.replace("Kupiansk", "Kupi\u00e4nsk").encode("latin-1"))
    with pytest.raises(CeasefireError, match=r"not valid UTF-8 text \(byte 0xe4 at offset \d+"):
        read_events(path, "acled")


def test_zipped_acled_is_read_and_checked_by_the_parser(tmp_path: Path, fixtures: Path) -> None:
    source = fixtures / "acled_ukraine_2024.csv"
    good = tmp_path / "acled.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, "acled.csv")
    assert read_events(good, "acled").table.num_rows == read_events(source, "acled").table.num_rows
    bad = tmp_path / "acled_latin1.zip"
    text = source.read_text(encoding="utf-8").replace("Kupiansk", "Kupi\u00e4nsk")
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("acled.csv", text.encode("latin-1"))
    with pytest.raises(CeasefireError, match="not valid UTF-8"):
        read_events(bad, "acled")


@pytest.mark.parametrize("at", [0, 4095, 8190, 8191, 8192, 16383, 16384, 16385, 40_000])
@pytest.mark.parametrize("bad", [b"\xff", b"\xe2\x82", b"\xd0"])
def test_small_blocks_and_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int, bad: bytes
) -> None:
    """The file is mapped window by window (here 2 blocks of 8 KB): characters split and bad
    bytes at block and window boundaries, and the hash, as with one piece."""
    import ceasefire.sources.files as files

    monkeypatch.setattr(files, "_BLOCK", 8192)
    monkeypatch.setattr(files, "_WINDOW", 16384)
    lines = b"".join(f"{i},Купянськ €\n".encode() for i in range(3000))
    path = tmp_path / "good.csv"
    path.write_bytes(lines)
    good = scan_bytes(path, utf8=True)
    assert good.utf8_error is None
    assert good.sha256 == hashlib.sha256(lines).hexdigest()
    _assert_found_where_python_finds_it(path, lines[:at] + bad + lines[at:])
