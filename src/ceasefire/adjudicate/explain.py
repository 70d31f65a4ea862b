"""Readable explanations of violations, built column-wise with Arrow (no loop per event):
what happened, where relative to the line, by whom and on what basis, which zone or place
condition, when relative to the rule's start, and the rule and article broken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from ceasefire.adjudicate.prepared import CATEGORIES, LOCATION_PRECISIONS, WEAPONS, PreparedAgreement
from ceasefire.adjudicate.rules import Hits
from ceasefire.agreement.model import AreaZone, BufferZone, PhaseTime, SecurityZone

_CATEGORY = {
    "armed_clash": "Armed clash", "shelling": "Shelling", "air_strike": "Air strike",
    "drone_strike": "Drone strike", "missile_strike": "Missile strike",
    "remote_explosive": "Explosion of a mine or IED", "attack_on_civilians": "Attack on civilians",
    "offensive_movement": "Offensive movement", "weapons_deployment": "Weapons observed",
    "mining": "Mining", "monitor_restriction": "Restriction of monitors",
    "small_arms_fire": "Small-arms fire", "other_violence": "Violence",
}  # fmt: skip
WEAPON_NAMES = {
    "small_arms": "small arms", "light_artillery": "artillery under 100 mm", "tank": "tanks",
    "artillery": "artillery of 100 mm or more", "mlrs": "MLRS",
    "long_range": "long-range MLRS or missiles", "drone": "drones", "aircraft": "aircraft",
}  # fmt: skip
BASES = ["actor", "origin side", "sides only", "unknown actor"]
DAY_US = 86_400_000_000


def take(table: Sequence[str], codes: NDArray[np.integer]) -> pa.Array:
    """Strings of a small table by code."""
    return pa.array(list(table), pa.string()).take(pa.array(np.asarray(codes, dtype=np.int64)))


def one_decimal(values: NDArray[np.float64]) -> pa.Array:
    """Numbers written with one decimal ('42.0'), empty for NaN."""
    tenths = np.round(np.nan_to_num(values, nan=0.0) * 10.0).astype(np.int64)
    whole = pc.cast(pa.array(tenths // 10), pa.string())
    frac = pc.cast(pa.array(tenths % 10), pa.string())
    return pc.binary_join_element_wise(whole, ".", frac, "")


def _what(cols_category: NDArray[np.int16], cols_weapon: NDArray[np.int16]) -> pa.Array:
    phrases = []
    for c in [*CATEGORIES, "unknown"]:
        for w in [*WEAPONS, "unknown"]:
            base = _CATEGORY.get(c, "Event")
            phrases.append(base + (f" with {WEAPON_NAMES[w]}" if w in WEAPON_NAMES else ""))
    return take(phrases, cols_category.astype(np.int64) * (len(WEAPONS) + 1) + cols_weapon)


def _place(distance: NDArray[np.float64], side: pa.Array, radius: NDArray[np.float64],
           precision: NDArray[np.int16]) -> pa.Array:  # fmt: skip
    variant = np.where(np.isnan(distance), 0, np.where(np.asarray(pc.equal(side, "")), 1, 2))
    prefix = take([" at an unknown place", " on the line of contact", " "], variant)
    number = pc.if_else(pa.array(variant == 2), one_decimal(distance), "")
    middle = take(["", "", " km from the line on the "], variant)
    after = take(["", "", " side"], variant)
    side_text = pc.if_else(pa.array(variant == 2), side, "")
    located = pc.binary_join_element_wise(
        " (located to ", take([*LOCATION_PRECISIONS, "an area"], precision), ", ±",
        pc.cast(pa.array(np.round(radius).astype(np.int64)), pa.string()), " km)", "",
    )  # fmt: skip
    located = pc.if_else(pa.array(radius > 0), located, "")
    return pc.binary_join_element_wise(prefix, number, middle, side_text, after, located, "")


def _who(party: pa.Array, basis: NDArray[np.int8], actor: pa.Array) -> pa.Array:
    head = take([", by ", ", by ", ", unattributed (the source names the sides, not who acted)",
                 ", unattributed (actor unknown)"], basis)  # fmt: skip
    named = pc.if_else(pa.array(basis <= 1), party, "")
    actor_text = pc.binary_join_element_wise(" (actor '", pc.fill_null(actor, ""), "')", "")
    origin_text = pc.binary_join_element_wise(" (fire came from the ", party, " side of the line)", "")
    tail = pc.if_else(pa.array(basis == 0), actor_text, pc.if_else(pa.array(basis == 1), origin_text, ""))
    return pc.binary_join_element_wise(head, named, tail, "")


def _condition(prep: PreparedAgreement, hits: Hits, party: pa.Array) -> pa.Array | str:
    where = hits.rule.rule.where
    maybe = take(["", "possibly ", ""], hits.place)
    labels = [*prep.parties, ""]
    if where.zone is not None:
        zone = prep.zones[prep.zone_index[where.zone]]
        article = f" ({zone.article})" if zone.article else ""
        if isinstance(zone, SecurityZone):
            weapons = ", ".join(WEAPON_NAMES.get(str(w), str(w)) for w in zone.weapon_classes)
            owner = take([f"{p}'s " if p else "a " for p in labels], hits.zone_party)
            text = f"{zone.distance_km:g} km security zone for {weapons}{article}"
            return pc.binary_join_element_wise(", ", maybe, "inside ", owner, text, "")
        if isinstance(zone, BufferZone):
            text = f"inside the {zone.width_km:g} km buffer ({zone.name}){article}"
        else:
            assert isinstance(zone, AreaZone)
            text = f"inside the {zone.name}{article}"
        return pc.binary_join_element_wise(", ", maybe, text, "")
    if where.beyond_km is not None:
        return pc.binary_join_element_wise(", ", maybe, f"more than {where.beyond_km:g} km from the line", "")
    if where.across_line is not None:
        return pc.binary_join_element_wise(", ", maybe, "on the other side of the line from ", party, "")
    return ""


def _start_label(prep: PreparedAgreement, hits: Hits) -> str:
    after = hits.rule.rule.when.after
    if isinstance(after, PhaseTime):
        phase = prep.agreement.phase(after.phase)
        return f"the {'deadline' if after.at == 'end' else 'start'} of '{phase.name}'"
    if after == "entry_into_force":
        return "entry into force"
    return f"{prep.time(after).isoformat()}"


def _when(prep: PreparedAgreement, hits: Hits, start: NDArray[np.int64]) -> pa.Array:
    label = _start_label(prep, hits)
    delta = start - hits.rule.after_us
    days = delta // DAY_US
    hours = delta // 3_600_000_000
    minutes = delta // 60_000_000
    amount = np.where(days >= 1, days, np.where(hours >= 1, hours, np.maximum(minutes, 0)))
    unit = np.where(days >= 1, 0, np.where(hours >= 1, 2, 4)) + (amount != 1)
    certain = pc.binary_join_element_wise(
        ", ", pc.cast(pa.array(amount), pa.string()),
        take([" day", " days", " hour", " hours", " minute", " minutes"], unit), f" after {label}", "",
    )  # fmt: skip
    return pc.if_else(pa.array(hits.time == 2), certain, f", possibly after {label} (dated imprecisely)")


@dataclass(frozen=True)
class Facts:
    """The values of the violations of one rule that the sentence is made of."""

    category: NDArray[np.int16]
    weapon: NDArray[np.int16]
    distance: NDArray[np.float64]
    side: pa.Array
    radius: NDArray[np.float64]
    precision: NDArray[np.int16]
    party: pa.Array
    basis: NDArray[np.int8]
    actor: pa.Array
    start: NDArray[np.int64]


def explain(prep: PreparedAgreement, hits: Hits, facts: Facts) -> pa.Array:
    """One sentence per violation of one rule, with the values behind it."""
    rule = hits.rule.rule
    pieces = [
        _what(facts.category, facts.weapon),
        _place(facts.distance, facts.side, facts.radius, facts.precision),
        _who(facts.party, facts.basis, facts.actor),
        _condition(prep, hits, facts.party),
        _when(prep, hits, facts.start),
        f"; breaks '{rule.title}' ({rule.article})",
    ]
    return pc.binary_join_element_wise(*pieces, "")
