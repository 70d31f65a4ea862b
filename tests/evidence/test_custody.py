"""The custody log: append-only, hash-chained; any change, removal or swap is found and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.evidence import CustodyLog, EvidenceStore


@pytest.fixture
def log(tmp_path: Path) -> CustodyLog:
    """A log of five entries."""
    custody = CustodyLog(tmp_path / "evidence")
    for k in range(1, 6):
        custody.append("received", sha256=f"{k:064x}", name=f"item-{k}.txt", by="tester")
    return custody


def lines(log: CustodyLog) -> list[bytes]:
    return log.path.read_bytes().splitlines(keepends=True)


def write(log: CustodyLog, parts: list[bytes]) -> None:
    log.path.write_bytes(b"".join(parts))


def test_an_untouched_log_verifies(log: CustodyLog) -> None:
    result = log.verify()
    assert result.ok and result.entries == 5
    assert result.head == json.loads(lines(log)[-1])["hash"]
    assert [e["seq"] for e in log.entries()] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("offset", [5, 30, -20])
def test_one_changed_byte_is_found_at_its_entry(log: CustodyLog, offset: int) -> None:
    parts = lines(log)
    entry = bytearray(parts[2])
    position = offset if offset >= 0 else len(entry) + offset
    entry[position] = ord("7") if entry[position] != ord("7") else ord("8")
    parts[2] = bytes(entry)
    write(log, parts)
    bad = log.verify().first_bad
    assert bad is not None and (bad.seq, bad.line) == (3, 3)
    assert "entry 3 (line 3)" in str(bad)


def test_a_changed_value_with_a_recomputed_hash_breaks_the_next_link(log: CustodyLog) -> None:
    from ceasefire.evidence.custody import canonical, entry_hash

    parts = lines(log)
    entry = json.loads(parts[1])
    entry["by"] = "someone else"
    entry["hash"] = entry_hash(entry)  # a forger recomputes this entry's hash...
    parts[1] = canonical(entry).encode() + b"\n"
    write(log, parts)
    bad = log.verify().first_bad
    assert bad is not None and bad.seq == 3  # ...but entry 3 still points to the old one
    assert "prev" in bad.problem


def test_a_dropped_entry_is_named(log: CustodyLog) -> None:
    parts = lines(log)
    write(log, parts[:1] + parts[2:])
    bad = log.verify().first_bad
    assert bad is not None and (bad.seq, bad.line) == (2, 2)
    assert "entry 2 is missing" in bad.problem


def test_a_dropped_last_entry_is_found_through_head(log: CustodyLog) -> None:
    write(log, lines(log)[:-1])
    result = log.verify()
    assert result.first_bad is not None and result.first_bad.seq == 5
    assert "entry 5 is missing" in str(result.first_bad)


def test_two_swapped_entries_are_named(log: CustodyLog) -> None:
    parts = lines(log)
    parts[1], parts[2] = parts[2], parts[1]
    write(log, parts)
    bad = log.verify().first_bad
    assert bad is not None and (bad.seq, bad.line) == (2, 2)
    assert "reordered" in bad.problem


def test_nothing_is_appended_to_a_log_that_does_not_match_its_head(log: CustodyLog) -> None:
    write(log, lines(log)[:-1])
    with pytest.raises(CeasefireError, match="evidence verify"):
        log.append("received", sha256="f" * 64)


def test_a_changed_stored_item_is_found(tmp_path: Path) -> None:
    evidence = EvidenceStore(tmp_path / "evidence")
    original = tmp_path / "patrol-report.txt"
    original.write_text("At 10:05 the patrol heard 12 explosions 3 km east of Zolote.\n")
    item = evidence.receive(original, sender="Patrol 7", channel="radio", by="duty officer")
    assert evidence.verify().ok
    stored = evidence.path_of(item.sha256)
    stored.chmod(0o644)
    stored.write_text("At 10:05 the patrol heard 2 explosions.\n")
    result = evidence.verify()
    assert result.first_bad is None and result.bad_objects == [item.sha256]
