"""Compiled per-event loops for zones (Numba, imported on first use): the status of a
security zone for one party, and the zone-list columns."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(nogil=True, cache=True)
def members(statuses: NDArray[np.int8], level: int) -> tuple[NDArray[np.int32], NDArray[np.int16]]:
    """List offsets and values of, per event (column of `statuses`, zones x events), the
    zones whose status is at least `level`, in zone order."""
    zones, n = statuses.shape
    offsets = np.empty(n + 1, dtype=np.int32)
    offsets[0] = 0
    total = 0
    for i in range(n):
        for z in range(zones):
            if statuses[z, i] >= level:
                total += 1
        offsets[i + 1] = total
    values = np.empty(total, dtype=np.int16)
    k = 0
    for i in range(n):
        for z in range(zones):
            if statuses[z, i] >= level:
                values[k] = z
                k += 1
    return offsets, values


@njit(nogil=True, cache=True)
def security_status(
    area: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int8], NDArray[np.bool_]],
    bit: int,
    limit: float,
    reach: NDArray[np.float64],
    who: tuple[NDArray[np.int16], int, int],
    best: NDArray[np.int8],
    owner: NDArray[np.int16],
) -> None:
    """One candidate party's security zone (its side `bit`, `limit` km from its line), folded
    into `best` and `owner` in place. `area`: lo, hi, sides, crossed of each event; `who`:
    the acting party's code per event, this party's code, the number of parties. The rules
    of checks.on_side, checks.within and firing.weapon_within in one pass: the area wholly
    on the side and within the limit (2), partly (1), not (0); fire located where it landed
    (reach > 0) judged where the weapon stood, within `reach` of it, having crossed the line
    itself when `crossed`; an event attributed to another party is outside (0)."""
    lo, hi, sides, crossed = area
    party, code, n_parties = who
    other = 3 ^ bit
    for i in range(lo.shape[0]):
        if party[i] < n_parties and party[i] != code:
            continue  # attributed to another party
        if reach[i] > 0.0:
            across = sides[i] == other and crossed[i]
            far = reach[i] - lo[i] if across else hi[i] + reach[i]
            near = 0.0 if across else max(lo[i] - reach[i], 0.0)
            status = 2 if far <= limit else (1 if near <= limit else 0)
            if across and far < 0.0:
                status = 0  # out of range of this side
            if np.isnan(lo[i]):
                status = 1
        else:
            side = 2 if sides[i] == bit else (1 if (sides[i] & bit) != 0 else 0)
            inside = 2 if hi[i] <= limit else (1 if lo[i] <= limit else 0)
            if np.isnan(lo[i]):
                inside = 1
            status = min(side, inside)
        if status > best[i]:
            best[i] = status
            owner[i] = code
