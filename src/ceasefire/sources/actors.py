"""Actors of a file that the agreement's aliases do not name: reported per file, not guessed."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pyarrow as pa

from ceasefire.attribution import PartyResolver, unknown_actors


def unknown_actors_in(table: pa.Table, resolver: PartyResolver) -> Counter[str]:
    """actor1 and actor2 names (with their counts) that resolve to no party of the agreement;
    one look-up per distinct (name, source) pair."""
    counts: Counter[str] = Counter()
    if table.num_rows == 0:
        return counts
    sources = pd.Series(table.column("source").to_numpy(zero_copy_only=False), dtype=object)
    for column in ("actor1", "actor2"):
        names = pd.Series(table.column(column).to_numpy(zero_copy_only=False), dtype=object)
        counts.update(unknown_actors(names, resolver.resolve_many(names, sources)))
    return counts
