"""Realistic synthetic events for the adjudication benchmark (fixed seed).

Most events lie within 100 km of the Paris draft's line of contact (exponential distance,
mean 30 km, random direction); some anywhere in Ukraine and western Russia; a few have no
coordinates. Categories, weapon classes, targets, location and time precisions, actors in
ACLED and UCDP spellings, and field reports that give the bearing and distance of the fire's
origin are mixed in proportions like those of real monitoring data. Written as Parquet in
row groups, in the normalized event schema.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ceasefire.agreement import load_agreement
from ceasefire.events.schema import event_schema
from ceasefire.geo.projection import GEOD

CATEGORIES = {
    "shelling": 0.33,
    "armed_clash": 0.15,
    "drone_strike": 0.15,
    "weapons_deployment": 0.10,
    "missile_strike": 0.05,
    "air_strike": 0.04,
    "small_arms_fire": 0.05,
    "offensive_movement": 0.02,
    "mining": 0.02,
    "remote_explosive": 0.02,
    "non_violent": 0.05,
    "monitor_restriction": 0.02,
}
WEAPONS = ["artillery", "mlrs", "long_range", "light_artillery", "tank", "drone", "unknown"]
TARGETS = {"military": 0.4, "civilian": 0.3, "energy_infrastructure": 0.05, "unknown": 0.25}
PRECISIONS = {
    "exact": (0.55, 0.0),
    "near": (0.25, 10.0),
    "admin2": (0.12, 40.0),
    "admin1": (0.06, 150.0),
    "country": (0.02, 300.0),
}
ACTORS = [
    "Military Forces of Russia (2000-)",
    "Military Forces of Ukraine (2019-)",
    "Unidentified Armed Group (Ukraine)",
]
START = np.datetime64("2026-01-15T00:00:00", "us")
SPAN_US = 120 * 86_400_000_000


def _choice(rng: np.random.Generator, weights: dict[str, object], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([w[0] if isinstance(w, tuple) else w for w in weights.values()], dtype=float)
    return rng.choice(len(keys), n, p=p / p.sum())


def _strings(values: list[str], codes: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(codes.astype(np.int64)))


def _places(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    line = np.asarray(load_agreement("paris-2026-draft").lines[0].geometry.shape.coords)
    seg_len = np.hypot(*np.diff(line, axis=0).T)
    seg = rng.choice(len(seg_len), n, p=seg_len / seg_len.sum())
    f = rng.random(n)[:, None]
    base = line[seg] + (line[seg + 1] - line[seg]) * f
    lon, lat, _ = GEOD.fwd(base[:, 0], base[:, 1], rng.uniform(0, 360, n), rng.exponential(30e3, n))
    lon, lat = np.asarray(lon), np.asarray(lat)
    anywhere = rng.random(n) < 0.13
    lon[anywhere] = rng.uniform(22.0, 45.0, anywhere.sum())
    lat[anywhere] = rng.uniform(44.0, 56.0, anywhere.sum())
    unknown = rng.random(n) < 0.02
    lon[unknown], lat[unknown] = np.nan, np.nan
    return lon, lat


def chunk(n: int, seed: int, first_id: int) -> pa.Table:
    """n events, reproducible from (seed, first_id)."""
    rng = np.random.default_rng([seed, first_id])
    lon, lat = _places(rng, n)
    category = _choice(rng, CATEGORIES, n)
    names = list(CATEGORIES)
    weapon = np.full(n, WEAPONS.index("unknown"))
    shelling = category == names.index("shelling")
    weapon[shelling] = rng.choice([0, 1, 3, 6], shelling.sum(), p=[0.4, 0.2, 0.2, 0.2])
    seen = category == names.index("weapons_deployment")
    weapon[seen] = rng.choice([0, 1, 2, 4, 6], seen.sum(), p=[0.35, 0.25, 0.15, 0.15, 0.1])
    weapon[category == names.index("drone_strike")] = WEAPONS.index("drone")
    weapon[category == names.index("missile_strike")] = WEAPONS.index("long_range")
    precision = _choice(rng, PRECISIONS, n)
    radius = np.array([v[1] for v in PRECISIONS.values()])[precision]
    radius = np.where(precision == 1, rng.choice([2.0, 5.0, 10.0, 25.0], n), radius)
    start = START + rng.integers(0, SPAN_US, n).astype("timedelta64[us]")
    kind = rng.choice(4, n, p=[0.3, 0.55, 0.1, 0.05])  # exact, day, week, month
    span = np.array([0, 1, 7, 30])[kind] * 86_400_000_000
    day_start = start.astype("datetime64[D]").astype("datetime64[us]") - np.timedelta64(2, "h")
    start = np.where(kind == 0, start, day_start)
    end = np.where(
        kind == 0, start, start + span.astype("timedelta64[us]") - np.timedelta64(1, "us")
    )
    source = rng.choice(4, n, p=[0.55, 0.2, 0.22, 0.03])  # acled, ucdp, gdelt, field_report
    actor = rng.choice(4, n, p=[0.35, 0.3, 0.1, 0.25])
    sides_only = source == 1
    report = source == 3
    actor = np.where(report, 3, actor)
    seen_from = rng.uniform(2e3, 15e3, n)
    observer_lon, observer_lat, _ = GEOD.fwd(
        np.nan_to_num(lon, nan=37.0),
        np.nan_to_num(lat, nan=48.0),
        rng.uniform(0, 360, n),
        seen_from,
    )
    bearing = GEOD.inv(
        observer_lon, observer_lat, np.nan_to_num(lon, nan=37.0), np.nan_to_num(lat, nan=48.0)
    )[0]
    ids = pa.array(np.arange(first_id, first_id + n))
    sources = _strings(["acled", "ucdp", "gdelt", "field_report"], source)
    columns = {
        "event_id": pc.binary_join_element_wise(sources, pc.cast(ids, pa.string()), ":"),
        "source": sources,
        "source_event_id": pc.cast(ids, pa.string()),
        "time_start": pa.array(start, pa.timestamp("us", tz="UTC")),
        "time_end": pa.array(end, pa.timestamp("us", tz="UTC")),
        "time_precision": _strings(["exact", "day", "week", "month"], kind),
        "lon": lon,
        "lat": lat,
        "location_precision": _strings(list(PRECISIONS), precision),
        "location_radius_km": radius,
        "actor1": pc.if_else(
            pa.array(sides_only), "Government of Ukraine", _strings([*ACTORS, None], actor)
        ),  # type: ignore[list-item]
        "actor2": pc.if_else(
            pa.array(sides_only), "Government of Russia (Soviet Union)", pa.nulls(n, pa.string())
        ),
        "actor1_is_initiator": pa.array(~sides_only),
        "category": _strings(names, category),
        "weapon_class": _strings(WEAPONS, weapon),
        "target_category": _strings(list(TARGETS), _choice(rng, TARGETS, n)),
        "located": pc.if_else(pa.array(report), "origin", pa.nulls(n, pa.string())),
        "observer_lon": np.where(report, observer_lon, np.nan),
        "observer_lat": np.where(report, observer_lat, np.nan),
        "bearing_deg": np.where(report, bearing, np.nan),
        "bearing_spread_deg": np.where(report, 11.25, np.nan),
        "distance_min_km": np.where(report, np.maximum(seen_from / 1e3 - 1.5, 0.2), np.nan),
        "distance_max_km": np.where(report, seen_from / 1e3 + 1.5, np.nan),
        "provenance_file": pa.repeat(pa.scalar("synthetic.csv"), n),
        "provenance_row": ids,
        "provenance_sha256": pa.repeat(pa.scalar("0" * 64), n),
    }
    schema = event_schema()
    arrays = [_column(columns.get(f.name), f.type, n) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _column(value: object, kind: pa.DataType, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, kind)
    if isinstance(value, pa.Array | pa.ChunkedArray):
        return value.cast(kind)
    return pa.array(value, kind)


def write_events(path: Path, n: int, seed: int = 2026, row_group: int = 500_000) -> Path:
    """Write n synthetic events (reused when the file already holds them)."""
    if path.exists() and pq.ParquetFile(path).metadata.num_rows == n:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, event_schema()) as writer:
        for first in range(0, n, row_group):
            writer.write_table(
                chunk(min(row_group, n - first), seed, first), row_group_size=row_group
            )
    return path
