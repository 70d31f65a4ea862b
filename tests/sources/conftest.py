"""Fixtures for the readers: real rows written from the public codebooks, under tests/fixtures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ceasefire.sources import ReadResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The fixture folder."""
    return FIXTURES


def events(result: ReadResult) -> pd.DataFrame:
    """The events of a read, indexed by source_event_id."""
    return result.table.to_pandas().set_index("source_event_id")


def reasons(result: ReadResult) -> dict[int, str]:
    """Skipped rows and their reasons."""
    return {issue.row: issue.reason for issue in result.report.skipped}
