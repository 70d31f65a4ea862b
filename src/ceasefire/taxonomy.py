"""Our vocabulary: event categories, weapon classes, targets and precisions.

Every source's vocabulary is mapped to these (the mappings are YAML in data/mappings/), and the
agreement's rules and zones are written in them.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What happened."""

    ARMED_CLASH = "armed_clash"
    SHELLING = "shelling"  # artillery, mortar, MLRS, tank fire at a distance
    AIR_STRIKE = "air_strike"  # manned aircraft, glide bombs
    DRONE_STRIKE = "drone_strike"
    MISSILE_STRIKE = "missile_strike"
    REMOTE_EXPLOSIVE = "remote_explosive"  # mines, IEDs
    ATTACK_ON_CIVILIANS = "attack_on_civilians"
    OFFENSIVE_MOVEMENT = "offensive_movement"  # advances, territory taken
    WEAPONS_DEPLOYMENT = "weapons_deployment"  # weapons observed where they must not be
    MINING = "mining"
    MONITOR_RESTRICTION = "monitor_restriction"
    SMALL_ARMS_FIRE = "small_arms_fire"
    OTHER_VIOLENCE = "other_violence"
    NON_VIOLENT = "non_violent"
    UNKNOWN = "unknown"


class WeaponClass(StrEnum):
    """Weapon classes that zones and rules refer to (Minsk II and the Paris draft use them)."""

    SMALL_ARMS = "small_arms"
    LIGHT_ARTILLERY = "light_artillery"  # guns under 100 mm, mortars up to 120 mm
    TANK = "tank"
    ARTILLERY = "artillery"  # 100 mm calibre and more
    MLRS = "mlrs"
    LONG_RANGE = "long_range"  # long-range MLRS and missiles (Tornado-S, Smerch, Iskander, ATACMS)
    DRONE = "drone"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class Target(StrEnum):
    """What was hit or aimed at."""

    CIVILIAN = "civilian"
    ENERGY_INFRASTRUCTURE = "energy_infrastructure"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    MILITARY = "military"
    MONITOR = "monitor"
    UNKNOWN = "unknown"


class TimePrecision(StrEnum):
    """How precisely the time of an event is known; the event holds the interval it covers."""

    EXACT = "exact"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class LocationPrecision(StrEnum):
    """How precisely the place of an event is known."""

    EXACT = "exact"
    NEAR = "near"
    ADMIN2 = "admin2"
    ADMIN1 = "admin1"
    COUNTRY = "country"


# Radius (km) of the area an event may be in, by location precision, when the source gives none.
DEFAULT_RADIUS_KM: dict[LocationPrecision, float] = {
    LocationPrecision.EXACT: 0.0,
    LocationPrecision.NEAR: 25.0,
    LocationPrecision.ADMIN2: 40.0,
    LocationPrecision.ADMIN1: 150.0,
    LocationPrecision.COUNTRY: 1000.0,
}

# Categories that are the use of force (the "ban on fire of any kind").
FIRE_CATEGORIES: frozenset[Category] = frozenset(
    {
        Category.ARMED_CLASH,
        Category.SHELLING,
        Category.AIR_STRIKE,
        Category.DRONE_STRIKE,
        Category.MISSILE_STRIKE,
        Category.REMOTE_EXPLOSIVE,
        Category.ATTACK_ON_CIVILIANS,
        Category.SMALL_ARMS_FIRE,
        Category.OTHER_VIOLENCE,
    }
)
