"""Admin-1 names and codes as sources write them -> ISO 3166-2 codes (UA-14, RU-CE, ...).

Built from the GeoNames/ISO crosswalk (gazetteer/subdivisions_ua_ru_admin1.tsv) and the
source spellings in mappings/admin1_names.yaml. Pure look-ups: no coordinates involved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import yaml

from ceasefire.geocode.names import name_key
from ceasefire.resources import data_path

_ISO = re.compile(r"^([A-Z]{2})-([A-Z0-9]{1,3})$")
_GEONAMES = re.compile(r"^([A-Z]{2})\.([A-Z0-9]{1,3})$")
_FIPS = re.compile(r"^(UP|RS|BO|MD)([A-Z0-9]{2})$")  # GDELT ADM1Code: FIPS 10-4
FIPS_COUNTRIES = {"UP": "UA", "RS": "RU", "BO": "BY", "MD": "MD"}
_FUZZY_CUTOFF = 90.0


@dataclass(frozen=True)
class Subdivision:
    """One admin-1 unit of the crosswalk."""

    iso: str  # ISO 3166-2, e.g. UA-14
    name: str  # local name as in the crosswalk
    geonames_code: str  # e.g. UA.05
    geonameid: int


class Admin1Names:
    """Name -> ISO 3166-2 code, for the admin-1 units of Ukraine and Russia."""

    def __init__(self) -> None:
        config = yaml.safe_load(
            data_path("mappings", "admin1_names.yaml").read_text(encoding="utf-8")
        )
        self._generic = {name_key(w) for w in config["generic_words"]}
        self.units: dict[str, Subdivision] = {}
        self.by_geonames: dict[str, str] = {}
        found: dict[str, set[str]] = defaultdict(set)
        path = data_path("gazetteer", "subdivisions_ua_ru_admin1.tsv")
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) < 6:
                continue
            local, iso, gn_code, gn_id, _kind, aliases = cells[:6]
            self.units[iso] = Subdivision(iso, local, gn_code, int(gn_id))
            self.by_geonames[gn_code] = iso
            for name in (local, *aliases.split("|")):
                if name:
                    found[self.key(name)].add(iso)
        # names the crosswalk gives to one unit only
        self._names = {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and k}
        # source spellings (mappings/admin1_names.yaml) win over the crosswalk: first as
        # written ('Kyiv City'), then without generic words unless another name has that key
        self._exact: dict[str, str] = {}
        spelled: dict[str, str] = {}
        for iso, names in config["names"].items():
            if iso not in self.units:
                raise ValueError(f"mappings/admin1_names.yaml: unknown ISO 3166-2 code '{iso}'")
            for name in names:
                self._exact[name_key(name)] = iso
                if self.key(name) == name_key(name) or self.key(name) not in spelled:
                    spelled[self.key(name)] = iso
        self._names.update(spelled)
        self._choices = list(self._names)

    def key(self, name: str) -> str:
        """The name's key without generic words (oblast, republic, krai, ...)."""
        words = [w for w in name_key(name).split(" ") if w not in self._generic]
        return " ".join(words)

    @lru_cache(maxsize=50_000)  # noqa: B019 - one instance per process
    def code(self, name: str | None, country: str | None = None) -> str | None:
        """ISO 3166-2 code for an admin-1 name or code, or None when unknown or ambiguous.
        `country` (ISO alpha-2) restricts the answer to that country."""
        if name is None or not str(name).strip():
            return None
        text = str(name).strip()
        iso = self._from_code(text.upper())
        if iso is None:
            key = self.key(text)
            iso = self._exact.get(name_key(text)) or self._names.get(key)
            if iso is None and len(key) >= 4:
                from rapidfuzz import fuzz, process  # only for names not known as written

                best = process.extractOne(
                    key, self._choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
                )
                iso = self._names[best[0]] if best else None
        if iso is not None and country and not iso.startswith(country.upper() + "-"):
            return None
        return iso

    def _from_code(self, text: str) -> str | None:
        if _ISO.match(text):
            return text if text in self.units else None
        if _GEONAMES.match(text):
            return self.by_geonames.get(text)
        fips = _FIPS.match(text)
        if fips:
            return self.by_geonames.get(f"{FIPS_COUNTRIES[fips.group(1)]}.{fips.group(2)}")
        return None

    def name(self, iso: str) -> str | None:
        """Local name of a unit by its ISO code."""
        unit = self.units.get(iso)
        return unit.name if unit else None


@cache
def admin1_names() -> Admin1Names:
    """The shared crosswalk (built once per process)."""
    return Admin1Names()


def admin1_code(name: str | None, country: str | None = None) -> str | None:
    """ISO 3166-2 code of an admin-1 name as a source writes it ('Donetsk oblast',
    'Chechnya republic', 'UA-14', 'UA.05', GDELT's 'UP05'), or None."""
    return admin1_names().code(name, country)
