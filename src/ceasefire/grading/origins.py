"""Where a report's information comes from: its outlets, reduced to comparable keys.

'Ukrinform', 'www.ukrinform.ua' and 'https://www.ukrinform.net/rubric-ato/...' are one origin,
'ukrinform'; 'Kyiv Post' and 'kyivpost.com' are 'kyivpost'. Two reports that share an origin
are not independent of each other.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

import numpy as np
import pandas as pd
from numpy.typing import NDArray

_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^0-9a-z\u0400-\u04ff]+")
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "in", "kiev", "kyiv"}
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


@lru_cache(maxsize=65536)
def outlet_key(name: str) -> str:
    """A comparable key for an outlet name or web address ('' when there is nothing)."""
    text = name.strip().lower()
    if not text:
        return ""
    if "://" in text:
        text = urlparse(text).hostname or text
    text = text.split("/", 1)[0] if _HOST.match(text.split("/", 1)[0]) else text
    if _HOST.match(text):
        labels = [p for p in text.split(".") if p not in ("www", "m", "amp", "mobile")]
        if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
            text = labels[-3]
        elif len(labels) >= 2:
            text = labels[-2]
        else:
            text = labels[0] if labels else text
    return _NOT_ALNUM.sub("", text)


def outlets(source_name: str) -> list[str]:
    """Keys of the outlets a source_name lists ('Kyiv Post; Ukrinform' gives two)."""
    parts = re.split(r"[;,|]", source_name) if source_name else []
    keys = [outlet_key(p) for p in parts]
    return sorted({k for k in keys if k})


def url_site(text: str) -> str:
    """The site of the first web address in a text, or ''."""
    found = _URL.search(text) if "://" in text else None
    return outlet_key(found.group(0)) if found else ""


def origins(
    event_id: NDArray[np.object_],
    source: NDArray[np.object_],
    source_name: NDArray[np.object_],
    url_site: NDArray[np.object_],
    self_origin: list[str],
) -> pd.DataFrame:
    """One row per (report, origin): `report` (position) and `origin` (key). Every report has
    at least one origin: its outlets, a URL's site, its source type (self-origin types), or
    itself."""
    names = pd.Series(source_name, dtype=object).fillna("").astype(str)
    unique = names.drop_duplicates()
    listed = pd.Series([outlets(n) for n in unique], index=unique.to_numpy())
    per_report = listed.reindex(names.to_numpy()).reset_index(drop=True)
    exploded = per_report.explode()
    frame = pd.DataFrame({"report": exploded.index.to_numpy(), "origin": exploded.to_numpy()})
    frame = frame[frame["origin"].notna()]
    missing = np.setdiff1d(np.arange(len(event_id)), frame["report"].to_numpy())
    if len(missing):
        family = pd.Series(source[missing], dtype=object).astype(str).str.split(":", n=1).str[0]
        fallback = np.where(family.isin(self_origin), "source:" + family, "")
        fallback = np.where(fallback == "", url_site[missing], fallback)
        own = "report:" + pd.Series(event_id[missing], dtype=object).astype(str)
        fallback = np.where(fallback == "", own.to_numpy(), fallback)
        frame = pd.concat([frame, pd.DataFrame({"report": missing, "origin": fallback})])
    return frame.sort_values(["report", "origin"], kind="stable").reset_index(drop=True)
