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
from ceasefire.territory.units import TerritoryUnits, territory_units

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


def _touched(units: TerritoryUnits, windows: NDArray[np.float64] | None) -> NDArray[np.intp] | None:
    """Units whose bounding box meets a window (None: all of them)."""
    if windows is None:
        return None
    if not len(windows):
        return np.zeros(0, dtype=np.intp)
    return np.unique(units.tree.query(shapely.box(*windows.T))[1])


def analyse(
    maps: Sequence[ControlMap],
    other: dict[str, str] | None = None,
    *,
    workers: int | None = None,
    progress: Progress = no_progress,
) -> Series:
    """Areas of every map and changes between consecutive maps (maps must be sorted).

    A unit's area is computed again only where the party's outline changed near it since
    the previous map; elsewhere the area is the same set as the day before, and its area is
    carried over (the change boxes are exact: see diff.py)."""
    maps = list(maps)
    _warm_up()
    units = territory_units()
    projection = region_projection()
    workers = workers or default_workers()

    def prepare(m: ControlMap) -> MapState:
        return MapState(m, projection)

    def change(i: int) -> tuple[Change, dict[str, NDArray[np.float64] | None]]:
        windows = states[i].windows(states[i + 1])
        return compute_change(states[i], states[i + 1], other, units, windows), windows

    def measure(i: int) -> dict[str, NDArray[np.float64]]:
        before = pair_windows[i - 1] if i > 0 else {}
        return {
            party: unit_areas_km2(area, units, _touched(units, before.get(party)))
            for party, area in maps[i].areas.items()
        }

    states: list[MapState] = []
    changes: list[Change] = []
    pair_windows: list[dict[str, NDArray[np.float64] | None]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        states = list(pool.map(prepare, maps))
        progress("territory: maps", len(maps), len(maps))
        for result, windows in pool.map(change, range(len(maps) - 1)):
            changes.append(result)
            pair_windows.append(windows)
            progress("territory: changes", len(changes), len(maps) - 1)
        partial = list(pool.map(measure, range(len(maps))))
    rows: list[dict[str, object]] = []
    previous: dict[str, NDArray[np.float64]] = {}
    for done, (m, areas) in enumerate(zip(maps, partial, strict=True), start=1):
        for party, values in areas.items():
            if np.isnan(values).any():
                values = np.where(np.isnan(values), previous[party], values)
            previous[party] = values
            rows.extend(area_rows(m.date, party, values, units))
        progress("territory: areas", done, len(maps))
    table = pd.DataFrame(rows, columns=AREA_COLUMNS)
    return Series(maps, area_table([table]), changes)
