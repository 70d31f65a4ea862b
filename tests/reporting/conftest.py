"""Fixtures for report tests: the demo run on real data, and a store of synthetic reports
near the Paris draft's line (two weeks, so that a week has a previous week to compare)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ceasefire.agreement import Agreement, load_agreement
from ceasefire.pipeline import RunResult, run
from ceasefire.reporting.synthetic import synthetic_store
from ceasefire.resources import data_path

KYIV_WINTER = timezone(timedelta(hours=2))
SYNTHETIC_START = datetime(2026, 3, 1, tzinfo=KYIV_WINTER)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """`ceasefire demo`: Minsk II and the 42 real UCDP events."""
    out = tmp_path_factory.mktemp("demo")
    return run("minsk-ii-2015", [data_path("events", "ucdp_ged_2023_sample_ua_ru.csv")], out)


@pytest.fixture(scope="session")
def paris() -> Agreement:
    """The bundled Paris draft."""
    return load_agreement("paris-2026-draft")


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory, paris: Agreement) -> Path:
    """A store of 300 synthetic reports over 1-14 March 2026."""
    path = tmp_path_factory.mktemp("synthetic") / "store.duckdb"
    return synthetic_store(path, paris, 300, SYNTHETIC_START, 14)
