"""Confidence of a violation from how precisely the event is located and timed, how sure the
checks are, and (from the incidents stage on) the grading of its sources."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ceasefire.adjudicate.prepared import LOCATION_PRECISIONS, TIME_PRECISIONS

LOCATION_FACTOR = {"exact": 1.0, "near": 0.9, "admin2": 0.8, "admin1": 0.6, "country": 0.4}
TIME_FACTOR = {"exact": 1.0, "day": 1.0, "week": 0.8, "month": 0.6, "year": 0.4}
CHECK_FACTOR = {2: 1.0, 1: 0.5, 0: 0.0}
_UNKNOWN = 0.4  # a precision outside the vocabulary

_LOCATION = np.array([LOCATION_FACTOR[p] for p in LOCATION_PRECISIONS] + [_UNKNOWN])
_TIME = np.array([TIME_FACTOR[p] for p in TIME_PRECISIONS] + [_UNKNOWN])
_CHECK = np.array([CHECK_FACTOR[k] for k in (0, 1, 2)])


def confidence(
    location_precision: NDArray[np.int16],
    time_precision: NDArray[np.int16],
    grading: NDArray[np.float64],
    location_check: NDArray[np.int8],
    time_check: NDArray[np.int8],
) -> NDArray[np.float64]:
    """Confidence in [0, 1], rounded to 3 decimals: the product of the location and time
    precision factors, the source grading (`source_confidence`, 1 when not graded) and a
    factor per check (1 certain, 0.5 possible)."""
    value = (
        _LOCATION[location_precision]
        * _TIME[time_precision]
        * grading
        * _CHECK[location_check]
        * _CHECK[time_check]
    )
    rounded: NDArray[np.float64] = np.round(value, 3)
    return rounded
