"""Shared fixtures: bundled real data and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.resources import data_path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def ucdp_sample() -> Path:
    """The 42 real UCDP GED events bundled with the package."""
    return data_path("events", "ucdp_ged_2023_sample_ua_ru.csv")


@pytest.fixture
def agreements_dir() -> Path:
    """The bundled agreements."""
    return data_path("agreements")
