"""The input contract: violations.csv columns, optional newer columns, the events join."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ceasefire.backstop import prepare_violations, replay
from ceasefire.errors import CeasefireError
from tests.backstop.conftest import LoadWith, frame, trigger, v

SHA_A = "a" * 64
SHA_B = "b" * 64


def test_defaults_when_newer_columns_are_absent(agreement_with: LoadWith) -> None:
    agreement = agreement_with()
    rows = frame(v("2026-03-01", event_id="ucdp:1"))
    prepared = prepare_violations(agreement, rows).rows
    [row] = prepared.to_dict(orient="records")
    assert row["status"] == "alleged"
    assert row["incident_id"] == "ucdp:1"
    assert row["violation_id"] == "ucdp:1#ceasefire"


def test_events_give_category_severity_and_evidence(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {min_severity: grave}}"))
    bare = pd.DataFrame(
        [{"event_id": "ucdp:1", "date": "2026-03-01", "party": "RU", "rule_id": "ceasefire",
          "zone_id": "", "confidence": 1.0}]
    )  # fmt: skip
    events = pd.DataFrame(
        [{"event_id": "ucdp:1", "category": "shelling", "weapon_class": "artillery",
          "target_category": "civilian", "fatalities_best": 11.0, "provenance_sha256": SHA_A}]
    )  # fmt: skip
    assert replay(agreement, bare).triggers == []  # no casualty figures: minor
    [fired] = replay(agreement, bare, events).triggers
    assert fired.evidence_sha256 == (SHA_A,)


def test_evidence_hashes_from_the_violation_rows_are_kept(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}"))
    rows = frame(v("2026-03-01", evidence_sha256=f"{SHA_B};{SHA_A}", incident_id="inc-7"))
    [fired] = replay(agreement, rows).triggers
    assert fired.evidence_sha256 == (SHA_A, SHA_B)
    assert fired.incident_ids == ("inc-7",)


def test_category_from_a_rule_with_one_category(agreement_with: LoadWith) -> None:
    # territorial violations may come without an event: rule no-offensive has one category
    agreement = agreement_with(trigger("{any: {categories: [offensive_movement]}}"))
    rows = pd.DataFrame(
        [{"event_id": "territory:2026-03-01:RU", "date": "2026-03-01", "party": "RU",
          "rule_id": "no-offensive", "zone_id": "", "confidence": 0.9}]
    )  # fmt: skip
    assert len(replay(agreement, rows).triggers) == 1


def test_read_back_from_csv(agreement_with: LoadWith, tmp_path: Path) -> None:
    agreement = agreement_with(trigger("{any: {parties: [unattributed]}}"))
    path = tmp_path / "violations.csv"
    frame(v("2026-03-01", party=""), v("2026-03-02")).to_csv(path, index=False)
    rows = pd.read_csv(path)  # empty party reads back as NaN
    assert [t.date for t in replay(agreement, rows).triggers] == ["2026-03-01"]


def test_missing_column_is_named(agreement_with: LoadWith) -> None:
    with pytest.raises(CeasefireError, match="'rule_id'"):
        prepare_violations(agreement_with(), frame(v("2026-03-01")).drop(columns=["rule_id"]))


def test_bad_dates_are_skipped_and_reported(agreement_with: LoadWith) -> None:
    agreement = agreement_with(trigger("{any: {}}"))
    result = replay(agreement, frame(v("2026-03-01"), v("yesterday")))
    assert len(result.triggers) == 1
    [(row, reason)] = result.skipped
    assert row == 2 and "date" in reason
