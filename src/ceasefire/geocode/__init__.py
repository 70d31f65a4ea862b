"""Offline geocoding: GeoNames gazetteer, renamed towns, admin-1 names, context."""

from ceasefire.geocode.admin1 import admin1_code
from ceasefire.geocode.batch import geocode_column
from ceasefire.geocode.geocoder import Candidate, Geocoder, GeocodeResult, geocode

__all__ = ["Candidate", "GeocodeResult", "Geocoder", "admin1_code", "geocode", "geocode_column"]
