"""The side a field report's fire came from: the area of origin (the bearing sector from the
observer, or the event's own area when it locates the origin) wholly on one side of the line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from ceasefire.adjudicate.columns import Columns, floats
from ceasefire.adjudicate.measure import LineArea
from ceasefire.adjudicate.prepared import PreparedLine
from ceasefire.adjudicate.sides import LEFT, ON_LINE_KM, RIGHT
from ceasefire.geo.projection import GEOD

_ARC_STEPS = 13


def sector_polygons(
    observer_lon: np.ndarray,
    observer_lat: np.ndarray,
    bearing: np.ndarray,
    spread: np.ndarray,
    dmin: np.ndarray,
    dmax: np.ndarray,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rings (n, 2 * steps + 1) of lon and lat around each sector, geodesic arcs sampled."""
    n = len(bearing)
    steps = np.linspace(-1.0, 1.0, _ARC_STEPS)[None, :]
    azimuth = bearing[:, None] + spread[:, None] * steps
    olon = np.repeat(observer_lon[:, None], _ARC_STEPS, axis=1)
    olat = np.repeat(observer_lat[:, None], _ARC_STEPS, axis=1)
    far_lon, far_lat, _ = GEOD.fwd(
        olon, olat, azimuth, np.repeat(dmax[:, None], _ARC_STEPS, 1) * 1000
    )
    near_lon, near_lat, _ = GEOD.fwd(
        olon, olat, azimuth, np.repeat(dmin[:, None], _ARC_STEPS, 1) * 1000
    )
    lon = np.concatenate([far_lon, near_lon[:, ::-1], far_lon[:, :1]], axis=1).reshape(n, -1)
    lat = np.concatenate([far_lat, near_lat[:, ::-1], far_lat[:, :1]], axis=1).reshape(n, -1)
    return lon, lat


def origin_side(
    line: PreparedLine, batch: pd.DataFrame, cols: Columns, area: LineArea, ask: NDArray[np.bool_]
) -> NDArray[np.int8]:
    """Side code (1 left, 2 right; 0: straddles or unknown) of the area of origin of each
    event in `ask` that locates the origin of fire (located == 'origin')."""
    side = np.zeros(cols.n, dtype=np.int8)
    olon, olat = floats(batch, "observer_lon"), floats(batch, "observer_lat")
    bearing, spread = floats(batch, "bearing_deg"), floats(batch, "bearing_spread_deg")
    dmin, dmax = floats(batch, "distance_min_km"), floats(batch, "distance_max_km")
    asked = ask & cols.origin
    sector = (
        asked & np.isfinite(olon) & np.isfinite(olat) & np.isfinite(bearing) & np.isfinite(dmax)
    )
    # the event's own area: one side only when it reaches neither the line nor a change
    own = np.flatnonzero(asked & ~sector & ((area.sides == LEFT) | (area.sides == RIGHT)))
    side[own] = area.sides[own]
    idx = np.flatnonzero(sector)
    if len(idx) == 0:
        return side
    spread_deg = np.clip(np.nan_to_num(spread[idx], nan=0.0), 0.0, 180.0)
    near = np.clip(np.nan_to_num(dmin[idx], nan=0.0), 0.0, dmax[idx])
    far = dmax[idx]
    # a disk around the sector's middle that holds the whole sector (flat, with slack)
    middle = (near + far) / 2.0
    mid_lon, mid_lat, _ = GEOD.fwd(olon[idx], olat[idx], bearing[idx], middle * 1000.0)
    mid_lon, mid_lat = np.asarray(mid_lon, float), np.asarray(mid_lat, float)
    half = np.radians(spread_deg)
    reach = np.max(
        [np.hypot(d * np.sin(half), d * np.cos(half) - middle) for d in (near, far)], axis=0
    )
    reach = np.maximum(reach, (far - near) / 2.0) * 1.01 + 0.05
    x, y = line.projected.projection.forward(mid_lon, mid_lat)
    measured = line.projected.measure_xy(x, y)
    mid_side = line.sides.sides(mid_lon, mid_lat, measured.side)
    line_close = measured.distance_km <= reach + ON_LINE_KM
    change_close = ~line.sides.clear_of_changes(
        mid_lon, mid_lat, x, y, reach, np.ones(len(idx), bool)
    )
    clear = ~line_close & ~change_close
    side[idx] = np.where(clear, mid_side, 0)
    close = np.flatnonzero(~clear)
    if len(close):
        side[idx[close]] = _sector_side(
            line,
            olon[idx][close],
            olat[idx][close],
            bearing[idx][close],
            spread_deg[close],
            near[close],
            far[close],
            mid_side[close],
            line_close[close],
            change_close[close],
        )
    return side


def _sector_side(
    line: PreparedLine,
    olon: np.ndarray,
    olat: np.ndarray,
    bearing: np.ndarray,
    spread_deg: np.ndarray,
    near: np.ndarray,
    far: np.ndarray,
    mid_side: NDArray[np.int8],
    line_close: NDArray[np.bool_],
    change_close: NDArray[np.bool_],
) -> NDArray[np.int8]:
    """The side of sectors near the line or a change of side, from their polygons (0 when
    they reach either; each is tested only where the disk round the sector reaches it)."""
    lon, lat = sector_polygons(olon, olat, bearing, spread_deg, near, far)
    projection = line.projected.projection
    x, y = projection.forward(lon.ravel(), lat.ravel())
    rings = np.stack([x.reshape(lon.shape), y.reshape(lon.shape)], axis=-1)
    polygons = shapely.polygons(rings)
    # the chords of the sampled arcs cut inside the arc by at most this much
    step = np.radians(2.0 * spread_deg / (_ARC_STEPS - 1))
    slack = far * 1000.0 * (1.0 - np.cos(step / 2.0)) + ON_LINE_KM * 1000.0
    crosses = np.zeros(len(polygons), dtype=bool)
    ask = np.flatnonzero(line_close)  # only where the disk round the sector reaches it
    crosses[ask] = shapely.dwithin(line.projected.shape, polygons[ask], slack[ask])
    ask = np.flatnonzero(change_close & ~crosses)
    if len(ask) and not line.sides.changes_xy.is_empty:
        crosses[ask] = shapely.dwithin(line.sides.changes_xy, polygons[ask], slack[ask])
    return np.where(crosses, 0, mid_side).astype(np.int8)
