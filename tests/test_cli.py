"""The command line: exit codes, bad input without tracebacks, JSON for scripts."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli.main import app
from ceasefire.cli.multi import expand_multi

runner = CliRunner()


def test_agreement_list_json() -> None:
    result = runner.invoke(app, ["agreement", "list", "--json"])
    assert result.exit_code == 0
    assert [a["name"] for a in json.loads(result.stdout)] == ["minsk-ii-2015", "paris-2026-draft"]


def test_agreement_show_json_has_lengths_areas_and_articles() -> None:
    result = runner.invoke(app, ["agreement", "show", "paris-2026-draft", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["lines"][0]["length_km"] > 500
    assert all(part["area_km2"] > 0 for zone in info["zones"] for part in zone["parts"])
    assert all(rule["article"].startswith("Art.") for rule in info["rules"])


def test_agreement_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["agreement", "schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Agreement"
    assert "entry_into_force" in schema["required"]


def test_validate_path_and_bad_input_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\ntitle: y\nversion: 1\nentry_into_force: 2026-01-01T00:00:00\nparties: []\n"
    )
    result = runner.invoke(app, ["agreement", "validate", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{bad}:4 at 'entry_into_force'" in result.output


def test_run_with_a_missing_events_file_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["run", "minsk-ii-2015", "--events", str(tmp_path / "nope.csv"), "--out", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "nope.csv: no such file" in result.output


def test_usage_error_exit_code() -> None:
    assert runner.invoke(app, ["run"]).exit_code == 2


def test_run_json_prints_the_summary(tmp_path: Path, ucdp_sample: Path) -> None:
    result = runner.invoke(
        app,
        ["run", "minsk-ii-2015", "--events", str(ucdp_sample), "--out", str(tmp_path), "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"]["total"] == 42


def test_several_values_after_one_flag() -> None:
    args = [
        "AGR",
        "--events",
        "a.csv",
        "b.csv",
        "--out",
        "d",
        "--control",
        "x.geojson",
        "y.geojson",
    ]
    assert expand_multi(args, {"--events", "--control"}) == [
        "AGR", "--events", "a.csv", "--events", "b.csv", "--out", "d",
        "--control", "x.geojson", "--control", "y.geojson",
    ]  # fmt: skip
