"""Where the weapon stood, for fire located where it landed (security-zone rules).

A shelling event says where the rounds fell; the rule "artillery withdrawn 50 km" is about
where the gun was. The gun stood on its party's own side, within its range R of where the
rounds fell. If they fell on the party's own side (or a side not known) at most `hi` km from
the line, the gun was at most hi + R km from it; if they fell across the line at least `lo`
km from it, the gun was at most R - lo km from it (a straight path from the gun crosses the
line; unless another place where the side changes, such as a border beyond the line's end,
lies within reach), and fire from beyond that range cannot be this party's. The weapon
ranges are data (ceasefire/data/config/weapon_ranges.yaml).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import yaml
from numpy.typing import NDArray

from ceasefire.adjudicate.prepared import CATEGORIES, WEAPONS
from ceasefire.errors import CeasefireError
from ceasefire.resources import data_path

Array = NDArray[np.float64]


@cache
def weapon_reach() -> tuple[Array, NDArray[np.bool_]]:
    """Range (km) per weapon code (0: none known) and the fire categories, as tables over
    codes (the last code: a value outside the vocabulary)."""
    path = data_path("config", "weapon_ranges.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ranges = np.zeros(len(WEAPONS) + 1)
    for name, km in data["ranges_km"].items():
        if name not in WEAPONS or not isinstance(km, int | float) or km <= 0:
            raise CeasefireError(
                f"{path}: ranges_km.{name}: expected a weapon class ({', '.join(WEAPONS)}) "
                f"with a positive range in km, got {km!r}"
            )
        ranges[WEAPONS.index(name)] = float(km)
    unknown = [c for c in data["fire_categories"] if c not in CATEGORIES]
    if unknown:
        raise CeasefireError(f"{path}: fire_categories: unknown categories {unknown}")
    fire = np.array([c in data["fire_categories"] for c in CATEGORIES] + [False])
    return ranges, fire


def fire_reach(
    category: NDArray[np.int16], weapon: NDArray[np.int16], origin: NDArray[np.bool_]
) -> Array:
    """Per event (category and weapon codes; whether lon/lat locate the origin of fire): the
    weapon's range (km) when the event is fire located where it landed and its weapon class
    has a known range; 0 otherwise (the place is the weapon's)."""
    ranges, fire = weapon_reach()
    return np.where(fire[category] & ~origin, ranges[weapon], 0.0)
