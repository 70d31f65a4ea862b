"""The offline gazetteer: GeoNames populated places of UA, RU, BY and MD (population >= 500)
with their English, Ukrainian, Russian and transliterated names, plus the renamings in
mappings/renamings.yaml, indexed by name key and by transliteration skeleton."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache

import numpy as np
import yaml

from ceasefire.errors import CeasefireError
from ceasefire.geocode.admin1 import admin1_names
from ceasefire.geocode.names import name_key, skeleton_key
from ceasefire.resources import data_path

GAZETTEER_FILE = ("gazetteer", "geonames_cities500_ua_ru_by_md.json")
RENAMINGS_FILE = ("mappings", "renamings.yaml")


class Gazetteer:
    """Places as parallel arrays, and name indexes to their row numbers."""

    def __init__(self) -> None:
        places = json.loads(data_path(*GAZETTEER_FILE).read_text(encoding="utf-8"))
        crosswalk = admin1_names()
        self.name = np.array([p["name"] for p in places], dtype=object)
        self.lon = np.array([p["longitude"] for p in places], dtype=np.float64)
        self.lat = np.array([p["latitude"] for p in places], dtype=np.float64)
        self.country = np.array([p["countrycode"] for p in places], dtype=object)
        self.population = np.array([p.get("population") or 0 for p in places], dtype=np.int64)
        self.geonameid = np.array([p["geonameid"] for p in places], dtype=np.int64)
        self.admin1 = np.array(
            [crosswalk.by_geonames.get(f"{p['countrycode']}.{p['admin1code']}") for p in places],
            dtype=object,
        )
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_skeleton: dict[str, set[int]] = defaultdict(set)
        self.renamed_from: dict[int, list[str]] = defaultdict(list)
        for row, place in enumerate(places):
            for alias in {place["name"], *(place.get("alternatenames") or [])}:
                self._add(alias, row)
        self._add_renamings()
        self.skeletons = list(self.by_skeleton)

    def _add(self, alias: str, row: int) -> None:
        key = name_key(alias)
        if key:
            self.by_name[key].add(row)
            self.by_skeleton[skeleton_key(alias)].add(row)

    def _add_renamings(self) -> None:
        path = data_path(*RENAMINGS_FILE)
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["renamings"]
        for i, entry in enumerate(entries):
            rows = [
                r
                for r in self.by_skeleton.get(skeleton_key(entry["new"]), ())
                if self.admin1[r] == entry["admin1"]
            ]
            if not rows:
                raise CeasefireError(
                    f"{path}: renamings[{i}]: no place called '{entry['new']}' in "
                    f"{entry['admin1']} "
                    "in the gazetteer; expected the current name of a GeoNames place"
                )
            row = max(rows, key=lambda r: int(self.population[r]))
            for old in entry["old"]:
                self._add(old, row)
                self.renamed_from[row].append(old)

    def rows(self, name: str) -> tuple[list[int], str]:
        """Rows of the places with this name, and how the name matched: 'name' (a GeoNames
        or renaming spelling), 'transliteration' (another spelling of it) or '' (none)."""
        exact = self.by_name.get(name_key(name))
        if exact:
            return sorted(exact), "name"
        loose = self.by_skeleton.get(skeleton_key(name))
        if loose:
            return sorted(loose), "transliteration"
        return [], ""


@cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer (loaded once per process, ~0.5 s)."""
    return Gazetteer()
