"""An agreement prepared once for checking many events: projected lines, side rules, zone
areas, rules compiled to lookup tables over integer codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.adjudicate.sides import BOTH, LEFT, RIGHT, SideRule
from ceasefire.agreement.model import Agreement, AreaZone, Line, Rule, Zone
from ceasefire.attribution import PartyResolver
from ceasefire.geo.grid import BUILD_LOCK
from ceasefire.geo.lines import ProjectedLine
from ceasefire.geo.projection import Array, LocalProjection
from ceasefire.taxonomy import Category, Target, WeaponClass

CATEGORIES = [c.value for c in Category]
WEAPONS = [w.value for w in WeaponClass]
TARGETS = [t.value for t in Target]
LOCATION_PRECISIONS = ["exact", "near", "admin2", "admin1", "country"]
TIME_PRECISIONS = ["exact", "day", "week", "month", "year"]
NEVER = np.iinfo(np.int64).max

_CACHE: dict[tuple[Any, ...], Any] = {}
# points asked about a buffer's edge lie inside the buffer, so within the edge's bounds
_EDGE_GRID_MARGIN_M = 2_000.0
_EDGE_GRID_CELL_M = 8_000.0  # an edge has few segments: coarse cells, quick to build


@dataclass(frozen=True)
class LineMeasure:
    """Distance (km) and side party of each point relative to one line."""

    distance_km: Array
    side: np.ndarray  # party id per point ('' on the line or unknown)


class PreparedLine:
    """A line with what decides its sides: the controlled area where it applies, else the
    line's orientation."""

    def __init__(
        self,
        line: Line,
        projection: LocalProjection,
        parties: list[str],
        territories: dict[str, list[str]] | None = None,
    ) -> None:
        self.line = line
        key = (line.geometry.shape.wkb, projection.crs.to_wkt())
        if key not in _CACHE:
            _CACHE[key] = ProjectedLine(line.geometry.shape, projection)
        self.projected: ProjectedLine = _CACHE[key]
        left, right = self._orientation(line, parties)
        self.left, self.right = left[0], right[0]
        self.labels = np.array(["", self.left, self.right], dtype=object)
        self.side_label = {p: self.left for p in left} | {p: self.right for p in right}
        self.bit = {p: LEFT for p in left} | {p: RIGHT for p in right}
        area = line.controlled_area.geometry.shape if line.controlled_area else None
        self.area_party = line.controlled_area.party if line.controlled_area else None
        own_left = self.side_label.get(self.area_party or "", self.area_party) == self.left
        # each party territory (ISO country) with the side of its party
        held = tuple(
            (iso, self.bit[party])
            for party, isos in (territories or {}).items()
            if party in self.bit
            for iso in isos
        )
        rule_key = (*key, None if area is None else area.wkb, own_left, held)
        if rule_key not in _CACHE:
            _CACHE[rule_key] = SideRule(self.projected, projection, area, own_left, held)
        self.sides: SideRule = _CACHE[rule_key]
        self._units: tuple[Array, Array, NDArray[np.int8]] | None = None
        self._buffers: dict[float, BaseGeometry] = {}
        self._edges: dict[float, ProjectedLine] = {}

    def buffer(self, metres: float) -> BaseGeometry:
        """The projected line buffered by so many metres (round ends), prepared."""
        if metres not in self._buffers:
            with BUILD_LOCK:
                if metres not in self._buffers:
                    polygon = shapely.buffer(self.projected.shape, metres, quad_segs=32)
                    shapely.prepare(polygon)
                    edge = ProjectedLine(
                        polygon.boundary,
                        self.projected.projection,
                        projected=True,
                        grid_margin_m=_EDGE_GRID_MARGIN_M,
                        grid_cell_m=_EDGE_GRID_CELL_M,
                    )
                    edge.grid  # built now: few points ask at a time  # noqa: B018
                    self._edges[metres] = edge
                    self._buffers[metres] = polygon
        return self._buffers[metres]

    def buffer_edge(self, metres: float) -> ProjectedLine:
        """The boundary of `buffer(metres)`, ready for nearest-segment queries."""
        self.buffer(metres)
        return self._edges[metres]

    def scale_range(self) -> tuple[float, float]:
        """Smallest and largest scale factor of the projection within 500 km of the line."""
        west, south, east, north = self.projected.shape.bounds
        gx, gy = np.meshgrid(
            np.linspace(west - 5e5, east + 5e5, 60), np.linspace(south - 5e5, north + 5e5, 60)
        )
        k = 1.0 / self.projected.projection.scale.inverse_k(gx.ravel(), gy.ravel())
        return float(k.min()) * 0.9999, float(k.max()) * 1.0001

    @staticmethod
    def _orientation(line: Line, parties: list[str]) -> tuple[list[str], list[str]]:
        if line.sides is not None:
            return line.sides.left_parties, line.sides.right_parties
        if line.controlled_area is not None and len(parties) == 2:
            other = next(p for p in parties if p != line.controlled_area.party)
            return [line.controlled_area.party], [other]
        return [""], [""]

    def label_of(self, party: np.ndarray) -> np.ndarray:
        """The side label of each party ('' for none or unknown)."""
        return np.asarray(
            pd.Series(party, dtype=object).map(self.side_label).fillna(""), dtype=object
        )

    def measure(self, lon: Array, lat: Array) -> LineMeasure:
        """Distance and side party for each point."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        near = self.projected.measure(lon, lat)
        codes = self.sides.sides(lon, lat, near.side)
        return LineMeasure(near.distance_km, self.labels[codes])

    def unit_bounds(self, units: list[BaseGeometry]) -> tuple[Array, Array, NDArray[np.int8]]:
        """Per admin unit: lower and upper bound of the distance (km) of its points to the
        line, and the sides it reaches (mask). From samples 0.05 degrees apart, widened by
        their spacing (the distance changes by at most 1 km per km)."""
        if self._units is None:
            with BUILD_LOCK:
                if self._units is None:
                    lo, hi = np.zeros(len(units)), np.zeros(len(units))
                    sides = np.full(len(units), BOTH, dtype=np.int8)
                    spread = 0.05 * 111.3
                    for k, unit in enumerate(units):
                        west, south, east, north = unit.bounds
                        gx, gy = np.meshgrid(
                            np.arange(west, east, 0.05), np.arange(south, north, 0.05)
                        )
                        inside = shapely.contains_xy(unit, gx.ravel(), gy.ravel())
                        edge = shapely.get_coordinates(shapely.segmentize(unit.boundary, 0.05))
                        pts = np.vstack(
                            [np.column_stack([gx.ravel()[inside], gy.ravel()[inside]]), edge]
                        )
                        near = self.projected.measure(pts[:, 0], pts[:, 1])
                        codes = self.sides.sides(pts[:, 0], pts[:, 1], near.side)
                        touches = unit.intersects(self.line.geometry.shape) or unit.intersects(
                            self.sides.changes
                        )
                        lo[k] = 0.0 if touches else max(float(near.distance_km.min()) - spread, 0.0)
                        hi[k] = float(near.distance_km.max()) + spread
                        found = np.unique(codes)
                        if not touches and len(found) == 1 and found[0] in (LEFT, RIGHT):
                            sides[k] = found[0]
                    self._units = (lo, hi, sides)
        return self._units


@dataclass
class CompiledRule:
    """A rule as lookup tables over codes, with its times resolved (microseconds UTC)."""

    rule: Rule
    categories: NDArray[np.bool_]
    weapons: NDArray[np.bool_] | None
    targets: NDArray[np.bool_] | None
    parties: NDArray[np.bool_] | None
    after_us: int
    until_us: int
    exceptions: list[
        tuple[
            NDArray[np.bool_] | None, NDArray[np.bool_] | None, NDArray[np.bool_] | None, list[str]
        ]
    ] = field(default_factory=list)


def _table(values: list[str], chosen: list[str]) -> NDArray[np.bool_]:
    """A boolean table over codes (the last code: a value outside the vocabulary)."""
    return np.array([v in chosen for v in values] + [False])


def us(moment: datetime) -> int:
    """An aware datetime as microseconds since the epoch (UTC)."""
    return int(pd.Timestamp(moment).tz_convert("UTC").value // 1000)


class PreparedAgreement:
    """Everything the engine needs from an agreement, computed once."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.parties = agreement.party_ids()
        territories = {p.id: p.territory for p in agreement.parties if p.territory}
        self.resolver = PartyResolver(agreement)
        extent = (
            shapely.union_all([line.geometry.shape for line in agreement.lines])
            if (agreement.lines)
            else shapely.box(22, 44, 41, 53)
        )
        self.projection = LocalProjection.around(extent)
        self.lines = {
            line.id: PreparedLine(line, self.projection, self.parties, territories)
            for line in agreement.lines
        }
        self.main_line_id = agreement.lines[0].id if agreement.lines else None
        self.zones: list[Zone] = list(agreement.zones)
        self.zone_index = {z.id: i for i, z in enumerate(self.zones)}
        self.areas: dict[str, BaseGeometry] = {}
        for zone in agreement.zones:
            if isinstance(zone, AreaZone):
                self.areas[zone.id] = self.project_geometry(zone.geometry.shape)
        self.entry_into_force = agreement.entry_into_force
        self.eif_us = us(agreement.entry_into_force)
        self.ended_us = NEVER if agreement.ended is None else us(agreement.ended)
        self.rules = [self._compile(rule) for rule in agreement.rules]

    def _compile(self, rule: Rule) -> CompiledRule:
        def opt(values: list[str], chosen: list[Any]) -> NDArray[np.bool_] | None:
            return _table(values, [str(c) for c in chosen]) if chosen else None

        until = NEVER if rule.when.until is None else us(self.time(rule.when.until))
        compiled = CompiledRule(
            rule,
            _table(CATEGORIES, [str(c) for c in rule.categories]),
            opt(WEAPONS, rule.weapon_classes),
            opt(TARGETS, rule.targets),
            opt(self.parties, rule.parties),
            us(self.time(rule.when.after)),
            min(until, self.ended_us),
        )
        for exception in rule.exceptions:
            compiled.exceptions.append(
                (
                    opt(CATEGORIES, exception.categories),
                    opt(WEAPONS, exception.weapon_classes),
                    opt(self.parties, exception.parties),
                    list(exception.zones),
                )
            )
        return compiled

    def project_geometry(self, geometry: BaseGeometry) -> BaseGeometry:
        """A lon/lat geometry in the agreement's projection (metres), prepared."""

        def transform(coords: np.ndarray) -> np.ndarray:
            x, y = self.projection.forward(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        projected = shapely.transform(geometry, transform)
        shapely.prepare(projected)
        return projected

    def time(self, ref: object) -> datetime:
        """Resolve a rule's time reference."""
        return self.agreement.resolve_time(ref)  # type: ignore[arg-type]

    def line_bits(self, line_id: str) -> NDArray[np.int8]:
        """The side bit (1 left, 2 right, 0 none) of each party code (last: no party)."""
        bit = self.lines[line_id].bit
        return np.array([bit.get(p, 0) for p in self.parties] + [0], dtype=np.int8)
