"""Candidate pairs: reports close enough in time and space to be the same occurrence.

A report is an interval in time and a disc in space (its point and precision radius). A pair
is a candidate when the intervals are at most `max_time_gap_h` apart, and the points are at
most `max_distance_km` apart or one point lies in the other report's disc: distance <=
max(max_distance_km, radius_a, radius_b). (An imprecise report's point is a named place near
the occurrence, so two reports of one occurrence name places within the wider radius.)
No pair is enumerated blindly: reports are processed in time slabs; inside a slab they are
grouped by precision class (radius and interval width), and each pair of classes is searched
with a box just large enough for the widest reports of those two classes (a grid of cells
swept in time, compiled), each pair in it tested exactly. Cost grows with the
number of nearby pairs, not with n squared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ceasefire.incidents.config import CandidateConfig
from ceasefire.incidents.reports import EARTH_RADIUS_KM, Reports, sphere_km

Index = NDArray[np.int64]
RADIUS_BINS_KM = (0.5, 3.0, 10.0, 25.0)
WIDTH_BINS_H = (1.0, 26.0, 74.0)


@dataclass(frozen=True)
class Mergeable:
    """Which reports may be merged automatically, and why the others may not."""

    mask: NDArray[np.bool_]
    no_place: NDArray[np.bool_]
    too_wide: NDArray[np.bool_]
    too_long: NDArray[np.bool_]


def mergeable(reports: Reports, config: CandidateConfig) -> Mergeable:
    """Reports with coordinates, within the radius and interval limits."""
    no_place = ~reports.located()
    too_wide = reports.radius > config.max_radius_km
    too_long = (reports.end - reports.start) > config.max_interval_h * 3600
    return Mergeable(~(no_place | too_wide | too_long), no_place, too_wide, too_long)


def _classes(reports: Reports, index: Index) -> NDArray[np.int64]:
    """Precision class of each report: radius bin x interval-width bin."""
    radius_bin = np.searchsorted(RADIUS_BINS_KM, reports.radius[index])
    width_h = (reports.end[index] - reports.start[index]) / 3600.0
    width_bin = np.searchsorted(WIDTH_BINS_H, width_h)
    classes: NDArray[np.int64] = radius_bin * (len(WIDTH_BINS_H) + 1) + width_bin
    return classes


def exact_filter(
    reports: Reports, a: Index, b: Index, config: CandidateConfig, xyz: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Pairs that meet the time-gap and distance limits exactly (great-circle distance, from
    the chord between the points on the sphere)."""
    gap = np.maximum(reports.start[b] - reports.end[a], reports.start[a] - reports.end[b])
    ok = gap <= config.max_time_gap_h * 3600
    reach = np.maximum(config.max_distance_km, np.maximum(reports.radius[a], reports.radius[b]))
    chord_limit = 2 * EARTH_RADIUS_KM * np.sin(np.minimum(reach / (2 * EARTH_RADIUS_KM), np.pi / 2))
    chord2 = (xyz[0][a] - xyz[0][b]) ** 2 + (xyz[1][a] - xyz[1][b]) ** 2
    chord2 += (xyz[2][a] - xyz[2][b]) ** 2
    result: NDArray[np.bool_] = ok & (chord2 <= chord_limit**2 * (1 + 1e-12))
    return result


def _cells(points: NDArray[np.float64], half: float, stride: int) -> NDArray[np.int64]:
    """Key of each point's grid cell (side `half`) in x, y, z."""
    cell = np.floor(points[:, :3] / half).astype(np.int64) + stride // 2
    keys: NDArray[np.int64] = (cell[:, 0] * stride + cell[:, 1]) * stride + cell[:, 2]
    return keys


def _rows(
    reports: Reports, index: Index, xyz: NDArray[np.float64], t: NDArray[np.float64],
    half: float, stride: int,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:  # fmt: skip
    """Cell keys (cells of side `half`, at least the search box's) and rows (x, y, z, t, start,
    end, radius, index) of some reports, sorted by cell then t."""
    rows = np.column_stack([
        xyz[:, index].T, t, reports.start[index], reports.end[index], reports.radius[index],
        index,
    ]).astype(np.float64)  # fmt: skip
    cells = _cells(rows, half, stride)
    order = np.lexsort((rows[:, 3], cells))
    return cells[order], np.ascontiguousarray(rows[order])


def _slab_pairs(
    reports: Reports,
    members: Index,
    xyz: NDArray[np.float64],
    mid: NDArray[np.float64],
    config: CandidateConfig,
) -> tuple[Index, Index]:
    """All candidate pairs among one slab's reports (indices into reports), exactly within
    the limits (ceasefire.incidents.kernels.near_pairs: a grid of cells in space, swept in
    time, per pair of precision classes with the box of their widest reports)."""
    from ceasefire.incidents.kernels import near_pairs

    classes = _classes(reports, members)
    base = float(mid[members].min())
    reach_km = float(np.abs(xyz[:, members]).max()) if len(members) else 0.0
    found_a: list[Index] = []
    found_b: list[Index] = []
    present = np.unique(classes)
    for ci_pos, ci in enumerate(present):
        in_i = members[classes == ci]
        for cj in present[ci_pos:]:
            in_j = members[classes == cj] if cj != ci else in_i
            radius = max(reports.radius[in_i].max(), reports.radius[in_j].max())
            half_width_s = (
                (reports.end[in_i] - reports.start[in_i]).max()
                + (reports.end[in_j] - reports.start[in_j]).max()
            ) / 2.0
            space = max(config.max_distance_km, radius) + 1e-6
            time_s = config.max_time_gap_h * 3600 + half_width_s + 1.0
            scale = space / time_s
            side = max(space, reach_km / 2**19)  # cells no smaller than the box: keys fit int64
            stride = 2 * int(reach_km / side) + 8
            cells_i, rows_i = _rows(reports, in_i, xyz, (mid[in_i] - base) * scale, side, stride)
            if cj == ci:
                cells_j, rows_j = cells_i, rows_i
            else:
                t_j = (mid[in_j] - base) * scale
                cells_j, rows_j = _rows(reports, in_j, xyz, t_j, side, stride)
            a, b = near_pairs(
                cells_i, rows_i, cells_j, rows_j, space, stride, cj == ci,
                config.max_time_gap_h * 3600.0, float(config.max_distance_km), EARTH_RADIUS_KM,
            )  # fmt: skip
            found_a.append(a)
            found_b.append(b)
    if not found_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(found_a), np.concatenate(found_b)


@dataclass(frozen=True)
class Slabs:
    """The reports that may merge, sorted by interval midpoint, cut into time slabs: each slab
    is (lo, hi_core, hi) into `order`: its own reports [lo, hi_core), and those after it that
    its reports can still meet [hi_core, hi)."""

    order: Index
    rank: Index
    mid: NDArray[np.float64]
    xyz: NDArray[np.float64]
    bounds: list[tuple[int, int, int]]


def slabs(reports: Reports, config: CandidateConfig, allowed: NDArray[np.bool_]) -> Slabs:
    """Cut the mergeable reports into time slabs of config.slab_days."""
    index = np.flatnonzero(allowed).astype(np.int64)
    mid = (reports.start.astype(np.float64) + reports.end.astype(np.float64)) / 2.0
    order = index[np.lexsort((index, mid[index]))]
    rank = np.empty(len(reports), dtype=np.int64)
    rank[order] = np.arange(len(order))
    xyz = np.zeros((3, len(reports)))
    xyz[:, index] = sphere_km(reports.lon[index], reports.lat[index]).T
    bounds: list[tuple[int, int, int]] = []
    if len(index) >= 2:
        widths = reports.end[index] - reports.start[index]
        reach_s = config.max_time_gap_h * 3600 + float(widths.max()) + 1.0
        slab_s = config.slab_days * 86400.0
        sorted_mid = mid[order]
        first = float(sorted_mid[0])
        while True:
            lo = int(np.searchsorted(sorted_mid, first, side="left"))
            core_end = first + slab_s
            hi_core = int(np.searchsorted(sorted_mid, core_end, side="left"))
            hi = int(np.searchsorted(sorted_mid, core_end + reach_s, side="right"))
            bounds.append((lo, hi_core, hi))
            if hi_core >= len(order):
                break
            first = max(core_end, float(sorted_mid[hi_core]))
    return Slabs(order, rank, mid, xyz, bounds)


def slab_candidates(
    reports: Reports, config: CandidateConfig, cut: Slabs, bounds: tuple[int, int, int]
) -> tuple[Index, Index]:
    """The candidate pairs (a < b) owned by one slab: those whose earlier member is in it."""
    lo, hi_core, hi = bounds
    a, b = _slab_pairs(reports, cut.order[lo:hi], cut.xyz, cut.mid, config)  # exact already
    earlier = np.minimum(cut.rank[a], cut.rank[b])
    keep = (earlier < hi_core) & (a != b)  # class pairs are disjoint: no repeats
    return np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])


def candidate_pairs(
    reports: Reports, config: CandidateConfig, allowed: NDArray[np.bool_] | None = None
) -> Iterator[tuple[Index, Index]]:
    """Candidate pairs (a < b, indices into reports), one time slab at a time. Each pair is
    yielded once: by the slab that holds the earlier of its two interval midpoints."""
    allowed = mergeable(reports, config).mask if allowed is None else allowed
    cut = slabs(reports, config, allowed)
    for bounds in cut.bounds:
        yield slab_candidates(reports, config, cut, bounds)
