"""Copy and convert the reference data of ../shared/data into the package (run once by hand).

Each output file is traceable to its source: see src/ceasefire/data/ATTRIBUTION.md.
  python scripts/vendor_data.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ceasefire" / "data"
# Western Russia, Ukraine, Belarus and Moldova: everything the agreements and maps can touch.
REGION = shapely.box(20.0, 40.0, 60.0, 60.0)
COUNTRIES = {"UKR": "UA", "RUS": "RU", "BLR": "BY", "MDA": "MD"}


def _decode_arcs(topo: dict[str, Any]) -> list[list[list[float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([round(x * sx + tx, 6), round(y * sy + ty, 6)])
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def countries(shared: Path) -> dict[str, Any]:
    """Decode the TopoJSON world into GeoJSON land polygons of UA, RU, BY and MD."""
    topo = json.loads((shared / "boundaries/ne_world_countries_50m.topo.json").read_text())
    arcs = _decode_arcs(topo)
    features = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        a3 = geometry.get("properties", {}).get("a3")
        if a3 not in COUNTRIES:
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        parts = []
        for polygon in polygons:
            rings = [_ring(ring, arcs) for ring in polygon]
            if len(rings[0]) >= 4:
                parts.append(shapely.Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
        land = shapely.make_valid(shapely.MultiPolygon(parts)).intersection(REGION)
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": COUNTRIES[a3], "name": geometry["properties"]["name"]},
                "geometry": shapely.geometry.mapping(shapely.set_precision(land, 1e-6)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def russia_west(shared: Path) -> dict[str, Any]:
    """Natural Earth western Russian regions with ISO 3166-2 codes from the GeoNames crosswalk."""
    iso_by_geonameid = {}
    with (shared / "gazetteer/subdivisions_ua_ru_admin1.tsv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            iso_by_geonameid[int(row[3])] = (row[1], row[0])
    data = json.loads((shared / "boundaries/ne_admin1_russia_west.geojson").read_text())
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        iso, local = iso_by_geonameid[int(props["gn_id"])]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": iso, "name": props["name"], "name_local": local},
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ukraine(shared: Path) -> dict[str, Any]:
    """geoBoundaries UKR ADM1 (simplified) with ISO codes and names kept."""
    data = json.loads((shared / "boundaries/geoboundaries_ukr_adm1_simplified.geojson").read_text())
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": props["shapeISO"], "name": props["shapeName"]},
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    (OUT / "geo").mkdir(parents=True, exist_ok=True)
    (OUT / "gazetteer").mkdir(parents=True, exist_ok=True)
    (OUT / "events").mkdir(parents=True, exist_ok=True)
    for name, data in {
        "countries_ua_ru_by_md.geojson": countries(shared),
        "admin1_ukraine.geojson": ukraine(shared),
        "admin1_russia_west.geojson": russia_west(shared),
    }.items():
        (OUT / "geo" / name).write_text(json.dumps(data, separators=(",", ":")))
    for name in ("geonames_cities500_ua_ru_by_md.json", "subdivisions_ua_ru_admin1.tsv"):
        shutil.copyfile(shared / "gazetteer" / name, OUT / "gazetteer" / name)
    shutil.copyfile(
        shared / "events/ucdp_ged_2023_sample_ua_ru.csv",
        OUT / "events/ucdp_ged_2023_sample_ua_ru.csv",
    )
    for path in (shared / "frontline").glob("*"):
        shutil.copyfile(path, OUT / "geo" / path.name)
    shutil.copyfile(
        shared / "news/paris-talks-ceasefire-guarantees.txt",
        OUT / "events/paris-talks-ceasefire-guarantees.txt",
    )


if __name__ == "__main__":
    main()
