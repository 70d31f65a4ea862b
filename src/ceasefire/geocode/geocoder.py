"""Place name -> coordinates, offline, with the context that decides between namesakes.

Context, in order: the stated admin-1 unit; a point the place is near (given, or the places
already resolved in the same report); the area of operations (the line of contact and the area
held behind it), which a namesake far from it is unlikely to be; and a city among villages of
the same name. When context does not single out one place the answer is 'ambiguous' with the
candidates; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz, process

from ceasefire.geo.projection import geodesic_km
from ceasefire.geocode.admin1 import admin1_code
from ceasefire.geocode.front import FrontLine, default_front
from ceasefire.geocode.gazetteer import Gazetteer, gazetteer

Status = Literal["resolved", "ambiguous", "not_found"]

AO_KM = 25.0  # a candidate this close to the area of operations is "in" it
AO_OTHERS_KM = 20.0  # ... and is chosen when every other candidate is at least this far
AO_RATIO = 3.0  # ... and this many times farther
NEAR_KM = 75.0  # a stated nearby point decides when the nearest candidate is this close
NEAR_RATIO = 2.0  # ... and the next one this many times farther
CITY_POPULATION = 50_000  # a city among villages: this many people ...
CITY_RATIO = 10.0  # ... and this many times the next namesake
FUZZY_CUTOFF = 88.0
_USE_DEFAULT = object()


@dataclass(frozen=True)
class Candidate:
    """One place a name may refer to."""

    name: str
    lon: float
    lat: float
    admin1: str | None
    country: str
    geonameid: int
    population: int
    front_km: float | None = None  # distance to the area of operations
    near_km: float | None = None  # distance to the stated nearby point


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one name: the place (when resolved), how sure, and why."""

    query: str
    status: Status
    confidence: float
    basis: str
    matched: str  # 'name', 'transliteration', 'fuzzy' or ''
    place: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (`ceasefire geocode --json`)."""
        return asdict(self)


class Geocoder:
    """Resolves names against a gazetteer with context."""

    def __init__(
        self, places: Gazetteer | None = None, front: FrontLine | object | None = _USE_DEFAULT
    ) -> None:
        self.places = places or gazetteer()
        self.front: FrontLine | None = default_front() if front is _USE_DEFAULT else front  # type: ignore[assignment]

    def geocode(
        self,
        name: str,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        nearby: Sequence[str] = (),
    ) -> GeocodeResult:
        """Resolve one place name. `admin1` is an ISO 3166-2 code or a name ('Donetsk oblast');
        `near` is (lon, lat); `nearby` are other places named in the same report."""
        query = str(name).strip()
        rows, matched = self._match(query)
        if not rows and " - " in query:  # ACLED writes city districts as 'Donetsk - Kirovskyi'
            rows, matched = self._match(query.split(" - ", 1)[0])
        if not rows:
            return GeocodeResult(
                query, "not_found", 0.0, f"no place called '{query}' in the gazetteer", ""
            )
        scale = 0.8 if matched == "fuzzy" else 1.0
        if near is None and nearby:
            near = self._centre_of(nearby, admin1)
        candidates = self._candidates(rows, near)
        if admin1:
            code = admin1_code(admin1)
            inside = [c for c in candidates if code is not None and c.admin1 == code]
            if not inside:
                basis = f"none of the {len(candidates)} places called '{query}' is in '{admin1}'"
                return GeocodeResult(query, "not_found", 0.0, basis, matched, None, candidates)
            candidates = inside
        if len(candidates) == 1:
            basis = "the only place of that name" + (
                f" in {candidates[0].admin1}" if admin1 else ""
            )
            return self._resolved(
                query,
                candidates[0],
                (0.9 if admin1 and len(rows) > 1 else 0.95) * scale,
                basis,
                matched,
                candidates,
            )
        decided = self._decide(candidates, near)
        if decided is not None:
            place, confidence, basis = decided
            return self._resolved(query, place, confidence * scale, basis, matched, candidates)
        where = f" in {admin1}" if admin1 else ""
        basis = f"{len(candidates)} places called '{query}'{where}; context does not decide"
        return GeocodeResult(query, "ambiguous", 0.0, basis, matched, None, candidates)

    def _match(self, query: str) -> tuple[list[int], str]:
        rows, matched = self.places.rows(query)
        if rows or len(query) < 4:
            return rows, matched
        from ceasefire.geocode.names import skeleton_key

        key = skeleton_key(query)
        hits = process.extract(
            key, self.places.skeletons, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        )
        if not hits:
            return [], ""
        best = hits[0][1]
        keys = [k for k, score, _ in hits if score >= best - 2]
        return sorted({r for k in keys for r in self.places.by_skeleton[k]}), "fuzzy"

    def _candidates(self, rows: list[int], near: tuple[float, float] | None) -> list[Candidate]:
        p = self.places
        idx = np.asarray(rows, dtype=np.int64)
        front = self.front.distance_km(p.lon[idx], p.lat[idx]) if self.front is not None else None
        near_km = None
        if near is not None:
            near_km = geodesic_km(
                np.full(len(idx), near[0]), np.full(len(idx), near[1]), p.lon[idx], p.lat[idx]
            )
        result = []
        for i, row in enumerate(idx):
            result.append(
                Candidate(
                    name=str(p.name[row]),
                    lon=float(p.lon[row]),
                    lat=float(p.lat[row]),
                    admin1=p.admin1[row],
                    country=str(p.country[row]),
                    geonameid=int(p.geonameid[row]),
                    population=int(p.population[row]),
                    front_km=None if front is None else round(float(front[i]), 1),
                    near_km=None if near_km is None else round(float(near_km[i]), 1),
                )
            )
        return sorted(result, key=lambda c: (c.near_km or 0.0, c.front_km or 0.0, -c.population))

    def _decide(
        self, candidates: list[Candidate], near: tuple[float, float] | None
    ) -> tuple[Candidate, float, str] | None:
        if near is not None:
            by_near = sorted(candidates, key=lambda c: c.near_km or 0.0)
            first, second = by_near[0].near_km or 0.0, by_near[1].near_km or 0.0
            if first <= NEAR_KM and second >= NEAR_RATIO * first:
                return (
                    by_near[0],
                    0.85,
                    f"nearest to the given point ({first:.0f} km; next {second:.0f} km)",
                )
        in_area = self._in_area(candidates)
        # namesakes far from the area of operations do not compete with a city at it
        local = [c for c in candidates if c.front_km is not None and c.front_km <= 2 * AO_KM]
        city = self._city(local if len(local) >= 2 else candidates)
        if city is not None and city.front_km is not None and city.front_km <= 2 * AO_KM:
            basis = (
                f"a city of {city.population:,} at the area of operations "
                f"({city.front_km:.0f} km) among smaller namesakes"
            )
            return city, 0.75, basis
        if in_area is not None and (city is None or city == in_area):
            both = " and the largest of its namesakes" if city == in_area else ""
            basis = f"the only one in the area of operations ({in_area.front_km:.0f} km){both}"
            return in_area, 0.8 if city else 0.7, basis
        others_at_front = [
            c for c in candidates if c != city and c.front_km is not None and c.front_km <= AO_KM
        ]
        if city is not None and not others_at_front:
            return city, 0.7, f"a city of {city.population:,} among villages of the same name"
        return None

    def _in_area(self, candidates: list[Candidate]) -> Candidate | None:
        if self.front is None:
            return None
        ranked = sorted(candidates, key=lambda c: c.front_km or 0.0)
        first, second = ranked[0].front_km or 0.0, ranked[1].front_km or 0.0
        if first <= AO_KM and second >= max(AO_OTHERS_KM, AO_RATIO * first):
            return ranked[0]
        return None

    @staticmethod
    def _city(candidates: list[Candidate]) -> Candidate | None:
        ranked = sorted(candidates, key=lambda c: -c.population)
        top, second = ranked[0].population, ranked[1].population
        if top >= CITY_POPULATION and top >= CITY_RATIO * max(second, 1):
            return ranked[0]
        return None

    def _centre_of(self, names: Sequence[str], admin1: str | None) -> tuple[float, float] | None:
        points = []
        for other in names:
            result = self.geocode(other, admin1=admin1)
            if result.place is not None:
                points.append((result.place.lon, result.place.lat))
        if not points:
            return None
        return float(np.mean([p[0] for p in points])), float(np.mean([p[1] for p in points]))

    @staticmethod
    def _resolved(
        query: str,
        place: Candidate,
        confidence: float,
        basis: str,
        matched: str,
        candidates: list[Candidate],
    ) -> GeocodeResult:
        others = candidates if len(candidates) > 1 else []
        return GeocodeResult(query, "resolved", round(confidence, 2), basis, matched, place, others)


_default: Geocoder | None = None


def default_geocoder() -> Geocoder:
    """The shared geocoder on the bundled gazetteer and line of contact."""
    global _default
    if _default is None:
        _default = Geocoder()
    return _default


def geocode(
    name: str,
    admin1: str | None = None,
    near: tuple[float, float] | None = None,
    nearby: Sequence[str] = (),
) -> GeocodeResult:
    """Resolve one place name with the bundled gazetteer (see Geocoder.geocode)."""
    return default_geocoder().geocode(name, admin1=admin1, near=near, nearby=nearby)
