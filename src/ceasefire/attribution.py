"""Actor names -> agreement parties, through each party's per-source aliases."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ceasefire.agreement.model import Agreement
from ceasefire.arrow_text import arrow_text

_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Case-, accent- and space-insensitive form of an actor name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.replace("’", "'")).strip().casefold()


class PartyResolver:
    """Maps actor names (as a given source writes them) to party ids."""

    def __init__(self, agreement: Agreement) -> None:
        self._by_source: dict[str, dict[str, str]] = {}
        self._any: dict[str, str] = {}
        for party in agreement.parties:
            for name in (party.id, party.name, *party.aliases.names):
                self._any.setdefault(normalize_name(name), party.id)
            for source in ("acled", "ucdp", "cameo", "gdelt"):
                table = self._by_source.setdefault(source, {})
                for alias in getattr(party.aliases, source):
                    table.setdefault(normalize_name(alias), party.id)
        # CAMEO codes are also GDELT's actor codes
        self._by_source["gdelt"] = {**self._by_source["cameo"], **self._by_source["gdelt"]}

    def resolve(self, name: str | None, source: str = "") -> str | None:
        """Party id of one actor name, or None when it is not a known alias."""
        if name is None or (isinstance(name, float) and np.isnan(name)) or not str(name).strip():
            return None
        key = normalize_name(str(name))
        family = source.split(":", 1)[0]
        table = self._by_source.get(family, {})
        return table.get(key) or self._any.get(key) or self._from_all_sources(key)

    def _from_all_sources(self, key: str) -> str | None:
        for table in self._by_source.values():
            if key in table:
                return table[key]
        return None

    def resolve_many(self, names: pd.Series, sources: pd.Series) -> pd.Series:
        """Vectorized resolve: one lookup per distinct (name, source) pair."""
        frame = pd.DataFrame({"name": names.astype(object), "source": sources.astype(object)})
        unique = frame.drop_duplicates()
        mapped = [self.resolve(n, s) for n, s in zip(unique["name"], unique["source"], strict=True)]
        unique = unique.assign(party=pd.Series(mapped, index=unique.index, dtype=object))
        merged = frame.merge(unique, on=["name", "source"], how="left")
        return pd.Series(merged["party"].to_numpy(), index=names.index, dtype=object)


def party_codes(
    resolver: PartyResolver, names: pd.Series, sources: pd.Series, parties: list[str]
) -> np.ndarray:
    """Party code (index in `parties`; len(parties) for none) of each actor name, resolving
    each distinct (name, source) pair once."""
    none = len(parties)
    if len(names) == 0:
        return np.zeros(0, dtype=np.int16)
    name_enc = pc.dictionary_encode(arrow_text(names, large=True, dictionary=True))
    source_enc = pc.dictionary_encode(arrow_text(sources, large=True, dictionary=True))
    n_idx = np.asarray(name_enc.indices.fill_null(-1), dtype=np.int64)
    s_idx = np.asarray(source_enc.indices.fill_null(-1), dtype=np.int64)
    width = len(source_enc.dictionary) + 1
    key = (n_idx + 1) * width + (s_idx + 1)
    present = np.zeros((len(name_enc.dictionary) + 1) * width, dtype=bool)
    present[key] = True
    name_values = name_enc.dictionary.to_pylist()
    source_values = source_enc.dictionary.to_pylist()
    lookup = {p: i for i, p in enumerate(parties)}
    resolved = np.full(len(present), none, dtype=np.int16)
    for k in np.flatnonzero(present):  # each distinct (name, source) pair once
        ni, si = int(k // width) - 1, int(k % width) - 1
        if ni >= 0 and name_values[ni] is not None:
            source = source_values[si] if si >= 0 else None
            party = resolver.resolve(name_values[ni], source or "")
            resolved[k] = lookup.get(party or "", none)
    found: np.ndarray = resolved[key]
    return found


def unknown_actors(names: pd.Series, parties: pd.Series) -> Counter[str]:
    """Actor names that are given but map to no party, with their counts."""
    given = names.notna() & (names.astype(str).str.strip() != "")
    unknown = names[given & parties.isna()].astype(str)
    return Counter(unknown.tolist())
