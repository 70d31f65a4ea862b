"""Security zones judged from fire: where the weapon stood, from where its fire landed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.adjudicate.firing import weapon_reach
from tests.adjudicate.conftest import check, perpendicular, rules_of

LATE = pd.Timestamp("2026-06-01T12:00:00+03:00")  # after the withdrawal deadline
RU_FIRE = {"category": "shelling", "weapon_class": "artillery", "actor1": "Russian forces"}


def _south(paris: PreparedAgreement, km: float) -> tuple[float, float]:
    """A point km from a long southern segment of the Paris line (RU on the left, km > 0)."""
    coords = list(paris.agreement.lines[0].geometry.shape.coords)
    return perpendicular(coords[40], coords[41], km)


def _fire(paris: PreparedAgreement, km: float, **extra: Any) -> dict[str, Any]:
    lon, lat = _south(paris, km)
    return {"lon": lon, "lat": lat, "at": LATE, **RU_FIRE, **extra}


def test_the_ranges_are_data() -> None:
    ranges, fire = weapon_reach()
    assert ranges.max() == 500.0 and np.count_nonzero(ranges) == 5
    assert fire.sum() == 2  # shelling, missile_strike


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (-5.0, 2),  # landed 5 km across: the gun stood at most 35 km from the line
        (-9.9, 2),  # at most 30.1 km
        (-39.0, 2),  # at most 1 km
        (-41.0, None),  # beyond the range from RU's side: not RU's gun
        (5.0, 2),  # landed on its own side 5 km back: the gun stood at most 45 km back
        (12.0, 1),  # at most 52 km from the line: possibly
    ],
)
def test_fire_across_the_line_places_the_gun_in_the_zone(
    paris: PreparedAgreement, km: float, expected: int | None
) -> None:
    result = check(paris, _fire(paris, km))
    found = rules_of(result, "acled:0").get("artillery-withdrawn")
    if expected is None:
        assert found is None
        return
    assert found is not None and found["location_check"] == expected
    assert found["zone_party"] == "RU"
    assert "where the weapon stood: within its 40 km range of where the fire landed" in str(
        found["explanation"]
    )


def test_observed_weapons_and_located_origins_are_judged_where_they_are(
    paris: PreparedAgreement,
) -> None:
    seen = _fire(paris, 60.0, category="weapons_deployment")  # the gun itself, 60 km back
    origin = _fire(paris, 30.0, located="origin")  # a crater analysis put the gun here
    result = check(paris, seen, origin)
    assert "artillery-withdrawn" not in rules_of(result, "acled:0")
    found = rules_of(result, "acled:1")["artillery-withdrawn"]
    assert found["location_check"] == 2
    assert "where the weapon stood" not in str(found["explanation"])


def test_a_border_within_range_leaves_the_gun_possibly_anywhere(
    paris: PreparedAgreement,
) -> None:
    # Kharkiv: 53 km from the line of contact, 30 km from Belgorod oblast (RU's side too)
    kharkiv = {"lon": 36.251, "lat": 49.982, "at": LATE, **RU_FIRE}
    result = check(paris, kharkiv)
    assert result.events["distance_km"].iloc[0] > 50
    assert rules_of(result, "acled:0")["artillery-withdrawn"]["location_check"] == 1


def test_unknown_weapon_class_is_judged_at_the_place(paris: PreparedAgreement) -> None:
    result = check(paris, _fire(paris, -5.0, weapon_class="unknown"))
    assert "artillery-withdrawn" not in rules_of(result, "acled:0")
