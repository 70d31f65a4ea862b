"""Reports as NumPy arrays: what deduplication reads from normalized events, coded once.

A report is one normalized event. Strings that features compare (categories, weapon classes,
targets, parties) become small integer codes; texts and place names are normalized once; time
intervals become integer seconds; places become points on a sphere (km) for spatial search.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ceasefire.grading.origins import url_site
from ceasefire.incidents.textual import (
    coded,
    per_distinct,
    place_name,
    text_facts,
    url_words,
    web_address,
)
from ceasefire.incidents.words import WordVectors, content_words, word_vectors
from ceasefire.taxonomy import Category, Target, WeaponClass

EARTH_RADIUS_KM = 6371.0088
CATEGORIES = [c.value for c in Category if c is not Category.UNKNOWN]
WEAPONS = [w.value for w in WeaponClass if w is not WeaponClass.UNKNOWN]
TARGETS = [t.value for t in Target if t is not Target.UNKNOWN]
COLUMNS = [
    "event_id", "source", "time_start", "time_end", "lon", "lat", "location_radius_km",
    "location_name", "actor1", "actor2", "actor1_party", "actor2_party", "actor1_is_initiator",
    "category", "weapon_class", "target_category", "fatalities_best", "fatalities_low",
    "fatalities_high", "source_name", "text", "provenance_sha256",
]  # fmt: skip

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Codes = NDArray[np.int16]
Objects = NDArray[np.object_]
_WORDS_LOCK = threading.Lock()


def codes(values: pd.Series, vocabulary: Sequence[str]) -> Codes:
    """Index of each value in the vocabulary, -1 for missing or unknown values."""
    lookup = {v: i for i, v in enumerate(vocabulary)}
    found, distinct = pd.factorize(values, sort=False)  # missing: -1
    table = np.array(
        [lookup.get(v, -1) for v in np.asarray(distinct, dtype=object).tolist()] + [-1]
    )
    return np.asarray(table[found], dtype=np.int16)


def _seconds(values: pd.Series) -> Ints:
    stamps = pd.to_datetime(values, utc=True).to_numpy(dtype="datetime64[us]")
    seconds: Ints = stamps.astype(np.int64) // 1_000_000
    return seconds


def sphere_km(lon: Floats, lat: Floats) -> NDArray[np.float64]:
    """Points on a sphere of the Earth's mean radius, km: (n, 3). Chords never exceed
    great-circle distances, so a search box of the distance never misses a pair."""
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    xyz: NDArray[np.float64] = EARTH_RADIUS_KM * np.column_stack(
        [cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)]
    )
    return xyz


def haversine_km(lon1: Floats, lat1: Floats, lon2: Floats, lat2: Floats) -> Floats:
    """Great-circle distance, km, element-wise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    result: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


@dataclass
class Reports:
    """Reports as aligned arrays (row k of every array is report k)."""

    event_id: Objects
    source: Objects
    start: Ints
    end: Ints
    lon: Floats
    lat: Floats
    radius: Floats
    category: Codes
    weapon: Codes
    target: Codes
    initiator: Codes
    party1: Codes
    party2: Codes
    deaths: Floats
    deaths_low: Floats
    deaths_high: Floats
    text_code: NDArray[np.int32]
    texts: Objects
    url: Objects
    place_code: NDArray[np.int32]
    places: Objects
    location_name: Objects
    source_name: Objects
    provenance_sha256: Objects
    url_site: Objects
    parties: list[str] = field(default_factory=list)
    family: Codes = field(default_factory=lambda: np.zeros(0, np.int16))  # into `families`
    families: list[str] = field(default_factory=list)  # source families ('gdelt', 'acled')
    url_code: NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))  # -1: none
    _words: WordVectors | None = field(default=None, repr=False, compare=False)

    def words(self) -> WordVectors:
        """Rarity-weighted content words of every report (computed once, thread-safe)."""
        with _WORDS_LOCK:
            if self._words is None:
                self._words = word_vectors(self.text_code, self.texts, self.place_code, self.places)
            return self._words

    def release_words(self) -> None:
        """Free the word vectors (computed again, the same, if asked for)."""
        with _WORDS_LOCK:
            self._words = None

    def __len__(self) -> int:
        return len(self.event_id)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Reports:
        """Reports from normalized events (a DataFrame with the event schema's columns;
        actor1_party/actor2_party may be filled by attribution, else parties are unknown)."""
        frame = frame.reset_index(drop=True)

        def col(name: str) -> pd.Series:
            if name in frame:
                return frame[name]
            return pd.Series([None] * len(frame), index=frame.index, dtype=object)

        party1, party2 = col("actor1_party"), col("actor2_party")
        known = pd.concat([party1, party2]).dropna().astype(str)
        parties = sorted(set(known[known != ""]))
        initiator_flag = col("actor1_is_initiator").fillna(False).astype(bool)
        initiator = party1.where(initiator_flag, None)
        lon = pd.to_numeric(col("lon"), errors="coerce").to_numpy(dtype=np.float64)
        urls = per_distinct(col("source_name"), web_address)
        given = col("text").where(col("text").notna(), "").astype(str)
        missing = (given == "").to_numpy(dtype=bool)
        from_url = np.full(len(given), "", dtype=object)  # a web address's words, if no text
        from_url[missing] = per_distinct(pd.Series(urls[missing], dtype=object), url_words)
        text = pd.Series(np.where(missing, from_url, given.to_numpy(dtype=object)))
        lat = pd.to_numeric(col("lat"), errors="coerce").to_numpy(dtype=np.float64)

        def numbers(name: str) -> Floats:
            return pd.to_numeric(col(name), errors="coerce").to_numpy(dtype=np.float64)

        text_code, texts, stated, sites = text_facts(text, url_site)
        place_code, places = coded(col("location_name"), place_name)
        source_code, sources = pd.factorize(col("source").astype(str), sort=False)
        family, families = pd.factorize(
            pd.Series([str(v).split(":")[0] for v in np.asarray(sources, dtype=object).tolist()]),
            sort=False,
        )
        family = family[source_code] if len(source_code) else family
        return cls(
            event_id=col("event_id").astype(str).to_numpy(dtype=object),
            source=col("source").astype(str).to_numpy(dtype=object),
            start=_seconds(col("time_start")),
            end=_seconds(col("time_end")),
            lon=lon,
            lat=lat,
            radius=np.nan_to_num(numbers("location_radius_km"), nan=0.0),
            category=codes(col("category"), CATEGORIES),
            weapon=codes(col("weapon_class"), WEAPONS),
            target=codes(col("target_category"), TARGETS),
            initiator=codes(initiator, parties),
            party1=codes(party1, parties),
            party2=codes(party2, parties),
            deaths=np.where(
                np.isnan(numbers("fatalities_best")),
                stated,
                numbers("fatalities_best"),
            ),
            deaths_low=numbers("fatalities_low"),
            deaths_high=numbers("fatalities_high"),
            text_code=text_code,
            texts=texts,
            url=urls,
            place_code=place_code,
            places=places,
            location_name=col("location_name")
            .where(col("location_name").notna(), "")
            .astype(str)
            .to_numpy(dtype=object),
            source_name=col("source_name")
            .where(col("source_name").notna(), "")
            .astype(str)
            .to_numpy(dtype=object),
            provenance_sha256=col("provenance_sha256").astype(str).to_numpy(dtype=object),
            url_site=sites,
            parties=parties,
            family=family.astype(np.int16),
            families=[str(f) for f in families],
            url_code=pd.factorize(pd.Series(urls, dtype=object).replace("", None))[0].astype(
                np.int32
            ),
        )

    @property
    def text(self) -> Objects:
        """Normalized text of each report ('' if none)."""
        result: Objects = self.texts[self.text_code]
        return result

    def located(self) -> NDArray[np.bool_]:
        """Reports with coordinates."""
        ok: NDArray[np.bool_] = np.isfinite(self.lon) & np.isfinite(self.lat)
        return ok

    def row(self, index: int) -> dict[str, Any]:
        """One report as a dict of readable values (for reasons)."""

        def name(vocabulary: Sequence[str], code: int) -> str:
            return vocabulary[code] if code >= 0 else "unknown"

        return {
            "event_id": self.event_id[index],
            "source": self.source[index],
            "category": name(CATEGORIES, int(self.category[index])),
            "weapon": name(WEAPONS, int(self.weapon[index])),
            "target": name(TARGETS, int(self.target[index])),
            "initiator": name(self.parties, int(self.initiator[index])),
            "radius_km": float(self.radius[index]),
            "width_h": float(self.end[index] - self.start[index]) / 3600.0,
            "deaths": float(self.deaths[index]),
            "place": self.places[self.place_code[index]],
            "words": content_words(
                str(self.texts[self.text_code[index]]), str(self.places[self.place_code[index]])
            ),
        }
