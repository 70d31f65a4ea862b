"""Readable explanations of violations, built column-wise (no Python loop per event)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import Rule

_CATEGORY = {
    "armed_clash": "Armed clash",
    "shelling": "Shelling",
    "air_strike": "Air strike",
    "drone_strike": "Drone strike",
    "missile_strike": "Missile strike",
    "remote_explosive": "Explosion of a mine or IED",
    "attack_on_civilians": "Attack on civilians",
    "offensive_movement": "Offensive movement",
    "weapons_deployment": "Weapons observed",
    "mining": "Mining",
    "monitor_restriction": "Restriction of monitors",
    "small_arms_fire": "Small-arms fire",
    "other_violence": "Violence",
    "non_violent": "Event",
    "unknown": "Event",
}
_WEAPON = {
    "small_arms": "small arms",
    "light_artillery": "artillery under 100 mm",
    "tank": "tanks",
    "artillery": "artillery of 100 mm or more",
    "mlrs": "MLRS",
    "long_range": "long-range MLRS or missiles",
    "drone": "drones",
    "aircraft": "aircraft",
}


def _s(values: object) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object)).astype(str)


def _days_phrase(prep: PreparedAgreement, rule: Rule, start: pd.Series) -> pd.Series:
    after = pd.Timestamp(prep.time(rule.when.after))
    days = ((pd.to_datetime(start, utc=True) - after.tz_convert("UTC")).dt.total_seconds() // 86400).astype(int)
    if rule.when.after == "entry_into_force":
        label = "entry into force"
    elif hasattr(rule.when.after, "phase"):
        phase = prep.agreement.phase(rule.when.after.phase)  # type: ignore[union-attr]
        label = f"the deadline of '{phase.name}'" if rule.when.after.at == "end" else f"the start of '{phase.name}'"  # type: ignore[union-attr]
    else:
        label = after.isoformat()
    unit = np.where(days.to_numpy() == 1, " day", " days")
    return _s(days.to_numpy()) + _s(unit) + f" after {label}"


def explain(
    prep: PreparedAgreement,
    rule: Rule,
    events: pd.DataFrame,
    result: pd.DataFrame,
    zone_party: np.ndarray,
) -> pd.Series:
    """One sentence per violation, with the values behind it."""
    n = len(events)
    what = events["category"].map(_CATEGORY).fillna("Event").reset_index(drop=True)
    weapon = events["weapon_class"].map(_WEAPON).reset_index(drop=True)
    what = what + np.where(weapon.notna(), " with " + weapon.fillna(""), "")
    distance = result["distance_km"].to_numpy(dtype=float)
    side = _s(result["side"].to_numpy())
    place = np.where(
        np.isnan(distance),
        " at an unknown place",
        " " + _s(np.round(distance, 1)) + " km from the line of contact"
        + np.where(side != "", " on the " + side + " side", " on the line"),
    )
    radius = events["location_radius_km"].fillna(0).to_numpy()
    precision = np.where(
        radius > 0,
        " (located to " + _s(events["location_precision"].to_numpy()) + ", ±" + _s(np.round(radius).astype(int)) + " km)",
        "",
    )
    party = _s(result["party"].to_numpy())
    actor = _s(events["actor1"].fillna("").to_numpy())
    who = np.where(
        party != "",
        ", by " + party + " (actor '" + actor + "')",
        ", unattributed",
    )
    rule_text = f"; breaks '{rule.title}' ({rule.article})"
    zone_text = np.full(n, "", dtype=object)
    if rule.where.zone:
        zone = next(z for z in prep.agreement.zones if z.id == rule.where.zone)
        certainty = np.where(result["location_check"].to_numpy() == 2, "inside", "possibly inside")
        owner = np.where(_s(zone_party) != "", " of " + _s(zone_party), "")
        zone_text = ", " + _s(certainty) + f" the {zone.name}" + owner
    elif rule.where.across_line:
        zone_text = np.where(result["location_check"].to_numpy() == 2, ", across the line", ", possibly across the line")
    when = _days_phrase(prep, rule, events["time_start"].reset_index(drop=True))
    time_text = np.where(result["time_check"].to_numpy() == 2, ", " + when, ", possibly " + when)
    sentence = what + _s(place) + _s(precision) + _s(who) + _s(zone_text) + _s(time_text) + rule_text
    return sentence.reset_index(drop=True)
