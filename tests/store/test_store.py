"""The embedded store: every UCDP row accounted for, idempotent loads, atomic loads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ceasefire.sources import read_events
from ceasefire.store import EventStore


def test_every_row_of_the_ucdp_sample_is_accounted_for(ucdp_sample: Path) -> None:
    result = read_events(ucdp_sample)
    raw = pd.read_csv(ucdp_sample)
    skipped = {issue.row for issue in result.report.skipped}
    stored_rows = set(result.table.column("provenance_row").to_pylist())
    assert result.report.rows_read == len(raw) == 42
    assert stored_rows | skipped == set(range(1, 43))
    assert not stored_rows & skipped
    assert all(issue.reason for issue in result.report.skipped)


def test_ucdp_fields_are_normalized(ucdp_sample: Path) -> None:
    table = read_events(ucdp_sample).table.to_pandas().set_index("source_event_id")
    row = table.loc["417869"]  # first row of the sample: Podgorodnoye, 2014-10-10, where_prec 2
    assert row["event_id"] == "ucdp:417869"
    assert row["time_start"] == pd.Timestamp("2014-10-10T00:00", tz="Europe/Kyiv")
    assert row["time_precision"] == "day"
    assert row["location_precision"] == "near" and row["location_radius_km"] == 25
    assert row["admin1"] == "UA-14"
    assert row["actor1"] == "Government of Ukraine"
    assert row["category"] == "armed_clash"
    assert len(row["provenance_sha256"]) == 64


def test_second_load_adds_nothing(tmp_path: Path, ucdp_sample: Path) -> None:
    result = read_events(ucdp_sample)
    with EventStore(tmp_path / "store.duckdb") as store:
        kwargs = {"file": str(ucdp_sample), "sha256": result.report.sha256, "source": "ucdp",
                  "rows_read": 42, "rows_skipped": 0}  # fmt: skip
        first = store.load(result.table, **kwargs)  # type: ignore[arg-type]
        second = store.load(result.table, **kwargs)  # type: ignore[arg-type]
        assert (first.new, first.already_stored) == (42, 0)
        assert (second.new, second.already_stored) == (0, 42)
        assert store.count() == 42
        assert store.loads().num_rows == 2


def test_a_load_failing_half_way_leaves_the_store_unchanged(
    tmp_path: Path, ucdp_sample: Path
) -> None:
    result = read_events(ucdp_sample)
    path = tmp_path / "store.duckdb"
    with EventStore(path) as store:
        store.load(
            result.table.slice(0, 10),
            file="a",
            sha256="a",
            source="ucdp",
            rows_read=10,
            rows_skipped=0,
        )
        before = store.events().to_pandas()
    # a large load (several internal batches) that fails after its first batch
    big = pa.concat_tables([result.table] * 3000)
    ids = pa.array([f"x{i}" for i in range(big.num_rows)])
    big = big.set_column(big.schema.get_field_index("source_event_id"), "source_event_id", ids)

    def fail_after_first_batch(done: int) -> None:
        raise OSError("disk full")

    with EventStore(path) as store, pytest.raises(OSError, match="disk full"):
        store.load(
            big,
            file="b",
            sha256="b",
            source="ucdp",
            rows_read=big.num_rows,
            rows_skipped=0,
            after_batch=fail_after_first_batch,
        )
    with EventStore(path) as store:
        after = store.events().to_pandas()
        assert store.loads().num_rows == 1
    pd.testing.assert_frame_equal(before, after)
