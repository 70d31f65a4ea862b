"""Readable explanations of violations, built column-wise (no loop per event): what
happened, where relative to the line, by whom and on what basis, which zone or place
condition, when relative to the rule's start, and the rule and article broken.

Every varying piece is a lookup in a small table of phrases (numbers too: one decimal for
distances, whole numbers for radii and delays): a sentence is a few codes into phrase
tables, written out once by ceasefire.adjudicate.phrases, e.g. "Shelling with MLRS 42.0 km
from the line on the RU side, by RU (actor 'Military Forces of Russia (2000-)'), inside
RU's 70 km security zone for MLRS (Art. 4), 3 days after the deadline of 'Withdrawal ...';
breaks 'MLRS withdrawn 70 km' (Art. 4)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from ceasefire.adjudicate.phrases import Phrase, phrase
from ceasefire.adjudicate.prepared import (
    CATEGORIES,
    LOCATION_PRECISIONS,
    WEAPONS,
    PreparedAgreement,
)
from ceasefire.adjudicate.rules import Hits
from ceasefire.agreement.model import AreaZone, BufferZone, PhaseTime, SecurityZone

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
}
WEAPON_NAMES = {
    "small_arms": "small arms",
    "light_artillery": "artillery under 100 mm",
    "tank": "tanks",
    "artillery": "artillery of 100 mm or more",
    "mlrs": "MLRS",
    "long_range": "long-range MLRS or missiles",
    "drone": "drones",
    "aircraft": "aircraft",
}
BASES = ["actor", "origin side", "sides only", "unknown actor"]
DAY_US = 86_400_000_000
_TENTHS = 50_000  # distances up to 5,000 km are written from the table


def take(table: Sequence[str], codes: NDArray[np.integer]) -> pa.Array:
    """Strings of a small table by code."""
    return pa.array(list(table), pa.string()).take(pa.array(np.asarray(codes, dtype=np.int64)))


@cache
def _tenths() -> pa.Array:
    """'0.0', '0.1', ... and '' last."""
    return pa.array([f"{i / 10:.1f}" for i in range(_TENTHS)] + [""], pa.string())


def _number(table: pa.Array, index: NDArray[np.float64], show: NDArray[np.bool_]) -> Phrase:
    size = len(table) - 1
    return table, np.where(show & (index >= 0) & (index < size), index, size).astype(np.int64)


@cache
def _what_table() -> tuple[str, ...]:
    phrases = []
    for c in [*CATEGORIES, "unknown"]:
        for w in [*WEAPONS, "unknown"]:
            base = _CATEGORY.get(c, "Event")
            phrases.append(base + (f" with {WEAPON_NAMES[w]}" if w in WEAPON_NAMES else ""))
    return tuple(phrases)


@dataclass(frozen=True)
class Facts:
    """The values of events that their sentences are made of."""

    category: NDArray[np.int16]
    weapon: NDArray[np.int16]
    distance: NDArray[np.float64]
    side: NDArray[np.int8]  # 0 on the line or unknown, 1 left, 2 right
    side_labels: tuple[str, str]
    radius: NDArray[np.float64]
    precision: NDArray[np.int16]
    party: NDArray[np.int16]
    parties: list[str]
    basis: NDArray[np.int8]
    actor: pa.Array


def combos(parts: Sequence[tuple[NDArray[np.integer], Sequence[str]]]) -> Phrase:
    """One part made of small-vocabulary parts (codes into phrase tables): each distinct
    combination present is written once, and each row gets its code."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for codes, table in parts:
        key = key * len(table) + np.asarray(codes, dtype=np.int64)
    inverse, unique = pd.factorize(key, sort=False)
    digits = []
    rest = unique.copy()
    for _, table in reversed(parts):
        digits.append(rest % len(table))
        rest //= len(table)
    tables = [table for _, table in parts]
    columns = [d.tolist() for d in reversed(digits)]
    written = [
        "".join(t[c] for t, c in zip(tables, row, strict=True))
        for row in zip(*columns, strict=True)
    ]
    return pa.array(written, pa.string()), np.asarray(inverse, dtype=np.int64)


def event_text(facts: Facts) -> list[Phrase]:
    """The parts of the sentence about the event: what, where, by whom."""
    known = ~np.isnan(facts.distance)
    variant = np.where(known, np.where(facts.side == 0, 1, 1 + facts.side), 0)
    left, right = facts.side_labels
    heads = [" at an unknown place", " on the line of contact", " ", " "]
    what = [w + h for w in _what_table() for h in heads]
    code = (facts.category.astype(np.int64) * (len(WEAPONS) + 1) + facts.weapon) * 4 + variant
    tenths = np.round(np.nan_to_num(facts.distance) * 10.0)
    number = _number(_tenths(), tenths, variant >= 2)
    tails = [
        "",
        "",
        f" km from the line on the {left} side",
        f" km from the line on the {right} side",
    ]
    located = facts.radius > 0
    places = [f" (located to {p}, ±" for p in [*LOCATION_PRECISIONS, "an area"]] + [""]
    loc = np.where(located, facts.precision, len(places) - 1)
    radius_values, radius_code = np.unique(
        np.round(facts.radius).astype(np.int64), return_inverse=True
    )
    radii = [f"{r} km)" for r in radius_values.tolist()]
    names = [*facts.parties, ""]
    who_table = []
    for basis in range(4):
        for p in names:
            who_table.append(
                [
                    f", by {p} (actor '",
                    f", by {p} (fire came from the {p} side of the line)",
                    ", unattributed (the source names the sides, not who acted)",
                    ", unattributed (actor unknown)",
                ][basis]
            )
    actors = pc.dictionary_encode(pc.fill_null(facts.actor, ""))
    actor_names = [str(a) for a in actors.dictionary.to_pylist()]
    by_actor = facts.basis == 0
    actor_code = np.where(by_actor, np.asarray(actors.indices), len(actor_names))
    rest = combos(
        [
            (variant * len(places) + loc, [t + p for t in tails for p in places]),
            (np.where(located, radius_code, len(radii)), [*radii, ""]),
            (facts.basis.astype(np.int64) * len(names) + facts.party, who_table),
            (actor_code, [f"{a}')" for a in actor_names] + [""]),
        ]
    )
    return [phrase(what, code), number, rest]


def _condition(
    prep: PreparedAgreement, hits: Hits, party: NDArray[np.int16]
) -> tuple[NDArray[np.int64], list[str]]:
    """Codes into a table of phrases for the rule's place condition."""
    where = hits.rule.rule.where
    names = [*prep.parties, ""]
    maybe = ["", "possibly ", ""]
    place = hits.place.astype(np.int64)
    if where.zone is not None:
        zone = prep.zones[prep.zone_index[where.zone]]
        article = f" ({zone.article})" if zone.article else ""
        if isinstance(zone, SecurityZone):
            weapons = ", ".join(WEAPON_NAMES.get(str(w), str(w)) for w in zone.weapon_classes)
            text = f"{zone.distance_km:g} km security zone for {weapons}{article}"
            owners = [p + "'s" if p else "a" for p in names]
            ranges, which = np.unique(hits.reach, return_inverse=True)
            how = [
                f" (where the weapon stood: within its {r:g} km range of where the fire landed)"
                if r > 0
                else ""
                for r in ranges.tolist()
            ]
            table = [f", {m}inside {o} {text}{h}" for m in maybe for o in owners for h in how]
            code = (place * len(names) + hits.zone_party) * len(how) + which.reshape(-1)
            return code, table
        if isinstance(zone, BufferZone):
            text = f"inside the {zone.width_km:g} km buffer ({zone.name}){article}"
        else:
            assert isinstance(zone, AreaZone)
            text = f"inside the {zone.name}{article}"
        return place, [f", {m}{text}" for m in maybe]
    if where.beyond_km is not None:
        return place, [f", {m}more than {where.beyond_km:g} km from the line" for m in maybe]
    if where.across_line is not None:
        table = [f", {m}on the other side of the line from {p}" for m in maybe for p in names]
        return place * len(names) + party[hits.events], table
    return np.zeros(len(place), dtype=np.int64), [""]


def _start_label(prep: PreparedAgreement, hits: Hits) -> str:
    after = hits.rule.rule.when.after
    if isinstance(after, PhaseTime):
        phase = prep.agreement.phase(after.phase)
        return f"the {'deadline' if after.at == 'end' else 'start'} of '{phase.name}'"
    if after == "entry_into_force":
        return "entry into force"
    return f"{prep.time(after).isoformat()}"


def rule_text(
    prep: PreparedAgreement, hits: Hits, party: NDArray[np.int16], start: NDArray[np.int64]
) -> Phrase:
    """The part about the rule: the place condition, the time, the rule and article
    (`party`: the acting party code of every event of the batch)."""
    rule = hits.rule.rule
    label = _start_label(prep, hits)
    delta = start - hits.rule.after_us
    days, hours, minutes = delta // DAY_US, delta // 3_600_000_000, delta // 60_000_000
    amount = np.where(days >= 1, days, np.where(hours >= 1, hours, np.maximum(minutes, 0)))
    certain = hits.time == 2
    unit = np.where(days >= 1, 0, np.where(hours >= 1, 2, 4)) + (amount != 1)
    units = ["day", "days", "hour", "hours", "minute", "minutes"]
    amount_code, amounts = pd.factorize(np.where(certain, amount, -1))
    when = [
        f", {a} " if a >= 0 else f", possibly after {label} (dated imprecisely)"
        for a in amounts.tolist()
    ]
    condition, table = _condition(prep, hits, party)
    tail = f"; breaks '{rule.title}' ({rule.article})"
    return combos(
        [
            (condition, table),
            (amount_code, when),
            (
                np.where(certain, unit, len(units)),
                [f"{u} after {label}{tail}" for u in units] + [tail],
            ),
        ]
    )
