"""Exports for GIS and spreadsheet users open in GeoPandas and pyarrow and round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ceasefire.agreement import Agreement
from ceasefire.pipeline import RunResult
from ceasefire.reporting import from_store, write_report


@pytest.fixture(scope="module")
def week(synthetic: Path, paris: Agreement, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("week")
    write_report(from_store(paris, synthetic, "week"), out, pdf=False)
    return out


@pytest.mark.parametrize("name", ["violations", "incidents"])
def test_geoparquet_has_valid_metadata_and_round_trips(week: Path, name: str) -> None:
    path = week / f"{name}.parquet"
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["version"].startswith("1.") and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
    assert column["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}
    frame = gpd.read_parquet(path)
    assert frame.crs is not None and frame.crs.to_string() == "OGC:CRS84"
    csv = pd.read_csv(week / f"{name}.csv")
    assert len(frame) == len(csv) > 0
    assert np.allclose(frame.geometry.x, csv["lon"]) and np.allclose(frame.geometry.y, csv["lat"])
    key = "incident_id"
    assert list(frame[key]) == list(csv[key])
    west, _south, _east, north = column["bbox"]
    assert west <= frame.geometry.x.min() and frame.geometry.y.max() <= north


@pytest.mark.parametrize("name", ["violations", "incidents"])
def test_geojson_opens_in_geopandas_with_every_row(week: Path, name: str) -> None:
    frame = gpd.read_file(week / f"{name}.geojson")
    table = pq.read_table(week / f"{name}.parquet").to_pandas()
    assert len(frame) == len(table)
    assert set(frame.geometry.geom_type) == {"Point"}
    assert list(frame["incident_id"]) == list(table["incident_id"])
    assert np.allclose(frame.geometry.x, table["lon"])


def test_violation_exports_keep_the_contract_columns_then_the_report_columns(week: Path) -> None:
    frame = pd.read_csv(week / "violations.csv")
    assert list(frame.columns[:3]) == ["event_id", "source", "source_event_id"]
    for column in ("rule_id", "explanation", "severity", "status", "evidence", "incident_id"):
        assert column in frame.columns
    assert frame["evidence"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_the_run_writes_the_exports_beside_its_contract(demo_run: RunResult) -> None:
    out = demo_run.out_dir
    contract = pd.read_csv(out / "violations.csv")
    exported = gpd.read_parquet(out / "violations.parquet")
    assert list(exported["event_id"]) == list(contract["event_id"])
    incidents = gpd.read_file(out / "incidents.geojson")
    # the two Minsk-era clashes of the real UCDP sample, each its own incident
    assert sorted(contract["event_id"]) == ["ucdp:275430", "ucdp:423342"]
    assert sorted(incidents["incident_id"]) == sorted(contract["incident_id"].unique())
    assert len(incidents) == 2
    assert (incidents["evidence"].str.len() == 64).all()


def test_an_empty_period_still_writes_valid_empty_exports(
    synthetic: Path, paris: Agreement, tmp_path: Path
) -> None:
    write_report(from_store(paris, synthetic, "2026-01-01..2026-01-07"), tmp_path, pdf=False)
    assert json.loads((tmp_path / "violations.geojson").read_text())["features"] == []
    assert len(pq.read_table(tmp_path / "incidents.parquet")) == 0
    assert "No violations in this period" in (tmp_path / "report.html").read_text()
