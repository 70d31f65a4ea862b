"""Benchmark: ingest 1,000,000 ACLED-format rows, against reading the same file with
pandas.read_csv alone.

    python benchmarks/bench_ingest.py [--rows 1000000] [--seed 20260201] [--repeat 1]

The rows are generated once (fixed seed) into benchmarks/_work/: places and coordinates from
the bundled gazetteer near the line of contact (and the cities hit by long-range strikes), the
ACLED sub-event mix of the war, ACLED actor names, and notes with weapon and target mentions.
Each measurement runs in its own Python process (the modes take turns, so that other work on
the same cores weighs on all of them alike) and reports wall time, rows/s, CPU time and the
peak resident memory of that process; the machine's load average is printed with them.
Target: normalization at most 2x the bare read, peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import cast

import numpy as np

WORK = Path(__file__).resolve().parent / "_work"
HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
# sub-event type, event type, disorder type, share of rows (roughly the 2024 Ukraine mix)
TYPES = [
    ("Shelling/artillery/missile attack", "Explosions/Remote violence", "Political violence", 0.58),
    ("Air/drone strike", "Explosions/Remote violence", "Political violence", 0.20),
    ("Armed clash", "Battles", "Political violence", 0.12),
    ("Remote explosive/landmine/IED", "Explosions/Remote violence", "Political violence", 0.02),
    ("Disrupted weapons use", "Strategic developments", "Strategic developments", 0.03),
    ("Government regains territory", "Battles", "Political violence", 0.005),
    ("Non-state actor overtakes territory", "Battles", "Political violence", 0.005),
    ("Attack", "Violence against civilians", "Political violence", 0.01),
    ("Peaceful protest", "Protests", "Demonstrations", 0.02),
    ("Other", "Strategic developments", "Strategic developments", 0.01),
]
WEAPONS = {
    "Shelling/artillery/missile attack": [
        "122mm artillery",
        "152mm artillery",
        "Grad MLRS",
        "Uragan MLRS",
        "mortars",
        "120mm mortars",
        "tanks",
        "Iskander-M missiles",
        "S-300 missiles",
        "artillery and mortars",
        "MLRS",
    ],
    "Air/drone strike": [
        "Shahed drones",
        "Geran-2 drones",
        "an FPV drone",
        "KAB glide bombs",
        "guided aerial bombs",
        "Lancet loitering munitions",
        "drones",
        "aircraft",
    ],
    "Armed clash": ["small arms", "mortars and small arms", "artillery", "tanks and infantry"],
}
TARGETS = [
    "residential buildings were damaged",
    "a substation was damaged",
    "energy infrastructure was hit",
    "a railway bridge was damaged",
    "no casualties were reported",
    "several houses were damaged",
    "a power line was cut",
    "a school was damaged",
]
ACTORS_RU = ["Military Forces of Russia (2000-)", "Military Forces of Russia (2000-) Air Force"]
ACTORS_UA = ["Military Forces of Ukraine (2019-)", "Military Forces of Ukraine (2019-) Air Force"]
SOURCES = [
    "Ukrinform",
    "Suspilne",
    "Ukrainska Pravda; Telegram",
    "General Staff of the Armed Forces of Ukraine",
    "Kharkiv Regional Military Administration",
    "TASS; Ministry of Defence of Russia",
]


def _places(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Populated places within 40 km of the line of contact, plus the larger cities."""
    from ceasefire.geocode.front import default_front
    from ceasefire.geocode.gazetteer import gazetteer

    g = gazetteer()
    ua = np.flatnonzero((g.country == "UA") | np.isin(g.admin1, ["RU-BEL", "RU-KRS", "RU-BRY"]))
    km = default_front().distance_km(g.lon[ua], g.lat[ua])
    near = ua[(km <= 40) & (km >= 0)]
    cities = ua[g.population[ua] >= 200_000]
    picked = np.concatenate([near, cities])
    names = {
        iso: name
        for iso, name in (
            ("UA-14", "Donetsk"),
            ("UA-09", "Luhansk"),
            ("UA-63", "Kharkiv"),
            ("UA-23", "Zaporizhia"),
            ("UA-65", "Kherson"),
            ("UA-12", "Dnipropetrovsk"),
            ("UA-59", "Sumy"),
            ("UA-74", "Chernihiv"),
            ("UA-51", "Odesa"),
            ("UA-48", "Mykolaiv"),
            ("UA-30", "Kyiv City"),
            ("RU-BEL", "Belgorod"),
            ("RU-KRS", "Kursk"),
            ("RU-BRY", "Bryansk"),
        )
    }
    admin1 = np.array([names.get(a or "", "Other") for a in g.admin1[picked]], dtype=object)
    weight = np.where(np.isin(picked, near), 1.0, 5.0)
    del rng
    return {
        "name": g.name[picked].astype(object),
        "lon": g.lon[picked],
        "lat": g.lat[picked],
        "admin1": admin1,
        "country": np.where(g.country[picked] == "RU", "Russia", "Ukraine").astype(object),
        "weight": weight / weight.sum(),
    }


def generate(path: Path, rows: int, seed: int) -> None:
    """Write `rows` realistic ACLED-format rows (fixed seed)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pv

    rng = np.random.default_rng(seed)
    places = _places(rng)
    where = rng.choice(len(places["name"]), size=rows, p=places["weight"])
    kind = rng.choice(
        len(TYPES), size=rows, p=np.array([t[3] for t in TYPES]) / sum(t[3] for t in TYPES)
    )
    sub = np.array([t[0] for t in TYPES], dtype=object)[kind]
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, size=rows), unit="D")
    date = pd.Series(days.strftime("%Y-%m-%d"))
    weapon = np.full(rows, "", dtype=object)
    for name, options in WEAPONS.items():
        mask = sub == name
        weapon[mask] = np.array(options, dtype=object)[rng.integers(0, len(options), mask.sum())]
    russian = rng.random(rows) < 0.8
    actor1 = np.where(
        russian,
        np.array(ACTORS_RU, dtype=object)[rng.integers(0, 2, rows)],
        np.array(ACTORS_UA, dtype=object)[rng.integers(0, 2, rows)],
    )
    side = cast("pd.Series[str]", pd.Series(np.where(russian, "Russian", "Ukrainian")))
    loc = cast("pd.Series[str]", pd.Series(places["name"][where]))
    adm = cast("pd.Series[str]", pd.Series(places["admin1"][where]))
    notes = (
        "On "
        + date
        + ", "
        + side
        + " forces struck "
        + loc
        + " ("
        + adm
        + ")"
        + np.where(weapon != "", " with " + pd.Series(weapon), "")
        + "; "
        + pd.Series(np.array(TARGETS, dtype=object)[rng.integers(0, len(TARGETS), rows)])
        + ". [size=no report]"
    )
    # ACLED gives each location its own coordinates (the town's), so they repeat
    lat = np.round(places["lat"][where], 4).astype(str).astype(object)
    lon = np.round(places["lon"][where], 4).astype(str).astype(object)
    bad = rng.random(rows) < 0.0002  # a few broken rows, as in real exports
    lat[bad] = ""
    geo = rng.choice(["1", "2", "3"], size=rows, p=[0.8, 0.17, 0.03])
    ids = np.char.add("UKR", (200000 + np.arange(rows)).astype(str)).astype(object)
    columns = {
        "event_id_cnty": ids,
        "event_date": date.to_numpy(dtype=object),
        "year": days.year.astype(str).to_numpy(dtype=object),
        "time_precision": rng.choice(["1", "2", "3"], size=rows, p=[0.93, 0.05, 0.02]).astype(
            object
        ),
        "disorder_type": np.array([t[2] for t in TYPES], dtype=object)[kind],
        "event_type": np.array([t[1] for t in TYPES], dtype=object)[kind],
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "",
        "inter1": "8",
        "actor2": np.where(rng.random(rows) < 0.15, "Civilians (Ukraine)", ""),
        "assoc_actor_2": "",
        "inter2": "0",
        "interaction": "80",
        "civilian_targeting": np.where(rng.random(rows) < 0.1, "Civilian targeting", ""),
        "iso": "804",
        "region": "Europe",
        "country": places["country"][where],
        "admin1": places["admin1"][where],
        "admin2": "",
        "admin3": "",
        "location": places["name"][where],
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo.astype(object),
        "source": np.array(SOURCES, dtype=object)[rng.integers(0, len(SOURCES), rows)],
        "source_scale": "National",
        "notes": notes.to_numpy(dtype=object),
        "fatalities": rng.poisson(0.3, rows).astype(str).astype(object),
        "tags": "",
        "timestamp": "1735689600",
    }
    table = pa.table(
        {
            name: pa.array(
                np.broadcast_to(np.asarray(columns[name], dtype=object), (rows,)), pa.string()
            )
            for name in HEADER
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pv.write_csv(table, tmp, write_options=pv.WriteOptions(quoting_style="needed"))
    tmp.replace(path)


def child(mode: str, path: Path) -> dict[str, float]:
    """One measurement in this process (modules imported before the clock starts; the
    ceasefire reader's own start-up, loading its vocabularies and boundaries, is counted)."""
    import pandas as pd
    import pyarrow.csv as pv

    from ceasefire.sources import read_events

    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    if mode == "pandas.read_csv":
        rows = len(pd.read_csv(path))
    elif mode == "pyarrow.csv.read_csv":
        rows = pv.read_csv(path).num_rows
    else:
        result = read_events(path, "acled")
        rows = result.report.rows_read
        assert result.table.num_rows > 0.99 * rows
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {
        "seconds": seconds,
        "cpu": cpu,
        "sys": usage.ru_stime - before.ru_stime,  # mostly faulting in fresh memory
        "rows": rows,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss it is not inherited from
    the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


MODES = ("pandas.read_csv", "pyarrow.csv.read_csv", "ceasefire ingest")


def run_child(mode: str, path: Path) -> dict[str, float]:
    """One measurement in a fresh process, with the allocator settings that the
    `ceasefire` command applies (ceasefire.runtime) given to every mode alike."""
    from ceasefire.runtime import allocator_env

    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=allocator_env(),
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def measure(path: Path, repeat: int) -> dict[str, dict[str, float]]:
    """The best of `repeat` runs of each mode, each in a fresh process; the modes take turns,
    so that other load on the machine falls on all of them alike."""
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    for _ in range(repeat):
        for mode in MODES:
            runs[mode].append(run_child(mode, path))
    return {mode: min(found, key=lambda r: r["seconds"]) for mode, found in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260201)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = WORK / f"acled_{args.rows}_{args.seed}.csv"
    if args.generate:
        generate(path, args.rows, args.seed)
        return
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    if not path.exists():  # generated in its own process, so this one stays small
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--rows",
                str(args.rows),
                "--seed",
                str(args.seed),
                "--generate",
            ],
            check=True,
        )
        print(
            f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    load_before = os.getloadavg()[0]
    results = measure(path, args.repeat)
    base = results["pandas.read_csv"]
    print(
        f"\n{args.rows:,} ACLED rows, {path.stat().st_size / 1e6:.0f} MB, "
        f"best of {args.repeat}, one process each; load average (1 min) "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} CPUs)"
    )
    print(
        f"{'':24}{'seconds':>9}{'rows/s':>12}{'peak MB':>10}{'x pandas':>10}{'CPU s':>8}"
        f"{'of it sys':>11}"
    )
    for mode, r in results.items():
        print(
            f"{mode:24}{r['seconds']:9.2f}{r['rows'] / r['seconds']:12,.0f}{r['peak_mb']:10.0f}"
            f"{r['seconds'] / base['seconds']:10.2f}{r['cpu']:8.2f}{r['sys']:11.2f}"
        )
    ratio = results["ceasefire ingest"]["seconds"] / base["seconds"]
    peak = results["ceasefire ingest"]["peak_mb"]
    print(
        f"\nceasefire ingest (read + normalize) / pandas.read_csv alone = {ratio:.2f} "
        "(target <= 2.0); "
        f"peak memory {peak:.0f} MB (target < 2048)"
    )


if __name__ == "__main__":
    main()
