"""An agreement prepared once for checking many events: projected lines, sides, zone areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.model import Agreement, AreaZone, Line
from ceasefire.attribution import PartyResolver
from ceasefire.geo.boundaries import countries
from ceasefire.geo.lines import ProjectedLine
from ceasefire.geo.projection import Array, LocalProjection


@dataclass(frozen=True)
class LineMeasure:
    """Distance (km) and side party of each point relative to one line."""

    distance_km: Array
    side: np.ndarray  # party id per point ('' exactly on the line)


class PreparedLine:
    """A line with what decides its sides: the controlled area where it applies, else the
    line's orientation."""

    def __init__(self, line: Line, projection: LocalProjection, parties: list[str]) -> None:
        self.line = line
        self.projected = ProjectedLine(line.geometry.shape, projection)
        left, right = self._orientation(line, parties)
        self.left, self.right = left[0], right[0]
        # the label of the side each party is on (allied parties share a side)
        self.side_label = {p: self.left for p in left} | {p: self.right for p in right}
        self.area: BaseGeometry | None = None
        self.area_party: str | None = None
        self.area_country: BaseGeometry | None = None
        if line.controlled_area is not None:
            self.area = line.controlled_area.geometry.shape
            self.area_party = line.controlled_area.party
            shapely.prepare(self.area)
            self.area_country = _country_holding(self.area)

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
        mapping = self.side_label
        return np.array([mapping.get(p, "") if p else "" for p in party], dtype=object)

    def measure(self, lon: Array, lat: Array) -> LineMeasure:
        """Distance and side party for each point."""
        near = self.projected.measure(lon, lat)
        side = np.where(near.side > 0, self.left, np.where(near.side < 0, self.right, ""))
        side = side.astype(object)
        if self.area is not None and self.area_country is not None:
            in_country = shapely.contains_xy(self.area_country, lon, lat)
            in_area = shapely.contains_xy(self.area, lon, lat)
            own = self.side_label.get(self.area_party or "", self.area_party)
            other = self.right if own == self.left else self.left
            decided = np.where(in_area, own, other)
            side = np.where(in_country & (near.side != 0), decided, side)
        return LineMeasure(near.distance_km, side)


def _country_holding(area: BaseGeometry) -> BaseGeometry | None:
    """The land polygon of the country where most of the controlled area lies."""
    best, best_overlap = None, 0.0
    for geometry in countries().values():
        overlap = geometry.intersection(area).area
        if overlap > best_overlap:
            best, best_overlap = geometry, overlap
    if best is not None:
        shapely.prepare(best)
    return best


class PreparedAgreement:
    """Everything the engine needs from an agreement, computed once."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.parties = agreement.party_ids()
        self.resolver = PartyResolver(agreement)
        extent = shapely.union_all([line.geometry.shape for line in agreement.lines]) if (
            agreement.lines
        ) else shapely.box(22, 44, 41, 53)
        self.projection = LocalProjection.around(extent)
        self.lines = {
            line.id: PreparedLine(line, self.projection, self.parties) for line in agreement.lines
        }
        self.main_line_id = agreement.lines[0].id if agreement.lines else None
        self.areas: dict[str, BaseGeometry] = {}
        for zone in agreement.zones:
            if isinstance(zone, AreaZone):
                self.areas[zone.id] = self.project_geometry(zone.geometry.shape)
        self.entry_into_force = agreement.entry_into_force

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
