"""The difference of two versions of one area, computed only where their outlines differ.

Daily control maps change in a few places: most of the outline is the same vertices as the
day before. The symmetric difference of two polygons is bounded by the segments that are not
in both outlines, so it lies in the bounding boxes of those segments (merged until disjoint);
clipping both polygons to each box and differencing the small pieces gives exactly the full
difference, at a fraction of the cost. When most of the outline changed (a redrawn map), the
full difference is computed.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry.base import BaseGeometry

MARGIN_DEG = 1e-6
FULL_ABOVE = 0.3  # share of differing segments above which the whole areas are differenced
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5], dtype=np.uint64)  # fmt: skip


class Outline:
    """The segments of an area's outline, ends ordered, with a 64-bit key each (sorted)."""

    def __init__(self, area: BaseGeometry) -> None:
        rings = shapely.get_rings(shapely.get_parts(area))
        coords, ring_of = shapely.get_coordinates(rings, return_index=True)
        same = ring_of[1:] == ring_of[:-1]
        p, q = coords[:-1][same], coords[1:][same]
        swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
        first = np.where(swap[:, None], q, p)
        second = np.where(swap[:, None], p, q)
        seg = np.ascontiguousarray(np.hstack([first, second]))
        bits = seg.view(np.uint64)
        with np.errstate(over="ignore"):
            mixed = bits * _MIX
            key = mixed[:, 0] ^ (mixed[:, 1] >> np.uint64(7)) ^ (mixed[:, 2] << np.uint64(3))
            key ^= mixed[:, 3] >> np.uint64(11)
        order = np.argsort(key, kind="stable")
        self.segments = seg[order]
        self.keys = key[order]

    def __len__(self) -> int:
        return len(self.keys)

    def not_in(self, other: Outline) -> NDArray[np.bool_] | None:
        """Which of these segments the other outline lacks; None if a key matched segments
        with different coordinates (a hash collision) or repeats."""
        if not len(other):
            return np.ones(len(self), dtype=bool)
        pos = np.minimum(np.searchsorted(other.keys, self.keys), len(other) - 1)
        found = other.keys[pos] == self.keys
        if not np.array_equal(self.segments[found], other.segments[pos[found]]):
            return None
        if len(np.unique(pos[found])) != int(found.sum()):
            return None
        return np.asarray(~found, dtype=bool)


def _merge(bounds: NDArray[np.float64]) -> NDArray[np.float64]:
    """Boxes (xmin, ymin, xmax, ymax) merged until none intersects another."""
    while True:
        boxes = shapely.box(*bounds.T)
        left, right = shapely.STRtree(boxes).query(boxes, predicate="intersects")
        n = len(bounds)
        groups, label = connected_components(
            coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n)), directed=False
        )
        if groups == n:
            return bounds
        merged = np.empty((groups, 4))
        merged[:, :2], merged[:, 2:] = np.inf, -np.inf
        np.minimum.at(merged[:, 0], label, bounds[:, 0])
        np.minimum.at(merged[:, 1], label, bounds[:, 1])
        np.maximum.at(merged[:, 2], label, bounds[:, 2])
        np.maximum.at(merged[:, 3], label, bounds[:, 3])
        bounds = merged


def changed_windows(
    before: BaseGeometry | Outline, after: BaseGeometry | Outline
) -> NDArray[np.float64] | None:
    """Disjoint boxes holding every place where the two outlines differ (an empty array when
    they are the same), or None when most of the outline differs."""
    old = before if isinstance(before, Outline) else Outline(before)
    new = after if isinstance(after, Outline) else Outline(after)
    total = len(old) + len(new)
    only_old, only_new = old.not_in(new), new.not_in(old)
    if total == 0 or only_old is None or only_new is None:
        return None
    if (only_old.sum() + only_new.sum()) > FULL_ABOVE * total:
        return None
    differing = np.vstack([old.segments[only_old], new.segments[only_new]])
    if not len(differing):
        return np.zeros((0, 4))
    bounds = np.column_stack([
        np.minimum(differing[:, 0], differing[:, 2]) - MARGIN_DEG,
        np.minimum(differing[:, 1], differing[:, 3]) - MARGIN_DEG,
        np.maximum(differing[:, 0], differing[:, 2]) + MARGIN_DEG,
        np.maximum(differing[:, 1], differing[:, 3]) + MARGIN_DEG,
    ])  # fmt: skip
    return _merge(bounds)


def difference_both_ways(
    before: BaseGeometry, after: BaseGeometry, windows: NDArray[np.float64] | str | None = "find"
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Pieces of (after - before) and of (before - after), gained and lost area, one per
    window (found from the outlines unless given; None: one piece, computed everywhere)."""
    if isinstance(windows, str):
        windows = changed_windows(before, after)
    if windows is None:
        gained, lost = shapely.difference(after, before), shapely.difference(before, after)
        return np.array([gained], dtype=object), np.array([lost], dtype=object)
    if not len(windows):
        return np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    boxes = shapely.box(*windows.T)
    old = shapely.intersection(before, boxes)
    new = shapely.intersection(after, boxes)
    return (
        np.asarray(shapely.difference(new, old), dtype=object),
        np.asarray(shapely.difference(old, new), dtype=object),
    )
