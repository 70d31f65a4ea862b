"""`ceasefire report`: exit codes, output files, --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli.main import app
from ceasefire.reporting import REPORT_FILES

runner = CliRunner()


def test_report_writes_the_period_report_and_exports(synthetic: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["report", "paris-2026-draft", "--store", str(synthetic),
         "--period", "2026-03-08..2026-03-14", "--out", str(tmp_path), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert written["period"] == {"start": "2026-03-08", "end": "2026-03-14"}
    assert written["incidents"] > 0 and written["violations"] >= written["incidents"]
    assert set(REPORT_FILES) | {"violations.csv", "incidents.csv"} == set(written["files"])
    for name in written["files"]:
        assert (tmp_path / name).stat().st_size > 0, name


def test_a_bad_period_is_a_usage_error(synthetic: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "paris-2026-draft", "--store", str(synthetic), "--period", "fortnight",
              "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "day | week" in result.output


def test_a_missing_store_is_bad_input_that_names_the_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "minsk-ii-2015", "--period", "week", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "store.duckdb" in result.output and not (tmp_path / "store.duckdb").exists()
