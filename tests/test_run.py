"""`ceasefire run` and `ceasefire demo`: the output contract on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ceasefire.cli.main import app
from ceasefire.events import event_columns
from ceasefire.pipeline import run

CONTRACT = [
    "event_id", "source", "source_event_id", "date", "lon", "lat", "admin1", "side", "party",
    "rule_id", "article", "zone_id", "distance_km", "confidence", "explanation",
]  # fmt: skip
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_the_outputs_with_the_contract_columns(demo: Path) -> None:
    for name in ("events.parquet", "violations.csv", "summary.json", "report.html", "issues.json"):
        assert (demo / name).is_file(), name
    violations = pd.read_csv(demo / "violations.csv", dtype=str, keep_default_na=False)
    assert list(violations.columns[: len(CONTRACT)]) == CONTRACT
    events = pd.read_parquet(demo / "events.parquet")
    assert set(event_columns()) <= set(events.columns)
    assert {"party", "side", "distance_km", "in_force", "zones_inside"} <= set(events.columns)
    assert len(events) == 42


def test_demo_finds_the_minsk_era_clashes_near_the_line(demo: Path) -> None:
    violations = pd.read_csv(demo / "violations.csv")
    # The real UCDP sample holds two state-based clashes in Donetsk oblast between the
    # ceasefire (15 Feb 2015) and 21 Feb 2022: 19 May 2018 and 8 Nov 2021.
    assert sorted(violations["date"]) == ["2018-05-19", "2021-11-08"]
    assert set(violations["rule_id"]) == {"ceasefire"}
    assert set(violations["article"]) == {"Art. 1"}
    assert (violations["distance_km"] < 10).all()
    # UCDP names both sides of a state-based clash but not who fired: never guessed
    assert violations["party"].isna().all()
    assert violations["explanation"].str.contains("unattributed").all()


def test_summary_is_traceable_to_its_inputs(demo: Path) -> None:
    summary = json.loads((demo / "summary.json").read_text())
    assert summary["agreement"] == {
        "id": "minsk-ii-2015", "version": "2015-02-12",
        "title": "Package of Measures for the Implementation of the Minsk Agreements (Minsk II)",
        "status": "historical", "entry_into_force": "2015-02-15T00:00:00+02:00",
    }  # fmt: skip
    [source] = summary["inputs"]
    assert source["sha256"] == "c25447a871db9b5f16905c8a666212003451d54609262e77181a6a25fcc7deaf"
    assert summary["events"]["read"] == summary["events"]["total"] == 42
    assert summary["violations"]["by_party"] == {"unattributed": 2}
    assert summary["violations"]["by_rule"] == {"ceasefire": 2}
    html = (demo / "report.html").read_text()
    assert source["sha256"] in html and "Art. 1" in html


def test_a_second_run_on_the_same_store_adds_nothing_and_gives_the_same_bytes(
    tmp_path: Path, ucdp_sample: Path
) -> None:
    store = tmp_path / "store.duckdb"
    first = run("minsk-ii-2015", [ucdp_sample], tmp_path / "a", store_path=store)
    second = run("minsk-ii-2015", [ucdp_sample], tmp_path / "b", store_path=store)
    run("minsk-ii-2015", [ucdp_sample], tmp_path / "c", store_path=store)
    assert first.summary["events"]["new"] == 42
    assert second.summary["events"]["new"] == 0
    assert second.summary["events"]["total"] == 42
    assert (tmp_path / "a" / "violations.csv").read_bytes() == (
        tmp_path / "b" / "violations.csv"
    ).read_bytes()
    for name in ("violations.csv", "summary.json", "report.html", "events.parquet"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name


def test_paris_draft_finds_no_violations_in_events_before_it(
    tmp_path: Path, ucdp_sample: Path
) -> None:
    result = run("paris-2026-draft", [ucdp_sample], tmp_path)
    assert result.summary["violations"]["total"] == 0
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert not events["in_force"].any()
    # the North Caucasus events are outside the draft's scope
    assert set(events.loc[~events["in_scope"], "country"]) == {"RU"}
