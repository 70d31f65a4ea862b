"""`ceasefire backstop` on the bundled data, --what-if, webhook alerts from the CLI, and the
backstop stage of `ceasefire run` (triggers.csv, summary.json, the store table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from ceasefire.agreement import load_agreement
from ceasefire.backstop import TRIGGER_COLUMNS
from ceasefire.backstop.step import backstop_stage
from ceasefire.cli.main import app
from ceasefire.resources import data_path
from tests.backstop.conftest import frame, v
from tests.backstop.test_webhook import SECRET, Receiver

runner = CliRunner()


@pytest.fixture(scope="module")
def sample() -> str:
    return str(data_path("events", "ucdp_ged_2023_sample_ua_ru.csv"))


def _json(args: list[str]) -> Any:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_minsk_illustrative_backstop_on_the_real_sample(sample: str) -> None:
    data = _json(["backstop", "minsk-ii-2015", "--events", sample, "--json"])
    triggers = data["triggers"]
    # the two unattributed Minsk-era clashes: consultations are due, nothing more
    assert [(t["date"], t["trigger"], t["level"]) for t in triggers] == [
        ("2018-05-19", "any-ceasefire-violation", 1),
        ("2021-11-08", "any-ceasefire-violation", 1),
    ]
    assert all(t["illustrative"] and len(t["evidence_sha256"][0]) == 64 for t in triggers)
    [ladder] = data["ladders"]
    assert ladder["status"] == "expired" and ladder["illustrative"] is True


def test_paris_draft_on_2014_2022_events_is_not_yet_in_force(sample: str) -> None:
    data = _json(["backstop", "paris-2026-draft", "--events", sample, "--json"])
    assert data["triggers"] == []
    statuses = {(s["guarantor"], s["status"]) for s in data["ladders"]}
    assert ("US", "not yet in force") in statuses


def test_violations_file_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "violations.csv"
    rows = [v("2026-03-0" + str(d), status="verified", fatalities_best=2) for d in (1, 2, 3, 9)]
    frame(*rows).to_csv(path, index=False)
    data = _json(["backstop", "paris-2026-draft", "--violations", str(path), "--json"])
    fired = [(t["date"], t["trigger"], t["level"]) for t in data["triggers"]]
    assert ("2026-03-03", "major-violations-7d", 2) in fired
    args = ["backstop", "paris-2026-draft", "--violations", str(path), "--from", "2026-03-04"]
    later = _json([*args, "--json"])
    assert [t["date"] for t in later["triggers"]] == ["2026-03-09"]
    assert later["as_of"] == "2026-03-09"


def test_what_if_a_draft(sample: str, tmp_path: Path) -> None:
    draft = tmp_path / "minsk-stricter.yaml"
    text = data_path("agreements", "minsk-ii-2015", "agreement.yaml").read_text()
    draft.write_text(text.replace("../../geo/", str(data_path("geo")) + "/"))
    data = _json(["backstop", "--what-if", str(draft), "--events", sample, "--json"])
    [commitment] = data["what_if"]["commitments"]
    assert commitment["firings"] == 2
    assert commitment["by_year"] == {"2018": 1, "2021": 1}
    assert commitment["highest_level"] == 1
    days = commitment["days_at_level"]
    assert set(days) == {"0", "1"} and days["1"] == 2 * 91  # 90 quiet days, drop on the 91st


def test_usage_errors(sample: str) -> None:
    result = runner.invoke(app, ["backstop", "minsk-ii-2015"])
    assert result.exit_code == 1 and "no history" in result.output
    result = runner.invoke(
        app, ["backstop", "minsk-ii-2015", "--what-if", "x.yaml", "--events", sample]
    )
    assert result.exit_code == 1


def test_alerts_from_the_cli(sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = Receiver(["fail"])
    try:
        monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)
        config = tmp_path / "webhooks.yaml"
        config.write_text(
            f"outbox: outbox.sqlite\nendpoints:\n  - id: ops\n    url: {receiver.url}\n"
            "    secret_env: TEST_WEBHOOK_SECRET\n    backoff: {initial_s: 0.01}\n"
        )
        args = [
            "backstop",
            "minsk-ii-2015",
            "--events",
            sample,
            "--webhooks",
            str(config),
            "--json",
        ]
        first = _json(args)
        assert first["alerts"] == {"queued": 2, "delivered": 2, "outbox": {"delivered": 2}}
        again = _json(args)  # the same triggers are not queued or sent again
        assert again["alerts"] == {"queued": 0, "delivered": 0, "outbox": {"delivered": 2}}
        assert _json(["backstop", "deliver", "--webhooks", str(config), "--json"])["delivered"] == 0
        listed = _json(["backstop", "outbox", "--webhooks", str(config), "--json"])
        assert [a["status"] for a in listed["alerts"]] == ["delivered", "delivered"]
        assert len(receiver.accepted) == 2 and len(receiver.received) == 3
    finally:
        receiver.close()


def test_run_stage_writes_triggers_summary_and_store_table(tmp_path: Path) -> None:
    agreement = load_agreement("paris-2026-draft")
    rows = frame(*(v(f"2026-03-0{d}", status="verified", fatalities_best=1) for d in (1, 2, 3)))
    store = tmp_path / "store.duckdb"
    result, summary = backstop_stage(agreement, rows, tmp_path, store)
    written = pd.read_csv(tmp_path / "triggers.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == TRIGGER_COLUMNS
    assert len(written) == len(result.triggers) == summary["triggers"] > 0
    assert summary["as_of"] == "2026-03-03"
    assert {s["commitment"] for s in summary["ladders"]} == {
        "us-backstop", "reassurance-force", "continued-support"
    }  # fmt: skip
    con = duckdb.connect(str(store))
    assert con.execute("SELECT count(*) FROM triggers").fetchone() == (len(written),)
    con.close()


def test_run_lists_triggers_among_its_outputs() -> None:
    from ceasefire.pipeline import OUTPUT_FILES

    assert "triggers.csv" in OUTPUT_FILES
