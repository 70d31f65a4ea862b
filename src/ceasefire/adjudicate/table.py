"""The violations of a batch as one table (Arrow, then pandas), with their explanations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from ceasefire.adjudicate.columns import Columns
from ceasefire.adjudicate.confidence import confidence
from ceasefire.adjudicate.explain import BASES, DAY_US, Facts, event_text, rule_text, take
from ceasefire.adjudicate.phrases import Phrase, assemble_grouped
from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.adjudicate.rules import Hits
from ceasefire.arrow_text import arrow_text

VIOLATION_COLUMNS = [
    "event_id",
    "source",
    "source_event_id",
    "date",
    "lon",
    "lat",
    "admin1",
    "side",
    "party",
    "rule_id",
    "article",
    "zone_id",
    "distance_km",
    "confidence",
    "explanation",
    "location_check",
    "time_check",
    "attribution",
    # added after the first contract: the values behind the explanation
    "zone_party",
    "line_id",
    "line_distance_km",
    "limit_km",
    "days_after",
]

_QUARTER_HOUR_US = 900_000_000


def _dense_codes(values: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct values (sorted) and each value's position among them, by a presence
    table over their range (no sort: the values span a small range)."""
    low = int(values.min())
    offset = values - low
    present = np.zeros(int(offset.max()) + 1, dtype=bool)
    present[offset] = True
    found = np.flatnonzero(present)
    slot = np.zeros(len(present), dtype=np.intp)
    slot[found] = np.arange(len(found))
    return found + low, slot[offset]


def local_dates(start_us: NDArray[np.int64], timezone: str) -> pa.Array:
    """The local calendar date (YYYY-MM-DD) of each time: each quarter hour present is
    converted to local time once, each local day present is written once."""
    if len(start_us) == 0:
        return pa.array([], pa.string())
    quarter, within = np.divmod(start_us, _QUARTER_HOUR_US)
    present, slot = _dense_codes(quarter)
    stamps = pd.DatetimeIndex(pd.to_datetime(present * _QUARTER_HOUR_US, unit="us", utc=True))
    wall = stamps.tz_convert(timezone).tz_localize(None).as_unit("us").asi8
    days, which = _dense_codes((wall[slot] + within) // DAY_US)
    labels = pd.to_datetime(days, unit="D").strftime("%Y-%m-%d")
    return pa.array(list(labels), pa.string()).take(pa.array(which))


@dataclass(frozen=True)
class BatchFacts:
    """What every violation of a batch reads, per event."""

    ids: dict[str, pa.Array]
    actor: pa.Array
    main_distance: NDArray[np.float64]
    main_side: pa.Array
    main_side_code: NDArray[np.int8]
    side_labels: tuple[str, str]
    party: NDArray[np.int16]
    basis: NDArray[np.int8]


def empty_violations() -> pd.DataFrame:
    """No violations, with the columns and their types."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in VIOLATION_COLUMNS})
    for column in ("lon", "lat", "distance_km", "confidence", "line_distance_km", "limit_km"):
        frame[column] = frame[column].astype("float64")
    for column in ("location_check", "time_check"):
        frame[column] = frame[column].astype("int8")
    frame["days_after"] = frame["days_after"].astype("int64")
    return frame


@dataclass(frozen=True)
class Shared:
    """Per event of the batch that has any violation: its sentence prefix and local date."""

    position: NDArray[np.intp]
    phrases: list[Phrase]  # the event part of its sentence
    date: pa.Array
    party: pa.Array


def _shared(prep: PreparedAgreement, cols: Columns, facts: BatchFacts, found: list[Hits]) -> Shared:
    hit = np.zeros(cols.n, dtype=bool)
    for h in found:
        hit[h.events] = True
    rows = np.flatnonzero(hit)
    position = np.full(cols.n, -1, dtype=np.intp)
    position[rows] = np.arange(len(rows))
    at = pa.array(rows)
    labels = pa.array([*prep.parties, ""], pa.string())
    party = labels.take(pa.array(facts.party[rows].astype(np.int64)))
    phrases = event_text(
        Facts(
            cols.category[rows],
            cols.weapon[rows],
            facts.main_distance[rows],
            facts.main_side_code[rows],
            facts.side_labels,
            cols.radius[rows],
            cols.location_precision[rows],
            facts.party[rows],
            prep.parties,
            facts.basis[rows],
            facts.actor.take(at),
        )
    )
    return Shared(position, phrases, local_dates(cols.start[rows], prep.agreement.timezone), party)


def violations_table(
    prep: PreparedAgreement,
    batch: pd.DataFrame,
    cols: Columns,
    facts: BatchFacts,
    found: list[Hits],
) -> pd.DataFrame:
    """All violations of the batch (rule by rule) as a DataFrame with VIOLATION_COLUMNS."""
    found = [hits for hits in found if len(hits.events)]
    if not found:
        return empty_violations()
    shared = _shared(prep, cols, facts, found)
    idx = np.concatenate([h.events for h in found])
    rule_no = np.repeat(np.arange(len(found)), [len(h.events) for h in found])
    place = np.concatenate([h.place for h in found])
    time = np.concatenate([h.time for h in found])
    after = np.repeat([h.rule.after_us for h in found], [len(h.events) for h in found])
    at, mine = pa.array(idx), pa.array(shared.position[idx])
    suffixes = [rule_text(prep, h, facts.party, cols.start[h.events]) for h in found]
    labels = pa.array([*prep.parties, ""], pa.string())
    rules = [h.rule.rule for h in found]
    frame: pd.DataFrame = pa.table(
        {
            "event_id": facts.ids["event_id"].take(at),
            "source": facts.ids["source"].take(at),
            "source_event_id": facts.ids["source_event_id"].take(at),
            "date": shared.date.take(mine),
            "lon": cols.lon[idx],
            "lat": cols.lat[idx],
            "admin1": cols.admin1.take(at),
            "side": facts.main_side.take(at),
            "party": shared.party.take(mine),
            "rule_id": take([r.id for r in rules], rule_no),
            "article": take([r.article for r in rules], rule_no),
            "zone_id": take([h.zone_id for h in found], rule_no),
            "distance_km": np.round(facts.main_distance[idx], 3),
            "confidence": confidence(
                cols.location_precision[idx],
                cols.time_precision[idx],
                cols.grading[idx],
                place,
                time,
            ),
            "explanation": assemble_grouped(shared.phrases, shared.position[idx], suffixes),
            "location_check": place,
            "time_check": time,
            "attribution": take(BASES, facts.basis[idx]),
            "zone_party": labels.take(pa.array(np.concatenate([h.zone_party for h in found]))),
            "line_id": take([h.line_id for h in found], rule_no),
            "line_distance_km": np.round(np.concatenate([h.line_distance for h in found]), 3),
            "limit_km": np.array([h.limit for h in found], dtype=np.float64)[rule_no],
            "days_after": (cols.start[idx] - after) // DAY_US,
        }
    ).to_pandas()
    return frame[VIOLATION_COLUMNS]


def id_columns(batch: pd.DataFrame) -> dict[str, pa.Array]:
    """The identifying columns of a batch as Arrow strings."""
    return {c: arrow_text(batch[c], large=True) for c in ("event_id", "source", "source_event_id")}
