"""A party's declared territory is its side of the line beyond the line's ends."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.agreement import load_agreement
from ceasefire.agreement.model import Agreement
from tests.adjudicate.conftest import check

PLACES = {  # GeoNames coordinates
    "Belgorod": (36.587, 50.596),
    "Kursk": (36.193, 51.730),
    "Sudzha": (35.270, 51.190),
    "Bryansk": (34.364, 53.252),
    "Sumy": (34.800, 50.911),
    "Kharkiv": (36.251, 49.982),
    "Chernihiv": (31.285, 51.505),
    "Donetsk": (37.802, 48.023),
}


def _without_territories() -> PreparedAgreement:
    agreement = load_agreement("paris-2026-draft")
    data = agreement.model_dump()
    parties = [p.model_copy(update={"territory": []}) for p in agreement.parties]
    assert data["parties"][1]["territory"] == ["RU"]
    return PreparedAgreement(Agreement.model_construct(**{**dict(agreement), "parties": parties}))


def test_russian_towns_beyond_the_lines_end_are_on_the_russian_side(
    paris: PreparedAgreement,
) -> None:
    lon = np.array([p[0] for p in PLACES.values()])
    lat = np.array([p[1] for p in PLACES.values()])
    line = paris.lines["loc-2026"]
    sides = dict(zip(PLACES, line.labels[line.sides.side_of(lon, lat)], strict=True))
    assert sides == {
        "Belgorod": "RU",
        "Kursk": "RU",
        "Sudzha": "RU",
        "Bryansk": "RU",
        "Sumy": "UA",
        "Kharkiv": "UA",
        "Chernihiv": "UA",
        "Donetsk": "RU",
    }
    # without the declaration the line's orientation put them on the Ukrainian side
    bare = _without_territories().lines["loc-2026"]
    assert list(bare.labels[bare.sides.side_of(lon[:4], lat[:4])]) == ["UA"] * 4


def test_a_disk_across_the_border_beyond_the_line_has_no_certain_side(
    paris: PreparedAgreement,
) -> None:
    # Sudzha lies ~8 km from the border with Sumy oblast: a 25 km disk reaches Ukraine
    strike = {"actor1": "Ukrainian forces", "category": "drone_strike", "lon": 0.0, "lat": 0.0}
    sudzha = strike | dict(zip(("lon", "lat"), PLACES["Sudzha"], strict=True))
    kursk = strike | dict(zip(("lon", "lat"), PLACES["Kursk"], strict=True))
    near = {"location_radius_km": 25.0, "location_precision": "near"}
    result = check(paris, sudzha, sudzha | near, kursk | near)
    assert list(result.events["side"]) == ["RU", "RU", "RU"]
    across = result.violations[result.violations["rule_id"] == "no-cross-line-strikes"]
    by_event = dict(zip(across["event_id"], across["location_check"], strict=True))
    # UA strikes on RU's side: certain at a point, possible for the disk reaching back into
    # Ukraine, certain for the disk round Kursk (80 km from the border)
    assert by_event == {"acled:0": 2, "acled:1": 1, "acled:2": 2}


@pytest.mark.parametrize("place", ["Belgorod", "Kursk"])
def test_violations_in_russia_name_the_russian_side(paris: PreparedAgreement, place: str) -> None:
    lon, lat = PLACES[place]
    result = check(paris, {"lon": lon, "lat": lat, "actor1": "Ukrainian forces"})
    violations = result.violations
    assert len(violations) and set(violations["side"]) == {"RU"}
    assert "on the RU side" in violations["explanation"].iloc[0]
