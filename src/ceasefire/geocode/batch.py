"""Geocode a column of place names: one look-up per distinct (name, admin-1) pair."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire.geocode.geocoder import Geocoder, default_geocoder


def geocode_column(
    names: pd.Series, admin1: pd.Series | None = None, geocoder: Geocoder | None = None
) -> pd.DataFrame:
    """lon, lat, admin1, status, confidence and basis for each name (index kept)."""
    coder = geocoder or default_geocoder()
    frame = pd.DataFrame(
        {"name": names.astype(object), "admin1": None if admin1 is None else admin1.astype(object)},
        index=names.index,
    )
    frame = frame.where(frame.notna(), None)
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame[["name", "admin1"]].fillna("")))
    rows: list[tuple[float, float, str | None, str, float, str]] = []
    for name, adm in uniques:
        if not name:
            rows.append((np.nan, np.nan, None, "not_found", 0.0, "no place name given"))
            continue
        result = coder.geocode(name, admin1=adm or None)
        place = result.place
        basis = result.basis
        if result.status == "ambiguous":
            shown = "; ".join(
                f"{c.name} ({c.admin1 or c.country}) {c.lon:.4f},{c.lat:.4f}"
                for c in result.candidates[:6]
            )
            basis = f"{basis}: {shown}"
        rows.append(
            (
                place.lon if place else np.nan,
                place.lat if place else np.nan,
                place.admin1 if place else None,
                result.status,
                result.confidence,
                basis,
            )
        )
    table = pd.DataFrame(rows, columns=["lon", "lat", "admin1", "status", "confidence", "basis"])
    out = table.iloc[codes].set_axis(names.index)
    return out
