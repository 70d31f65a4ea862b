"""The same store, agreement and period give the same bytes, file by file."""

from __future__ import annotations

import time
from pathlib import Path

from ceasefire.agreement import Agreement
from ceasefire.reporting import REPORT_FILES, from_store, write_report


def test_two_renders_are_byte_identical(synthetic: Path, paris: Agreement, tmp_path: Path) -> None:
    first = write_report(from_store(paris, synthetic, "week"), tmp_path / "a")
    time.sleep(1.1)  # a clock second apart: nothing may carry the time (fonts' head dates)
    write_report(from_store(paris, synthetic, "week"), tmp_path / "b")
    names = sorted(p.name for p in first.files)
    assert set(REPORT_FILES) <= set(names)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_no_wall_clock_time_in_the_report(
    synthetic: Path, paris: Agreement, tmp_path: Path
) -> None:
    import datetime

    write_report(from_store(paris, synthetic, "week"), tmp_path)
    today = datetime.date.today().isoformat()
    assert today not in (tmp_path / "report.html").read_text()
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf
