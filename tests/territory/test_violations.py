"""Gains after entry into force: the tolerance edges, timing, attribution, the baseline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import shapely

from ceasefire.adjudicate import VIOLATION_COLUMNS
from ceasefire.agreement import load_agreement
from ceasefire.territory import ControlMap, judge_maps

from .conftest import OLD_AREA, advance

AgreementFile = Callable[[str], Path]


def _judge(
    agreement_path: Path, gain: shapely.Geometry, before: date = date(2026, 2, 1),
    after: date = date(2026, 2, 2),
) -> pd.DataFrame:  # fmt: skip
    maps = [
        ControlMap(before, "old.geojson", {"RU": OLD_AREA}),
        ControlMap(after, "new.geojson", {"RU": shapely.union(OLD_AREA, gain)}),
    ]
    return judge_maps(load_agreement(agreement_path), maps).violations


@pytest.mark.parametrize(("area", "expected"), [(0.99, 0), (1.01, 1)])
def test_area_tolerance_edge(agreement_file: AgreementFile, area: float, expected: int) -> None:
    found = _judge(agreement_file(""), advance(1000.0, area))
    assert len(found) == expected


@pytest.mark.parametrize(("depth", "expected"), [(490.0, 0), (510.0, 1)])
def test_distance_tolerance_edge(
    agreement_file: AgreementFile, depth: float, expected: int
) -> None:
    found = _judge(agreement_file(""), advance(depth, 5.0))
    assert len(found) == expected


def test_tolerances_from_the_agreement(agreement_file: AgreementFile) -> None:
    path = agreement_file("territory: {tolerance_km2: 5, tolerance_m: 2000}\n")
    assert len(_judge(path, advance(1500.0, 20.0))) == 0  # not deep enough
    assert len(_judge(path, advance(2500.0, 4.5))) == 0  # not large enough
    assert len(_judge(path, advance(2500.0, 5.5))) == 1


def test_violation_row_is_attributed_and_explained(agreement_file: AgreementFile) -> None:
    (row,) = _judge(agreement_file(""), advance(2000.0, 12.0)).to_dict(orient="records")
    assert list(row) == VIOLATION_COLUMNS
    assert row["party"] == "RU" and row["attribution"] == "actor"
    assert row["rule_id"] == "no-offensive" and row["article"] == "Art. 2"
    assert row["admin1"] == "UA-14" and row["date"] == "2026-02-02"
    assert row["event_id"] == "territory:2026-02-02:RU:UA-14" and row["source"] == "territory"
    assert (row["location_check"], row["time_check"], row["confidence"]) == (2, 2, 1.0)
    assert "RU gained 12.00 km2 of land held by UA in Donetsk Oblast (UA-14)" in row["explanation"]
    assert "up to 2.00 km beyond the previous front" in row["explanation"]


def test_gain_before_entry_into_force_is_no_violation(agreement_file: AgreementFile) -> None:
    found = _judge(agreement_file(""), advance(2000.0, 12.0), date(2026, 1, 20), date(2026, 1, 25))
    assert found.empty


def test_maps_straddling_entry_into_force_give_a_possible_violation(
    agreement_file: AgreementFile,
) -> None:
    found = _judge(agreement_file(""), advance(2000.0, 12.0), date(2026, 1, 30), date(2026, 2, 1))
    assert found["time_check"].tolist() == [1] and found["confidence"].tolist() == [0.5]
    # a map of the eve of entry into force shows the situation at 00:00: certain
    found = _judge(agreement_file(""), advance(2000.0, 12.0), date(2026, 1, 31), date(2026, 2, 1))
    assert found["time_check"].tolist() == [2]


def test_gain_by_the_other_side_is_attributed_to_it(agreement_file: AgreementFile) -> None:
    maps = [
        ControlMap(date(2026, 2, 1), "old", {"RU": OLD_AREA}),
        ControlMap(date(2026, 2, 2), "new",
                   {"RU": shapely.difference(OLD_AREA, shapely.box(37.5, 48.0, 37.6, 48.2))}),
    ]  # fmt: skip
    (row,) = judge_maps(load_agreement(agreement_file("")), maps).violations.to_dict("records")
    assert row["party"] == "UA"


def test_agreement_area_is_the_baseline_within_its_accuracy() -> None:
    agreement = load_agreement("paris-2026-draft")
    own = agreement.lines[0].controlled_area
    assert own is not None
    base = own.geometry.shape
    line = agreement.lines[0].geometry.shape
    bump = line.interpolate(0.5, normalized=True).buffer(0.03)  # ~3 km: within the 6 km
    later = [ControlMap(date(2026, 2, 3), "m.geojson", {"RU": shapely.union(base, bump)})]
    result = judge_maps(agreement, later)
    assert result.baseline is not None and "controlled_area" in result.baseline
    assert len(result.series.changes) == 1 and result.series.changes[0].gained_km2("RU") > 5
    assert result.violations.empty
    deeper = line.interpolate(0.5, normalized=True).buffer(0.12)  # ~10 km beyond the line
    later = [ControlMap(date(2026, 2, 3), "m.geojson", {"RU": shapely.union(base, deeper)})]
    assert set(judge_maps(agreement, later).violations["party"]) == {"RU"}
