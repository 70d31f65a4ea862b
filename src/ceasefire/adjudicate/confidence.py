"""Confidence of a violation from how precisely the event is located and timed, how sure the
checks are, and (from the incidents stage on) the grading of its sources."""

from __future__ import annotations

import numpy as np
import pandas as pd

LOCATION_FACTOR = {"exact": 1.0, "near": 0.9, "admin2": 0.8, "admin1": 0.6, "country": 0.4}
TIME_FACTOR = {"exact": 1.0, "day": 1.0, "week": 0.8, "month": 0.6, "year": 0.4}
CHECK_FACTOR = {2: 1.0, 1: 0.5, 0: 0.0}


def confidence(
    events: pd.DataFrame, location_check: np.ndarray, time_check: np.ndarray
) -> np.ndarray:
    """Confidence in [0, 1], rounded to 3 decimals."""
    location = events["location_precision"].map(LOCATION_FACTOR).fillna(0.4).to_numpy()
    timing = events["time_precision"].map(TIME_FACTOR).fillna(0.4).to_numpy()
    grading = (
        events["source_confidence"].fillna(1.0).to_numpy()
        if "source_confidence" in events
        else np.ones(len(events))
    )
    checks = np.vectorize(CHECK_FACTOR.get, otypes=[float])(location_check) * np.vectorize(
        CHECK_FACTOR.get, otypes=[float]
    )(time_check)
    return np.round(location * timing * grading * checks, 3)
