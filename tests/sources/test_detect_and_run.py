"""Source detection from the first bytes, and the ingest report of `run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceasefire.pipeline import run
from ceasefire.sources.detect import detect_source


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("acled_ukraine_2024.csv", "acled"),
        ("acled_2018_old_columns.csv", "acled"),
        ("ucdp_candidate_2024_01.csv", "ucdp"),
        ("gdelt_20220301.export.CSV", "gdelt"),
        ("gdelt_20220301.export.CSV.zip", "gdelt"),
        ("field_report_smm_2015.json", "field_report"),
    ],
)
def test_detect_source(fixtures: Path, name: str, source: str) -> None:
    assert detect_source(fixtures / name) == source


def test_run_reports_each_file_with_skipped_rows_and_unknown_actors(
    tmp_path: Path, fixtures: Path
) -> None:
    files = [
        fixtures / "acled_bad_rows.csv",
        fixtures / "acled_ukraine_2024.csv",
        fixtures / "gdelt_20220301.export.CSV",
    ]
    result = run("minsk-ii-2015", files, tmp_path / "out")
    issues = json.loads((tmp_path / "out" / "issues.json").read_text())
    by_file = {Path(i["file"]).name: i for i in issues}
    bad = by_file["acled_bad_rows.csv"]
    assert (bad["rows_read"], bad["rows_valid"], bad["rows_skipped"]) == (11, 1, 10)
    assert {s["row"] for s in bad["skipped"]} == set(range(2, 12))
    current = by_file["acled_ukraine_2024.csv"]
    # Minsk II names Ukraine's forces only up to 2019 and no Russian Air Force: reported,
    # not guessed
    assert current["unknown_actors"]["Military Forces of Russia (2000-) Air Force"] == 1
    assert current["unknown_actors"]["Civilians (Ukraine)"] == 2
    assert "Military Forces of Russia (2000-)" not in current["unknown_actors"]
    assert by_file["gdelt_20220301.export.CSV"]["unknown_actors"] == {"UKRCVL": 1}
    assert result.summary["events"]["total"] == 1 + 12 + 6
