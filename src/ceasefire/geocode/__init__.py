"""Offline geocoding: GeoNames gazetteer, renamed towns, admin-1 names, context.

The names below are imported on first use: readers that only need the admin-1 crosswalk do
not load the geocoder (and pyproj) with it."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ceasefire.geocode.admin1 import admin1_code
    from ceasefire.geocode.batch import geocode_column
    from ceasefire.geocode.geocoder import Candidate, Geocoder, GeocodeResult, geocode

_MODULES = {
    "admin1_code": "ceasefire.geocode.admin1",
    "geocode_column": "ceasefire.geocode.batch",
    "Candidate": "ceasefire.geocode.geocoder",
    "GeocodeResult": "ceasefire.geocode.geocoder",
    "Geocoder": "ceasefire.geocode.geocoder",
    "geocode": "ceasefire.geocode.geocoder",
}

__all__ = ["Candidate", "GeocodeResult", "Geocoder", "admin1_code", "geocode", "geocode_column"]


def __getattr__(name: str) -> Any:
    """The public names, imported from their modules on first use."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'ceasefire.geocode' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
