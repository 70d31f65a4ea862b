"""Benchmark: 700 daily control maps processed for shares and day-to-day changes.

    python benchmarks/bench_territory.py [--days 700] [--seed 7] [--baseline-maps 700]
                                         [--workers N] [--keep DIR]

Synthesizes a realistic series (fixed seed) from the bundled approximate Russian-controlled
area of January 2026: its outline densified to about the size of a DeepStateMap daily polygon
(~70 KB of GeoJSON), then the front moved day by day by local advances and retreats (a few a
day, 5-25 km wide, a few hundred metres deep, mostly westward) and some redraw noise, one
`deepstate_YYYY-MM-DD.geojson` file per day. Then, in the same run:

- ceasefire.territory (Shapely 2 vectorized operations, prepared geometries, STRtrees,
  threads): read every file, areas per party and admin-1 unit (geodesic, land only) and each
  unit's share, and for each pair of consecutive days the areas gained and lost per unit, the
  GeoNames places that changed hands and how far the front moved;
- the baseline, the same computation the GeoPandas way: read_file, overlay(intersection) with
  the units, overlay(difference) both ways, overlay of the changes with the units, sjoin of
  the places, GeoSeries.distance in a projected CRS for the front; run on --baseline-maps
  maps (all by default) and extrapolated to the series when fewer.

It prints maps/s for both, the ratio, and checks that both give the same numbers. Target: the
whole series in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from ceasefire.geo.projection import GEOD
from ceasefire.resources import data_path
from ceasefire.territory import analyse, read_control_maps
from ceasefire.territory.front import SAMPLE_M, region_projection
from ceasefire.territory.places import gazetteer
from ceasefire.territory.series import Series, default_workers
from ceasefire.territory.units import territory_units

START = date(2024, 3, 1)
DENSIFY_DEG = 0.012  # outline vertex spacing: ~70 KB of GeoJSON per day
FRONT_DEG = 0.02  # outline vertices this close to the line of contact are the front
OTHER = {"RU": "UA", "UA": "RU"}


# --- the synthetic series ---------------------------------------------------------------


def _base() -> tuple[shapely.MultiPolygon, shapely.LineString]:
    area = shape(json.loads(data_path("geo", "controlled_area_2026-01.geojson").read_text())
                 ["features"][0]["geometry"])  # fmt: skip
    line = shape(json.loads(data_path("geo", "line_of_contact_2026-01.geojson").read_text())
                 ["features"][0]["geometry"])  # fmt: skip
    return shapely.segmentize(area, DENSIFY_DEG), line


def _rings(area: shapely.Geometry) -> list[list[np.ndarray]]:
    """Coordinates of each polygon: [exterior, holes...]."""
    return [
        [shapely.get_coordinates(r) for r in shapely.get_rings(p)] for p in shapely.get_parts(area)
    ]


def synthesize(folder: Path, days: int, seed: int) -> list[Path]:
    """Write one map per day; the front advances westward by local bumps and recedes a bit."""
    rng = np.random.default_rng(seed)
    area, line = _base()
    polygons = _rings(area)
    exterior = polygons[0][0] if len(polygons) == 1 else max((p[0] for p in polygons), key=len)
    ext_index = next(i for i, p in enumerate(polygons) if p[0] is exterior)
    near = shapely.dwithin(shapely.points(exterior), line, FRONT_DEG)
    near[-1] = near[0]
    front = np.flatnonzero(near[:-1])
    # outward normals (away from the held area) at the front vertices, in degrees per metre
    prev_xy = exterior[(front - 1) % (len(exterior) - 1)]
    next_xy = exterior[(front + 1) % (len(exterior) - 1)]
    tangent = next_xy - prev_xy
    normal = np.column_stack([tangent[:, 1], -tangent[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    probe = shapely.points(exterior[front] + normal * 0.002)
    normal[shapely.contains(area, probe)] *= -1
    metres_per_deg = np.column_stack([111_320 * np.cos(np.radians(exterior[front, 1])),
                                      np.full(len(front), 110_574.0)])  # fmt: skip
    step = normal / metres_per_deg  # degrees per metre along the normal
    displacement = np.zeros(len(front))
    paths = []
    for day in range(days):
        for _ in range(rng.poisson(3)):
            centre, half = rng.integers(len(front)), rng.integers(5, 26)
            depth = rng.exponential(400.0) * (-0.5 if rng.random() < 0.15 else 1.0)
            offsets = np.arange(-half, half + 1)
            idx = np.clip(centre + offsets, 0, len(front) - 1)
            displacement[idx] += depth * 0.5 * (1 + np.cos(np.pi * offsets / (half + 1)))
        noise = np.zeros(len(front))
        for _ in range(2):  # redraw noise: tens of metres on a stretch, this day only
            centre = rng.integers(len(front))
            idx = np.clip(centre + np.arange(-10, 11), 0, len(front) - 1)
            noise[idx] += rng.normal(0, 30.0, len(idx))
        moved = exterior.copy()
        moved[front] += step * (displacement + noise)[:, None]
        moved[-1] = moved[0]
        polys = []
        for i, rings in enumerate(polygons):
            shell = moved if i == ext_index else rings[0]
            polys.append(shapely.Polygon(shell, rings[1:]))
        geometry = shapely.make_valid(shapely.MultiPolygon(polys))
        parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
        geometry = shapely.set_precision(shapely.MultiPolygon(parts), 1e-6)
        when = START + timedelta(days=day)
        path = folder / f"deepstate_{when.isoformat()}.geojson"
        feature = {"type": "Feature", "properties": {"name": "occupied", "party": "RU"},
                   "geometry": json.loads(shapely.to_geojson(geometry))}  # fmt: skip
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
        paths.append(path)
    return paths


# --- the fast path --------------------------------------------------------------------


def fast(paths: list[Path], workers: int) -> tuple[Series, float, float]:
    """Read and analyse the series: the result, wall seconds and CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    maps = read_control_maps(paths)
    series = analyse(maps, OTHER, workers=workers)
    return series, time.perf_counter() - started, time.process_time() - cpu


# --- the GeoPandas baseline -----------------------------------------------------------


def _km2(frame: gpd.GeoDataFrame) -> pd.Series:
    areas = frame.geometry.apply(lambda g: abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6)
    return pd.Series(areas, index=frame.index, dtype=float)


def baseline(paths: list[Path]) -> tuple[dict[str, pd.DataFrame], float, float]:
    """The same computation with GeoPandas overlays, one map after another."""
    warnings.filterwarnings("ignore", message=".*keep_geom_type=True.*")
    units = territory_units()
    crs = region_projection().crs
    started, cpu = time.perf_counter(), time.process_time()
    unit_frame = gpd.GeoDataFrame(
        {"admin1": units.iso, "unit_km2": units.area_km2}, geometry=list(units.geoms),
        crs="EPSG:4326",
    )  # fmt: skip
    table = gazetteer().table
    place_frame = gpd.GeoDataFrame(
        table[["geonameid"]], geometry=gpd.points_from_xy(table["lon"], table["lat"]),
        crs="EPSG:4326",
    )  # fmt: skip
    areas: list[pd.Series] = []
    gains: list[pd.Series] = []
    places: list[tuple[str, str, int]] = []
    fronts: list[tuple[str, str, float, float]] = []
    previous: gpd.GeoDataFrame | None = None
    for path in paths:
        when = path.stem.rsplit("_", 1)[1]
        current = gpd.read_file(path)[["geometry"]]
        current["geometry"] = current.geometry.make_valid()
        held = gpd.overlay(current, unit_frame, how="intersection")
        held["area_km2"] = _km2(held)
        areas.append(held.groupby("admin1")["area_km2"].sum().rename(when))
        if previous is not None:
            day = previous.attrs["date"] + "/" + when
            new_outline = current.to_crs(crs).boundary.union_all()
            old_outline = previous.to_crs(crs).boundary.union_all()
            for party, (after, before) in {"RU": (current, previous),
                                           "UA": (previous, current)}.items():  # fmt: skip
                changed = gpd.overlay(after, before, how="difference")
                parts = gpd.overlay(changed, unit_frame, how="intersection")
                parts = parts.explode(index_parts=False).reset_index(drop=True)
                parts = parts[parts.geom_type == "Polygon"]
                parts["area_km2"] = _km2(parts)
                parts = parts[parts["area_km2"] > 0]
                gains.append(parts.groupby("admin1")["area_km2"].sum().rename((day, party)))
                hit = gpd.sjoin(place_frame, parts, predicate="within")
                places.extend((day, party, int(g)) for g in hit["geonameid"])
                outline = parts.to_crs(crs).boundary.segmentize(SAMPLE_M)
                xy = outline.get_coordinates()
                points = gpd.GeoSeries(gpd.points_from_xy(xy["x"], xy["y"]), crs=crs)
                on_front = points[points.distance(new_outline) <= 1.0]
                moved = on_front.distance(old_outline) / 1000
                moved = moved[moved > 0.05]
                if len(moved):
                    fronts.append((day, party, float(moved.max()), float(moved.median())))
        current.attrs["date"] = when
        previous = current
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return (
        {
            "areas": pd.concat(areas, axis=1).fillna(0.0),
            "gains": pd.concat(gains, axis=1).fillna(0.0) if gains else pd.DataFrame(),
            "places": pd.DataFrame(places, columns=["day", "party", "geonameid"]),
            "fronts": pd.DataFrame(fronts, columns=["day", "party", "max_km", "median_km"]),
        },
        elapsed,
        cpu,
    )


# --- checks -----------------------------------------------------------------------------


def compare(series: Series, base: dict[str, pd.DataFrame], n: int) -> dict[str, Any]:
    """Largest differences between the two on the first n maps."""
    ours = series.areas[series.areas["level"] == "admin1"]
    ours = ours.pivot_table(index="admin1", columns="date", values="area_km2", aggfunc="sum")
    theirs = base["areas"]
    dates = list(theirs.columns)
    # we list a country's units only where a party holds 1 km2 or more there
    unlisted = theirs.loc[~theirs.index.isin(ours.index)]
    unlisted_km2 = float(unlisted.sum().max()) if len(unlisted) else 0.0
    ours = ours.reindex(columns=dates).fillna(0.0)
    theirs = theirs.reindex(ours.index).fillna(0.0)
    unit_km2 = pd.Series(territory_units().area_km2, index=territory_units().iso)
    relative = (ours - theirs).abs().div(unit_km2.reindex(ours.index), axis=0)
    area_diff = float(relative.to_numpy().max())
    rows, our_places, our_fronts = [], set(), {}
    for change in series.changes[: n - 1]:
        day = f"{change.date_from}/{change.date_to}"
        for row in change.units.to_dict(orient="records"):
            rows.append({"key": (day, row["party"]), "admin1": row["admin1"],
                         "km2": row["gained_km2"]})  # fmt: skip
        our_places |= {(day, r["to_party"], int(r["geonameid"]))
                       for r in change.places.to_dict(orient="records")}  # fmt: skip
        for r in change.front.to_dict(orient="records"):
            our_fronts[(day, r["party"])] = r["moved_km_max"]
    gain_diff = 0.0
    if rows and len(base["gains"]):
        frame = pd.DataFrame(rows)
        mine = frame.pivot_table(index="admin1", columns="key", values="km2", aggfunc="sum")
        theirs_g = base["gains"]
        index = mine.index.union(theirs_g.index)
        columns = list(dict.fromkeys([*mine.columns, *theirs_g.columns]))
        mine = mine.reindex(index=index, columns=columns).fillna(0.0)
        theirs_g = theirs_g.reindex(index=index, columns=columns).fillna(0.0)
        gain_diff = float((mine - theirs_g).abs().to_numpy().max())
    base_places = set(base["places"].itertuples(index=False, name=None))
    front_diff = 0.0
    for day, party, max_km, _ in base["fronts"].itertuples(index=False, name=None):
        front_diff = max(front_diff, abs(our_fronts.get((day, party), 0.0) - max_km) / max_km)
    return {
        "share_max_abs_diff": area_diff,
        "unlisted_border_slivers_km2": unlisted_km2,
        "gain_km2_max_abs_diff": gain_diff,
        "places_equal": our_places == base_places,
        "places": len(base_places),
        "front_max_rel_diff": front_diff,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--days", type=int, default=700)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline-maps",
        type=int,
        default=700,
        help="maps for the GeoPandas baseline (extrapolated; 0: skip)",
    )
    parser.add_argument("--workers", type=int, default=0, help="threads (default: all cores)")
    parser.add_argument("--keep", type=Path, help="write the series here and keep it")
    args = parser.parse_args()
    workers = args.workers or default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths = synthesize(folder, args.days, args.seed)
        sizes = [p.stat().st_size for p in paths]
        print(f"series: {len(paths)} daily maps {paths[0].stem[-10:]}..{paths[-1].stem[-10:]}, "
              f"{np.mean(sizes) / 1000:.1f} KB each on average "
              f"(synthesized in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        territory_units(), gazetteer()  # shared by both: built once, not timed
        load = os.getloadavg()[0]
        series, seconds, cpu = fast(paths, workers)
        rate = len(paths) / seconds
        gained = sum(c.gained_km2("RU") for c in series.changes)
        print(f"ceasefire.territory ({workers} threads): {len(paths)} maps in {seconds:.1f} s "
              f"= {rate:.1f} maps/s, {cpu:.1f} s of CPU ({len(series.areas)} area rows, "
              f"{len(series.changes)} changes, RU gained {gained:,.0f} km2; load average "
              f"before: {load:.1f} on {os.cpu_count()} cores)")  # fmt: skip
        print(f"target: the whole series in under 60 s: {'met' if seconds < 60 else 'MISSED'}")
        n = min(args.baseline_maps, len(paths))
        if n >= 2:
            base, base_seconds, base_cpu = baseline(paths[:n])
            base_rate = n / base_seconds
            scaled = len(paths) / base_rate
            print(f"baseline GeoPandas overlay (1 thread): {n} maps in {base_seconds:.1f} s "
                  f"= {base_rate:.1f} maps/s, {base_cpu:.1f} s of CPU (whole series: "
                  f"{scaled:.0f} s{', extrapolated' if n < len(paths) else ''})")  # fmt: skip
            cpu_ratio = (base_cpu / n) / (cpu / len(paths))
            print(
                f"ratio: {rate / base_rate:.1f}x the baseline's maps/s "
                f"({cpu_ratio:.1f}x less CPU per map)"
            )
            checks = compare(series, base, n)
            shown = [f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                     for k, v in checks.items()]  # fmt: skip
            print("same numbers: " + ", ".join(shown))
            same = (checks["share_max_abs_diff"] < 1e-4 and checks["gain_km2_max_abs_diff"]
                    < 0.01 and checks["places_equal"] and checks["front_max_rel_diff"] < 0.015
                    and checks["unlisted_border_slivers_km2"] < 1.0)  # fmt: skip
            print(f"both give the same numbers: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
