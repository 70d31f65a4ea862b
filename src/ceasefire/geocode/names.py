"""Place-name keys: the same place written in English, Ukrainian, Russian or another
transliteration gives the same key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic (Ukrainian and Russian) to Latin, one scheme; the keys below absorb the rest.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ё": "io",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_APOSTROPHES = re.compile(r"['’ʼ`´‘\"ʹ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/()]+")
_I_RUNS = re.compile(r"i{2,}")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Case-, accent-, apostrophe- and separator-insensitive form: 'Kam'ianske' ->
    'kamianske', 'Stanytsia-Luhanska' -> 'stanytsia luhanska'."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def skeleton_key(name: str) -> str:
    """A looser key that merges common transliterations of one Cyrillic name:
    Kostiantynivka/Kostyantynivka, Avdiivka/Avdiyivka, Huliaipole/Hulyaypole,
    Mar'inka/Maryinka; Cyrillic spellings are transliterated first."""
    key = "".join(_CYRILLIC.get(c, c) for c in name_key(name))
    key = key.replace("y", "i").replace("j", "i")
    return _I_RUNS.sub("i", key)
