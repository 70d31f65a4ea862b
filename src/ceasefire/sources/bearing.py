"""Bearing and distance as observers write them ("2-4 km SSE", "500 m NE", "157 deg 3 km"),
and the sector they describe: its centre and the radius that covers it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ceasefire.geo.projection import GEOD

COMPASS = [
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
]
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DISTANCE = re.compile(
    rf"(?P<within>within|up to|less than|under)?\s*(?:about|approx\.?|approximately|~|ca\.?)?\s*"
    rf"{_NUMBER}(?:\s*(?:-|–|—|to)\s*{_NUMBER})?\s*(?P<unit>km|m)\b",
    re.IGNORECASE,
)
_COMPASS = re.compile(r"\b(" + "|".join(sorted(COMPASS, key=len, reverse=True)) + r")\b")
_DEGREES = re.compile(rf"{_NUMBER}\s*(?:°|deg\b|degrees\b)", re.IGNORECASE)


@dataclass(frozen=True)
class BearingDistance:
    """What an observer wrote, parsed: bearing sector and distance range (either may be
    missing)."""

    bearing_deg: float | None
    spread_deg: float | None
    distance_min_km: float | None
    distance_max_km: float | None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_bearing_distance(
    text: str, compass_spread: float, degree_spread: float
) -> BearingDistance:
    """Parse e.g. '2-4 km SSE'. Raises ValueError naming what was expected."""
    rest = text.strip()
    distance = _DISTANCE.search(rest)
    dmin = dmax = None
    if distance:
        scale = 0.001 if distance.group("unit").lower() == "m" else 1.0
        first = _number(distance.group(2)) * scale
        second = _number(distance.group(3)) * scale if distance.group(3) else first
        dmin, dmax = (
            (0.0, first) if distance.group("within") else (min(first, second), max(first, second))
        )
        rest = rest[: distance.start()] + " " + rest[distance.end() :]
    bearing = spread = None
    degrees = _DEGREES.search(rest)
    compass = _COMPASS.search(rest.upper())
    if degrees:
        bearing, spread = _number(degrees.group(1)) % 360.0, degree_spread
    elif compass:
        bearing, spread = COMPASS.index(compass.group(1)) * 22.5, compass_spread
    if bearing is None and dmin is None:
        raise ValueError(
            f"cannot read bearing and distance '{text}'; "
            "expected e.g. '2-4 km SSE', '500 m NE' or '157 deg 3 km'"
        )
    return BearingDistance(bearing, spread, dmin, dmax)


def sector_centre(
    lon: float, lat: float, bearing: float, spread: float, dmin: float, dmax: float
) -> tuple[float, float, float]:
    """Centre of the sector (on the bearing at the middle distance), and the radius (km) of the
    disk around it that covers the whole sector."""
    mid = (dmin + dmax) / 2.0
    clon, clat, _ = GEOD.fwd(lon, lat, bearing, mid * 1000.0)
    angles = np.radians(np.linspace(bearing - spread, bearing + spread, 33))
    ring = np.concatenate([np.full(33, dmin), np.full(33, dmax)])
    theta = np.concatenate([angles, angles])
    x, y = ring * np.sin(theta), ring * np.cos(theta)
    cx, cy = mid * np.sin(np.radians(bearing)), mid * np.cos(np.radians(bearing))
    radius = float(np.max(np.hypot(x - cx, y - cy)))
    return float(clon), float(clat), radius
