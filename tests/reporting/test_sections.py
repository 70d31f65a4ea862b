"""Optional sections render from their documented inputs, and only when these exist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from ceasefire.agreement import Agreement, load_agreement
from ceasefire.reporting import from_store
from ceasefire.reporting.html import render_html


def test_territory_and_triggers_beside_the_store_add_their_sections(
    synthetic: Path, paris: Agreement, tmp_path: Path
) -> None:
    store = tmp_path / "store.duckdb"
    shutil.copy(synthetic, store)
    pd.DataFrame(
        {
            "date": ["2026-02-01", "2026-02-01", "2026-03-10", "2026-03-10"],
            "admin1": ["UA-14", "UA-09", "UA-14", "UA-09"],
            "party": ["RU", "RU", "RU", "RU"],
            "area_km2": [19900.0, 26500.0, 19960.0, 26500.0],
            "share": [0.75, 0.995, 0.752, 0.995],
        }
    ).to_csv(tmp_path / "territory.csv", index=False)
    pd.DataFrame(
        {
            "commitment": ["us-backstop", "us-backstop"],
            "time": ["2026-03-12T10:00:00+02:00", "2026-01-05T10:00:00+02:00"],
            "level": [2, 1],
            "evidence": ["ab" * 32, "cd" * 32],
        }
    ).to_csv(tmp_path / "triggers.csv", index=False)
    html = render_html(from_store(paris, store, "week"))
    assert 'id="territory"' in html and "Donetsk" in html and "+60.0" in html
    assert 'id="backstop"' in html and "ab" * 32 in html
    assert "cd" * 32 not in html  # a trigger outside the period is not listed


def test_without_their_inputs_the_optional_sections_stay_out(
    synthetic: Path, paris: Agreement
) -> None:
    html = render_html(from_store(paris, synthetic, "week"))
    assert 'id="territory"' not in html
    assert 'id="backstop"' in html  # the draft has commitments: their status is shown
    assert "No backstop evaluation was given" in html


def test_an_agreement_without_commitments_has_no_backstop_section(synthetic: Path) -> None:
    minsk = load_agreement("minsk-ii-2015")
    data = from_store(minsk, synthetic, "week")
    data.agreement = minsk.model_copy(update={"guarantors": []})
    assert 'id="backstop"' not in render_html(data)


def test_the_run_report_reads_events_parquet_whatever_its_pandas_metadata(
    tmp_path: Path,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ceasefire.adjudicate import VIOLATION_COLUMNS
    from ceasefire.reporting import from_run

    events = pd.DataFrame(
        {
            "event_id": ["ucdp:1"],
            "time_start": pd.to_datetime(["2018-05-19T10:00:00Z"]),
            "category": ["shelling"],
            "weapon_class": ["artillery"],
            "fatalities_best": [3.0],
            "zones_inside": pd.Series([["a"]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
        }
    )
    pq.write_table(pa.Table.from_pandas(events), tmp_path / "events.parquet")
    violation = dict.fromkeys(VIOLATION_COLUMNS, "") | {
        "event_id": "ucdp:1", "date": "2018-05-19", "lon": 37.7, "lat": 48.1,
        "distance_km": 3.2, "confidence": 1.0, "location_check": 2, "time_check": 2,
    }  # fmt: skip
    summary = {"events": {"total": 1}, "inputs": []}
    minsk = load_agreement("minsk-ii-2015")
    data = from_run(minsk, summary, pd.DataFrame([violation]), [], tmp_path)
    assert data.violations.loc[0, "fatalities_best"] == 3.0
    assert "ucdp:1" in render_html(data)


def test_backstop_triggers_show_their_main_columns(
    synthetic: Path, paris: Agreement, tmp_path: Path
) -> None:
    store = tmp_path / "store.duckdb"
    shutil.copy(synthetic, store)
    hashes = ";".join(c * 64 for c in "abc")
    pd.DataFrame(
        {
            "trigger_key": ["k1"], "date": ["2026-03-12"], "guarantor": ["US"],
            "commitment": ["us-backstop"], "trigger_id": ["grave-strikes"], "level_before": [0],
            "level": [2], "action": ["public attribution"], "respond_by": ["2026-03-13"],
            "condition": ["count >= 3"], "violations": [3], "incidents": [3],
            "violation_ids": ["v1;v2;v3"], "evidence_sha256": [hashes],
        }
    ).to_csv(tmp_path / "triggers.csv", index=False)  # fmt: skip
    html = render_html(from_store(paris, store, "week"))
    section = html[html.index('id="backstop"') : html.index('id="inputs"')]
    assert "public attribution" in section and "respond by" in section
    assert "a" * 64 in section and "and 1 more" in section and "c" * 64 not in section
    assert "trigger_key" not in section and "v1;v2;v3" not in section
