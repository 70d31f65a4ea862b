"""`ceasefire run` with incidents: violations per incident, statuses and judgements across runs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ceasefire.errors import CeasefireError
from ceasefire.incidents.judge import merge
from ceasefire.incidents.status import current_status, history, set_status
from ceasefire.incidents.violations import ADDED_COLUMNS
from ceasefire.pipeline import run
from ceasefire.store import EventStore

# the two Minsk-era clashes of the bundled UCDP sample (see tests/test_run.py)
CLASHES = ("ucdp:275430", "ucdp:423342")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, ucdp_sample_path: Path) -> Path:
    """A first run, then a merge of the two clashes' incidents and a status change."""
    folder = tmp_path_factory.mktemp("runs")
    run("minsk-ii-2015", [ucdp_sample_path], folder / "first", store_path=folder / "store.duckdb")
    return folder


@pytest.fixture(scope="module")
def ucdp_sample_path() -> Path:
    from ceasefire.resources import data_path

    return data_path("events", "ucdp_ged_2023_sample_ua_ru.csv")


def violations(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "violations.csv", dtype=str, keep_default_na=False)


def test_violations_carry_incident_status_grade_and_evidence(runs: Path) -> None:
    table = violations(runs / "first")
    assert list(table.columns[-len(ADDED_COLUMNS) :]) == ADDED_COLUMNS
    assert (table["violation_id"] == table["incident_id"] + "/" + table["rule_id"]).all()
    assert set(table["status"]) == {"alleged"}  # one UCDP source each: not corroborated
    assert set(table["admiralty_code"]) == {"B2"}
    summary = json.loads((runs / "first" / "summary.json").read_text())
    sha = summary["inputs"][0]["sha256"]
    assert (table["evidence_sha256"] == sha).all()
    assert summary["evidence"]["inputs"] == [sha]
    assert summary["incidents"]["total"] == 42
    assert summary["violations_by_incident"]["total"] == 2
    events = pd.read_parquet(runs / "first" / "events.parquet")
    assert list(events.columns[-6:]) == [
        "incident_id", "source_reliability", "information_credibility", "admiralty_code",
        "independent_sources", "source_confidence",
    ]  # fmt: skip


def test_merged_incident_counts_once_and_judgements_and_statuses_survive_reruns(
    runs: Path, ucdp_sample_path: Path
) -> None:
    store_file = runs / "store.duckdb"
    with EventStore(store_file) as store:
        merge(store, list(CLASHES), who="analyst", reason="one sustained clash (test)")
    second = run("minsk-ii-2015", [ucdp_sample_path], runs / "second", store_path=store_file)
    table = violations(runs / "second")
    assert len(table) == 2 and table["violation_id"].nunique() == 1  # one per incident and rule
    assert second.summary["violations"]["total"] == 2  # per report and rule: unchanged contract
    assert second.summary["violations_by_incident"]["total"] == 1
    violation_id = table["violation_id"].iloc[0]
    with EventStore(store_file) as store:
        set_status(
            store, violation_id, "verified", who="monitor", reason="patrol confirmed craters"
        )
        set_status(store, violation_id[:12], "disputed", who="monitor", reason="RU denies",
                   party="RU", response="No firing from our positions that day.")  # fmt: skip
    third = run("minsk-ii-2015", [ucdp_sample_path], runs / "third", store_path=store_file)
    assert set(violations(runs / "third")["status"]) == {"disputed"}
    assert third.summary["violations_by_incident"]["by_status"] == {"disputed": 1}
    with EventStore(store_file) as store:
        assert current_status(store, violation_id) == "disputed"
        entries = history(store, violation_id)
    # the merged incident has two independent sources: the second run corroborated it
    assert list(entries["status"]) == ["corroborated", "verified", "disputed"]
    assert list(entries["previous"]) == ["alleged", "corroborated", "verified"]
    assert list(entries["who"]) == ["ceasefire run", "monitor", "monitor"]
    assert entries["response"].iloc[-1].startswith("No firing")
    assert entries["made_at"].is_monotonic_increasing


def test_status_errors(runs: Path) -> None:
    with EventStore(runs / "store.duckdb") as store:
        violation_id = str(
            store.con.execute("SELECT min(violation_id) FROM incident_violations").fetchall()[0][0]
        )
        with pytest.raises(
            CeasefireError, match="unknown status 'verifed'; did you mean 'verified'"
        ):
            set_status(store, violation_id, "verifed", who="a", reason="b")
        with pytest.raises(CeasefireError, match="disputed needs the disputing party"):
            set_status(store, violation_id, "disputed", who="a", reason="b")
        with pytest.raises(CeasefireError, match="unknown violation"):
            set_status(store, "inc-nope/ceasefire", "verified", who="a", reason="b")
