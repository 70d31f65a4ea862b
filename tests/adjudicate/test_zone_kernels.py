"""The compiled security-zone status against the three-valued rules written in NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from ceasefire.adjudicate.checks import on_side, within
from ceasefire.adjudicate.measure import LineArea
from ceasefire.adjudicate.sides import BOTH
from ceasefire.adjudicate.zone_kernels import members, security_status


def weapon_within(
    area: LineArea, bit: int, limit: float, reach: NDArray[np.float64], crossed: NDArray[np.bool_]
) -> NDArray[np.int8]:
    """The weapon (on side `bit`, within `reach` km of where its fire landed) within `limit`
    km of the line: fire certainly across the line that crossed the line itself stood at
    most reach - lo from it; otherwise anywhere within hi + reach (the reference rule)."""
    across = (area.sides == (BOTH ^ bit)) & crossed
    hi = np.where(across, reach - area.lo, area.hi + reach)
    lo = np.where(across, 0.0, np.maximum(area.lo - reach, 0.0))
    status = np.where(hi <= limit, 2, np.where(lo <= limit, 1, 0))
    status = np.where(across & (hi < 0), 0, status)
    return np.where(np.isnan(area.lo), 1, status).astype(np.int8)


def reference(areas, bits, limit, reach, party, n_parties):  # type: ignore[no-untyped-def]
    best = np.zeros(len(party), dtype=np.int8)
    owner = np.full(len(party), n_parties, dtype=np.int16)
    attributed = party < n_parties
    for code, (area, bit) in enumerate(zip(areas, bits, strict=True)):
        status = np.minimum(on_side(area, bit), within(area, limit))
        status = np.where(reach > 0, weapon_within(area, bit, limit, reach, area.crossed), status)
        status = np.where(~attributed | (party == code), status, 0)
        better = status > best
        best = np.where(better, status, best).astype(np.int8)
        owner = np.where(better, code, owner).astype(np.int16)
    return best, owner


def _area(rng: np.random.Generator, n: int) -> LineArea:
    distance = rng.uniform(0.0, 60.0, n)
    radius = rng.choice([0.0, 0.5, 5.0, 25.0], n)
    lo = np.maximum(distance - radius, 0.0)
    hi = distance + radius
    lo[rng.random(n) < 0.03] = np.nan  # no coordinates
    hi[np.isnan(lo)] = np.nan
    sides = rng.choice(np.array([0, 1, 2, 3], dtype=np.int8), n)
    return LineArea(distance, sides, lo, hi, sides, rng.random(n) < 0.5)


@pytest.mark.parametrize("limit", [0.0, 15.0, 30.0])
def test_security_status_matches_the_numpy_rules(limit: float) -> None:
    rng = np.random.default_rng(int(limit) + 1)
    n = 20_000
    areas = [_area(rng, n), _area(rng, n)]
    bits = [1, 2]
    reach = np.where(rng.random(n) < 0.4, rng.choice([5.0, 20.0, 40.0, 90.0], n), 0.0)
    party = rng.choice(np.array([0, 1, 2], dtype=np.int16), n)  # 2: not attributed
    want_best, want_owner = reference(areas, bits, limit, reach, party, 2)
    best = np.zeros(n, dtype=np.int8)
    owner = np.full(n, 2, dtype=np.int16)
    for code, (area, bit) in enumerate(zip(areas, bits, strict=True)):
        columns = (area.lo, area.hi, area.sides, area.crossed)
        security_status(columns, bit, limit, reach, (party, code, 2), best, owner)
    assert np.array_equal(best, want_best)
    assert np.array_equal(owner, want_owner)
    outcomes = {0, 1, 2} if limit > 0 else {0, 1}  # a zero-width zone is never certain
    assert set(np.unique(best).tolist()) == outcomes  # every outcome is exercised


def test_members_lists_zones_at_or_above_the_level() -> None:
    statuses = np.array([[2, 0, 1, 0], [1, 0, 2, 2], [0, 0, 2, 1]], dtype=np.int8)
    offsets, values = members(statuses, 2)
    assert offsets.tolist() == [0, 1, 1, 3, 4]
    assert values.tolist() == [0, 1, 2, 1]
    offsets, values = members(statuses, 1)
    assert offsets.tolist() == [0, 2, 2, 5, 7]
    assert values.tolist() == [0, 1, 0, 1, 2, 1, 2]
