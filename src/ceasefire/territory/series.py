"""A series of control maps: areas on every date and the change between consecutive dates,
computed in threads (Shapely 2 releases the GIL in its geometry operations)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from ceasefire.territory.areas import AREA_COLUMNS, area_rows, area_table, unit_areas_km2
from ceasefire.territory.changes import Change, MapState, compute_change
from ceasefire.territory.front import region_projection
from ceasefire.territory.maps import ControlMap
from ceasefire.territory.places import gazetteer
from ceasefire.territory.units import territory_units

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Series:
    """Maps sorted by date, their area table and the change from each map to the next."""

    maps: list[ControlMap]
    areas: pd.DataFrame
    changes: list[Change]


def default_workers() -> int:
    """Threads to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _warm_up() -> None:
    """Build the shared indexes once, before threads read them."""
    units = territory_units()
    units.tree.query(shapely.Point(30, 50))
    gazetteer().tree.query(shapely.Point(30, 50))


def analyse(
    maps: Sequence[ControlMap],
    other: dict[str, str] | None = None,
    *,
    workers: int | None = None,
    progress: Progress = no_progress,
) -> Series:
    """Areas of every map and changes between consecutive maps (maps must be sorted).

    The areas of the first map, of every RESYNC-th map and of a party's first map are
    computed whole; in between, each unit's area is the previous one plus the day's gains
    minus its losses in that unit (the same set arithmetic, without intersecting whole
    units again; rounding stays far below 1 m2)."""
    maps = list(maps)
    _warm_up()
    units = territory_units()
    projection = region_projection()
    workers = workers or default_workers()

    def prepare(m: ControlMap) -> MapState:
        return MapState(m, projection)

    def change(i: int) -> Change:
        return compute_change(states[i], states[i + 1], other, units)

    def measure(i: int) -> dict[str, NDArray[np.float64]]:
        return {p: unit_areas_km2(area, units) for p, area in maps[i].areas.items()}

    with ThreadPoolExecutor(max_workers=workers) as pool:
        states = list(pool.map(prepare, maps))
        progress("territory: maps", len(maps), len(maps))
        changes: list[Change] = []
        for result in pool.map(change, range(len(maps) - 1)):
            changes.append(result)
            progress("territory: changes", len(changes), len(maps) - 1)
        whole = [i for i in range(len(maps)) if _needs_whole(i, maps)]
        measured = dict(zip(whole, pool.map(measure, whole), strict=True))
    rows: list[dict[str, object]] = []
    previous: dict[str, NDArray[np.float64]] = {}
    for i, m in enumerate(maps):
        current = measured.get(i) or {
            party: np.clip(previous[party] + changes[i - 1].deltas[party], 0.0, units.area_km2)
            for party in m.areas
        }
        for party, values in current.items():
            rows.extend(area_rows(m.date, party, values, units))
        previous = current
    progress("territory: areas", len(maps), len(maps))
    table = pd.DataFrame(rows, columns=AREA_COLUMNS)
    return Series(maps, area_table([table]), changes)


RESYNC = 64


def _needs_whole(i: int, maps: list[ControlMap]) -> bool:
    """Whether map i's areas are computed whole rather than carried from map i-1."""
    return i % RESYNC == 0 or any(p not in maps[i - 1].areas for p in maps[i].areas)
