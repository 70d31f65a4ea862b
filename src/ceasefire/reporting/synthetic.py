"""Synthetic event reports near an agreement's line of contact, for report tests and
benchmarks: realistic mixes of categories, weapons, actors and precision, reproducible
from a seed. Never mixed with real data (source 'synthetic')."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import shapely

from ceasefire.agreement.model import Agreement
from ceasefire.events.schema import event_schema
from ceasefire.store import EventStore

CATEGORIES = {
    "shelling": 0.38, "armed_clash": 0.22, "drone_strike": 0.18, "small_arms_fire": 0.1,
    "missile_strike": 0.04, "air_strike": 0.03, "weapons_deployment": 0.03, "mining": 0.02,
}  # fmt: skip
WEAPONS = {"artillery": 0.35, "light_artillery": 0.2, "mlrs": 0.12, "drone": 0.15, "unknown": 0.18}
TARGETS = {"military": 0.7, "civilian": 0.15, "energy_infrastructure": 0.05, "unknown": 0.1}


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(table.values()))
    return rng.choice(np.array(list(table), dtype=object), size=n, p=p / p.sum())


def synthetic_events(
    agreement: Agreement, n: int, start: datetime, days: int, seed: int = 8
) -> pa.Table:
    """n event reports within about 60 km of the first line, spread over days from start."""
    rng = np.random.default_rng(seed)
    line = agreement.lines[0].geometry.shape
    along = rng.uniform(0, 1, n)
    points = shapely.line_interpolate_point(line, along, normalized=True)
    lon = shapely.get_x(points) + rng.normal(0, 0.35, n)
    lat = shapely.get_y(points) + rng.normal(0, 0.25, n)
    offsets = rng.uniform(0, days * 86400, n).astype(np.int64).astype("timedelta64[s]")
    base = np.datetime64(start.astimezone(UTC).replace(tzinfo=None), "s")
    times = pa.array((base + offsets).astype("datetime64[us]")).cast(pa.timestamp("us", tz="UTC"))
    actors = [p.aliases.acled[0] if p.aliases.acled else p.name for p in agreement.parties]
    who = rng.integers(0, len(actors), n)
    actor1 = np.array(actors, dtype=object)[who]
    actor2 = np.array(actors, dtype=object)[(who + 1) % len(actors)]
    precise = rng.uniform(0, 1, n) < 0.85
    digest = hashlib.sha256(f"synthetic:{seed}:{n}".encode()).hexdigest()
    ids = np.char.add("SYN", np.arange(1, n + 1).astype(str)).astype(object)
    columns: dict[str, object] = {
        "event_id": np.char.add("synthetic:", ids.astype(str)).astype(object),
        "source": np.full(n, "synthetic", dtype=object),
        "source_event_id": ids,
        "time_start": times,
        "time_end": times,
        "time_precision": np.full(n, "exact", dtype=object),
        "lon": lon,
        "lat": lat,
        "location_precision": np.where(precise, "exact", "near").astype(object),
        "location_radius_km": np.where(precise, 0.0, 5.0),
        "country": np.full(n, "UA", dtype=object),
        "actor1": actor1,
        "actor2": actor2,
        "actor1_is_initiator": rng.uniform(0, 1, n) < 0.7,
        "category": _pick(rng, CATEGORIES, n),
        "weapon_class": _pick(rng, WEAPONS, n),
        "target_category": _pick(rng, TARGETS, n),
        "fatalities_best": rng.poisson(0.4, n).astype(float),
        "text": np.full(n, "synthetic report for tests and benchmarks", dtype=object),
        "provenance_file": np.full(n, f"synthetic-{seed}.csv", dtype=object),
        "provenance_row": np.arange(1, n + 1, dtype=np.int64),
        "provenance_sha256": np.full(n, digest, dtype=object),
    }
    schema = event_schema()
    arrays = []
    for field in schema:
        if field.name in columns:
            value = columns[field.name]
            arrays.append(
                value if isinstance(value, pa.Array) else pa.array(value, type=field.type)
            )
        else:
            arrays.append(pa.nulls(n, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def synthetic_store(
    path: Path, agreement: Agreement, n: int, start: datetime, days: int, seed: int = 8
) -> Path:
    """A store holding n synthetic event reports."""
    table = synthetic_events(agreement, n, start, days, seed)
    with EventStore(path) as store:
        store.load(
            table,
            file=f"synthetic-{seed}.csv",
            sha256=table.column("provenance_sha256")[0].as_py() if n else "",
            source="synthetic",
            rows_read=n,
            rows_skipped=0,
        )
    return path
