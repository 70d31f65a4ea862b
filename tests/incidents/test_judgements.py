"""Analysts' merges and splits: stored with who, when and why, and applied on every re-run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError
from ceasefire.incidents import Judgement, deduplicate
from ceasefire.incidents.judge import merge, split
from ceasefire.incidents.stage import build_incidents
from ceasefire.store import judgements as judgement_store

from .conftest import frame, report, store_with

FAR = {"lon": 36.2, "lat": 49.99, "location_name": "Kharkiv", "text": "Missile hits Kharkiv"}


def incident_of(store: object, event_id: str) -> str:
    row = store.con.execute(  # type: ignore[attr-defined]
        "SELECT incident_id FROM incident_reports WHERE event_id = ?", [event_id]
    ).fetchall()
    return str(row[0][0])


def test_judgements_are_applied_after_the_scores() -> None:
    rows = frame(report("acled:1"), report("gdelt:2"), report("gdelt:3", **FAR))
    auto = deduplicate(rows)
    assert auto.labels.tolist() == [0, 0, 1]
    judged = deduplicate(
        rows,
        judgements=[
            Judgement("acled:1", "gdelt:2", "negative", "ana", "", "different shellings"),
            Judgement("acled:1", "gdelt:3", "positive", "ana", "", "same strike, misplaced"),
        ],
    )
    assert judged.labels[0] == judged.labels[2] != judged.labels[1]


def test_the_last_judgement_of_a_pair_counts_and_unsure_changes_nothing() -> None:
    rows = frame(report("acled:1"), report("gdelt:2"))
    history = [
        Judgement("acled:1", "gdelt:2", "negative", "ana", "", "looked different"),
        Judgement("gdelt:2", "acled:1", "positive", "bo", "", "same crater on imagery"),
        Judgement("acled:1", "gdelt:2", "unsure", "cy", "", "not sure"),
    ]
    assert deduplicate(rows, judgements=history[:1]).incidents == 2
    assert deduplicate(rows, judgements=history[:2]).incidents == 1
    # 'unsure' is the latest for the pair: no judgement applies, the score decides
    assert deduplicate(rows, judgements=history).incidents == 1


def test_a_positive_judgement_contradicting_a_negative_one_is_not_applied() -> None:
    rows = frame(report("acled:1"), report("gdelt:2"), report("field_report:3"))
    result = deduplicate(
        rows,
        judgements=[
            Judgement("acled:1", "gdelt:2", "negative", "ana", "", "different"),
            Judgement("acled:1", "field_report:3", "positive", "bo", "", "same"),
            Judgement("gdelt:2", "field_report:3", "positive", "bo", "", "same"),
        ],
    )
    assert result.labels[0] != result.labels[1]
    assert [why for _, why in result.ignored]


def test_merge_and_split_survive_a_rebuild(tmp_path: Path) -> None:
    store = store_with(tmp_path / "s.duckdb", report("acled:1"), report("gdelt:2"),
                       report("gdelt:3", **FAR), report("field_report:4"))  # fmt: skip
    with store:
        build_incidents(store)
        assert incident_of(store, "acled:1") == incident_of(store, "gdelt:2")
        merged = merge(store, ["acled:1", "gdelt:3"], who="ana", reason="same strike")
        assert len(merged.incidents) == 1
        split_off = split(store, "acled:1", ["gdelt:2"], who="bo", reason="a second shelling")
        assert merged.judgements == 1 and split_off.judgements == 3
        before = {
            e: incident_of(store, e) for e in ("acled:1", "gdelt:2", "gdelt:3", "field_report:4")
        }
        build_incidents(store)  # a re-run scores everything again, then applies the judgements
        after = {e: incident_of(store, e) for e in before}
        assert after == before
        assert after["acled:1"] == after["gdelt:3"] == after["field_report:4"] != after["gdelt:2"]
        made = judgement_store.load(store.con)
        assert [(j.judgement, j.by) for j in made] == [
            ("positive", "ana"),
            ("negative", "bo"),
            ("negative", "bo"),
            ("negative", "bo"),
        ]
        assert all(j.at and j.reason for j in made)


def test_incident_ids_survive_a_split_of_other_reports(tmp_path: Path) -> None:
    store = store_with(
        tmp_path / "s.duckdb", report("acled:1"), report("gdelt:2"), report("gdelt:3")
    )
    with store:
        build_incidents(store)
        original = incident_of(store, "acled:1")
        split(store, original, ["gdelt:3"], who="ana", reason="other strike")
        assert incident_of(store, "acled:1") == original  # the anchor stays
        assert incident_of(store, "gdelt:3") != original


def test_unknown_ids_are_clear_errors(tmp_path: Path) -> None:
    store = store_with(tmp_path / "s.duckdb", report("acled:1"), report("gdelt:2"))
    with store:
        build_incidents(store)
        with pytest.raises(CeasefireError, match="unknown incident 'inc-zzz'"):
            merge(store, ["inc-zzz", "acled:1"], who="ana", reason="x")
        with pytest.raises(
            CeasefireError, match="unknown report 'gdelt:9'; did you mean 'gdelt:2'"
        ):
            split(store, "acled:1", ["gdelt:9"], who="ana", reason="x")
        with pytest.raises(CeasefireError, match="needs who"):
            merge(store, ["acled:1"], who=" ", reason="x")
