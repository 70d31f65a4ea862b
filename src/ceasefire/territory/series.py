"""A series of control maps: areas on every date and the change between consecutive dates,
computed in threads (Shapely 2 releases the GIL in its geometry operations)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
import shapely

from ceasefire.territory.areas import area_table, map_areas
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
    """Areas of every map and changes between consecutive maps (maps must be sorted)."""
    maps = list(maps)
    _warm_up()
    units = territory_units()
    projection = region_projection()
    workers = workers or default_workers()

    def prepare(m: ControlMap) -> tuple[pd.DataFrame, MapState]:
        return map_areas(m, units), MapState(m, projection)

    def change(i: int) -> Change:
        return compute_change(states[i], states[i + 1], other, units)

    tables: list[pd.DataFrame] = []
    states: list[MapState] = []
    changes: list[Change] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for table, state in pool.map(prepare, maps):
            tables.append(table)
            states.append(state)
            progress("territory: areas", len(states), len(maps))
        for result in pool.map(change, range(len(maps) - 1)):
            changes.append(result)
            progress("territory: changes", len(changes), len(maps) - 1)
    return Series(maps, area_table(tables), changes)
