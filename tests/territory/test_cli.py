"""`ceasefire territory`, `territory diff` and `run --control` from the command line."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import shapely
from typer.testing import CliRunner

from ceasefire.cli.main import app

from .conftest import FRONT_LON, OLD_AREA, MapWriter, advance

runner = CliRunner()
ROW_KEYS = {"date", "admin1", "name", "party", "area_km2", "share", "level"}


def test_json_rows_for_scripts(map_2026: Path) -> None:
    result = runner.invoke(app, ["territory", str(map_2026), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and rows
    assert all(set(row) == ROW_KEYS for row in rows)
    assert all(0.0 <= row["share"] <= 1.0 and row["area_km2"] >= 0 for row in rows)
    assert {row["level"] for row in rows} == {"admin1", "country"}
    donetsk = next(r for r in rows if r["admin1"] == "UA-14")
    assert donetsk == {
        "date": "2026-01-06", "admin1": "UA-14", "name": "Donetsk Oblast", "party": "RU",
        "area_km2": donetsk["area_km2"], "share": donetsk["share"], "level": "admin1",
    }  # fmt: skip
    assert round(donetsk["share"], 3) == 0.797


def test_table_and_date_option(write_map: MapWriter) -> None:
    a = write_map("a_2026-02-01.geojson", OLD_AREA)
    b = write_map("b_2026-02-05.geojson", shapely.union(OLD_AREA, advance(2000, 10)))
    result = runner.invoke(app, ["territory", str(a), str(b), "--date", "2026-02-03", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["date"] for r in json.loads(result.stdout)} == {"2026-02-01"}
    table = runner.invoke(app, ["territory", str(a), str(b)])
    assert "RU on 2026-02-01" in table.stdout and "RU on 2026-02-05" in table.stdout
    assert "Donetsk Oblast" in table.stdout


def test_agreement_option_reads_its_controlled_area() -> None:
    result = runner.invoke(app, ["territory", "--agreement", "minsk-ii-2015", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["admin1"]: r for r in json.loads(result.stdout)}
    assert rows["UA"]["party"] == "DLPR"
    assert abs(rows["UA"]["area_km2"] - 16_820) < 2


def test_diff_json(write_map: MapWriter) -> None:
    a = write_map("a_2026-02-01.geojson", OLD_AREA)
    b = write_map(
        "b_2026-02-02.geojson", shapely.union(OLD_AREA, shapely.box(37.2, 47.9, FRONT_LON, 48.1))
    )
    result = runner.invoke(app, ["territory", "diff", str(b), str(a), "--json"])  # any order
    assert result.exit_code == 0, result.output
    change = json.loads(result.stdout)
    assert set(change) == {"date_from", "date_to", "files", "units", "front", "places", "parts",
                           "repairs"}  # fmt: skip
    assert (change["date_from"], change["date_to"]) == ("2026-02-01", "2026-02-02")
    assert {(u["party"], u["admin1"]) for u in change["units"]} == {
        ("RU", "UA-14"),
        ("UA", "UA-14"),
    }
    assert "Kurakhove" in {p["name"] for p in change["places"]}
    assert change["front"][0]["moved_km_max"] > 20
    human = runner.invoke(app, ["territory", "diff", str(a), str(b)])
    assert "Places that changed hands" in human.stdout and "Kurakhove" in human.stdout


def test_diff_with_agreement_lists_violations(
    write_map: MapWriter, agreement_file: Callable[[str], Path]
) -> None:
    a = write_map("a_2026-02-01.geojson", OLD_AREA)
    b = write_map("b_2026-02-02.geojson", shapely.union(OLD_AREA, advance(2000, 12)))
    args = ["territory", "diff", str(a), str(b), "--agreement", str(agreement_file("")), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (violation,) = json.loads(result.stdout)["violations"]
    assert violation["rule_id"] == "no-offensive" and violation["party"] == "RU"


def test_bad_inputs_exit_1_naming_the_file(write_map: MapWriter, tmp_path: Path) -> None:
    empty = tmp_path / "empty_2026-02-01.geojson"
    empty.write_text("")
    result = runner.invoke(app, ["territory", str(empty)])
    assert result.exit_code == 1 and str(empty) in result.output
    assert "Traceback" not in result.output
    a = write_map("a_2026-02-01.geojson", OLD_AREA)
    before = runner.invoke(app, ["territory", str(a), "--date", "2025-01-01"])
    assert before.exit_code == 1 and "no control map on or before 2025-01-01" in before.output
    bad = runner.invoke(app, ["territory", str(a), "--date", "01.02.2026"])
    assert bad.exit_code == 1 and "expected YYYY-MM-DD" in bad.output
    one = runner.invoke(app, ["territory", "diff", str(a)])
    assert one.exit_code == 1 and "expected two control maps" in one.output


def test_run_with_control_maps(
    write_map: MapWriter, tmp_path: Path, ucdp_sample: Path, agreement_file: Callable[[str], Path]
) -> None:
    write_map("m_2026-01-31.geojson", OLD_AREA)
    write_map("m_2026-02-03.geojson", shapely.union(OLD_AREA, advance(2000, 12)))
    out = tmp_path / "out"
    args = ["run", str(agreement_file("")), "--events", str(ucdp_sample), "--control",
            str(tmp_path / "m_2026-01-31.geojson"), str(tmp_path / "m_2026-02-03.geojson"),
            "--out", str(out), "--quiet"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with (out / "territory.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:5] == ["date", "admin1", "party", "area_km2", "share"]
    assert {r["date"] for r in rows} == {"2026-01-31", "2026-02-03"}
    with (out / "violations.csv").open() as handle:
        territorial = [r for r in csv.DictReader(handle) if r["source"] == "territory"]
    assert [(r["rule_id"], r["party"], r["admin1"]) for r in territorial] == [
        ("no-offensive", "RU", "UA-14")
    ]
    assert "12.00 km2" in territorial[0]["explanation"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["territory"]["violations"] == {"total": 1, "by_party": {"RU": 1}}
    assert summary["violations"]["by_rule"]["no-offensive"] == 1
    evidence = json.loads((out / "territory_changes.geojson").read_text())
    assert [f["properties"]["violation"] for f in evidence["features"]] == [
        "territory:2026-02-03:RU:UA-14"
    ]
    report = (out / "report.html").read_text()
    assert 'id="territory"' in report and "Territorial violations: 1" in report


def test_run_with_a_bad_control_map_is_bad_input(tmp_path: Path, ucdp_sample: Path) -> None:
    bad = tmp_path / "undated.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    args = ["run", "paris-2026-draft", "--events", str(ucdp_sample), "--control", str(bad),
            "--out", str(tmp_path / "out")]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and str(bad) in result.output
    assert not (tmp_path / "out" / "store.duckdb").exists()  # failed before touching the store
