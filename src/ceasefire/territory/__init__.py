"""Territory: who controls how much of each admin-1 unit, how it changes between control
maps, and gains after entry into force as violations (docs/territory.md)."""

from ceasefire.territory.areas import AREA_COLUMNS, as_of, map_areas
from ceasefire.territory.changes import Change, MapState, compute_change
from ceasefire.territory.judge import TerritoryResult, judge_files, judge_maps, opponents
from ceasefire.territory.maps import ControlMap, agreement_maps, read_control_maps
from ceasefire.territory.series import Series, analyse

__all__ = [
    "AREA_COLUMNS",
    "Change",
    "ControlMap",
    "MapState",
    "Series",
    "TerritoryResult",
    "agreement_maps",
    "analyse",
    "as_of",
    "compute_change",
    "judge_files",
    "judge_maps",
    "map_areas",
    "opponents",
    "read_control_maps",
]
