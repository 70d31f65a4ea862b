"""The baseline for the adjudication benchmark: the same checks written the straightforward
GeoPandas way (sjoin for admin units and sides, to_crs and distance/shortest_line to the line,
buffered polygons for the zones), over one whole DataFrame.

It implements what the bundled Paris draft uses (buffer and security zones on one line with
a controlled area, across-the-line and anywhere rules, admin-1 precision by unit); it is a
benchmark baseline, not a second engine.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml

from ceasefire.adjudicate.origin import sector_polygons
from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import BufferZone, SecurityZone
from ceasefire.geo.admin import admin_index
from ceasefire.geo.projection import GEOD
from ceasefire.resources import data_path

ON_LINE_M = 1.0


def _admin(points: gpd.GeoSeries) -> tuple[pd.Series, pd.Series]:
    index = admin_index()
    units = gpd.GeoDataFrame(
        {"unit": np.arange(len(index.iso))}, geometry=index.geometries, crs=4326
    )
    frame = gpd.GeoDataFrame(geometry=points)
    hit = gpd.sjoin(frame, units, predicate="intersects", how="inner")
    first = (
        hit.reset_index().sort_values(["index", "unit"]).drop_duplicates("index").set_index("index")
    )
    label = pd.Series(index.none_label, index=points.index)
    label.loc[first.index] = first["unit"]
    rest = label[label == index.none_label].index
    lands = gpd.GeoDataFrame(
        {"country": np.arange(len(index.country_codes))},
        geometry=index.country_geometries,
        crs=4326,
    )
    hit = gpd.sjoin(frame.loc[rest], lands, predicate="intersects", how="inner")
    first = (
        hit.reset_index()
        .sort_values(["index", "country"])
        .drop_duplicates("index")
        .set_index("index")
    )
    label.loc[first.index] = len(index.iso) + first["country"]
    sea = label[label == index.none_label].index
    if len(sea):
        near = gpd.sjoin_nearest(frame.loc[sea], units, max_distance=0.1, how="inner")
        near = (
            near.reset_index()
            .sort_values(["index", "unit"])
            .drop_duplicates("index")
            .set_index("index")
        )
        label.loc[near.index] = near["unit"]
    iso = pd.Series(index.label_iso[label.to_numpy()], index=points.index)
    country = pd.Series(index.label_country[label.to_numpy()], index=points.index)
    return iso, country


def _distance_and_side(
    prep: PreparedAgreement, pts: gpd.GeoSeries, xy: gpd.GeoSeries, shape: object, index: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """Geodesic distance to the line (via the nearest point) and side code (0/1/2)."""
    line = prep.lines[prep.main_line_id or ""]
    planar = xy.distance(shape)
    nearest = shapely.shortest_line(xy.values, shape)
    ends = shapely.get_coordinates(nearest).reshape(-1, 2, 2)
    lon1, lat1 = prep.projection.inverse(ends[:, 0, 0], ends[:, 0, 1])
    lon2, lat2 = prep.projection.inverse(ends[:, 1, 0], ends[:, 1, 1])
    distance = pd.Series(np.nan, index=index)
    distance[xy.index] = np.where(
        planar < ON_LINE_M, planar / 1000.0, GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0
    )
    # orientation: the direction of the line around the nearest point
    along = shapely.line_locate_point(shape, xy.values)
    ahead = shapely.line_interpolate_point(shape, np.minimum(along + 1.0, shape.length))
    behind = shapely.line_interpolate_point(shape, np.maximum(along - 1.0, 0.0))
    dx = shapely.get_x(ahead) - shapely.get_x(behind)
    dy = shapely.get_y(ahead) - shapely.get_y(behind)
    cross = dx * (xy.y - shapely.get_y(behind)) - dy * (xy.x - shapely.get_x(behind))
    code = pd.Series(0, index=index)
    code[xy.index] = np.where(planar < ON_LINE_M, 0, np.where(cross > 0, 1, 2))
    rule = line.sides
    if rule.area is not None and rule.country is not None:
        frame = gpd.GeoDataFrame(geometry=pts)
        in_country = gpd.sjoin(
            frame, gpd.GeoDataFrame(geometry=[rule.country], crs=4326), predicate="intersects"
        ).index.unique()
        in_area = gpd.sjoin(
            frame, gpd.GeoDataFrame(geometry=[rule.area], crs=4326), predicate="intersects"
        ).index.unique()
        decided = pd.Series(3 - rule.own, index=in_country)
        decided[decided.index.isin(in_area)] = rule.own
        moved = decided.index[code[decided.index] != 0]
        code[moved] = decided[moved]
    else:
        in_country = pd.Index([])
    frame = gpd.GeoDataFrame(geometry=pts)
    for polygon, side in rule.territories:  # a party's own country, outside the area's
        inside = gpd.sjoin(
            frame, gpd.GeoDataFrame(geometry=[polygon], crs=4326), predicate="intersects"
        ).index.unique()
        moved = inside[~inside.isin(in_country) & (code[inside] != 0).to_numpy()]
        code[moved] = side
        in_country = in_country.union(inside)
    return distance, code


def _origin_party(
    prep: PreparedAgreement, events: pd.DataFrame, party: pd.Series, sides: pd.Series
) -> pd.Series:
    """The party whose side the fire came from, for unattributed events that locate it."""
    line = prep.lines[prep.main_line_id or ""]
    rule = line.sides
    side_party = {1: line.left, 2: line.right}
    origin = (events["located"] == "origin") & (party == "")
    cols = ["observer_lon", "observer_lat", "bearing_deg", "distance_max_km"]
    sector = origin & events[cols].notna().all(axis=1)
    party = party.copy()
    own = origin & ~sector & sides.isin([1, 2])
    party[own] = sides[own].map(side_party)
    rows = events[sector]
    if len(rows) == 0:
        return party
    spread = rows["bearing_spread_deg"].fillna(0.0).clip(0.0, 180.0).to_numpy()
    far = rows["distance_max_km"].to_numpy()
    near = np.clip(rows["distance_min_km"].fillna(0.0).to_numpy(), 0.0, far)
    lon, lat = sector_polygons(
        rows["observer_lon"].to_numpy(),
        rows["observer_lat"].to_numpy(),
        rows["bearing_deg"].to_numpy(),
        spread,
        near,
        far,
    )
    polygons = gpd.GeoSeries(
        shapely.polygons(np.stack([lon, lat], axis=-1)), index=rows.index, crs=4326
    )
    projected = polygons.to_crs(prep.projection.crs)
    step = np.radians(2.0 * spread / 12)
    slack = far * 1000.0 * (1.0 - np.cos(step / 2.0)) + 100.0
    crosses = projected.distance(line.projected.shape) <= slack
    if not rule.changes_xy.is_empty:
        crosses |= projected.distance(rule.changes_xy) <= slack
    mid_lon, mid_lat, _ = GEOD.fwd(
        rows["observer_lon"].to_numpy(),
        rows["observer_lat"].to_numpy(),
        rows["bearing_deg"].to_numpy(),
        (near + far) * 500.0,
    )
    mids = gpd.GeoSeries(gpd.points_from_xy(mid_lon, mid_lat), index=rows.index, crs=4326)
    _, mid_code = _distance_and_side(
        prep, mids, mids.to_crs(prep.projection.crs), line.projected.shape, rows.index
    )
    got = ~crosses & mid_code.isin([1, 2])
    party[got[got].index] = mid_code[got].map(side_party)
    return party


def baseline(prep: PreparedAgreement, events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per event: event_id, admin1, side, distance_km; per violation: event_id, rule_id,
    location_check, time_check)."""
    line_id = prep.main_line_id or ""
    line = prep.lines[line_id]
    events = events.reset_index(drop=True)
    ok = events["lon"].notna() & events["lat"].notna()
    pts = gpd.GeoSeries(
        gpd.points_from_xy(events.loc[ok, "lon"], events.loc[ok, "lat"]),
        index=events.index[ok],
        crs=4326,
    )
    iso, country = _admin(pts)
    admin1 = (
        events["admin1"].astype(object).where(events["admin1"].notna(), iso.reindex(events.index))
    )
    country_all = (
        events["country"]
        .astype(object)
        .where(events["country"].notna(), country.reindex(events.index))
    )
    xy = pts.to_crs(prep.projection.crs)
    shape = gpd.GeoSeries([line.projected.shape], crs=xy.crs).iloc[0]
    distance, code = _distance_and_side(prep, pts, xy, shape, events.index)
    rule = line.sides
    labels = np.array(["", line.left, line.right], dtype=object)
    radius = events["location_radius_km"].fillna(0.0)
    # three-valued side of each event's disk: away from the line and from other changes
    gap = pd.Series(np.inf, index=events.index)
    if not rule.changes_xy.is_empty:
        ask = xy.index[(radius[xy.index] > 0).to_numpy()]
        gap[ask] = (
            xy.loc[ask].distance(rule.changes_xy)
            * prep.projection.scale.inverse_k(xy.loc[ask].x.to_numpy(), xy.loc[ask].y.to_numpy())
            * 0.999
            / 1000.0
        )
    single = (distance > radius + 0.1) & (gap > radius) & (code != 0)
    sides = pd.Series(np.where(single, code, 3), index=events.index)
    lo, hi = (distance - radius).clip(lower=0.0), distance + radius
    unit_lo, unit_hi, unit_sides = line.unit_bounds(admin_index().geometries)
    units = pd.Series(np.arange(len(admin_index().iso)), index=admin_index().iso)
    by_unit = (events["location_precision"] == "admin1") & admin1.isin(units.index)
    u = units.reindex(admin1[by_unit]).to_numpy()
    new_lo, new_hi = np.maximum(lo[by_unit], unit_lo[u]), np.minimum(hi[by_unit], unit_hi[u])
    fits = new_lo <= new_hi
    lo[by_unit] = np.where(fits, new_lo, lo[by_unit])
    hi[by_unit] = np.where(fits, new_hi, hi[by_unit])
    both = sides[by_unit].to_numpy() & unit_sides[u]
    sides[by_unit] = np.where(fits & (both != 0), both, sides[by_unit])

    def in_buffer(km: float) -> pd.Series:
        """Three-valued: the disk against the buffered polygon (planar metres)."""
        polygon = shapely.buffer(shape, km * 1000.0, quad_segs=16)
        status = pd.Series(1, index=events.index)
        inside = xy.within(polygon)
        edge = xy.distance(polygon.exterior) / 1000.0
        status[xy.index] = np.where(
            inside & (edge >= radius[xy.index]),
            2,
            np.where(inside | (edge <= radius[xy.index]), 1, 0),
        )
        by = by_unit[xy.index] & (pd.Series(lo, index=events.index)[xy.index].notna())
        # the admin unit bounds: the same comparison as the engine, on distances
        idx = by[by].index
        status[idx] = np.where(hi[idx] <= km, 2, np.where(lo[idx] <= km, 1, 0))
        return status

    def on_side(bit: int) -> pd.Series:
        return pd.Series(
            np.where(sides == bit, 2, np.where((sides & bit) != 0, 1, 0)), index=events.index
        )

    # fire located where it landed: the weapon stood within its range, on its own side
    with open(data_path("config", "weapon_ranges.yaml"), encoding="utf-8") as handle:
        ranges = yaml.safe_load(handle)
    fire = events["category"].isin(ranges["fire_categories"]) & (events["located"] != "origin")
    reach = events["weapon_class"].map(ranges["ranges_km"]).fillna(0.0).where(fire, 0.0)
    fired = reach > 0
    far = pd.Series(np.inf, index=events.index)  # distance to other changes of side
    ask = xy.index[fired[xy.index].to_numpy()]
    if len(ask) and not rule.changes_xy.is_empty:
        at = xy.loc[ask]
        scale = prep.projection.scale.inverse_k(at.x.to_numpy(), at.y.to_numpy())
        far[ask] = at.distance(rule.changes_xy) * scale * 0.999 / 1000.0

    def gun_status(bit: int, km: float) -> pd.Series:
        across = (sides == (3 ^ bit)) & (far > radius + reach)
        gun_hi = np.where(across, reach - lo, hi + reach)
        gun_lo = np.where(across, 0.0, (lo - reach).clip(lower=0.0))
        status = np.where(gun_hi <= km, 2, np.where(gun_lo <= km, 1, 0))
        status = np.where(across & (gun_hi < 0), 0, status)
        return pd.Series(np.where(lo.isna(), 1, status), index=events.index)

    resolver = prep.resolver
    names = events[["actor1", "source"]].astype(object).drop_duplicates()
    names["party"] = [
        resolver.resolve(n, s) for n, s in zip(names["actor1"], names["source"], strict=True)
    ]
    party = (
        events[["actor1", "source"]]
        .astype(object)
        .merge(names, how="left", on=["actor1", "source"])["party"]
    )
    party = party.where(events["actor1_is_initiator"].fillna(False).to_numpy(), None).fillna("")
    party = _origin_party(prep, events, party, sides)
    zones: dict[str, tuple[pd.Series, float]] = {}
    for zone in prep.zones:
        if isinstance(zone, BufferZone):
            zones[zone.id] = (in_buffer(zone.width_km), zone.width_km)
        elif isinstance(zone, SecurityZone):
            within = in_buffer(zone.distance_km)
            best = pd.Series(0, index=events.index)
            for p in prep.parties:
                bit = line.bit.get(p, 0)
                status = np.minimum(on_side(bit), within)
                status = status.where(~fired, gun_status(bit, zone.distance_km))
                best = np.maximum(best, status.where((party == "") | (party == p), 0))
            zones[zone.id] = (best, zone.distance_km)
    scope = prep.agreement.scope
    in_scope = admin1.isin(scope.admin1) | country_all.isin(scope.countries)
    start = events["time_start"].astype("int64")
    end = events["time_end"].astype("int64")
    rows = []
    for compiled in prep.rules:
        r = compiled.rule
        mask = events["category"].isin([str(c) for c in r.categories]) & in_scope
        if r.weapon_classes:
            mask &= events["weapon_class"].isin([str(w) for w in r.weapon_classes])
        if r.targets:
            mask &= events["target_category"].isin([str(t) for t in r.targets])
        if r.parties:
            mask &= party.isin(r.parties)
        when = np.where(
            (start >= compiled.after_us) & (end < compiled.until_us),
            2,
            np.where((end >= compiled.after_us) & (start < compiled.until_us), 1, 0),
        )
        if r.where.zone is not None:
            place = zones[r.where.zone][0]
        elif r.where.across_line is not None:
            own = party.map(line.bit).fillna(0).astype(int)
            place = pd.Series(
                np.where(own == 0, 0, on_side(1).where(own == 2, on_side(2))), index=events.index
            )
        else:
            place = pd.Series(2, index=events.index)
        hit = mask & (when > 0) & (place > 0)
        rows.append(
            pd.DataFrame(
                {
                    "event_id": events.loc[hit, "event_id"],
                    "rule_id": r.id,
                    "location_check": place[hit],
                    "time_check": when[hit.to_numpy()],
                }
            )
        )
    per_event = pd.DataFrame(
        {
            "event_id": events["event_id"],
            "admin1": admin1,
            "side": labels[code.to_numpy()],
            "distance_km": distance,
        }
    )
    return per_event, pd.concat(rows, ignore_index=True)
